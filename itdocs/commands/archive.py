"""Archive commands: ``seal``. Options in, library call, one line out."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from itdocs.cli import handle_errors, main


@main.command("seal")
@click.argument("folder", type=click.Path(path_type=Path), metavar="FOLDER")
@click.option(
    "--force", is_flag=True, help="Replace an existing seal (seal the folder as it is now)."
)
@handle_errors
def seal_command(folder: Path, force: bool) -> None:
    """Record a SHA-256 of every file of an archive, so later changes show.

    Writes FOLDER/.itdocs-seal/ in BagIt's tag file formats (bagit.txt, bag-info.txt,
    manifest-sha256.txt, tagmanifest-sha256.txt; paths relative to FOLDER). `itdocs check
    FOLDER` then reports every file added, removed or changed since — all of them in one run.
    The files themselves are not touched. An existing seal is kept unless --force is given;
    sealing is safe to interrupt at any moment (the folder keeps no seal, the old one, or the
    new one — never half of one).

    \b
    Examples:
      itdocs seal 归档/ERP运维外包项目/
      itdocs seal 归档/ERP运维外包项目/ --force     # after a late filing was accepted
    """
    from itdocs.archive.seal import seal
    from itdocs.errors import UsageError

    if not folder.is_dir():
        raise UsageError(
            f"不是文件夹 (not a folder): {folder}"
            if folder.exists()
            else f"文件夹不存在 (no such folder): {folder}"
        )
    result = seal(folder, force=force, today=_today())
    verb = "重新封存" if result.replaced else "已封存"
    click.echo(
        f"{verb} {result.files} 个文件（{result.bytes} 字节）→ {folder / '.itdocs-seal'} — "
        f"sealed {result.files} file(s), {result.bytes} bytes",
        err=True,
    )
    sys.exit(0)


def _today() -> dt.date:
    from itdocs.engine import today

    return today()
