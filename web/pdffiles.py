"""The indexed PDFs, served only when the file on disk is still the one the index was built from.

Decisions: the recorded path is opened without following any symbolic link (a link anywhere in
it, or a FIFO, a device, a folder… is refused), and the opened file's SHA-256 must equal the one
the index recorded. The bytes served are read from that same open file, so swapping the path
after the check changes nothing. A file's digest is computed once per version of the file — the
cache key is (device, inode, size, mtime, ctime), and any write changes mtime or ctime — so
serving a PDF does not re-read it to hash it every time.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

BLOCK = 1 << 20
# Versions of files remembered: a few per report is plenty, old keys are dropped first.
MAX_REMEMBERED = 64


class PdfUnavailable(Exception):
    """The PDF cannot be served: `missing` (404) or `changed` since it was indexed (409)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PdfFiles:
    """Opens indexed PDFs after checking them; thread-safe."""

    def __init__(self) -> None:
        self._digests: dict[tuple[int, ...], str] = {}
        self._lock = threading.Lock()

    def open(self, path: Path, sha256: str) -> tuple[int, int]:
        """An open descriptor on the regular file at `path` whose content hashes to `sha256`,
        and its size; PdfUnavailable otherwise (the caller closes the descriptor)."""
        if os.path.realpath(path) != os.path.abspath(path):
            raise PdfUnavailable("changed")  # a symbolic link somewhere in the path
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError as exc:
            raise PdfUnavailable("missing") from exc
        except OSError as exc:  # ELOOP: the file itself became a link; EACCES…
            raise PdfUnavailable("changed") from exc
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode) or self._digest(descriptor, info) != sha256:
                raise PdfUnavailable("changed")
        except BaseException:
            os.close(descriptor)
            raise
        return descriptor, info.st_size

    def _digest(self, descriptor: int, info: os.stat_result) -> str:
        """The SHA-256 of the open file, computed once per version of the file."""
        key = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        with self._lock:
            known = self._digests.get(key)
        if known is not None:
            return known
        digest = hashlib.sha256()
        offset = 0
        while block := os.pread(descriptor, BLOCK, offset):
            digest.update(block)
            offset += len(block)
        with self._lock:
            while len(self._digests) >= MAX_REMEMBERED:
                self._digests.pop(next(iter(self._digests)))
            self._digests[key] = digest.hexdigest()
        return digest.hexdigest()

    @property
    def hashed(self) -> int:
        """How many file versions have been hashed and remembered."""
        return len(self._digests)


def read_blocks(descriptor: int, size: int) -> Iterator[bytes]:
    """The first `size` bytes of an open file, block by block; closes it at the end."""
    try:
        offset = 0
        while offset < size and (block := os.pread(descriptor, min(BLOCK, size - offset),
                                                   offset)):
            offset += len(block)
            yield block
    finally:
        os.close(descriptor)
