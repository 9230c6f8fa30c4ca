"""Read every file of an archive — in parallel when asked — into compact :class:`FiledDocument` facts.

Each file is read by ``itdocs.extract`` (bytes sniffed, zip and XML guarded, a time budget per file)
and identified here: its type and period from the itdocs custom properties when it carries them
(they are authoritative), else from its name, else from its content; then only the facts the
dossier view needs are kept. With ``jobs > 1`` a process pool does the work; each worker caps its
own address space (``WORKER_MEMORY_BYTES``), so one hostile file costs at most a worker, and a
worker that dies takes only its file with it (the file gets an ``internal-error`` problem).
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from itdocs import naming
from itdocs.archive.content import iso, report_period, type_facts
from itdocs.archive.identify import NameFacts, read_name
from itdocs.extract import DEFAULT_LIMITS, Limits, Problem, extract
from itdocs.extract.model import ExtractedDocument

WORKER_MEMORY_BYTES = 1536 * 1024 * 1024
IN_PROCESS_BELOW = 24  # files: fewer than this are read without starting a pool
Progress = Callable[[int, int], None]
_TYPE_WORDS = sorted(
    ((w, t.id) for t in naming.DOC_TYPES.values() for w in (t.name, *t.aliases)),
    key=lambda pair: -len(pair[0]),
)


@dataclass(frozen=True)
class FiledDocument:
    """One file of the archive: what it is, what went wrong reading it, the facts it holds."""

    path: str  # as shown to the user (the folder as given, joined with ``rel``)
    rel: str  # POSIX path relative to the archive folder
    format: str
    problems: tuple[Problem, ...]
    encrypted: bool
    name: NameFacts
    type_id: str | None
    type_name: str | None  # the 类型 as found: 月报附表 marks the workbook beside a monthly report
    type_source: str | None  # custom / name / content
    period: str | None  # 2026-W45, for periodic reports
    period_source: str | None
    generated: bool  # carries itdocs custom properties
    facts: dict[str, Any] = field(default_factory=dict)
    sha256: str | None = None
    title: str | None = None

    @property
    def companion(self) -> bool:
        return self.type_name == "月报附表" or (
            self.type_id == "monthly_report" and self.format == "xlsx"
        )

    @property
    def readable(self) -> bool:
        """Read well enough that a missing fact means the document lacks it."""
        return bool(self.format) and not any(
            p.code
            not in (
                "symlink",
                "content-truncated",
                "format-mismatch",
                "bad-filename",
                "pdf-signature-invalid",
            )
            for p in self.problems
        )

    def fact(self, key: str) -> Any:
        value = self.facts.get(key)
        return value[0] if isinstance(value, tuple) else value

    def place(self, key: str) -> str | None:
        value = self.facts.get(key)
        return value[1] if isinstance(value, tuple) else None


def _content_type(doc: ExtractedDocument) -> str | None:
    head = [doc.title or "", *(b.text[:60] for b in doc.text_blocks[:6])]
    for text in head:
        for word, type_id in _TYPE_WORDS:
            if len(word) >= 2 and word in text:
                return type_id
    return None


def _identify(doc: ExtractedDocument, name: NameFacts) -> tuple[str | None, str | None, str | None]:
    custom = doc.custom_properties.get("itdocs.document_type")
    if isinstance(custom, str) and custom in naming.DOC_TYPES:
        return custom, "custom", name.type_name if name.type_id == custom else None
    if name.type_id:
        return name.type_id, "name", name.type_name
    found = _content_type(doc)
    return (found, "content", None) if found else (None, None, None)


def _period(
    doc: ExtractedDocument, name: NameFacts, type_id: str | None
) -> tuple[str | None, str | None]:
    kind = naming.DOC_TYPES[type_id].period if type_id in naming.DOC_TYPES else None
    if kind is None:
        return None, None
    custom = doc.custom_properties.get("itdocs.period")
    if isinstance(custom, str) and custom:
        try:
            if naming.parse_period(custom).kind == kind:
                return custom, "custom"
        except ValueError:
            pass
    if name.precision == kind and name.period_key:
        return name.period_key, "name"
    if name.precision == "day" and name.first is not None:
        return naming.period_of(kind, name.first).key, "name"
    found = report_period(doc, kind)
    if found and naming.parse_period(found[0]).kind == kind:
        return found[0], "content"
    return None, None


def sha256_of(path: str) -> str | None:
    """SHA-256 of a regular file, without following a link; None when it cannot be read."""
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1024 * 1024):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Task:
    path: str
    rel: str
    root: str
    separator: str = "-"
    want_hash: bool = False
    limits: Limits = DEFAULT_LIMITS


def read_document(task: Task) -> FiledDocument:
    """Everything the archive check needs from one file; never raises for a bad file."""
    name = read_name(os.path.basename(task.rel), separator=task.separator)
    doc = extract(task.path, limits=task.limits, root=task.root)
    type_id, source, type_name = _identify(doc, name)
    period, period_source = _period(doc, name, type_id)
    generated = "itdocs.document_type" in doc.custom_properties
    facts = type_facts(doc, type_id, generated) if doc.format else {}
    if period and period_source != "content" and type_id in naming.DOC_TYPES:
        found = report_period(doc, naming.DOC_TYPES[type_id].period)
        if found:
            facts["content_period"] = found
    kind = doc.custom_properties.get("itdocs.kind")
    if generated and isinstance(kind, str):
        facts["custom_kind"] = kind
    if doc.core_properties.get("modified") is not None:
        facts["modified"] = (iso(doc.core_properties["modified"]), "文档属性")
    return FiledDocument(
        path=task.path,
        rel=task.rel,
        format=doc.format,
        problems=doc.problems,
        encrypted=doc.encrypted,
        name=name,
        type_id=type_id,
        type_name=type_name or (naming.DOC_TYPES[type_id].name if type_id else None),
        type_source=source,
        period=period,
        period_source=period_source,
        generated=generated,
        facts=facts,
        sha256=sha256_of(task.path) if task.want_hash else None,
        title=doc.title,
    )


def _crashed(task: Task, why: str) -> FiledDocument:
    return FiledDocument(
        path=task.path,
        rel=task.rel,
        format="",
        problems=(Problem("internal-error", f"读取进程异常终止 (the reader process died: {why})"),),
        encrypted=False,
        name=read_name(os.path.basename(task.rel), separator=task.separator),
        type_id=None,
        type_name=None,
        type_source=None,
        period=None,
        period_source=None,
        generated=False,
        sha256=sha256_of(task.path) if task.want_hash else None,
    )


def _limit_worker_memory() -> None:
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = (
            WORKER_MEMORY_BYTES
            if hard == resource.RLIM_INFINITY
            else min(hard, WORKER_MEMORY_BYTES)
        )
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):  # Windows, or a lower limit already set
        pass


def _read_chunk(tasks: Sequence[Task]) -> list[FiledDocument]:
    return [read_document(t) for t in tasks]


def read_all(
    tasks: Sequence[Task], *, jobs: int = 1, progress: Progress | None = None
) -> list[FiledDocument]:
    """Every task read, in order. ``jobs`` ≤ 1 (or a small archive) reads in this process."""
    total = len(tasks)
    if jobs <= 1 or total < IN_PROCESS_BELOW:
        out = []
        for done, task in enumerate(tasks, 1):
            out.append(read_document(task))
            if progress:
                progress(done, total)
        return out
    return _pooled(tasks, jobs=jobs, progress=progress)


def _pooled(tasks: Sequence[Task], *, jobs: int, progress: Progress | None) -> list[FiledDocument]:
    size = max(1, min(16, len(tasks) // (jobs * 8) or 1))  # small chunks: an even finish
    chunks = [list(tasks[i : i + size]) for i in range(0, len(tasks), size)]
    results: dict[int, list[FiledDocument]] = {}
    failed: list[int] = []
    done = 0
    with cf.ProcessPoolExecutor(max_workers=jobs, initializer=_limit_worker_memory) as pool:
        futures = {pool.submit(_read_chunk, chunk): i for i, chunk in enumerate(chunks)}
        for future in cf.as_completed(futures):
            index = futures[future]
            try:
                results[index] = future.result()
            except Exception:  # noqa: BLE001 - a dead worker (BrokenProcessPool) or a pickling bug
                failed.append(index)
                continue
            done += len(chunks[index])
            if progress:
                progress(done, len(tasks))
    for index in sorted(failed):  # one file at a time, each in a fresh worker: find the culprit
        out = []
        for task in chunks[index]:
            out.append(_isolated(task))
            done += 1
            if progress:
                progress(done, len(tasks))
        results[index] = out
    return [doc for i in range(len(chunks)) for doc in results[i]]


def _isolated(task: Task) -> FiledDocument:
    try:
        with cf.ProcessPoolExecutor(max_workers=1, initializer=_limit_worker_memory) as pool:
            return pool.submit(read_document, task).result()
    except Exception as exc:  # noqa: BLE001
        return _crashed(task, type(exc).__name__)
