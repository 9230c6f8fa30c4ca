"""The itdocs command line: parse options, call the library, print, exit 0/1/2.

Exit codes everywhere: 0 clean, 1 findings, 2 usage or input error.
"""
from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from itdocs import __version__
from itdocs.errors import ItdocsError, printable

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def fail(message: str) -> None:
    click.echo(f"itdocs: error: {printable(message, keep_newlines=True)}", err=True)
    sys.exit(EXIT_INPUT)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every ItdocsError (and any stray OSError) into one clear line and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ItdocsError as exc:
            fail(str(exc))
        except BrokenPipeError:
            _quiet_broken_pipe()
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            fail(f"{where}{exc.strerror or exc}")
        except KeyboardInterrupt:
            click.echo("itdocs: interrupted", err=True)
            sys.exit(130)

    return wrapper


def _quiet_broken_pipe() -> None:
    """The reader went away (``itdocs rules | head``): stop quietly, as shell tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(141)


class _Group(click.Group):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        # click's own usage errors exit 2 already; make sure nothing else escapes as a traceback.
        try:
            return super().main(*args, **kwargs)
        except RecursionError:
            fail("input nested too deeply")
        except BrokenPipeError:
            _quiet_broken_pipe()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="itdocs")
def main() -> None:
    """itdocs — IT 项目档案 → 文档生成与合规检查。

    Turn IT-project dossiers (项目档案, YAML/JSON) into the Word and Excel paperwork a Chinese
    enterprise files, and check dossiers and filed documents against the organization's rules.

    Exit codes: 0 clean, 1 findings, 2 usage or input error.
    """


def _register() -> None:
    from itdocs import commands  # noqa: F401  (registers the commands on ``main``)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
