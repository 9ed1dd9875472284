"""What the project installs itself is pinned, and an audit that cannot run never looks passed."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess

import pytest

from index.settings import ROOT

SETUP = ROOT / "tests" / "setup_browser.sh"
# A proxy nobody listens on: pip-audit cannot reach PyPI's advisory database, at once.
OFFLINE = {"https_proxy": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}


def audit(required: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **OFFLINE, "AUDIT_REQUIRED": required}
    return subprocess.run(["bash", ".ci/audit.sh"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize(("required", "code"), [("", 0), ("true", 3)])
def test_an_offline_audit_says_so_and_fails_when_required(required: str, code: int) -> None:
    done = audit(required)
    assert done.returncode == code, done.stderr
    assert "AUDIT NON EFFECTUÉ" in done.stderr and "ce n'est pas un succès" in done.stderr
    assert "Aucune vulnérabilité" not in done.stdout


def test_axe_core_is_installed_at_one_version_without_install_scripts() -> None:
    script = SETUP.read_text()
    version = re.search(r'^AXE_VERSION="(\d+\.\d+\.\d+)"$', script, re.MULTILINE)
    digest = re.search(r'^AXE_SHA256="([0-9a-f]{64})"$', script, re.MULTILINE)
    assert version and digest
    installs = [line for line in script.splitlines() if "npm install" in line]
    assert installs and all("--ignore-scripts" in line for line in installs)
    assert all('"axe-core@$AXE_VERSION"' in line for line in
               script[script.index("npm install"):].splitlines()[1:2])
    installed = ROOT / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
    if installed.exists():  # what the browser tests load is that very file
        assert hashlib.sha256(installed.read_bytes()).hexdigest() == digest.group(1)
