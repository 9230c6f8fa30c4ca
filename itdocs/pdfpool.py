"""Batch PDF: a pool of persistent LibreOffice workers that loses no conversion.

Starting LibreOffice costs seconds, converting a form a fraction of one, and two soffice sharing a
user profile silently drop documents. So each worker keeps one LibreOffice running with its own
profile (``-env:UserInstallation``) and the fontconfig mapping of itdocs.pdf (宋体 → Noto Serif
CJK …), driven through UNO by itdocs/unobridge.py. That bridge runs under a Python that can
``import uno`` — often not the one itdocs runs in (Debian's python3-uno serves only the system
python3) — found by ``find_uno_python``.

Every job ends as a PDF or as a ConversionError, never lost: a job that times out (``timeout``
seconds) or whose LibreOffice crashes is retried (``retries`` times) on a freshly started
LibreOffice; a PDF appears only complete (written beside its name, then renamed). Without any
UNO-capable Python the pool falls back to one ``soffice --convert-to`` per worker for a batch of
files (still one profile each), and converts one by one what a batch left out.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from itdocs import pdf
from itdocs.errors import ConversionError

JOB_SECONDS = 120  # one document; a slow machine converts a 30-page contract in well under that
START_SECONDS = 120  # a LibreOffice start with a new profile
BATCH_SIZE = 20  # files per soffice --convert-to in the fallback
_BRIDGE = Path(__file__).with_name("unobridge.py")


@dataclass(frozen=True)
class Outcome:
    """What became of one job: the PDF, or the error after every attempt."""

    source: Path
    pdf: Path | None
    error: ConversionError | None = None
    attempts: int = 1


class _Failure(Exception):
    def __init__(self, message: str, *, fatal: bool) -> None:
        super().__init__(message)
        self.fatal = fatal


@cache
def find_uno_python() -> str | None:
    """A Python that can ``import uno``: $ITDOCS_UNO_PYTHON, this one, LibreOffice's, the system's."""
    explicit = os.environ.get("ITDOCS_UNO_PYTHON")
    soffice = pdf.find_soffice()
    program = Path(os.path.realpath(soffice)).parent if soffice else None
    candidates = (
        [explicit]
        if explicit
        else [
            sys.executable,
            *([str(program / "python"), str(program / "python.exe")] if program else []),
            "/usr/bin/python3",
            "/usr/local/bin/python3",
            shutil.which("python3"),
        ]
    )
    for candidate in dict.fromkeys(c for c in candidates if c):
        if not Path(candidate).is_file():
            continue
        try:
            probe = subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


class _Worker:
    """One persistent LibreOffice behind a bridge process, restarted when it dies or hangs."""

    def __init__(
        self, command: list[str], profile: Path, name: str, *, start_timeout: float
    ) -> None:
        self.command, self.profile, self.name = command, profile, name
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.starts = 0

    def ensure(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        self.stop()
        self.starts += 1
        pipe = f"{self.name}-{self.starts}"  # a new pipe name per start: a dead one may linger
        try:
            self.process = subprocess.Popen(
                [*self.command, str(self.profile), pipe],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                start_new_session=os.name == "posix",  # so stop() kills its soffice too
            )
        except OSError as exc:
            raise _Failure(
                f"cannot start the UNO bridge: {exc.strerror or exc}", fatal=True
            ) from None
        self.lines = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self.lines), daemon=True).start()
        answer = self._answer(self.start_timeout, "LibreOffice did not start")
        if not answer.get("ready"):
            self.stop()
            raise _Failure(f"LibreOffice did not start: {answer.get('error')}", fatal=True)

    def convert(self, source: Path, target: Path, timeout: float) -> None:
        assert self.process is not None and self.process.stdin is not None
        try:
            request = {"src": str(source.resolve()), "dst": str(target.resolve())}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except OSError:
            self.stop()
            raise _Failure("LibreOffice bridge is gone", fatal=True) from None
        answer = self._answer(timeout, f"timed out after {timeout:.0f} s")
        if not answer.get("ok"):
            if answer.get("fatal"):
                self.stop()
            raise _Failure(str(answer.get("error")), fatal=bool(answer.get("fatal")))

    def _answer(self, timeout: float, message: str) -> dict[str, object]:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise _Failure(message, fatal=True) from None
        if line is None:
            self.stop()
            raise _Failure("LibreOffice crashed", fatal=True)
        try:
            return json.loads(line)
        except ValueError:
            return {"ok": False, "error": line.strip()[:200]}

    @staticmethod
    def _read(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None and process.stdin is not None:
            try:  # a clean end lets LibreOffice close its profile
                process.stdin.close()
                process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if hasattr(os, "killpg"):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                pass
        else:  # pragma: no cover - Windows
            process.kill()
        process.wait()


class PdfPool:
    """``workers`` LibreOffice instances converting jobs in parallel; use as a context manager.

    ``bridge`` replaces the UNO bridge command (tests use a fake one); it gets the soffice path,
    a profile folder and a pipe name as its last three arguments.
    """

    def __init__(
        self,
        workers: int = 2,
        *,
        timeout: float = JOB_SECONDS,
        start_timeout: float = START_SECONDS,
        retries: int = 2,
        bridge: Sequence[str] | None = None,
    ) -> None:
        soffice = pdf.find_soffice()
        if soffice is None and bridge is None:
            raise ConversionError("找不到 LibreOffice (soffice not found)", hint=pdf.INSTALL_HINT)
        python = None if bridge is not None else find_uno_python()
        if bridge is not None:
            self.command: list[str] | None = [*bridge, soffice or "soffice"]
        elif python is not None:
            self.command = [python, str(_BRIDGE), soffice or "soffice"]
        else:
            self.command = None  # no UNO anywhere: batches of soffice --convert-to
        self.timeout, self.start_timeout, self.retries = timeout, start_timeout, retries
        self.folder = Path(tempfile.mkdtemp(prefix="itdocs-lo-pool-"))
        self.profiles = []
        for index in range(max(1, workers)):
            profile = self.folder / f"worker{index}"
            profile.mkdir()
            (profile / "fonts.conf").write_text(pdf.fonts_conf(), encoding="utf-8")
            self.profiles.append(profile)
        self.workers = (
            [
                _Worker(self.command, p, f"{self.folder.name}-{i}", start_timeout=start_timeout)
                for i, p in enumerate(self.profiles)
            ]
            if self.command
            else []
        )

    @property
    def mode(self) -> str:
        return "uno" if self.command else "batch"

    def convert(
        self,
        jobs: Sequence[tuple[Path, Path]],
        *,
        progress: Callable[[Outcome], None] | None = None,
    ) -> list[Outcome]:
        """Convert each (source, target PDF) pair; the outcomes come back in the jobs' order."""
        todo: queue.Queue[tuple[int, tuple[Path, Path]]] = queue.Queue()
        for item in enumerate(jobs):
            todo.put(item)
        results: list[Outcome | None] = [None] * len(jobs)
        lock = threading.Lock()

        def done(index: int, outcome: Outcome) -> None:
            with lock:
                results[index] = outcome
                if progress is not None:
                    progress(outcome)

        serve = self._serve if self.command else self._serve_batches
        threads = [
            threading.Thread(target=serve, args=(n, todo, done), daemon=True)
            for n in range(min(len(self.profiles), len(jobs)))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return [
            r or Outcome(jobs[i][0], None, ConversionError("转换未完成 (not converted)"))
            for i, r in enumerate(results)
        ]

    def _serve(self, n: int, todo: queue.Queue, done: Callable[[int, Outcome], None]) -> None:
        worker = self.workers[n]
        while True:
            try:
                index, (source, target) = todo.get_nowait()
            except queue.Empty:
                return
            done(index, self._one(source, target, worker))

    def _one(self, source: Path, target: Path, worker: _Worker) -> Outcome:
        problem = ""
        for attempt in range(1, self.retries + 2):
            try:
                worker.ensure()
                worker.convert(source, target, self.timeout)
                if _is_pdf(target):
                    return Outcome(source, target, attempts=attempt)
                problem = "LibreOffice wrote no PDF"
            except _Failure as failure:
                problem = str(failure)
        return Outcome(source, None, _failed(source, problem, self.retries + 1), self.retries + 1)

    def _serve_batches(
        self, n: int, todo: queue.Queue, done: Callable[[int, Outcome], None]
    ) -> None:
        scratch = self.profiles[n] / "out"
        while True:
            batch = []
            while len(batch) < BATCH_SIZE:
                try:
                    batch.append(todo.get_nowait())
                except queue.Empty:
                    break
            if not batch:
                return
            # one soffice for the batch; whatever it leaves out is tried again one by one
            self._batch([s for _, (s, _) in batch], scratch, n, len(batch))
            for index, (source, target) in batch:
                outcome = self._collect(source, target, scratch)
                for attempt in range(2, self.retries + 2):
                    if outcome.pdf is not None:
                        break
                    self._batch([source], scratch, n, 1)
                    outcome = self._collect(source, target, scratch, attempt=attempt)
                done(index, outcome)

    def _batch(self, sources: list[Path], scratch: Path, n: int, count: int) -> str:
        try:
            pdf.convert(
                sources,
                scratch,
                timeout=self.start_timeout + self.timeout * count,
                profile=self.profiles[n],
            )
        except ConversionError as exc:
            return str(exc)
        return ""

    def _collect(self, source: Path, target: Path, scratch: Path, *, attempt: int = 1) -> Outcome:
        made = scratch / (source.stem + ".pdf")
        if _is_pdf(made):
            os.replace(made, target)
            return Outcome(source, target, attempts=attempt)
        return Outcome(source, None, _failed(source, "LibreOffice wrote no PDF", attempt), attempt)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PdfPool:  # noqa: PYI034 - not subclassed
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def _failed(source: Path, problem: str, attempts: int) -> ConversionError:
    return ConversionError(
        f"PDF 转换失败 (conversion failed after {attempts} attempt(s)): {problem}",
        file=str(source),
        hint="open the file in Word or LibreOffice to check it; rerun with --pdf to retry",
    )
