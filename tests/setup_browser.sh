#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium (and wrk for the web bench) when running
# as root, and axe-core from npm into var/axe. Idempotent: quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_DIR="var/axe"
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

if [ ! -f "$AXE_FILE" ]; then
    if command -v npm >/dev/null 2>&1; then
        echo "Installation d'axe-core dans $AXE_DIR"
        mkdir -p "$AXE_DIR"
        npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" axe-core@4 >/dev/null
    else
        echo "npm absent : axe-core non installé, les contrôles d'accessibilité seront ignorés." >&2
    fi
fi
