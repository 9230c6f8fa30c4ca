"""``generate``: every document of a dossier, written safely into one folder.

- The dossier must be valid against the schema: an invalid one is refused with its schema errors
  (``InvalidDossier``), never rendered into half-filled paperwork.
- Each file is rendered, stamped with its properties (itdocs.docprops) and written atomically; an
  existing file is skipped unless ``force`` (and the result says so), and nothing is ever written
  outside ``out_dir`` whatever the project is called.
- The same dossier gives byte-identical files: no clock is read anywhere.

``generate(folder, out)`` handles every dossier in the folder, each into ``out/<project id>/``;
there a dossier that cannot be read is reported in ``errors`` and the others still go ahead.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itdocs import __version__, batch, docprops, fastrender, naming, pdfpool, workbooks
from itdocs import pdf as pdf_module
from itdocs.context import label
from itdocs.documents import base_view, document_context
from itdocs.errors import ConversionError, InputError, ItdocsError, OutputError
from itdocs.fileio import FileExists, atomic_write, sweep_once
from itdocs.findings import Finding
from itdocs.loader import load
from itdocs.plan import PlannedDocument, check_period, parse_only, plan_documents
from itdocs.policy import Policy, load_policy
from itdocs.render import TemplateSet
from itdocs.validation import iter_dossier_files, schema_findings

Progress = Callable[[str, int, int], None]
KINDS = ("procurement", "affiliation", "informatization", "outsourcing", "improvement")


class InvalidDossier(InputError):
    """The dossier does not pass the schema; ``findings`` holds every error."""

    def __init__(self, findings: list[Finding], *, file: str) -> None:
        first = findings[0]
        more = f"（另有 {len(findings) - 1} 处）" if len(findings) > 1 else ""
        super().__init__(
            f"档案未通过校验，不生成文档 (invalid dossier, nothing generated): {first.message}{more}",
            file=file,
            line=first.location.line,
            column=first.location.column,
            pointer=first.location.pointer,
            hint=f"run: itdocs validate {file}",
        )
        self.findings = findings

    def __reduce__(self) -> tuple[Any, ...]:  # back from a worker process whole
        return (_invalid_dossier, (self.findings, self.file))


def _invalid_dossier(findings: list[Finding], file: str) -> InvalidDossier:
    return InvalidDossier(findings, file=file)


@dataclass(frozen=True)
class GeneratedFile:
    path: Path
    doc_type: str
    period: str | None
    seconds: float


@dataclass
class GenerateResult:
    """What a run did: files written, files left alone, documents not due yet, errors."""

    out_dir: Path
    written: list[GeneratedFile] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # existed; not overwritten without force
    omitted: list[tuple[str, str, str]] = field(default_factory=list)  # (dossier, type id, reason)
    errors: list[ItdocsError] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    dossiers: int = 0
    folders: list[tuple[str, Path, int]] = field(
        default_factory=list
    )  # (dossier, its folder, files)

    @property
    def ok(self) -> bool:
        return not self.errors

    def extend(self, other: GenerateResult) -> None:
        self.written += other.written
        self.skipped += other.skipped
        self.omitted += other.omitted
        self.errors += other.errors
        self.pdfs += other.pdfs
        self.dossiers += other.dossiers
        self.folders += other.folders


def generate(
    dossier_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    only: str | Iterable[str] | None = None,
    period: str | None = None,
    pdf: bool = False,
    force: bool = False,
    templates: str | os.PathLike[str] | None = None,
    policy: Policy | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> GenerateResult:
    """Write the documents of one dossier (or of every dossier in a folder) into ``out_dir``.

    ``only``: type ids (``contract``, ``weekly_report`` …); ``period``: ``2026-W47`` / ``2026-10`` /
    ``2026-Q3``; ``pdf``: also a PDF of each written file (LibreOffice); ``templates``: a folder of
    .docx templates that replace the built-in ones by file name. ``jobs``: dossiers generated in
    parallel processes (and LibreOffice workers for ``pdf``); the files are the same for any
    ``jobs``. ``progress(stage, done, total)`` is called as each dossier ("generate") and each
    PDF ("pdf") is done.
    """
    wanted, when = parse_only(only), check_period(period)
    policy = policy or load_policy()
    template_set = TemplateSet(templates)
    source, out = Path(dossier_path), Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(
            "输出位置是文件，不是文件夹 (output is a file, not a folder)", file=str(out)
        )
    if pdf and pdf_module.find_soffice() is None:  # before writing anything
        raise ConversionError(
            "找不到 LibreOffice (soffice not found)", hint=pdf_module.INSTALL_HINT
        )
    job = _Job(wanted, when, force, template_set, policy)
    report = progress or (lambda stage, done, total: None)
    if source.is_dir():
        result = _generate_many(job, list(iter_dossier_files([source])), out, jobs, report)
    else:
        result = job.run(source, out)
    if pdf and result.written:
        add_pdfs(result, force=force, workers=jobs, progress=report)
    return result


def _generate_many(
    job: _Job, paths: list[Path], out: Path, jobs: int, progress: Progress
) -> GenerateResult:
    """Each dossier into ``out/<project id>/``; folder names are settled before any is written,
    in the folder's order, so the result is the same whatever ``jobs`` is."""
    names = batch.map_ordered(_folder_name, paths, shared=None, jobs=jobs)
    folders: set[str] = set()
    targets = []
    for path, name in zip(paths, names):
        folder = name.value or naming.sanitize(path.stem).lstrip(".") or "_"
        unique, n = folder, 2
        while unique.casefold() in folders:  # two dossiers with one project id stay apart
            unique, n = f"{folder}（{n}）", n + 1
        folders.add(unique.casefold())
        targets.append((path, out / unique))
    done = 0

    def tick(index: int) -> None:
        nonlocal done
        done += 1
        progress("generate", done, len(targets))

    result = GenerateResult(out)
    for outcome in batch.map_ordered(
        _run_job, targets, shared=job, jobs=jobs, label=lambda t: str(t[0]), on_done=tick
    ):
        if outcome.value is not None:
            result.extend(outcome.value)
        else:
            result.errors.append(outcome.error)  # type: ignore[arg-type]
            result.dossiers += 1
    return result


def _folder_name(_: None, path: Path) -> str | None:
    try:
        data = load(path).data
    except ItdocsError:
        return None
    project_id = (data.get("project") or {}).get("id") if isinstance(data, dict) else None
    return naming.sanitize(str(project_id or path.stem)).lstrip(".") or "_"


def _run_job(job: _Job, target: tuple[Path, Path]) -> GenerateResult:
    return job.run(*target)


@dataclass
class _Job:
    only: set[str] | None
    period: naming.Period | None
    force: bool
    templates: TemplateSet
    policy: Policy

    def run(self, path: Path, out: Path) -> GenerateResult:
        document = load(path)
        findings = schema_findings(document)
        if findings:
            raise InvalidDossier(findings, file=str(path))
        data = document.data
        plan = plan_documents(data, policy=self.policy, only=self.only, period=self.period)
        result = GenerateResult(out, dossiers=1)
        result.omitted = [(str(path), type_id, reason) for type_id, reason in plan.omitted]
        base = base_view(data, policy=self.policy)
        sweep_once(out)  # temp files of a run killed while writing here
        for doc in plan.documents:
            target = safe_target(out, doc.filename)
            if target.exists() and not self.force:
                result.skipped.append(target)
                continue
            started = time.perf_counter()
            try:
                payload = self.render(doc, data, base, sha256=document.sha256, source=path)
                atomic_write(target, payload, force=self.force)
            except FileExists:
                result.skipped.append(target)
                continue
            except ItdocsError as exc:
                if exc.file is None:
                    exc.file = str(path)
                result.errors.append(exc)
                continue
            result.written.append(
                GeneratedFile(
                    target,
                    doc.doc_type.id,
                    doc.period.key if doc.period else None,
                    time.perf_counter() - started,
                )
            )
        result.folders = [(str(path), out, len(result.written))]
        return result

    def render(
        self,
        doc: PlannedDocument,
        data: Mapping[str, Any],
        base: Mapping[str, Any],
        *,
        sha256: str,
        source: Path,
    ) -> bytes:
        ctx = document_context(doc, data, base, policy=self.policy)
        props = properties(doc, data, sha256=sha256, source=source)
        if doc.suffix == ".docx":
            alternatives = (
                (f"{doc.doc_type.id}.docx",) if doc.template != f"{doc.doc_type.id}.docx" else ()
            )
            template = self.templates.source(doc.template or "", alternatives=alternatives)
            return fastrender.render_package(template, ctx, **props)
        package = WORKBOOKS[doc.doc_type.id](data, ctx, self.policy, doc)
        return docprops.finalize(package, **props)


WORKBOOKS: dict[
    str, Callable[[Mapping[str, Any], Mapping[str, Any], Policy, PlannedDocument], bytes]
] = {
    "supplier_evaluation": lambda data, ctx, policy, doc: workbooks.supplier_evaluation(
        data, ctx, policy
    ),
    "risk_register": lambda data, ctx, policy, doc: workbooks.risk_register(data, ctx, policy),
    "performance_evaluation": lambda data, ctx, policy, doc: workbooks.performance_evaluation(
        data, ctx, policy
    ),
    "monthly_report": lambda data, ctx, policy, doc: workbooks.monthly_kpis(
        data, ctx, policy, index=doc.index or 0
    ),
}


def properties(
    doc: PlannedDocument, data: Mapping[str, Any], *, sha256: str, source: Path
) -> dict[str, Any]:
    """Core and custom properties, with times from the document's own date (never the clock):
    the keyword arguments of ``docprops.finalize`` and ``fastrender.render_package``."""
    project = data["project"]
    moment = dt.datetime.combine(doc.date, dt.time(0, 0), tzinfo=dt.timezone.utc)
    core = docprops.core_xml(
        title=f"{project['name']} {doc.type_name}",
        subject=doc.type_name,
        creator=project.get("manager", ""),
        keywords=project["id"],
        category=label(KINDS, data["kind"]),
        description=f"由 itdocs {__version__} 根据项目档案 {source.name} 生成",
        moment=moment,
    )
    custom = {
        "project_id": project["id"],
        "kind": data["kind"],
        "document_type": doc.doc_type.id,
        "period": doc.period.key if doc.period else "",
        "dossier_sha256": sha256,
        "generator_version": __version__,
        "dossier_file": source.name,
    }
    return {"custom": custom, "core": core, "moment": moment}


def safe_target(out: Path, filename: str) -> Path:
    """``out/filename``, refusing any name that could land elsewhere (separators, .., drive letters)."""
    if (
        not filename
        or filename in (".", "..")
        or Path(filename).name != filename
        or any(sep in filename for sep in ("/", "\\", ":", "\x00"))
    ):
        raise OutputError(f"不安全的文件名 (unsafe file name): {filename!r}", file=str(out))
    target = out / filename
    if target.resolve().parent != out.resolve():
        raise OutputError(
            f"文件名指向输出目录之外 (name escapes the output folder): {filename!r}", file=str(out)
        )
    return target


def add_pdfs(result: GenerateResult, *, force: bool, workers: int, progress: Progress) -> None:
    """A PDF beside each written file, from a pool of LibreOffice workers (itdocs.pdfpool).

    Each PDF is made in a scratch folder and moved in atomically; an existing one is kept unless
    ``force``. A file that cannot be converted is an error in ``result``, the others go on.
    """
    files = [f.path for f in result.written]
    wanted = [f for f in files if force or not f.with_suffix(".pdf").exists()]
    result.skipped += [f.with_suffix(".pdf") for f in files if f not in wanted]
    scratch = {f.parent: f.parent / f".itdocs-pdf-{os.getpid()}" for f in wanted}
    done = 0

    def tick(_: pdfpool.Outcome) -> None:
        nonlocal done
        done += 1
        progress("pdf", done, len(wanted))

    try:
        for folder in scratch.values():
            folder.mkdir(parents=True, exist_ok=True)
        jobs = [(f, scratch[f.parent] / (f.stem + ".pdf")) for f in wanted]
        with pdfpool.PdfPool(max(1, min(workers, len(jobs)))) as pool:
            outcomes = pool.convert(jobs, progress=tick)
        for outcome in outcomes:
            if outcome.pdf is None:
                result.errors.append(outcome.error)  # type: ignore[arg-type]
                continue
            target = outcome.source.with_suffix(".pdf")
            try:
                atomic_write(target, outcome.pdf.read_bytes(), force=force)
                result.pdfs.append(target)
            except FileExists:
                result.skipped.append(target)
    finally:
        for folder in scratch.values():
            shutil.rmtree(folder, ignore_errors=True)
