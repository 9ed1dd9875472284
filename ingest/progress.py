"""Progress of one ingestion stage: a tqdm bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys

from tqdm import tqdm

from index.text import single_line


class Stage:
    """A named stage (extraction, encodage, index) that counts its steps."""

    def __init__(self, name: str, total: int, show: bool) -> None:
        self.name, self.total, self.show = name, total, show
        self.done = 0
        self.bar = None

    def __enter__(self) -> Stage:
        if self.show and self.total and sys.stderr.isatty():
            self.bar = tqdm(total=self.total, desc=self.name, unit="", leave=True)
        return self

    def advance(self, what: str, steps: int = 1) -> None:
        """Count `steps` more steps, `what` naming the last one."""
        self.done += steps
        what = single_line(what)  # a file name may hold ANSI escapes
        if self.bar is not None:
            self.bar.update(steps)
            self.bar.set_postfix_str(what)
        elif self.show:
            print(f"{self.name} : {self.done}/{self.total} ({what})", file=sys.stderr, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
