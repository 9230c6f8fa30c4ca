"""Interrupted runs: ``itdocs generate`` (and ``itdocs seal``) killed with SIGKILL at random moments
never leave a half-written file, and running again (without --force) finishes the job, byte for byte.

Each case is killed ``KILLS`` times (default 50; ``ITDOCS_KILLS=500`` for a long run), in rounds: a
round starts from an empty folder and kills run after run, each continuing where the last stopped,
until the folder is complete; the folder is checked after every kill. Then one run without --force
must finish: the files are exactly those of a clean run (names and bytes) and no temp file is left
(itdocs.fileio sweeps the ``.~…`` files of killed runs). The moments are random but seeded
(``ITDOCS_KILL_SEED``): most fall just after a random file has appeared (so the run dies while
rendering or writing the next one), the rest at any time since start-up.

A file is "complete and valid" when it is byte-identical to the clean run's file, which itself was
opened with python-docx / openpyxl and had every zip CRC checked.

A command is added as one more ``Interrupted(...)`` line in CASES; a case whose command is not
registered is skipped. Two more tests make the one moment that matters certain: a writer stopped
inside its write (its temp file locked, the final name absent), killed, and the next run sweeping.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import SAMPLES
from docx import Document
from openpyxl import load_workbook

from itdocs.cli import main
from itdocs.fileio import is_temp_name, sweep

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

KILLS = int(os.environ.get("ITDOCS_KILLS", "50"))
SEED = int(os.environ.get("ITDOCS_KILL_SEED", "20261121"))
SAMPLE = SAMPLES / "affiliation-mes.yaml"  # the sample with the most documents (42)
ITDOCS = [sys.executable, "-m", "itdocs"]


@dataclass(frozen=True)
class Interrupted:
    """A command to kill: ``prepare(folder)`` lays out its input in an empty folder and returns the
    arguments and the folder the command writes. ``unstable``: names of files whose bytes may differ
    from one complete run to the next (a date), checked for presence and validity only.
    ``finished``: what a rerun may say instead of exiting 0 when the killed run had already done
    everything (``seal``: "already sealed"). ``staging``: a folder the command builds its output in
    and renames into place (``seal``), which a killed run may leave and the rerun must remove."""

    command: str
    prepare: Callable[[Path], tuple[list[str], Path]]
    unstable: frozenset[str] = field(default_factory=frozenset)
    finished: str | None = None
    staging: str | None = None


def _generate(folder: Path) -> tuple[list[str], Path]:
    out = folder / "out"
    return ["generate", str(SAMPLE), "-o", str(out), "-q"], out


_documents: dict[str, Path] = {}


def _seal(folder: Path) -> tuple[list[str], Path]:
    if "docs" not in _documents:  # the documents to seal, generated once
        import itdocs

        itdocs.generate(SAMPLE, folder.parent / "documents")
        _documents["docs"] = folder.parent / "documents"
    bag = folder / "bag"
    shutil.copytree(_documents["docs"], bag)
    return ["seal", str(bag)], bag


CASES = [
    Interrupted("generate", _generate),
    Interrupted(
        "seal",
        _seal,
        unstable=frozenset({"bag-info.txt", "tagmanifest-sha256.txt"}),  # Bagging-Date
        finished="already sealed",
        staging=".itdocs-seal.new",
    ),
]


def _state(folder: Path) -> dict[str, str]:
    """Relative path → sha256 of every file below ``folder``."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _assert_valid(path: Path) -> None:
    """What a clerk needs of a finished file: it opens, and every member's CRC is right."""
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None, path
        if path.suffix == ".docx":
            Document(str(path))
        else:
            load_workbook(path, read_only=True).close()
    else:
        assert path.stat().st_size > 0, path


def _run(args: list[str], *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ITDOCS, *args], check=False, capture_output=True, timeout=timeout, encoding="utf-8"
    )


def _kill(
    args: list[str], out: Path, case: Interrupted, *, files: int | None, delay: float
) -> bool:
    """Start the command and SIGKILL it ``delay`` s after it started (``files`` None) or after the
    folder holds ``files`` finished files; True when it was still running then."""
    child = subprocess.Popen([*ITDOCS, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if files is not None:
        while _finished(out, case) < files:
            if child.poll() is not None:
                return False
            time.sleep(0.001)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if child.poll() is not None:
            return False
        time.sleep(min(0.002, max(deadline - time.monotonic(), 0)))
    alive = child.poll() is None
    child.send_signal(signal.SIGKILL)
    child.wait()
    return alive


def _finished(out: Path, case: Interrupted) -> int:
    """Files in place below ``out`` (no temp file, nothing in a staging folder)."""
    count = 0
    for root, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if d != case.staging]
        count += sum(1 for name in files if not is_temp_name(name))
    return count


def _check_after_kill(out: Path, reference: dict[str, str], case: Interrupted) -> tuple[int, int]:
    """Every final-named file is the clean run's file; returns (complete files, temp leftovers)."""
    complete = leftovers = 0
    for name, digest in _state(out).items():
        path = Path(name)
        if is_temp_name(path.name):
            leftovers += 1
            continue
        if case.staging and path.parts[0] == case.staging:
            continue  # not in place yet: readers ignore it, the rerun removes it
        assert name in reference, f"unexpected file {name}"
        if path.name in case.unstable:
            _assert_valid(out / name)
        else:
            assert digest == reference[name], f"{name} differs from a clean run's (half-written?)"
        complete += 1
    return complete, leftovers


def _count(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def _timeline(args: list[str], out: Path) -> tuple[float, float, float]:
    """A clean run watched from outside: when the first file appeared, when the last one did, and
    when the process ended (seconds from its start)."""
    seen = _count(out)  # the input, for a command that writes into the folder it reads
    child = subprocess.Popen([*ITDOCS, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started, first, last = time.monotonic(), None, None
    while child.poll() is None:
        count = _count(out)
        if count != seen:
            now = time.monotonic() - started
            first, last, seen = first if first is not None else now, now, count
        time.sleep(0.002)
    end = time.monotonic() - started
    assert child.returncode == 0, child.stderr.read() if child.stderr else ""
    return first if first is not None else end, last if last is not None else end, end


def _moment(
    rng: random.Random, done: int, total: int, per_file: float, duration: float
) -> dict[str, object]:
    """When to kill: mostly just after a random one of the files still to write has appeared, plus
    up to the time one file takes (so a run dies while rendering or writing the next one); the
    rest at a random time since start-up. Waiting for files, not a clock, keeps kills landing
    between files on a machine that is slower today than during the clean run."""
    if rng.random() < 0.7 and total > done:
        return {
            "files": done + rng.randrange(total - done),
            "delay": rng.uniform(0, per_file * 1.5),
        }
    return {"files": None, "delay": rng.uniform(0.0, duration)}


@pytest.mark.parametrize("case", CASES, ids=[c.command for c in CASES])
def test_killed_runs_leave_only_complete_files_and_a_rerun_finishes(
    case, tmp_path, record_property
):
    if case.command not in main.commands:
        pytest.skip(f"`itdocs {case.command}` is not a registered command yet")
    args, out = case.prepare(tmp_path / "clean")
    given = len(_state(out))  # files there before the command runs
    first, last, duration = _timeline(args, out)
    reference = _state(out)
    made = len(reference) - given
    per_file = max(last - first, 0.01) / made
    assert reference and not any(is_temp_name(Path(n).name) for n in reference)
    for name in reference:
        _assert_valid(out / name)

    rng = random.Random(f"{SEED}-{case.command}")
    kills = mid_run = rounds = attempts = 0
    while kills < KILLS:
        # A round: kill runs into one folder, each continuing the last, until it is complete.
        args, out = case.prepare(tmp_path / f"round{rounds}")
        rounds += 1
        done = given
        while done < len(reference) and kills < KILLS:
            attempts += 1
            assert attempts < KILLS * 10, "runs end before they can be killed"
            moment = _moment(rng, done, len(reference), per_file, duration)
            if not _kill(args, out, case, **moment):  # type: ignore[arg-type]
                done, _ = _check_after_kill(out, reference, case)
                continue  # it finished first: not a kill
            kills += 1
            before, (done, _) = done, _check_after_kill(out, reference, case)
            mid_run += before < done < len(reference)  # it had written some files, not all
        rerun = _run(args)
        finished = case.finished is not None and case.finished in rerun.stderr
        assert rerun.returncode == 0 or finished, rerun.stderr
        final = _state(out)
        assert not [n for n in final if is_temp_name(Path(n).name)], "temp files left behind"
        stable = {n: d for n, d in final.items() if Path(n).name not in case.unstable}
        expected = {n: d for n, d in reference.items() if Path(n).name not in case.unstable}
        assert stable == expected, "the rerun must finish the job exactly as a clean run does"
        assert final.keys() == reference.keys()
    record_property("kills", kills)
    record_property("rounds", rounds)
    record_property("kills_mid_run", mid_run)
    record_property("clean_run_seconds", round(duration, 2))
    record_property("writing_window", f"{first:.2f}-{last:.2f}")
    assert kills >= KILLS
    if made > 10:  # enough files for kills to land between them: prove some did
        assert mid_run >= KILLS // 10, (kills, mid_run)


# --- the moment that matters, made certain -------------------------------------------------------

# A child that stops inside its first atomic write: the temp file is written and locked, the final
# name does not exist yet (fsync never returns).
_STUCK_IN_WRITE = """
import os, sys, time
os.fsync = lambda fd: time.sleep(600)
sys.argv[0] = "itdocs"
from itdocs.cli import main
main()
"""


def _stuck_writer(args: list[str], folder: Path) -> tuple[subprocess.Popen[bytes], Path]:
    child = subprocess.Popen(
        [sys.executable, "-c", _STUCK_IN_WRITE, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        temps = [p for p in folder.rglob("*") if is_temp_name(p.name)] if folder.exists() else []
        if temps:
            return child, temps[0]
        assert child.poll() is None, "the writer ended before writing"
        time.sleep(0.01)
    child.kill()
    raise AssertionError("no temp file appeared")


def test_a_run_killed_inside_a_write_leaves_a_temp_file_the_next_run_removes(tmp_path):
    args, out = _generate(tmp_path / "killed")
    child, temp = _stuck_writer(args, out)
    try:
        assert sweep(temp.parent) == [] and temp.exists(), "a live writer's file is never swept"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    finals = [p for p in out.rglob("*") if p.is_file() and not is_temp_name(p.name)]
    assert temp.exists() and not finals, "killed mid-write: only the temp file, no final file"

    rerun = _run(args)
    assert rerun.returncode == 0, rerun.stderr
    clean_args, clean_out = _generate(tmp_path / "clean")
    assert _run(clean_args).returncode == 0
    assert not temp.exists()
    assert _state(out) == _state(clean_out)


def test_sweep_only_takes_temp_files_nobody_holds(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    abandoned = folder / ".~合同.docx.abcd1234.itdocs.tmp"
    abandoned.write_bytes(b"PK\x03\x04 half a document")
    mine = folder / ".~lock.合同.docx#"  # LibreOffice's lock file: not ours
    mine.write_text("x")
    other = folder / ".~notes.tmp"  # someone else's temp file: not ours either
    other.write_text("x")
    link = folder / ".~link.docx.abcd1234.itdocs.tmp"
    link.symlink_to(tmp_path / "elsewhere")  # only regular files are removed
    assert sweep(folder) == [abandoned]
    assert mine.exists() and other.exists() and link.is_symlink()
