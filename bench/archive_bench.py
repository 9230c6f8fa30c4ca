"""Check a synthetic 10,000-file archive: total time, peak memory, ms per file beside the floor.

    python bench/archive_bench.py [--files 10000] [--jobs 2] [--keep DIR]

The archive is ~70% .docx, 20% .xlsx, 10% .pdf, built fast by copying the documents generated from
``samples/outsourcing-helpdesk.json`` (and PDFs of its .docx, made once with LibreOffice — or by a
small PDF writer when ``soffice`` is missing) into batch folders (第001批 …), as a clerk's archive of
many deliveries would hold them; the same names in every batch are reported as duplicates, which
exercises the rules too. The PDFs are one page each by default, as the issue's per-file reference
("pypdf text of one page"); ``--pdf-pages all`` files the whole exports (about two pages, with
LibreOffice's embedded CJK font subsets pypdf needs ~9 ms a page for). The check runs in a fresh process (so building's LibreOffice does not count) with
``--jobs`` workers; peak RSS is ``ru_maxrss`` of that process plus its largest worker
(``RUSAGE_SELF`` + ``RUSAGE_CHILDREN``). Targets (issue 5): ≤ 20 s and ≤ 300 MB on 2 cores.

The floor is what issue 5 measures for a .docx: open the zip, read ``word/document.xml``, parse it
with lxml — single-threaded, on the same files; ``extract`` and the whole check are shown next to it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "outsourcing-helpdesk.json"
MIX = {".docx": 0.7, ".xlsx": 0.2, ".pdf": 0.1}


def _pdfs(docs: list[Path], into: Path) -> list[Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    into.mkdir(parents=True, exist_ok=True)
    if soffice:
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(into), *map(str, docs)],
            capture_output=True,
            timeout=600,
            check=False,
        )
    made = sorted(into.glob("*.pdf"))
    if made:
        return made
    sys.path.insert(0, str(ROOT / "tests"))
    from docbuild import build_pdf  # a small PDF writer with real Chinese text

    for doc in docs:
        (into / doc.with_suffix(".pdf").name).write_bytes(
            build_pdf([[doc.stem, "报告日期：2026年11月6日"]])
        )
    return sorted(into.glob("*.pdf"))


def first_pages(pdfs: list[Path], into: Path) -> list[Path]:
    """One-page PDFs: the first page of each (the issue's per-file reference is one page)."""
    import pypdf

    into.mkdir(parents=True, exist_ok=True)
    out = []
    for pdf in pdfs:
        writer = pypdf.PdfWriter()
        writer.add_page(pypdf.PdfReader(pdf).pages[0])
        with (into / pdf.name).open("wb") as handle:
            writer.write(handle)
        out.append(into / pdf.name)
    return out


def build_archive(folder: Path, files: int, *, pdf_pages: str = "1") -> dict[str, int]:
    """Copies of the sample's generated documents, batch by batch, in the 70/20/10 mix."""
    from itdocs.generator import generate

    work = Path(tempfile.mkdtemp(prefix="itdocs-bench-src-"))
    generate(SAMPLE, work / "docs")
    docx = sorted((work / "docs").glob("*.docx"))
    xlsx = sorted((work / "docs").glob("*.xlsx"))
    pdf = _pdfs(docx, work / "pdf")  # the same mix of documents as the .docx
    if pdf_pages == "1":
        pdf = first_pages(pdf, work / "pdf1")
    sources = {".docx": docx, ".xlsx": xlsx, ".pdf": pdf}
    wanted = {suffix: round(files * share) for suffix, share in MIX.items()}
    wanted[".docx"] += files - sum(wanted.values())
    counts = dict.fromkeys(MIX, 0)
    batch = 0
    while sum(counts.values()) < files:
        target = folder / f"第{batch + 1:03d}批"
        target.mkdir(parents=True)
        for suffix, pool in sources.items():
            for source in pool:
                if counts[suffix] >= wanted[suffix]:
                    break
                shutil.copyfile(source, target / source.name)
                counts[suffix] += 1
        batch += 1
    shutil.rmtree(work, ignore_errors=True)
    return counts


def floor_ms(paths: list[Path]) -> float:
    from lxml import etree

    started = time.perf_counter()
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            etree.fromstring(zf.read("word/document.xml"))
    return (time.perf_counter() - started) * 1000 / len(paths)


def extract_ms(paths: list[Path], *, facts: bool = True) -> float:
    from itdocs.extract import extract

    started = time.perf_counter()
    for path in paths:
        extract(path, facts=facts)
    return (time.perf_counter() - started) * 1000 / len(paths)


def run_check(folder: Path, jobs: int) -> dict[str, object]:
    """Runs in its own process: the check, its wall time and peak RSS (self + largest child)."""
    from itdocs.engine import check

    started = time.perf_counter()
    report = check([folder], waivers=False, as_of=dt.date(2026, 11, 21), jobs=jobs)
    seconds = time.perf_counter() - started
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    self_kb, child_kb = me.ru_maxrss, children.ru_maxrss
    return {
        "seconds": seconds,
        "cpu": me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime,
        "files": len(report.files),
        "findings": len(report.findings),
        "rules": len({f.rule for f in report.findings}),
        "self_mb": self_kb / 1024,
        "children_mb": child_kb / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archive here")
    parser.add_argument(
        "--pdf-pages",
        choices=["1", "all"],
        default="1",
        help="PDFs of one page (as the issue's per-file reference) or whole exports (~2 pages)",
    )
    parser.add_argument("--check-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.check_only:
        print(json.dumps(run_check(args.check_only, args.jobs)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="itdocs-bench-")) / "归档"
    started = time.perf_counter()
    if not folder.exists():
        counts = build_archive(folder, args.files, pdf_pages=args.pdf_pages)
    else:
        counts = {s: len(list(folder.rglob(f"*{s}"))) for s in MIX}
    built = time.perf_counter() - started
    docx = sorted(folder.rglob("*.docx"))[:500]
    floor, read, full = floor_ms(docx), extract_ms(docx, facts=False), extract_ms(docx)
    load = os.getloadavg()[0]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, __file__, "--check-only", str(folder), "--jobs", str(args.jobs)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    total = sum(counts.values())
    peak = result["self_mb"] + result["children_mb"]
    wall_ms = result["seconds"] * 1000 / result["files"]
    cores = os.cpu_count()
    print(
        f"machine: {platform.processor() or platform.machine()}, {cores} cores; Python {platform.python_version()}"
    )
    print(
        f"archive: {total} files ({counts['.docx']} .docx, {counts['.xlsx']} .xlsx, {counts['.pdf']} .pdf), built in {built:.1f} s"
    )
    print(
        f"check --jobs {args.jobs}: {result['seconds']:.1f} s total (target ≤ 20 s); {result['files']} files, {result['findings']} findings of {result['rules']} rules"
    )
    print(
        f"CPU: {result['cpu']:.1f} s in all processes (/{args.jobs} = {result['cpu'] / args.jobs:.1f} s, "
        f"the wall time on an idle machine); load average before the run: {load:.2f}"
    )
    print(
        f"peak RSS: {peak:.0f} MB = main {result['self_mb']:.0f} MB + largest worker {result['children_mb']:.0f} MB (target ≤ 300 MB)"
    )
    print(f"per file, wall, whole check on {args.jobs} workers: {wall_ms:.2f} ms")
    print(
        f".docx, one core, {len(docx)} files: zipfile+lxml floor {floor:.2f} ms; read {read:.2f} ms "
        f"({read / floor:.1f}x); read + facts {full:.2f} ms ({full / floor:.1f}x)"
    )
    print(
        f"whole check per .docx-equivalent file per worker: {wall_ms * args.jobs:.2f} ms ({wall_ms * args.jobs / floor:.1f}x the floor)"
    )
    if not args.keep:
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
