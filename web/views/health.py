"""`/api/health`: which index is served, with which encoder, how big it is, and whether a newer
build failed to load (status « degraded »)."""

from __future__ import annotations

from fastapi import APIRouter

from ..deps import SearcherDep
from ..i18n import translate
from ..models import HealthOut

router = APIRouter()


@router.get("/api/health", response_model=HealthOut, tags=["état"], summary=translate("api.health"))
def api_health(searcher: SearcherDep) -> dict:
    """Encoder, counts, build time and sample flag of the served index."""
    info = searcher.library.info()
    failure = searcher.library.reload_failure
    return {
        "status": "degraded" if failure else "ok",
        "reload_error": (
            {"build_id": failure.build.name, "message": failure.message} if failure else None
        ),
        "encoder": info["encoder"],
        "counts": info["counts"],
        "built_at": str(info["built_at"]),
        "build_id": str(info["build_id"]),
        "sample": bool(info["sample"]),
    }
