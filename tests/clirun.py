"""Run ``itdocs`` in a child process and measure it: exit code, output, wall time, peak memory.

The peak resident set size is the child's own (``os.wait4``), not the maximum over every child
this test process ever waited for (``RUSAGE_CHILDREN``). A child still running at ``timeout`` is
killed and reported with ``timed_out``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# The child reports its own peak (VmHWM, which exec resets) through a file: wait4's ru_maxrss
# would also count the pages the child shared with this (large) pytest process before exec.
_BOOT = """
import atexit, os, sys
def _peak():
    try:
        with open("/proc/self/status") as status, open(os.environ["ITDOCS_TEST_PEAK"], "w") as out:
            out.write(next(l.split()[1] for l in status if l.startswith("VmHWM:")))
    except (OSError, StopIteration):
        pass
atexit.register(_peak)
sys.argv[0] = "itdocs"
from itdocs.cli import main
main()
"""
ITDOCS = [sys.executable, "-c", _BOOT]


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float
    timed_out: bool = False

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def lines(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.strip()]

    def __str__(self) -> str:  # what a failing assertion shows
        return (
            f"itdocs {' '.join(self.args)} → exit {self.returncode} in {self.seconds:.2f} s, "
            f"{self.peak_rss_mb:.0f} MB{' (timed out)' if self.timed_out else ''}\n"
            f"stdout: {self.stdout[-2000:]}\nstderr: {self.stderr[-2000:]}"
        )


def _rss_mb(usage: object) -> float:
    kib = usage.ru_maxrss  # type: ignore[attr-defined]
    return kib / 1024 / 1024 if sys.platform == "darwin" else kib / 1024  # macOS counts bytes


def run_itdocs(
    *args: str | os.PathLike[str],
    timeout: float = 60.0,
    cwd: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """``itdocs ARGS`` in a fresh interpreter; stdout/stderr go through files (no pipe can fill)."""
    argv = [str(a) for a in args]
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        peak_file = Path(scratch, "peak")
        started = time.monotonic()
        child = subprocess.Popen(
            [*ITDOCS, *argv],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env={
                **os.environ,
                "PYTHONIOENCODING": "utf-8",
                "ITDOCS_TEST_PEAK": str(peak_file),
                **(env or {}),
            },
        )
        timed_out = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                timed_out = True
                os.kill(child.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait for it again
        try:
            peak_mb = int(peak_file.read_text()) / 1024  # VmHWM is in kB
        except (OSError, ValueError):
            peak_mb = _rss_mb(usage)  # no /proc: an upper bound
        out.seek(0)
        err.seek(0)
        return Run(
            tuple(argv),
            child.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            peak_mb,
            timed_out,
        )


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder below ``folder`` (not following links): relative path → (size, mtime)
    for a file, (-1, -1) for a folder (whose mtime changes when anything is added inside)."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            found[str(Path(root, name).relative_to(folder))] = (-1, -1)
        for name in files:
            path = Path(root, name)
            info = path.lstat()
            found[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns)
    return found
