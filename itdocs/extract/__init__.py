"""Read filed documents nobody here wrote, and return plain facts — never crash, hang or leak.

``extract(path)`` sniffs the file's bytes (not its name), opens it under :class:`Limits`, reads it with
the matching reader (``docx``/``xlsx`` straight from the zip with a safe lxml parser, ``pdf`` with
pypdf) and returns an :class:`ExtractedDocument`. Anything wrong with the file — missing, unreadable,
a link leaving the folder, empty, truncated, encrypted, a zip bomb, an XML entity — becomes a
:class:`Problem` in the result; only a bug in this package raises (and only with ``strict=True``).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from itdocs.extract.analyse import understand
from itdocs.extract.docx import read_docx
from itdocs.extract.model import (
    PROBLEM_FAMILY,
    Content,
    DateMention,
    ExtractedDocument,
    Field,
    PdfSignatureField,
    Period,
    Problem,
    Resolution,
    SignatureRow,
    TextBlock,
)
from itdocs.extract.ooxml import package_kind
from itdocs.extract.safezip import (
    DEFAULT_LIMITS,
    Budget,
    Limits,
    Refused,
    SafeZip,
    ole_is_encrypted_ooxml,
    sniff,
)
from itdocs.extract.xlsx import read_xlsx

__all__ = [
    "DEFAULT_LIMITS",
    "PROBLEM_FAMILY",
    "DateMention",
    "ExtractedDocument",
    "Field",
    "Limits",
    "PdfSignatureField",
    "Period",
    "Problem",
    "Resolution",
    "SignatureRow",
    "TextBlock",
    "extract",
]

#: What a suffix promises; the sniffed type must agree.
SUFFIX_FORMAT = {".docx": "docx", ".docm": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".pdf": "pdf"}
_FORMAT_NAME = {
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "pdf": "PDF",
    "ole": "旧版 Office 或加密文件",
    "rtf": "RTF",
    "zip": "ZIP",
    "unknown": "未知格式",
}


def _problem_doc(
    path: str, fmt: str, problems: list[Problem], *, encrypted: bool = False
) -> ExtractedDocument:
    return ExtractedDocument(path=path, format=fmt, problems=tuple(problems), encrypted=encrypted)


def _name_problems(path: str) -> list[Problem]:
    name = os.path.basename(path)
    if any(0xDC80 <= ord(ch) <= 0xDCFF for ch in name):
        return [
            Problem("bad-filename", "文件名不是有效的 UTF-8 编码 (file name is not valid UTF-8)")
        ]
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return [Problem("bad-filename", "文件名含控制字符 (control characters in the file name)")]
    return []


def _within(target: str, base: str) -> bool:
    try:
        return os.path.commonpath([target, base]) == base
    except ValueError:  # different drives on Windows
        return False


def _resolve_link(path: str, root: str | None) -> tuple[str | None, list[Problem]]:
    """(path to open, problems) for a symlink: followed only when it stays inside ``root`` (default:
    the folder holding the link)."""
    base = os.path.realpath(root if root is not None else os.path.dirname(os.path.abspath(path)))
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, [Problem("symlink-loop", "符号链接循环 (symbolic link loop)")]
        return None, [Problem("not-found", "符号链接指向不存在的文件 (dangling symbolic link)")]
    except RuntimeError:  # Python < 3.13 reports loops this way
        return None, [Problem("symlink-loop", "符号链接循环 (symbolic link loop)")]
    if not _within(target, base):
        return None, [
            Problem(
                "symlink-outside",
                "符号链接指向目录之外，未读取 (link leaves the folder; not followed)",
            )
        ]
    return target, [
        Problem("symlink", "符号链接 (symbolic link inside the folder; read through it)")
    ]


def _open(path: str) -> tuple[BinaryIO | None, int, list[Problem]]:
    """Open a regular file without blocking (a FIFO would hang a plain open) and without following
    a link swapped in since we looked."""
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_BINARY", 0)
    )
    try:
        fd = os.open(path, flags)
    except PermissionError:
        return None, 0, [Problem("unreadable", "无权读取 (permission denied)")]
    except FileNotFoundError:
        return None, 0, [Problem("not-found", "文件不存在 (no such file)")]
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return (
                None,
                0,
                [Problem("symlink-outside", "文件在检查期间被替换为链接 (replaced by a link)")],
            )
        return None, 0, [Problem("unreadable", f"无法打开 (cannot open: {exc.strerror or exc})")]
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        return None, 0, [Problem("not-a-file", "不是普通文件 (not a regular file)")]
    return os.fdopen(fd, "rb"), st.st_size, []


def _read(
    fh: BinaryIO, size: int, suffix: str, problems: list[Problem], *, limits: Limits, budget: Budget
) -> tuple[Content | None, str]:
    """(content, sniffed format); content None when nothing could be read. Problems found on the
    way are appended to ``problems`` before any refusal, so a mismatch is reported with a bomb."""
    kind = sniff(fh.read(1024))
    expected = SUFFIX_FORMAT.get(suffix)
    if kind == "ole":
        if ole_is_encrypted_ooxml(fh, limits=limits, budget=budget):
            problems.append(
                Problem("password-protected", "文件设有打开密码 (password-protected Office file)")
            )
            return Content(format="ole", encrypted=True), kind
        problems.append(Problem("legacy-format", "旧版 Office 二进制格式 (.doc/.xls)，未读取内容"))
        return None, kind
    if kind == "zip":
        zf = SafeZip(fh, size, limits=limits, budget=budget)
        kind, main = package_kind(zf, limits=limits)
        if expected and expected != kind:
            problems.append(_mismatch(suffix, kind))
        if kind == "docx":
            return read_docx(zf, main_part=main, limits=limits, budget=budget), kind
        if kind == "xlsx":
            return read_xlsx(zf, main_part=main, limits=limits, budget=budget), kind
        if not expected:
            problems.append(
                Problem("unknown-format", "ZIP 压缩包，但不是 Word/Excel 文档 (zip, not OOXML)")
            )
        return None, kind
    if expected and expected != kind:
        problems.append(_mismatch(suffix, kind))
    if kind == "pdf":
        from itdocs.extract.pdf import read_pdf  # pypdf costs ~60 ms to import: only when needed

        return read_pdf(fh, limits=limits, budget=budget), kind
    if not expected:
        problems.append(
            Problem("unknown-format", f"无法识别的文件格式 ({_FORMAT_NAME.get(kind, kind)})")
        )
    return None, kind


def _claimed_format(fh: BinaryIO, suffix: str) -> str:
    """The format to report for a file refused before its package kind was known: a refused zip
    named .docx is reported as the docx it claims to be."""
    try:
        fh.seek(0)
        kind = sniff(fh.read(1024))
    except OSError:
        return ""
    claimed = SUFFIX_FORMAT.get(suffix)
    return claimed if kind == "zip" and claimed in ("docx", "xlsx") else kind


def _mismatch(suffix: str, kind: str) -> Problem:
    return Problem(
        "format-mismatch",
        f"扩展名为 {suffix}，但内容是 {_FORMAT_NAME.get(kind, kind)} (extension does not match content)",
    )


def extract(
    path: str | os.PathLike[str] | bytes,
    *,
    limits: Limits = DEFAULT_LIMITS,
    root: str | os.PathLike[str] | None = None,
    strict: bool = False,
    facts: bool = True,
) -> ExtractedDocument:
    """Facts of one filed document; every failure is a ``problems`` entry.

    ``root`` bounds where a symbolic link may lead (default: the link's own folder). ``strict``
    lets an unexpected exception (a bug here) propagate instead of becoming an ``internal-error``
    problem — for tests and fuzzing. ``facts=False`` stops after reading: text blocks, properties
    and problems, without fields, dates, signatures, clauses or resolutions.
    """
    spath = os.fsdecode(path) if isinstance(path, bytes) else os.fspath(path)
    problems = _name_problems(spath)
    try:
        st = os.lstat(spath)
    except FileNotFoundError:
        return _problem_doc(
            spath, "", [*problems, Problem("not-found", "文件不存在 (no such file)")]
        )
    except OSError as exc:
        return _problem_doc(
            spath, "", [*problems, Problem("unreadable", f"无法读取 ({exc.strerror or exc})")]
        )
    target: str | None = spath
    if stat.S_ISLNK(st.st_mode):
        target, link_problems = _resolve_link(spath, os.fspath(root) if root is not None else None)
        problems += link_problems
        if target is None:
            return _problem_doc(spath, "", problems)
    elif stat.S_ISDIR(st.st_mode):
        return _problem_doc(
            spath, "", [*problems, Problem("not-a-file", "这是一个目录 (a directory, not a file)")]
        )
    elif not stat.S_ISREG(st.st_mode):
        return _problem_doc(
            spath, "", [*problems, Problem("not-a-file", "不是普通文件 (not a regular file)")]
        )
    elif root is not None and not _within(os.path.realpath(spath), os.path.realpath(root)):
        # A linked folder on the way (archive/sub -> /elsewhere) leaves the archive just the same.
        outside = "路径经由符号链接离开目录，未读取 (a linked folder leads outside; not followed)"
        return _problem_doc(spath, "", [*problems, Problem("symlink-outside", outside)])
    fh, size, open_problems = _open(target)
    if fh is None:
        return _problem_doc(spath, "", [*problems, *open_problems])
    with fh:
        if size == 0:
            return _problem_doc(spath, "", [*problems, Problem("empty", "空文件 (0 bytes)")])
        if size > limits.max_file_bytes:
            return _problem_doc(
                spath,
                "",
                [
                    *problems,
                    Problem("too-large", f"文件过大 ({size} bytes, limit {limits.max_file_bytes})"),
                ],
            )
        return _extract_open(
            fh,
            size,
            spath,
            Path(target).suffix.lower(),
            problems,
            limits=limits,
            strict=strict,
            facts=facts,
        )


def _extract_open(
    fh: BinaryIO,
    size: int,
    path: str,
    suffix: str,
    problems: list[Problem],
    *,
    limits: Limits,
    strict: bool,
    facts: bool = True,
) -> ExtractedDocument:
    budget = Budget(limits.max_seconds)
    fmt = ""
    problems = list(problems)
    try:
        content, fmt = _read(fh, size, suffix, problems, limits=limits, budget=budget)
        if content is None:
            return _problem_doc(path, fmt, problems)
        return understand(content, path=path, problems=problems, budget=budget, facts=facts)
    except Refused as exc:
        return _problem_doc(
            path,
            fmt or _claimed_format(fh, suffix),
            [*problems, Problem(exc.code, exc.message)],
            encrypted=exc.code == "password-protected",
        )
    except OSError as exc:
        return _problem_doc(
            path, fmt, [*problems, Problem("unreadable", f"读取出错 ({exc.strerror or exc})")]
        )
    except MemoryError:
        return _problem_doc(
            path, fmt, [*problems, Problem("too-large", "内存不足 (out of memory while reading)")]
        )
    except RecursionError:
        return _problem_doc(
            path, fmt, [*problems, Problem("corrupt", "结构嵌套过深 (nesting too deep)")]
        )
    except Exception as exc:
        if strict:
            raise
        return _problem_doc(
            path,
            fmt,
            [
                *problems,
                Problem("internal-error", f"内部错误 ({type(exc).__name__}: {str(exc)[:100]})"),
            ],
        )
