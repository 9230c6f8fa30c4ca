"""Milliseconds per file for ``itdocs.extract`` next to the zipfile + lxml floor, per format.

    python bench/extract_bench.py [FOLDER] [--repeat 20]

Without FOLDER the samples' documents are generated into a temporary folder first. The floor is what
issue 5 measures: open the zip, read the main XML part, ``lxml.etree.fromstring`` it (for a PDF: pypdf
text of every page). ``extract`` does that under the limits, plus the properties, headers, and all
the understanding (fields, dates, signatures, clauses, resolutions). Minimum and median are both
shown: on a shared machine the median moves with the load, the minimum much less.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

from itdocs.extract import extract

ROOT = Path(__file__).resolve().parents[1]
MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/worksheets/sheet1.xml"}


def floor(path: Path) -> None:
    if path.suffix == ".pdf":
        import pypdf

        for page in pypdf.PdfReader(path).pages:
            page.extract_text()
        return
    with zipfile.ZipFile(path) as zf:
        etree.fromstring(zf.read(MAIN_PART[path.suffix]))


def timed(fn, path: Path, repeat: int) -> list[float]:
    try:
        fn(path)
    except Exception:  # noqa: BLE001 (the floor has no defences: a hostile file just has no floor)
        return []
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(path)
        out.append((time.perf_counter() - started) * 1000)
    return out


def generate(into: Path) -> None:
    for sample in sorted((ROOT / "samples").glob("*.*")):
        subprocess.run(
            [sys.executable, "-m", "itdocs", "generate", str(sample), "-o", str(into)],
            check=False,
            capture_output=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp)
        if args.folder is None:
            generate(folder)
        files = sorted(p for p in folder.rglob("*") if p.suffix in (".docx", ".xlsx", ".pdf"))
        by_format: dict[str, tuple[list[float], list[float]]] = {}
        for path in files:
            ours, base = by_format.setdefault(path.suffix, ([], []))
            ours.extend(timed(extract, path, args.repeat))
            base.extend(timed(floor, path, args.repeat))
        print(
            f"{'format':<6} {'files':>5}  {'extract min/median ms':>22}  {'floor min/median ms':>20}  ratio"
        )
        for suffix, (ours, base) in sorted(by_format.items()):
            count = len(ours) // args.repeat
            if not base:
                base = [float("nan")]
            print(
                f"{suffix:<6} {count:>5}  {min(ours):9.2f} / {statistics.median(ours):8.2f}  "
                f"{min(base):8.2f} / {statistics.median(base):8.2f}  "
                f"{statistics.median(ours) / statistics.median(base):5.1f}x"
            )


if __name__ == "__main__":
    main()
