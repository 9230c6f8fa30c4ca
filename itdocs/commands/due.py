"""Deadline commands: ``due`` (what is owed, as text, JSON, xlsx or iCalendar) and ``ledger``."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import click

from itdocs.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, handle_errors, main
from itdocs.commands.dossier import LANG_OPTION
from itdocs.due import DueReport, due_report, parse_days
from itdocs.due_output import write_json, write_text
from itdocs.errors import UsageError
from itdocs.fileio import atomic_write
from itdocs.validation import iter_dossier_files

POLICY_OPTION = click.option(
    "--policy",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Policy file (default: the nearest itdocs.yaml above each dossier, else the built-in rules).",
)
AS_OF_OPTION = click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="As if today were DATE, YYYY-MM-DD (default: today in Asia/Shanghai).",
)


def _as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"--as-of {value!r} is not a date; write YYYY-MM-DD, e.g. 2026-11-21"
        ) from None


def _check_inputs(paths: tuple[str, ...], policy: Path | None) -> None:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"文件或文件夹不存在 (no such file or folder): {', '.join(missing)}")
    if policy is not None and not policy.is_file():
        raise UsageError(f"--policy {policy}: 策略文件不存在 (policy file not found)")


def _report(
    paths: tuple[str, ...], *, as_of: str | None, within: str, policy: Path | None
) -> DueReport:
    _check_inputs(paths, policy)
    report = due_report(list(paths), as_of=_as_of(as_of), within=parse_days(within), policy=policy)
    if not report.files:
        raise UsageError(
            "没有找到项目档案 (no dossier files (.yaml, .yml, .json) found in "
            + ", ".join(paths)
            + ")"
        )
    return report


def _errors(report: DueReport) -> None:
    for error in report.errors:
        click.echo(f"itdocs: error: {error}", err=True)


@main.command("due")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--within",
    default="14d",
    show_default=True,
    metavar="SPAN",
    help="Show what falls due within SPAN (14d, 2w, 30); overdue items always show. "
    "all: everything owed, with the next report of each kind.",
)
@AS_OF_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "xlsx"]),
    default="text",
    show_default=True,
    help="Output format; xlsx needs -o.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (replaced if it exists) instead of standard output.",
)
@click.option(
    "--ics",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write an iCalendar file (.ics, replaced if it exists) to import or subscribe to.",
)
@click.option(
    "--remind",
    default="3d",
    show_default=True,
    metavar="SPAN",
    help="Calendar reminder SPAN ahead (3d, 1w, 0 or none): 09:00 local time for a due day.",
)
@POLICY_OPTION
@click.option(
    "-v", "--verbose", is_flag=True, help="Text format: show each item's rule, source and calendar."
)
@LANG_OPTION
@handle_errors
def due_command(
    paths: tuple[str, ...],
    within: str,
    as_of: str | None,
    fmt: str,
    output: Path | None,
    ics: Path | None,
    remind: str,
    policy: Path | None,
    verbose: bool,
    lang: str,
) -> None:
    """List what dossiers owe: overdue first, then by due date.

    Reports per period (weekly, monthly, quarterly), the kickoff meeting, minutes, resolutions,
    mid-term reviews, emergency explanations, contract expiry and the notice of non-renewal of an
    auto-renewing contract, each with its project, due date and why the date moved (a statutory
    holiday or weekend; make-up working days 调休 count as working days). Items in their warning
    period (a contract expiring within the policy's 30 days) show whatever --within says.

    Exit 0 when nothing is overdue, 1 when something is, 2 on usage or input errors (a file
    that cannot be read: the others are still listed).

    \b
    Examples:
      itdocs due samples/ --as-of 2026-11-21
      itdocs due projects/ --within 30d --ics deadlines.ics --remind 2d
      itdocs due erp.yaml --format xlsx -o 期限清单.xlsx
    """
    remind_days = parse_days(remind, option="--remind")
    if fmt == "xlsx" and output is None:
        raise UsageError("--format xlsx needs -o FILE.xlsx")
    for target, suffix in ((output, ".xlsx" if fmt == "xlsx" else None), (ics, ".ics")):
        if target is not None and suffix and target.suffix.lower() != suffix:
            raise UsageError(f"{target}: the file must end in {suffix}")
    report = _report(paths, as_of=as_of, within=within, policy=policy)
    if fmt == "xlsx":
        from itdocs.ledger_xlsx import deadlines_workbook

        atomic_write(output, deadlines_workbook(report), force=True)
        click.echo(f"wrote {output} ({len(report.items)} item(s))", err=True)
    else:
        buffer = io.StringIO()
        (
            write_json(report, buffer)
            if fmt == "json"
            else write_text(report, buffer, lang=lang, verbose=verbose)
        )
        if output is not None:
            atomic_write(output, buffer.getvalue(), force=True)
            click.echo(f"wrote {output}", err=True)
        else:
            click.echo(buffer.getvalue(), nl=False)
    if ics is not None:
        from itdocs.ics import to_ical

        atomic_write(
            ics,
            to_ical(report.items, as_of=report.as_of, remind_days=remind_days, lang=lang),
            force=True,
        )
        click.echo(f"wrote {ics} ({len(report.items)} event(s))", err=True)
    _errors(report)
    if report.errors:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if report.overdue else EXIT_CLEAN)


@main.command("ledger")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The workbook to write, e.g. 项目台账.xlsx.",
)
@AS_OF_OPTION
@click.option(
    "--within",
    default="30d",
    show_default=True,
    metavar="SPAN",
    help="The deadlines sheet lists what falls due within SPAN (and everything overdue).",
)
@POLICY_OPTION
@click.option("--force", is_flag=True, help="Replace the workbook if it exists.")
@handle_errors
def ledger_command(
    paths: tuple[str, ...],
    output: Path,
    as_of: str | None,
    within: str,
    policy: Path | None,
    force: bool,
) -> None:
    """Write the project ledger (项目台账.xlsx) of dossier files and folders.

    Sheet 项目台账: one row per project with kind, department, supplier, contract amount,
    signing date, term, renewal, status, stage, next deadline, overdue items and open findings
    of `itdocs check` by severity. Sheet 期限清单: every overdue item and every one due within
    --within. Frozen header, filters, dates and amounts as real cells.

    Exit 0 when written, 2 on usage or input errors (an unreadable dossier gets a row saying so).

    \b
    Example:
      itdocs ledger samples/ -o 项目台账.xlsx --as-of 2026-11-21
    """
    from itdocs.ledger import write_ledger

    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"{output}: the ledger must end in .xlsx")
    _check_inputs(paths, policy)
    if next(iter_dossier_files(paths), None) is None:
        raise UsageError(
            "没有找到项目档案 (no dossier files (.yaml, .yml, .json) found in "
            + ", ".join(paths)
            + ")"
        )
    ledger = write_ledger(
        list(paths),
        output,
        as_of=_as_of(as_of),
        within=parse_days(within),
        policy=policy,
        force=force,
    )
    overdue = sum(row.overdue for row in ledger.rows)
    click.echo(
        f"wrote {output}: {len(ledger.rows)} 个项目，逾期 {overdue} 项，期限清单 {len(ledger.deadlines.items)} 项"
        f"（截至 {ledger.as_of}）",
        err=True,
    )
    _errors(ledger.deadlines)
    sys.exit(EXIT_INPUT if ledger.errors else EXIT_CLEAN)
