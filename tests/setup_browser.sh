#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium (and wrk for the web bench) when running
# as root, and axe-core from npm into var/axe. Idempotent: quick when everything is already there.
# axe-core is pinned to one version and one file (its SHA-256 is checked after every install),
# and npm runs no install script (--ignore-scripts), root or not.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_VERSION="4.14.1"
AXE_SHA256="29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
AXE_DIR="${AXE_DIR:-var/axe}"
AXE_FILE="$AXE_DIR/node_modules/axe-core/axe.min.js"

missing_apt=()
[ -x /usr/bin/chromium ] || missing_apt+=(chromium)
command -v wrk >/dev/null 2>&1 || missing_apt+=(wrk)
command -v npm >/dev/null 2>&1 || missing_apt+=(npm)

if [ "${#missing_apt[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "Installation des paquets Debian : ${missing_apt[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing_apt[@]}" >/dev/null
    else
        echo "Paquets Debian absents (${missing_apt[*]}) et pas de droits root :" \
             "les tests navigateur seront ignorés." >&2
    fi
fi

axe_is_pinned() {
    [ -f "$AXE_FILE" ] && [ "$(sha256sum "$AXE_FILE" | cut -d' ' -f1)" = "$AXE_SHA256" ]
}

if ! axe_is_pinned; then
    if command -v npm >/dev/null 2>&1; then
        echo "Installation d'axe-core $AXE_VERSION dans $AXE_DIR"
        mkdir -p "$AXE_DIR"
        npm install --silent --no-audit --no-fund --ignore-scripts --save-exact \
            --prefix "$AXE_DIR" "axe-core@$AXE_VERSION" >/dev/null
        if ! axe_is_pinned; then
            echo "axe-core $AXE_VERSION installé ne correspond pas à l'empreinte attendue" \
                 "($AXE_SHA256) : fichier retiré, les contrôles d'accessibilité n'ont pas de" \
                 "script fiable." >&2
            rm -f "$AXE_FILE"
            exit 1
        fi
    else
        echo "npm absent : axe-core non installé, les contrôles d'accessibilité seront ignorés." >&2
    fi
fi
