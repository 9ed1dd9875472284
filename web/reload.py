"""Pick up a rebuilt index without restart, checking at most once per second per process.

A new build that fails to load is logged once and retried with a doubling delay (up to
`MAX_RETRY_S`); meanwhile the previous build keeps serving and a newer build is still picked up
at the next check.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from search import Searcher

RELOAD_INTERVAL_S = 1.0
MAX_RETRY_S = 60.0

log = logging.getLogger(__name__)


class ReloadThrottle:
    """Calls `searcher.library.reload_if_changed()` no more often than every `interval` seconds."""

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
        self._retry_at = self._last
        self._delay = interval
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
            before = self.searcher.library.reload_failure
            loaded = self.searcher.library.reload_if_changed(retry=now >= self._retry_at)
            self._note(before, self.searcher.library.reload_failure, now)
            return loaded
        finally:
            self._lock.release()

    def _note(self, before, failure, now: float) -> None:
        """Log a build's first failure, and schedule its next attempt later each time."""
        if failure is None:
            self._delay = self.interval
            return
        if failure is before:  # no attempt was made
            return
        if before is None or before.build != failure.build:
            log.warning("Nouvel index non chargé, l'ancien reste servi : %s", failure.message)
            self._delay = self.interval
        self._retry_at = now + self._delay
        self._delay = min(2 * self._delay, MAX_RETRY_S)
