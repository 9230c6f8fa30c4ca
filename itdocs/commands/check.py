"""Rule commands: ``check``, ``rules``, ``explain``. Options in, library call, reporter out."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from itdocs.checks import CHECKS, documentation
from itdocs.cli import EXIT_INPUT, handle_errors, main
from itdocs.commands.dossier import LANG_OPTION
from itdocs.engine import check as run_check
from itdocs.errors import UsageError
from itdocs.fileio import atomic_write
from itdocs.naming import ALL_KINDS
from itdocs.policy import Policy, find_policy_file, load_policy
from itdocs.reporters import REPORTER_BY_NAME


class _Date(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2026-11-21", param, ctx)


POLICY_OPTION = click.option(
    "--policy",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Policy file (default: the nearest itdocs.yaml above each checked path, else the built-in rules).",
)


def _policy_here(policy: Path | None) -> Policy:
    return load_policy(policy if policy is not None else find_policy_file(Path.cwd()))


@main.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@POLICY_OPTION
@click.option(
    "--waivers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Waivers file (default: waivers.yaml next to the policy file).",
)
@click.option("--no-waivers", is_flag=True, help="Ignore every waivers file.")
@click.option(
    "--as-of", type=_Date(), help="Check as if today were DATE (default: today in Asia/Shanghai)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTER_BY_NAME)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (replaced if it exists) instead of standard output.",
)
@click.option("-v", "--verbose", is_flag=True, help="Text format: show each finding's evidence.")
@click.option(
    "--dossier",
    type=click.Path(path_type=Path),
    help="Archives: the project's dossier; the folder's files are compared with it.",
)
@click.option(
    "--kind",
    type=click.Choice(list(ALL_KINDS)),
    help="Archives: the project's kind (default: inferred from the documents present).",
)
@click.option(
    "--project",
    metavar="NAME",
    help="Archives: the project name (default: the common 项目名称 part of the file names).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(0, 256),
    default=0,
    show_default=True,
    help="Archives: files read in parallel by N processes (0: one per CPU).",
)
@LANG_OPTION
@handle_errors
def check_command(
    paths: tuple[str, ...],
    policy: Path | None,
    waivers: Path | None,
    no_waivers: bool,
    as_of: dt.date | None,
    fmt: str,
    fail_on: str,
    output: Path | None,
    verbose: bool,
    dossier: Path | None,
    kind: str | None,
    project: str | None,
    jobs: int,
    lang: str,
) -> None:
    """Check dossiers — or folders of filed documents — against the organization's rules.

    A dossier (.yaml/.json, or a folder of them) is checked on every rule of the policy: schema,
    naming, signatures, deadlines on the Chinese working-day calendar, contract content, stage
    completeness; each finding with its rule, severity, file:line:column, pointer and evidence.

    A folder of filed documents (.docx/.xlsx/.pdf …: an archive) is read file by file — safely,
    whoever wrote them — and checked on the same rules, plus whether each file opens (file),
    hostile files and unencrypted contracts (security) and changes since `itdocs seal`
    (integrity). The project and kind are inferred (--project, --kind to say them), or taken
    from --dossier, which the files are then compared with. Findings point at the file and the
    place in it (表3 行2); the text report starts with a summary and groups findings by file.

    Exit 0 when nothing is at or above --fail-on, 1 when something is, 2 on usage or input errors.

    \b
    Examples:
      itdocs check samples/ --as-of 2026-11-21
      itdocs check 归档/ERP运维外包项目/ --format xlsx -o 检查报告.xlsx
      itdocs check 归档/ERP运维外包项目/ --dossier erp.yaml --jobs 4
      itdocs check projects/ --format sarif -o itdocs.sarif
      itdocs check erp.yaml --policy itdocs.yaml --fail-on warning -v
    """
    if waivers and no_waivers:
        raise UsageError("--waivers and --no-waivers exclude each other")
    reporter_class = REPORTER_BY_NAME[fmt]
    if reporter_class.binary and output is None and sys.stdout.isatty():
        raise UsageError(
            f"--format {fmt} 写出的是二进制文件，请用 -o 文件名 指定保存位置 "
            f"(--format {fmt} writes a binary file: give it a name with -o FILE)"
        )
    missing = [p for p in (*paths, *([dossier] if dossier else [])) if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"文件或文件夹不存在 (no such file or folder): {missing[0]}")
    from itdocs.archive.walk import DOCUMENT_SUFFIXES  # the archive reader only when checking

    documents = [
        p for p in paths if Path(p).is_file() and Path(p).suffix.lower() in DOCUMENT_SUFFIXES
    ]
    if documents:
        folder = Path(documents[0]).parent
        raise UsageError(
            f"{documents[0]} 是归档的文件，不是项目档案：请检查它所在的文件夹 itdocs check {folder} "
            f"(a filed document is checked with its folder: itdocs check {folder})"
        )
    with _progress() as progress:
        report = run_check(
            list(paths),
            policy=policy,
            waivers=False if no_waivers else waivers,
            as_of=as_of,
            lang=lang,
            dossier=dossier,
            kind=kind,
            project=project,
            jobs=jobs or (os.cpu_count() or 1),
            progress=progress,
        )
    if not report.files and not report.archives:
        raise UsageError(
            "没有找到项目档案（.yaml、.yml、.json）或归档文件（.docx、.xlsx、.pdf …） "
            "(no dossier files (.yaml, .yml, .json) and no filed documents (.docx, .xlsx, .pdf …) found in "
            + ", ".join(paths)
            + ")"
        )
    buffer: Any = io.BytesIO() if reporter_class.binary else io.StringIO()
    reporter_class(buffer, lang=lang, verbose=verbose, fail_on=fail_on).report(report)
    if output is not None:
        atomic_write(output, buffer.getvalue(), force=True)
        click.echo(f"wrote {output}", err=True)
    elif reporter_class.binary:
        sys.stdout.buffer.write(buffer.getvalue())
    else:
        click.echo(buffer.getvalue(), nl=False)
    for error in report.errors:
        if fmt not in ("text", "github"):
            click.echo(f"itdocs: error: {error}", err=True)
    sys.exit(report.exit_code(fail_on))


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on standard error while files are read — only when it is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    state: dict[str, object] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(length=total, label="读取文件 reading", file=sys.stderr)
            bar.__enter__()
            state["bar"], state["done"] = bar, 0
        bar.update(done - int(state["done"]))  # type: ignore[attr-defined]
        state["done"] = done

    try:
        yield update
    finally:
        bar = state.get("bar")
        if bar is not None:
            bar.__exit__(None, None, None)  # type: ignore[attr-defined]


@main.command("rules")
@POLICY_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@LANG_OPTION
@handle_errors
def rules_command(policy: Path | None, fmt: str, lang: str) -> None:
    """List every rule with its severity and summary (as the policy in force sets them).

    The policy is --policy, else the nearest itdocs.yaml above the current folder, else the
    built-in rules. `itdocs explain RULE` prints a rule's documentation and parameters.
    """
    merged = _policy_here(policy)
    rules = merged.rule_set()
    if fmt == "json":
        payload = {
            "version": 1,
            "policy": merged.sources,
            "rules": [
                {
                    "id": r.id,
                    "severity": r.severity,
                    "check": r.check,
                    "summary": r.summary,
                    "source": r.source,
                }
                for r in rules.values()
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    width = max(len(r) for r in rules)
    family = None
    for rule in rules.values():
        if rule.family != family:
            if family is not None:
                click.echo()
            family = rule.family
        summary = rule.summary.get(lang) or rule.summary.get("en", "")
        click.echo(f"{rule.id:<{width}}  {rule.severity:<7}  {summary}")
    click.echo(f"\n{len(rules)} rules · policy: {' → '.join(merged.sources)}", err=True)


@main.command("explain")
@click.argument("rule_id", metavar="RULE")
@POLICY_OPTION
@LANG_OPTION
@handle_errors
def explain_command(rule_id: str, policy: Path | None, lang: str) -> None:
    """Print a rule's documentation, its current parameters and its message.

    \b
    Example:
      itdocs explain deadline/kickoff-late
    """
    import difflib

    merged = _policy_here(policy)
    rules = merged.rule_set()
    rule = rules.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, list(rules), n=3)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        click.echo(
            f"itdocs: error: unknown rule {rule_id!r} — {hint}`itdocs rules` lists them all",
            err=True,
        )
        sys.exit(EXIT_INPUT)
    check = CHECKS[rule.check]
    intro, section = documentation(rule.id, check)
    summary = rule.summary.get(lang) or rule.summary.get("en", "")
    click.echo(f"{rule.id} — {summary}")
    click.echo(f"severity: {rule.severity}    check: {rule.check}    set in: {rule.source}\n")
    click.echo(section or intro)
    params = merged.check_params(rule)
    shown = {name: params.get(name) for name in (*check.reads, *check.options) if name in params}
    click.echo("\nParameters (current policy):" if shown else "\nParameters: none")
    for name, value in shown.items():
        click.echo(f"  {name}: {json.dumps(value, ensure_ascii=False)}")
    click.echo("\nMessage:")
    for language in ("zh", "en"):
        click.echo(f"  {language}: {rule.message.get(language, '')}")
    if intro and section:
        first = intro.split("\n\n", 1)[0]
        click.echo(f"\nFamily: {first}")
