"""Rule commands: ``check``, ``rules``, ``explain``. Options in, library call, reporter out."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from itdocs.checks import CHECKS, documentation
from itdocs.cli import EXIT_INPUT, handle_errors, main
from itdocs.commands.dossier import LANG_OPTION
from itdocs.engine import check as run_check
from itdocs.errors import UsageError
from itdocs.fileio import atomic_write
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
    lang: str,
) -> None:
    """Check dossiers (files or folders) against the organization's rules.

    Runs every rule of the policy — schema, naming, signatures, deadlines on the Chinese
    working-day calendar, contract content, stage completeness — and reports each finding with
    its rule, severity, file:line:column, JSON pointer and evidence.

    Exit 0 when nothing is at or above --fail-on, 1 when something is, 2 on usage or input errors.

    \b
    Examples:
      itdocs check samples/ --as-of 2026-11-21
      itdocs check projects/ --format sarif -o itdocs.sarif
      itdocs check erp.yaml --policy itdocs.yaml --fail-on warning -v
    """
    if waivers and no_waivers:
        raise UsageError("--waivers and --no-waivers exclude each other")
    report = run_check(
        list(paths), policy=policy, waivers=False if no_waivers else waivers, as_of=as_of, lang=lang
    )
    if not report.files:
        raise UsageError("no dossier files (.yaml, .yml, .json) found in " + ", ".join(paths))
    reporter_class = REPORTER_BY_NAME[fmt]
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
