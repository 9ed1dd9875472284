#!/usr/bin/env bash
# Known vulnerabilities in the installed dependencies (pip-audit, PyPI advisory database).
# Fails on any finding. When the advisory service cannot be reached (no network: every package
# comes back "could not be audited"), says so plainly and succeeds: nothing was checked, nothing
# was found wrong. Usage: bash .ci/audit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
.venv/bin/pip-audit --local --progress-spinner off --format json --output "$report" 2>/dev/null || status=$?
.venv/bin/python - "$report" "$status" <<'PY'
import json
import sys

path, status = sys.argv[1], int(sys.argv[2])
try:
    dependencies = json.load(open(path))["dependencies"]
except (OSError, ValueError, KeyError):
    sys.exit(f"pip-audit n'a produit aucun rapport (code {status}) : audit impossible.")
vulnerable = [d for d in dependencies if d.get("vulns")]
audited = [d for d in dependencies if "skip_reason" not in d]
for dependency in vulnerable:
    ids = ", ".join(v["id"] for v in dependency["vulns"])
    print(f"VULNÉRABLE {dependency['name']} {dependency['version']} : {ids}")
if vulnerable:
    sys.exit(f"{len(vulnerable)} dépendance(s) avec une vulnérabilité connue : mettez-les à jour.")
if not audited:
    print("Audit non effectué : la base d'avis de sécurité de PyPI est injoignable (pas de "
          f"réseau ?) ; {len(dependencies)} dépendances non vérifiées. Relancez avec l'accès réseau.")
    sys.exit(0)
print(f"Aucune vulnérabilité connue dans {len(audited)} dépendances auditées "
      f"({len(dependencies) - len(audited)} non auditables).")
PY
