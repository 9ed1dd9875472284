"""The web layer's settings: where `python -m web` listens and the public address of the site."""

from __future__ import annotations

import re

from index.settings import Setting, SettingValueError, whole


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


HOST = Setting("host", "--host", "KB_HOST", "127.0.0.1", "adresse d'écoute du serveur web")
PORT = Setting("port", "--port", "KB_PORT", 8000, "port du serveur web", whole)
BASE_URL = Setting(
    "base_url",
    "--base-url",
    "KB_BASE_URL",
    "",
    "adresse publique du site, début des liens des exports (vide : http://HÔTE:PORT)",
    base_url,
)
WEB = (HOST, PORT, BASE_URL)
