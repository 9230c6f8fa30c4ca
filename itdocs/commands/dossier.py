"""Dossier commands: ``validate``, ``init``, ``schema``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from itdocs import resources, starter
from itdocs.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, handle_errors, main
from itdocs.errors import printable
from itdocs.fileio import atomic_write
from itdocs.validation import validate

LANG_OPTION = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
    help="Language of the messages: zh 中文, en English.",
)


@main.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@LANG_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors, no summary.")
@handle_errors
def validate_command(paths: tuple[str, ...], lang: str, fmt: str, quiet: bool) -> None:
    """Check dossiers (.yaml/.yml/.json files, or folders of them) against the schema.

    Every error is shown with file:line:column, the JSON pointer and what to fix.
    Exit 0 all valid, 1 some invalid, 2 a file could not be read.

    \b
    Example:
      itdocs validate samples/
      itdocs validate project.yaml --lang en
    """
    results = validate(list(paths), lang=lang)
    if not results:
        click.echo("itdocs: error: 没有找到项目档案 (no dossier files (.yaml, .yml, .json) found in "
                   + ", ".join(paths) + ")", err=True)
        sys.exit(EXIT_INPUT)
    unreadable = [r for r in results if r.error]
    invalid = [r for r in results if r.findings]
    if fmt == "json":
        payload = {
            "version": 1,
            "files": [
                {
                    "file": r.file,
                    "valid": r.ok,
                    "error": str(r.error) if r.error else None,
                    "findings": [f.to_dict() for f in r.findings],
                }
                for r in results
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for result in results:
            if result.error:
                click.echo(f"{result.error}", err=False)
            for finding in result.findings:
                loc = finding.location
                where = f"{finding.file}:{loc.line}:{loc.column}" if loc.line else finding.file
                click.echo(printable(f"{where}: {loc.pointer or '/'}: {finding.message} [{finding.rule}]"))
        if not quiet:
            errors = sum(len(r.findings) for r in results)
            zh = lang == "zh"
            summary = (
                f"{len(results)} 个文件：{len(results) - len(invalid) - len(unreadable)} 个有效，"
                f"{len(invalid)} 个无效（共 {errors} 处错误），{len(unreadable)} 个无法读取"
                if zh else
                f"{len(results)} file(s): {len(results) - len(invalid) - len(unreadable)} valid, "
                f"{len(invalid)} invalid ({errors} error(s)), {len(unreadable)} unreadable"
            )
            click.echo(summary, err=True)
    if unreadable:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if invalid else EXIT_CLEAN)


@main.command("init")
@click.argument("kind", type=click.Choice(starter.KINDS))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Dossier file to write (.yaml, .yml or .json).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option("--schema-ref", default=starter.SCHEMA_URL, show_default=True,
              help="Schema location written into the file for editors (a URL or a relative path).")
@handle_errors
def init_command(kind: str, output: Path, force: bool, schema_ref: str) -> None:
    """Write a starter dossier of KIND that validates, with TODO markers to fill in.

    \b
    KIND: procurement 信息技术服务采购 · affiliation 项目挂靠 · informatization 两化服务
          outsourcing 信息技术外包 · improvement IT服务管理流程改进
    """
    suffix = output.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise click.UsageError(f"{output}: the dossier must end in .yaml, .yml or .json")
    text = starter.render(starter.starter(kind), fmt="json" if suffix == ".json" else "yaml",
                          schema_ref=schema_ref)
    atomic_write(output, text, force=force)
    click.echo(f"wrote {output} ({kind}); fill in every TODO, then run: itdocs validate {output}")


@main.command("schema")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@handle_errors
def schema_command(output: Path | None, force: bool) -> None:
    """Print the dossier JSON Schema (2020-12) for editors and other tools."""
    text = resources.schema_text()
    if output:
        atomic_write(output, text, force=force)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
