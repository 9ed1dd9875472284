"""Mutation score per file from mutmut's results (mutants/**/*.meta), for docs/mutation.md.

A mutant counts as killed when a test failed, timed out or the type check caught it; a mutant
no selected test reaches counts as a survivor. For index/store.py only the publish code (writing
a build and swapping it in) is scored: the reader is checked by other tests. Usage, after
`mutmut run`: python .ci/mutation_score.py [--survivors]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

# A segfault is FAISS crashing on a mutated argument: the test run fails, the mutant is caught.
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
# The functions of index/store.py that publish a build.
PUBLISH = {
    "write_build", "write_failures", "write_failure", "check_vectors", "write_database",
    "chunk_row", "faiss_plan", "ivf_lists", "train_ivf", "write_faiss", "build_manifest",
    "fsync_tree", "fsync_directory", "point_current_to", "writer_lock",
    "remove_stale_temporaries", "prune_builds",
}
_NAME = re.compile(r"^(?P<module>[\w.]+)\.x(?:ǁ(?P<cls>\w+)ǁ)?_?(?P<function>\w+?)__mutmut_\d+$")


def function_of(key: str) -> str:
    """The function (or Class.method) a mutant key belongs to."""
    match = _NAME.match(key)
    if match is None:
        return key
    name = match["function"]
    return f"{match['cls']}.{name}" if match["cls"] else name


def scored(path: str, key: str) -> bool:
    """Whether a mutant of `path` counts in the score."""
    return path != "index/store.py" or function_of(key) in PUBLISH


def main(argv: list[str]) -> int:
    survivors = "--survivors" in argv
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        path = str(meta.relative_to("mutants")).removesuffix(".meta")
        results = json.loads(meta.read_text())["exit_code_by_key"]
        statuses = {key: status_by_exit_code[code] for key, code in results.items()
                    if scored(path, key)}
        if not statuses:
            continue
        if set(statuses.values()) == {"not checked"}:
            print(f"{path}: non mesuré (mutmut run a été lancé sur d'autres fichiers)")
            continue
        counts = Counter(statuses.values())
        killed = sum(counts[status] for status in KILLED)
        print(f"{path}: {killed}/{len(statuses)} tués ({100 * killed / len(statuses):.1f} %) "
              + ", ".join(f"{status} {n}" for status, n in sorted(counts.items())))
        if survivors:
            for key, status in sorted(statuses.items()):
                if status not in KILLED:
                    print(f"    {status:<10} {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
