"""Batch PDF: persistent LibreOffice workers, per-job timeout, restart on crash, retry, none lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from generate_helpers import small_dossier, write_dossier
from pypdf import PdfReader

from itdocs import pdf, pdfpool
from itdocs.errors import ConversionError
from itdocs.generator import generate

# A stand-in for unobridge.py: same protocol, no LibreOffice. Source files steer it by name.
FAKE_BRIDGE = r"""
import json, os, sys, time
profile, pipe = sys.argv[-2], sys.argv[-1]
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    job = json.loads(line)
    name = os.path.basename(job["src"])
    mark = os.path.join(os.path.dirname(job["src"]), name + ".seen")
    first = not os.path.exists(mark)
    open(mark, "a").write(pipe + "\n")
    if name.startswith("hang") or (name.startswith("slow-once") and first):
        time.sleep(60)
    if name.startswith("crash-once") and first:
        os._exit(1)
    if name.startswith("bad"):
        print(json.dumps({"ok": False, "error": "cannot open", "fatal": False}), flush=True)
        continue
    open(job["dst"], "wb").write(b"%PDF-1.7 fake " + name.encode())
    print(json.dumps({"ok": True}), flush=True)
"""


@pytest.fixture
def fake(tmp_path, monkeypatch):
    script = tmp_path / "fake_bridge.py"
    script.write_text(FAKE_BRIDGE, encoding="utf-8")
    return [sys.executable, str(script)]


def _jobs(folder: Path, names: list[str]) -> list[tuple[Path, Path]]:
    (folder / "pdf").mkdir(exist_ok=True)
    jobs = []
    for name in names:
        source = folder / f"{name}.docx"
        source.write_bytes(b"docx")
        jobs.append((source, folder / "pdf" / f"{name}.pdf"))
    return jobs


def test_every_job_ends_as_a_pdf_or_an_error(tmp_path, fake):
    names = [f"doc{i}" for i in range(20)] + ["crash-once-a", "slow-once-b", "bad-c"]
    jobs = _jobs(tmp_path, names)
    seen = []
    with pdfpool.PdfPool(2, bridge=fake, timeout=1, retries=2) as pool:
        outcomes = pool.convert(jobs, progress=seen.append)
    assert [o.source for o in outcomes] == [s for s, _ in jobs]
    assert len(seen) == len(jobs)
    by_name = {o.source.stem: o for o in outcomes}
    assert all(by_name[f"doc{i}"].pdf.read_bytes().startswith(b"%PDF-") for i in range(20))
    assert by_name["crash-once-a"].pdf is not None and by_name["crash-once-a"].attempts == 2
    assert by_name["slow-once-b"].pdf is not None and by_name["slow-once-b"].attempts == 2
    bad = by_name["bad-c"]
    assert bad.pdf is None and bad.attempts == 3
    assert isinstance(bad.error, ConversionError) and "cannot open" in str(bad.error)


def test_a_hanging_conversion_times_out_and_the_worker_restarts(tmp_path, fake):
    jobs = _jobs(tmp_path, ["hang", "after"])
    started = time.monotonic()
    with pdfpool.PdfPool(1, bridge=fake, timeout=0.5, retries=1) as pool:
        hang, after = pool.convert(jobs)
        starts = pool.workers[0].starts
    assert hang.pdf is None and "timed out" in str(hang.error) and hang.attempts == 2
    assert after.pdf is not None
    assert starts == 3  # first start, then a new LibreOffice after each timeout
    assert time.monotonic() - started < 20


def test_missing_soffice_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ITDOCS_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(ConversionError, match="LibreOffice") as caught:
        pdfpool.PdfPool(2)
    assert "apt-get install" in caught.value.hint


def test_generate_checks_for_soffice_before_writing(tmp_path, monkeypatch):
    monkeypatch.setenv("ITDOCS_SOFFICE", str(tmp_path / "no-such-soffice"))
    path = write_dossier(tmp_path, small_dossier())
    with pytest.raises(ConversionError):
        generate(path, tmp_path / "out", only="contract", pdf=True)
    assert not (tmp_path / "out").exists()


needs_uno = pytest.mark.skipif(
    pdf.find_soffice() is None or pdfpool.find_uno_python() is None,
    reason="LibreOffice or a Python with uno (python3-uno) not installed",
)
needs_soffice = pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice not installed")


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """Twelve generated documents (Word and Excel) of one small dossier."""
    folder = tmp_path_factory.mktemp("docs")
    path = write_dossier(folder, small_dossier(name="数据中心运维外包项目"))
    result = generate(path, folder / "out")
    files = sorted(f.path for f in result.written)
    assert len(files) >= 4
    return (files * 3)[:12]


def _pdf_jobs(files: list[Path], folder: Path) -> list[tuple[Path, Path]]:
    folder.mkdir()
    return [(f, folder / f"{i:02d}-{f.stem}.pdf") for i, f in enumerate(files)]


@needs_uno
def test_two_libreoffice_workers_lose_nothing(documents, tmp_path):
    jobs = _pdf_jobs(documents, tmp_path / "pdf")
    with pdfpool.PdfPool(2) as pool:
        assert pool.mode == "uno"
        outcomes = pool.convert(jobs)
    assert [o.error for o in outcomes] == [None] * len(jobs)
    for outcome in outcomes:
        text = "".join(page.extract_text() for page in PdfReader(outcome.pdf).pages)
        assert "数据中心运维外包项目" in text, outcome.source.name
    assert not list((tmp_path / "pdf").glob("*.part")), "no half-written PDFs"


def _kill_one_soffice_after(seconds: float, profile: Path) -> threading.Thread:
    def kill() -> None:
        time.sleep(seconds)
        found = subprocess.run(
            ["pgrep", "-f", f"UserInstallation=file://{profile}"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        for pid in found:
            os.kill(int(pid), signal.SIGKILL)

    thread = threading.Thread(target=kill, daemon=True)
    thread.start()
    return thread


@needs_uno
@pytest.mark.skipif(not Path("/usr/bin/pgrep").exists(), reason="pgrep not installed")
def test_a_crashed_libreoffice_is_restarted_and_its_job_retried(documents, tmp_path):
    jobs = _pdf_jobs(documents, tmp_path / "pdf")
    with pdfpool.PdfPool(2) as pool:
        pool.convert(jobs[:2])  # both LibreOffices are up
        killer = _kill_one_soffice_after(0.5, pool.profiles[0])
        outcomes = pool.convert(jobs)
        killer.join()
        restarts = pool.workers[0].starts
    assert [o.error for o in outcomes] == [None] * len(jobs)
    assert restarts >= 2


@needs_soffice
def test_without_uno_batches_of_soffice_convert(documents, tmp_path, monkeypatch):
    monkeypatch.setattr(pdfpool, "find_uno_python", lambda: None)
    jobs = _pdf_jobs(documents[:4], tmp_path / "pdf")
    with pdfpool.PdfPool(2) as pool:
        assert pool.mode == "batch"
        outcomes = pool.convert(jobs)
    assert [o.error for o in outcomes] == [None] * len(jobs)
    assert all(o.pdf.read_bytes().startswith(b"%PDF-") for o in outcomes)
