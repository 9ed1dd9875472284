"""Operating-system errors a user can cause (disk full, permissions…), in plain French."""

from __future__ import annotations

import errno

REASONS = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EFBIG: "taille maximale de fichier atteinte",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EISDIR: "c'est un dossier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EIO: "erreur d'entrée-sortie du disque",
}
MAX_DETAIL_CHARS = 200


def os_error_reason(exc: BaseException) -> str:
    """Why a read or write failed, in French, with the file it concerned when known.

    FAISS reports a failed write as a RuntimeError holding C++ context: only its first line is
    kept; SQLite's « database or disk is full » is kept as is.
    """
    if isinstance(exc, OSError) and exc.errno is not None:
        reason = REASONS.get(exc.errno, exc.strerror or str(exc))
        return f"{reason} : {exc.filename}" if exc.filename else reason
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:MAX_DETAIL_CHARS]
