"""Pick up a rebuilt index without restart, checking at most once per second per process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from search import Searcher

RELOAD_INTERVAL_S = 1.0


class ReloadThrottle:
    """Calls `searcher.reload_if_changed()` no more often than every `interval` seconds."""

    def __init__(
        self,
        searcher: Searcher,
        interval: float = RELOAD_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.searcher = searcher
        self.interval = interval
        self.clock = clock
        self._last = clock()
        self._lock = threading.Lock()

    def maybe_reload(self) -> bool:
        """Check for a new build if the last check is old enough; True when one was loaded."""
        # Non-blocking: while one request checks, the others go on with the current index.
        if not self._lock.acquire(blocking=False):
            return False
        try:
            now = self.clock()
            if now - self._last < self.interval:
                return False
            self._last = now
            return self.searcher.reload_if_changed()
        finally:
            self._lock.release()
