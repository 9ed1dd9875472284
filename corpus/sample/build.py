"""Rebuild the sample-corpus PDFs and their ground truth from corpus/sample/source/.

    python corpus/sample/build.py            # rebuild the three PDFs + ground_truth.json
    python corpus/sample/build.py --check    # verify the committed PDFs are up to date
    python corpus/sample/build.py --source corpus/sample/source/_demo.txt --year 2018 \\
        --output /tmp/demo                   # lay out any source in an edition's style
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

# The generator prints roman numerals with the project's own `index.numerals`: this checkout's.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from generator.editions import EDITIONS  # noqa: E402
from generator.pdf import MIN_RECOMMENDATIONS_ACROSS_PAGES, render  # noqa: E402
from generator.source import SourceError, parse_file  # noqa: E402

SAMPLE_DIR = Path(__file__).resolve().parent
SOURCE_DIR = SAMPLE_DIR / "source"
MANIFEST = SAMPLE_DIR / "reports.toml"
GROUND_TRUTH = "ground_truth.json"


def manifest_reports() -> list[dict[str, Any]]:
    """The sample reports declared in corpus/sample/reports.toml."""
    with MANIFEST.open("rb") as handle:
        return tomllib.load(handle)["report"]


def build_report(report: dict[str, Any], source_path: Path, out_dir: Path) -> dict[str, Any]:
    """Lay out one report into `out_dir`; return its ground truth."""
    if not source_path.is_file():
        raise SourceError(f"source introuvable : {source_path}")
    source = parse_file(source_path)
    check_recommendations(report, [b.number for b in source.numbered("rec")], source_path)
    edition = EDITIONS[report["year"]]
    truth = render(source, edition, title=report["title"], author=", ".join(report["authors"]),
                   output=out_dir / report["file"])
    if len(truth["recommendations_across_pages"]) < MIN_RECOMMENDATIONS_ACROSS_PAGES:
        print(f"Attention : {source_path.name} n'a que "
              f"{len(truth['recommendations_across_pages'])} recommandation(s) à cheval sur deux "
              "pages ; allongez-en une ou deux.", file=sys.stderr)
    return truth


def check_recommendations(report: dict[str, Any], numbers: list[int], path: Path) -> None:
    """The source holds recommendations 1..N in order, once each, N as the manifest expects."""
    expected = report.get("expected_recommendations")
    if expected is not None and numbers != list(range(1, expected + 1)):
        raise SourceError(
            f"{path.name} : {len(numbers)} recommandations trouvées, {expected} attendues "
            f"(numérotées de 1 à {expected})."
        )


def build_all(out_dir: Path) -> dict[str, Any]:
    """Build every sample report into `out_dir` (a fresh folder) with its ground_truth.json."""
    truths = {}
    for report in manifest_reports():
        truths[report["id"]] = build_report(report, SOURCE_DIR / f"{report['id']}.txt", out_dir)
    ground_truth = {"reports": truths}
    write_json(out_dir / GROUND_TRUTH, ground_truth)
    return ground_truth


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write `data` as stable, readable UTF-8 JSON."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def digest(path: Path) -> str:
    """SHA-256 of a file, or « absent » if it does not exist."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "absent"


def generated_names() -> list[str]:
    """The files the build writes into corpus/sample/."""
    return [r["file"] for r in manifest_reports()] + [GROUND_TRUTH]


def stale_files() -> list[str]:
    """Generated files whose committed version differs from a fresh build."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        build_all(fresh)
        return [name for name in generated_names()
                if digest(fresh / name) != digest(SAMPLE_DIR / name)]


def rebuild() -> dict[str, Any]:
    """Rebuild everything, replacing the committed files only once all were built."""
    with tempfile.TemporaryDirectory(dir=SAMPLE_DIR) as tmp:
        fresh = Path(tmp)
        truths = build_all(fresh)
        for name in generated_names():
            (fresh / name).replace(SAMPLE_DIR / name)
    return truths


def build_one(source_path: Path, year: int, out_dir: Path) -> dict[str, Any]:
    """Lay out any source in the style of the edition of `year` (for trying a source out)."""
    report = next(r for r in manifest_reports() if r["year"] == year)
    report = {**report, "file": f"{source_path.stem}.pdf", "expected_recommendations": None}
    truth = build_report(report, source_path, out_dir)
    write_json(out_dir / f"{source_path.stem}.ground_truth.json",
               {"reports": {source_path.stem: truth}})
    return truth


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="Génère les PDF du corpus d'exemple.")
    parser.add_argument("--check", action="store_true",
                        help="vérifie que les PDF et la vérité terrain sont à jour")
    parser.add_argument("--source", type=Path, help="met en page une seule source")
    parser.add_argument("--year", type=int, choices=sorted(EDITIONS), default=2017,
                        help="édition dont le style est appliqué à --source")
    parser.add_argument("--output", type=Path, help="dossier de sortie de --source")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Entry point: build, check, or lay out a single source."""
    args = parse_args(argv)
    try:
        if args.source:
            out_dir = args.output or Path(tempfile.mkdtemp(prefix="corpus-exemple-"))
            out_dir.mkdir(parents=True, exist_ok=True)
            truth = build_one(args.source, args.year, out_dir)
            print(f"{out_dir / (args.source.stem + '.pdf')} : {truth['pages']} pages")
            return 0
        if args.check:
            stale = stale_files()
            if stale:
                print("À régénérer (python corpus/sample/build.py) : " + ", ".join(stale),
                      file=sys.stderr)
                return 1
            print("Le corpus d'exemple est à jour.")
            return 0
        truths = rebuild()
        for report_id, truth in truths["reports"].items():
            print(f"{report_id} : {truth['pages']} pages, "
                  f"{len(truth['recommendations'])} recommandations")
        return 0
    except (SourceError, OSError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
