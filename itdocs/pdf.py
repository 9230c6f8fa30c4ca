"""PDF copies with LibreOffice headless, looking like the Word files.

``soffice --headless --convert-to pdf`` converts a batch of files in one start (starting LibreOffice
costs seconds; converting a form costs a fraction of one); itdocs.pdfpool, which ``generate --pdf``
uses, keeps LibreOffice running instead and falls back to this when no Python can drive it. Each
process gets its own LibreOffice user profile (``-env:UserInstallation``) so parallel workers
never fight over a profile lock, and a
fontconfig file that maps the fonts the templates name to the CJK faces installed on Linux:
宋体/SimSun/仿宋/楷体 → Noto Serif CJK SC, 黑体/SimHei/微软雅黑/等线 → Noto Sans CJK SC. Latin text
(Times New Roman, Arial) falls to fontconfig's own metric aliases, Liberation Serif/Sans when
installed, so lines break where they do in Word. Debian/Ubuntu:
``apt-get install libreoffice-writer libreoffice-calc fonts-noto-cjk fonts-liberation2``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from itdocs.errors import ConversionError

TIMEOUT_SECONDS = 180  # per batch: a cold start plus a few seconds per document
SERIF = (
    "宋体",
    "SimSun",
    "新宋体",
    "NSimSun",
    "仿宋",
    "FangSong",
    "仿宋_GB2312",
    "楷体",
    "KaiTi",
    "楷体_GB2312",
    "方正小标宋简体",
    "华文中宋",
    "STSong",
    "SimSun-ExtB",
)
SANS = ("黑体", "SimHei", "微软雅黑", "Microsoft YaHei", "等线", "DengXian", "华文细黑", "STHeiti")
INSTALL_HINT = (
    "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer libreoffice-calc "
    "fonts-noto-cjk fonts-liberation2), or set ITDOCS_SOFFICE to the soffice binary"
)


def find_soffice() -> str | None:
    """The LibreOffice binary: $ITDOCS_SOFFICE, then soffice/libreoffice on PATH, then the usual places."""
    explicit = os.environ.get("ITDOCS_SOFFICE")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (
        "/usr/lib/libreoffice/program/soffice",
        "/opt/libreoffice/program/soffice",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        r"C:\Program Files\LibreOffice\program\soffice.exe",
    ):
        if Path(candidate).is_file():
            return candidate
    return None


def fonts_conf(serif: str = "Noto Serif CJK SC", sans: str = "Noto Sans CJK SC") -> str:
    """A fontconfig file: the system configuration plus strong aliases for Chinese Windows fonts."""

    def rule(name: str, face: str) -> str:  # fontconfig takes one value per <test>
        return (
            f'<match target="pattern"><test qual="any" name="family"><string>{name}</string></test>'
            f'<edit name="family" mode="assign" binding="strong"><string>{face}</string></edit></match>\n'
        )

    rules = "".join(rule(n, serif) for n in SERIF) + "".join(rule(n, sans) for n in SANS)
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{rules}</fontconfig>\n"
    )


@cache
def _profile(pid: int) -> Path:
    """This process's LibreOffice profile and fonts.conf (``pid`` keys the cache across forks)."""
    folder = Path(tempfile.mkdtemp(prefix=f"itdocs-lo-{pid}-"))
    (folder / "fonts.conf").write_text(fonts_conf(), encoding="utf-8")
    atexit.register(shutil.rmtree, folder, True)
    return folder


def convert(
    files: Sequence[Path],
    out_dir: Path,
    *,
    timeout: float = TIMEOUT_SECONDS,
    profile: Path | None = None,
) -> list[Path]:
    """Convert .docx/.xlsx files to PDF in ``out_dir`` (same stem); returns the PDFs, in order.

    One soffice for the whole batch, with ``profile`` (a folder holding ``fonts.conf``; by default
    one per process). For many files, itdocs.pdfpool keeps LibreOffice running instead.

    Raises ConversionError when LibreOffice is missing, times out, fails, or leaves a PDF out.
    """
    if not files:
        return []
    binary = find_soffice()
    if binary is None:
        raise ConversionError("找不到 LibreOffice (soffice not found)", hint=INSTALL_HINT)
    profile = profile or _profile(os.getpid())
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(profile / "fonts.conf"),
        "SAL_USE_VCLPLUGIN": "svp",
        "HOME": str(profile),
    }
    command = [
        binary,
        f"-env:UserInstallation={(profile / 'user').as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *[str(f) for f in files],
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=os.name == "posix",
        )
    except OSError as exc:
        raise ConversionError(
            f"无法启动 LibreOffice (cannot start soffice): {exc.strerror or exc}",
            hint=INSTALL_HINT,
        ) from None
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)  # soffice.bin is a child of the soffice script
        else:  # pragma: no cover - Windows
            process.kill()
        process.communicate()
        raise ConversionError(
            f"LibreOffice 转换超时（{timeout:.0f} 秒）(conversion timed out)",
            hint="retry; a stale soffice process may hold the profile",
        ) from None
    pdfs = [out_dir / (Path(f).stem + ".pdf") for f in files]
    missing = [p for p in pdfs if not p.is_file()]
    if process.returncode != 0 or missing:
        detail = (stderr or stdout).decode("utf-8", "replace").strip().splitlines()
        raise ConversionError(
            f"LibreOffice 转换失败 (conversion failed, exit {process.returncode})",
            file=str(missing[0].with_suffix("")) if missing else None,
            hint=detail[-1] if detail else None,
        )
    return pdfs
