"""What every command line shares: its exit codes and its parser.

The README's « Codes de sortie » table documents `ExitCode` (a test checks that it does).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from enum import IntEnum
from typing import Any

from index.settings import Setting, SettingError, resolve


class ExitCode(IntEnum):
    """The exit codes of every `python -m …` command."""

    SUCCESS = 0
    FAILURE = 1
    USAGE_ERROR = 2


class CommandParser(argparse.ArgumentParser):
    """argparse whose usage errors are one French line, a pointer to --help and exit code 2,
    and which resolves its settings (default, then `environ`, then flag) as it parses."""

    def __init__(self, *args: Any, environ: Mapping[str, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.environ = environ or {}
        self.settings: list[Setting] = []

    def add_settings(self, *settings: Setting) -> None:
        """Add each setting's flag; the parsed namespace holds the setting's resolved value."""
        for setting in settings:
            self.add_argument(setting.flag, dest=setting.name, type=setting.type,
                              default=None, help=setting.flag_help())
            self.settings.append(setting)

    def parse_known_args(self, args: Sequence[str] | None = None,
                         namespace: argparse.Namespace | None = None
                         ) -> tuple[argparse.Namespace, list[str]]:
        """Parse, then fill each setting in; a refused environment value with no flag to
        override it is one French line naming the variable, and exit code 2."""
        parsed, extras = super().parse_known_args(args, namespace)
        try:
            values = resolve(self.settings, vars(parsed), self.environ)
        except SettingError as exc:
            self.exit(ExitCode.USAGE_ERROR, f"Erreur de configuration : {exc}\n")
        for name, value in values.items():
            setattr(parsed, name, value)
        return parsed, extras

    def error(self, message: str) -> None:
        """Report a usage error in French and exit 2."""
        self.exit(ExitCode.USAGE_ERROR,
                  f"Erreur d'utilisation : {message}\nAide : {self.prog} --help\n")


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
