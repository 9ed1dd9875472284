#!/usr/bin/env bash
# Known vulnerabilities in the installed dependencies (pip-audit, PyPI advisory database).
# Fails on any finding. When the advisory service cannot be reached (no network: every package
# comes back "could not be audited", or pip-audit stops on a connection error), nothing was
# checked: the script says so in a banner on stderr and exits 0 (this project's CI has no network
# but the package registries), or 3 with AUDIT_REQUIRED=true, for a pipeline that has the network
# and where an audit that did not run must not pass for one that found nothing.
# Usage: bash .ci/audit.sh   (AUDIT_REQUIRED=true bash .ci/audit.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
report=$(mktemp)
errors=$(mktemp)
trap 'rm -f "$report" "$errors"' EXIT
status=0
.venv/bin/pip-audit --local --progress-spinner off --format json --output "$report" 2>"$errors" || status=$?
.venv/bin/python - "$report" "$errors" "$status" "${AUDIT_REQUIRED:-}" <<'PY'
import json
import re
import sys

path, errors, status, required = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "true"
OFFLINE = re.compile(r"ConnectionError|ProxyError|NameResolution|Max retries exceeded|timed out")


def not_audited(count: str) -> None:
    """The banner of an audit that could not run; exit 3 when an audit is required, else 0."""
    print("\n".join([
        "=" * 78,
        "AUDIT NON EFFECTUÉ : la base d'avis de sécurité de PyPI est injoignable (pas de réseau ?).",
        f"{count} ; ce n'est pas un succès.",
        "Relancez `bash .ci/audit.sh` avec l'accès au réseau."
        + (" Audit exigé (AUDIT_REQUIRED=true) : échec." if required else ""),
        "=" * 78,
    ]), file=sys.stderr)
    sys.exit(3 if required else 0)


try:
    dependencies = json.load(open(path))["dependencies"]
except (OSError, ValueError, KeyError):
    log = open(errors, errors="replace").read()
    if OFFLINE.search(log):
        not_audited("Aucune dépendance n'a été vérifiée")
    last = (log.strip().splitlines() or [""])[-1]
    sys.exit(f"pip-audit n'a produit aucun rapport (code {status}) : audit impossible. {last}")
vulnerable = [d for d in dependencies if d.get("vulns")]
audited = [d for d in dependencies if "skip_reason" not in d]
for dependency in vulnerable:
    ids = ", ".join(v["id"] for v in dependency["vulns"])
    print(f"VULNÉRABLE {dependency['name']} {dependency['version']} : {ids}")
if vulnerable:
    sys.exit(f"{len(vulnerable)} dépendance(s) avec une vulnérabilité connue : mettez-les à jour.")
if not audited:
    not_audited(f"Aucune des {len(dependencies)} dépendances n'a été vérifiée")
print(f"Aucune vulnérabilité connue dans {len(audited)} dépendances auditées "
      f"({len(dependencies) - len(audited)} non auditables).")
PY
