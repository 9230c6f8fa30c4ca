"""Milliseconds per file for reading filed documents, next to the zipfile + lxml floor, per format.

    python bench/extract_bench.py [FOLDER] [--repeat 20]

Without FOLDER the samples' documents are generated into a temporary folder first. Three numbers
per format, each the minimum and median over the repeats of every file, measured interleaved (file
by file, the contenders take turns, so a busy machine slows them alike):

- *floor* — what issue 5 measures: open the zip and ``lxml.etree.fromstring`` the part holding
  the text (``word/document.xml``; for a workbook every worksheet and the shared strings, the
  least that reads all of its cells). For a PDF: pypdf text of every page.
- *read* — ``extract(path, facts=False)``: everything between the bytes and the text: sniffing,
  the zip limits, the safe parse, the body walk with tables and merged cells, headers, pictures
  and document properties — what python-docx's "open + read all text" (~9 ms) would give.
- *read + facts* — ``extract(path)``: also the understanding of the Chinese text (fields, dates,
  periods, signature rows, clauses, resolutions).

The ratios are of the medians (``min`` ratios in brackets: on a shared machine the minimum moves
least with the load).
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


def _text_parts(zf: zipfile.ZipFile, suffix: str) -> list[str]:
    if suffix == ".docx":
        return ["word/document.xml"]
    names = zf.namelist()
    return [n for n in names if n.startswith("xl/worksheets/sheet") or n == "xl/sharedStrings.xml"]


def floor(path: Path) -> None:
    if path.suffix == ".pdf":
        import pypdf

        for page in pypdf.PdfReader(path).pages:
            page.extract_text()
        return
    with zipfile.ZipFile(path) as zf:
        for part in _text_parts(zf, path.suffix):
            etree.fromstring(zf.read(part))


def read(path: Path) -> None:
    extract(path, facts=False)


def timed_once(fn, path: Path) -> bool | None:
    """Warm up once; None when it fails (only the floor can)."""
    try:
        fn(path)
    except Exception:  # noqa: BLE001
        return None
    return True


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
        contenders = (("floor", floor), ("read", read), ("read + facts", extract))
        times: dict[str, dict[str, list[float]]] = {}
        for path in files:
            per_format = times.setdefault(path.suffix, {name: [] for name, _ in contenders})
            runs = {name: timed_once(fn, path) for name, fn in contenders}
            if runs["floor"] is None:  # the floor has no defences: a hostile file has no floor
                continue
            for _ in range(args.repeat):
                for name, fn in contenders:
                    started = time.perf_counter()
                    fn(path)
                    per_format[name].append((time.perf_counter() - started) * 1000)
        head = "min / median ms"
        print(f"{'format':<6} {'files':>5}  {'floor ' + head:>24}  {'read ' + head:>23}  "
              f"{'read + facts ' + head:>31}")
        for suffix, t in sorted(times.items()):
            if not t["floor"]:
                continue
            med = {k: statistics.median(v) for k, v in t.items()}
            low = {k: min(v) for k, v in t.items()}
            count = len(t["floor"]) // args.repeat

            def cell(name: str, med: dict = med, low: dict = low) -> str:
                ratio = f"{med[name] / med['floor']:.1f}x ({low[name] / low['floor']:.1f}x)"
                return f"{low[name]:6.2f} / {med[name]:6.2f}  {ratio}"

            print(f"{suffix:<6} {count:>5}  {low['floor']:9.2f} / {med['floor']:6.2f}"
                  f"         {cell('read'):>23}  {cell('read + facts'):>31}")


if __name__ == "__main__":
    main()
