"""Rendering and PDF, side by side in one run on the same templates and data.

    python bench/render_bench.py [--rows 50,2000] [--rounds 15] [--pdf-docs 100] [--workers 2]

Rendering: the contract of samples/procurement-erp-ops.yaml with its deliverables table grown to
50 and 2,000 rows, rendered by

- docxtpl: ``render.render_docx`` (docxtpl render + python-docx save: the issue's baseline);
- docxtpl + properties: the same plus ``docprops.finalize`` (what generation did before);
- new renderer: ``fastrender.render_package`` (rendered, properties stamped, zipped);
- zip-rewrite floor: read every member of the finished document and write them all again.

The contenders take turns within each round (so a busy machine slows them alike) and the median
of the rounds is reported. The new renderer's output is checked to be byte-identical to
docxtpl + properties.

PDF: ``--pdf-docs`` generated documents converted by itdocs.pdfpool with ``--workers``
persistent LibreOffice workers, against the same documents converted by one ``soffice
--convert-to pdf`` per file, ``--workers`` at a time, first sharing one profile as a plain script
would, then with a profile per worker. Per-document time is wall time / documents (start-up
included), and that times the workers for the time one worker spends; a job is lost when no
valid PDF comes out.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itdocs import docprops, fastrender, pdf, pdfpool
from itdocs.documents import base_view, document_context
from itdocs.generator import generate, properties
from itdocs.loader import load
from itdocs.plan import plan_documents
from itdocs.policy import load_policy
from itdocs.render import TemplateSet, render_docx

SAMPLE = ROOT / "samples" / "procurement-erp-ops.yaml"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import docxtpl
    import lxml.etree

    office = pdf.find_soffice()
    version = "none"
    if office:
        found = subprocess.run(
            [office, "--version"], capture_output=True, text=True, timeout=60, check=False
        )
        version = found.stdout.strip() or "?"
    return (
        f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; Python "
        f"{platform.python_version()}; docxtpl {docxtpl.__version__}; lxml "
        f"{'.'.join(map(str, lxml.etree.LXML_VERSION))}; {version}"
    )


def contract_inputs(rows: int):
    document = load(SAMPLE)
    data = copy.deepcopy(document.data)
    given = data["contract"]["deliverables"]
    data["contract"]["deliverables"] = [
        {**given[i % len(given)], "name": f"{given[i % len(given)]['name']}（{i + 1}）"}
        for i in range(rows)
    ]
    policy = load_policy()
    [doc] = plan_documents(data, policy=policy, only={"contract"}, period=None).documents
    context = dict(document_context(doc, data, base_view(data, policy=policy), policy=policy))
    props = properties(doc, data, sha256=document.sha256, source=SAMPLE)
    return TemplateSet().source("contract.docx"), context, props


def rewrite(package: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            target.writestr(info, data)
    return out.getvalue()


def bench_render(rows: int, rounds: int) -> dict[str, float]:
    template, context, props = contract_inputs(rows)
    finished = docprops.finalize(render_docx(template, context), **props)
    assert fastrender.render_package(template, context, **props) == finished, "outputs differ"
    contenders: dict[str, Callable[[], object]] = {
        "docxtpl render+save": lambda: render_docx(template, context),
        "docxtpl + properties": lambda: docprops.finalize(render_docx(template, context), **props),
        "new renderer": lambda: fastrender.render_package(template, context, **props),
        "zip-rewrite floor": lambda: rewrite(finished),
    }
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for name, run in contenders.items():
        run()  # warm: template compiled, caches filled
    for _ in range(rounds):
        for name, run in contenders.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    print(f"\n{rows} table rows ({len(finished) // 1024} KB .docx), median of {rounds} rounds:")
    for name, ms in medians.items():
        print(f"  {name:<24} {ms:8.2f} ms")
    new = medians["new renderer"]
    print(
        f"  ratios: docxtpl / new = {medians['docxtpl render+save'] / new:.1f}×, "
        f"docxtpl+properties / new = {medians['docxtpl + properties'] / new:.1f}×, "
        f"new / floor = {new / medians['zip-rewrite floor']:.2f}×"
    )
    return medians


def pdf_inputs(count: int, folder: Path) -> list[Path]:
    generate(ROOT / "samples", folder)
    files = sorted(folder.rglob("*.docx"))
    return (files * (count // len(files) + 1))[:count]


def valid_pdf(path: Path) -> bool:
    try:
        return path.stat().st_size > 1000 and path.read_bytes()[:5] == b"%PDF-"
    except OSError:
        return False


def bench_pool(files: list[Path], workers: int, out: Path) -> tuple[float, int, str]:
    out.mkdir()
    jobs = [(f, out / f"{i:03d}.pdf") for i, f in enumerate(files)]
    started = time.perf_counter()
    with pdfpool.PdfPool(workers) as pool:
        mode = pool.mode
        pool.convert(jobs)
    seconds = time.perf_counter() - started
    return seconds, sum(not valid_pdf(target) for _, target in jobs), mode


def bench_one_soffice_per_file(
    files: list[Path], workers: int, out: Path, *, shared_profile: bool
) -> tuple[float, int]:
    """One ``soffice --convert-to pdf`` per file, ``workers`` at a time, each into its own
    folder; the profile is shared by all (a plain script) or one per worker."""
    out.mkdir()
    profiles = []
    for _ in range(1 if shared_profile else workers):
        profile = Path(tempfile.mkdtemp(prefix="itdocs-bench-profile-"))
        (profile / "fonts.conf").write_text(pdf.fonts_conf(), encoding="utf-8")
        profiles.append(profile)
    todo = list(enumerate(files))
    lock = threading.Lock()

    def work(profile: Path) -> None:
        while True:
            with lock:
                if not todo:
                    return
                index, source = todo.pop(0)
            with contextlib.suppress(Exception):  # a failure is counted as lost below
                pdf.convert([source], out / f"{index:03d}", timeout=300, profile=profile)

    started = time.perf_counter()
    threads = [
        threading.Thread(target=work, args=(profiles[n % len(profiles)],)) for n in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    lost = sum(not valid_pdf(out / f"{i:03d}" / (f.stem + ".pdf")) for i, f in enumerate(files))
    return seconds, lost


def report(label: str, seconds: float, lost: int, n: int, workers: int) -> None:
    print(
        f"  {label:<44} {seconds:6.1f} s: {seconds / n:.2f} s/document wall, "
        f"{seconds * workers / n:.2f} s/document per worker; lost {lost} of {n}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", default="50,2000")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--pdf-docs", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-pdf", action="store_true")
    args = parser.parse_args()
    print("machine:", machine())
    print("command:", "python bench/render_bench.py " + " ".join(sys.argv[1:]))
    for rows in (int(r) for r in args.rows.split(",")):
        bench_render(rows, args.rounds if rows <= 200 else max(3, args.rounds // 3))
    if args.skip_pdf or pdf.find_soffice() is None:
        print("\nPDF: skipped" + ("" if args.skip_pdf else " (LibreOffice not installed)"))
        return
    with tempfile.TemporaryDirectory(prefix="itdocs-bench-") as scratch:
        folder = Path(scratch)
        files = pdf_inputs(args.pdf_docs, folder / "docs")
        n, w = len(files), args.workers
        print(f"\nPDF: {n} documents, {w} workers")
        seconds, lost, mode = bench_pool(files, w, folder / "pool")
        report(f"pool of persistent LibreOffice ({mode})", seconds, lost, n, w)
        timings = {}
        for shared in (True, False):
            label = "one soffice per file, " + (
                "shared profile" if shared else "profile per worker"
            )
            timings[shared] = bench_one_soffice_per_file(
                files, w, folder / f"single-{shared}", shared_profile=shared
            )
            report(label, *timings[shared], n, w)
        print(
            f"  ratio: one soffice per file (profile per worker) / pool = "
            f"{timings[False][0] / seconds:.1f}× per document"
        )


if __name__ == "__main__":
    main()
