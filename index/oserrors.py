"""Operating-system errors a user can cause (disk full, permissions…), in plain French."""

from __future__ import annotations

import errno

from index.text import single_line

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


def os_error_reason(exc: OSError) -> str:
    """Why a read or write failed, in French, with the file it concerned when known."""
    reason = REASONS.get(exc.errno, exc.strerror or str(exc))
    return f"{reason} : {single_line(str(exc.filename))}" if exc.filename else reason
