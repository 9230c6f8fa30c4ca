"""Generation commands: ``generate`` and ``templates export|list``.

itdocs.generator (docxtpl, openpyxl) is imported when ``generate`` runs, not when the CLI starts,
so ``itdocs validate`` does not pay for it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import click

from itdocs import resources
from itdocs.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, handle_errors, main
from itdocs.errors import printable
from itdocs.fileio import FileExists, atomic_write
from itdocs.naming import DOC_TYPES
from itdocs.plan import TEMPLATES
from itdocs.policy import load_policy

if TYPE_CHECKING:
    from itdocs.generator import GenerateResult, InvalidDossier


@main.command("generate")
@click.argument("dossier", type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the documents into (created if missing).",
)
@click.option(
    "--only",
    multiple=True,
    metavar="TYPE",
    help="Only these document types (repeat or comma-separate), e.g. contract,weekly_report.",
)
@click.option(
    "--period",
    metavar="PERIOD",
    help="Only the report of this period: 2026-W47, 2026-10 or 2026-Q3.",
)
@click.option(
    "--pdf", is_flag=True, help="Also convert each written file to PDF (needs LibreOffice)."
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace files that already exist (default: leave them, report them).",
)
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of .docx templates replacing the built-in ones by name (see `itdocs templates export`).",
)
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Policy file (itdocs.yaml) with the naming pattern, approval chain, weights …",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Dossiers generated in parallel (and LibreOffice workers for --pdf); 0: one per CPU.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary.")
@handle_errors
def generate_command(
    dossier: Path,
    out_dir: Path,
    only: tuple[str, ...],
    period: str | None,
    pdf: bool,
    force: bool,
    templates_dir: Path | None,
    policy_file: Path | None,
    fmt: str,
    jobs: int,
    quiet: bool,
) -> None:
    """Write every document of a dossier (or of each dossier in a folder) into OUTPUT.

    Word (.docx) and Excel (.xlsx) files named 项目名称-日期-类型, one per periodic report, meeting
    and change. Existing files are never replaced without --force. An invalid dossier is refused
    with its schema errors. A folder of dossiers gives one subfolder per project id.

    \b
    Types: requirement_form approval_sheet supplier_evaluation service_scheme contract
           kickoff_minutes meeting_minutes weekly_report monthly_report quarterly_report
           change_request acceptance_report performance_evaluation risk_register trial_run_report
    A folder of dossiers is a batch: --jobs N generates N at once (the files are the same for
    any N), a progress bar shows on a terminal, and a dossier that fails is listed with its
    error while the others are still written.

    \b
    Exit codes: 0 every document written (or already there)
                1 nothing matched --only/--period
                2 an input or output error: an invalid dossier, a template or PDF that
                  failed — in a batch, the other dossiers' files are still written
    \b
    Examples:
      itdocs generate samples/procurement-erp-ops.yaml -o out/
      itdocs generate project.yaml -o out/ --only weekly_report --period 2026-W47
      itdocs generate dossiers/ -o filed/ --jobs 4 --pdf
    """
    from itdocs.generator import InvalidDossier, generate

    started = time.perf_counter()
    policy = load_policy(policy_file) if policy_file else None
    bars = _ProgressBars(enabled=fmt == "text" and not quiet and _stderr_is_terminal())
    try:
        result = generate(
            dossier,
            out_dir,
            only=list(only) or None,
            period=period,
            pdf=pdf,
            force=force,
            templates=templates_dir,
            policy=policy,
            jobs=jobs or os.cpu_count() or 1,
            progress=bars.update,
        )
    except InvalidDossier as exc:
        bars.close()
        _print_invalid(exc)
        sys.exit(EXIT_INPUT)
    bars.close()
    elapsed = time.perf_counter() - started
    if fmt == "json":
        click.echo(json.dumps(_as_json(result, elapsed), ensure_ascii=False, indent=2))
    else:
        _print_text(result, elapsed, quiet=quiet)
    if result.errors:
        sys.exit(EXIT_INPUT)
    if not result.written and not result.skipped and not result.pdfs:
        click.echo(
            "itdocs: nothing matched: no document of that type/period in the dossier "
            "(没有符合条件的文档)",
            err=True,
        )
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


def _stderr_is_terminal() -> bool:
    return sys.stderr is not None and sys.stderr.isatty()


class _ProgressBars:
    """One progress bar per stage (dossiers, then PDFs) on stderr, only on a terminal."""

    LABELS: ClassVar[dict[str, str]] = {"generate": "档案 dossiers", "pdf": "PDF"}

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.stage: str | None = None
        self.bar: Any = None
        self.shown = 0

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= 1:
            return
        if stage != self.stage:
            self.close()
            self.stage, self.shown = stage, 0
            self.bar = click.progressbar(
                length=total, label=self.LABELS.get(stage, stage), file=sys.stderr, show_pos=True
            )
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _print_invalid(exc: InvalidDossier) -> None:
    for finding in exc.findings:
        loc = finding.location
        where = f"{finding.file}:{loc.line}:{loc.column}" if loc.line else finding.file
        click.echo(
            printable(f"{where}: {loc.pointer or '/'}: {finding.message} [{finding.rule}]"),
            err=True,
        )
    click.echo(
        f"itdocs: error: {exc.file}: 档案未通过校验，未生成任何文档 "
        f"(invalid dossier: {len(exc.findings)} error(s), nothing generated)",
        err=True,
    )


def _print_text(result: GenerateResult, elapsed: float, *, quiet: bool) -> None:
    from itdocs.generator import InvalidDossier

    if not quiet:
        for item in result.written:
            click.echo(f"wrote {item.path}")
        for path in result.pdfs:
            click.echo(f"wrote {path}")
    if not quiet:  # with -q the summary line counts them
        for path in result.skipped:
            click.echo(f"skipped {path} (已存在，未覆盖 exists; use --force to replace)", err=True)
    for dossier, type_id, reason in result.omitted:
        if not quiet:
            click.echo(
                f"not generated: {DOC_TYPES[type_id].name} ({type_id}) — {reason} [{dossier}]",
                err=True,
            )
    for error in result.errors:
        if isinstance(error, InvalidDossier):
            _print_invalid(error)
        else:
            click.echo(f"itdocs: error: {error}", err=True)
    if result.dossiers > 1:
        for dossier, folder, written in result.folders:
            click.echo(f"{dossier} → {folder}/ ({written} 个文档 document(s))", err=True)
        if result.errors:
            failed = sorted({str(e.file) for e in result.errors if e.file})
            click.echo(
                f"{len(failed)} 个档案有错误 dossier(s) with errors (the others were written):"
                + "".join(f"\n  ✗ {name}" for name in failed),
                err=True,
            )
    count = len(result.written)
    per_doc = f"，平均每份 {elapsed / count:.2f} 秒" if count else ""
    click.echo(
        f"{count} 个文档已写入 {result.out_dir}"
        + (f"，另有 {len(result.pdfs)} 个 PDF" if result.pdfs else "")
        + (f"，{len(result.skipped)} 个已存在未覆盖" if result.skipped else "")
        + (f"，{len(result.errors)} 个错误" if result.errors else "")
        + f"（用时 {elapsed:.1f} 秒{per_doc}）"
        + f" — {count} document(s) written to {result.out_dir}/",
        err=True,
    )


def _as_json(result: GenerateResult, elapsed: float) -> dict[str, object]:
    return {
        "version": 1,
        "out_dir": str(result.out_dir),
        "written": [
            {"path": str(f.path), "type": f.doc_type, "period": f.period} for f in result.written
        ],
        "pdfs": [str(p) for p in result.pdfs],
        "skipped": [str(p) for p in result.skipped],
        "omitted": [{"dossier": d, "type": t, "reason": r} for d, t, r in result.omitted],
        "errors": [str(e) for e in result.errors],
        "seconds": round(elapsed, 3),
    }


@main.group("templates")
def templates_group() -> None:
    """The Word templates documents are rendered from (docxtpl syntax)."""


@templates_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace templates that already exist in DIRECTORY.")
@handle_errors
def export_command(directory: Path, force: bool) -> None:
    """Copy the built-in templates into DIRECTORY to adapt them in Word or WPS.

    Then pass --templates DIRECTORY to `itdocs generate`; a template missing there falls back to the
    built-in one. A template may also be named after one type (weekly_report.docx) to override the
    shared periodic_report.docx for that type only.
    """
    written = 0
    for name in resources.template_names((".docx",)):
        try:
            atomic_write(directory / name, resources.template_file(name).read_bytes(), force=force)
            click.echo(f"wrote {directory / name}")
            written += 1
        except FileExists:
            click.echo(f"skipped {directory / name} (exists; use --force to replace)", err=True)
    click.echo(
        f"{written} template(s) exported; edit them and run: itdocs generate DOSSIER -o OUT "
        f"--templates {directory}",
        err=True,
    )


@templates_group.command("list")
def list_command() -> None:
    """Show each built-in template and the document types rendered from it."""
    by_template: dict[str, list[str]] = {}
    for type_id, template in TEMPLATES.items():
        by_template.setdefault(template, []).append(f"{type_id} ({DOC_TYPES[type_id].name})")
    for name in resources.template_names((".docx",)):
        click.echo(f"{name}: {', '.join(by_template.get(name, ['—']))}")
