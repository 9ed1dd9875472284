"""Request dependencies shared by the views."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from search import Searcher


def get_searcher(request: Request) -> Searcher:
    """The app's Searcher held on the build served when the request came in: a page that
    searches several times (`/comparer`) never mixes two builds."""
    return request.app.state.searcher.snapshot()


def check_reload(request: Request) -> None:
    """Let the app pick up a rebuilt index (the throttle keeps this to once a second)."""
    request.app.state.reload_throttle.maybe_reload()


SearcherDep = Annotated[Searcher, Depends(get_searcher)]
