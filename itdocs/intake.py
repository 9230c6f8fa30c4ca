"""Intake of a dossier file, before and around parsing: the limits, reading the bytes safely, and
the checks that keep a hostile file from costing more than a real one (docs/security.md).

- ``read_text``: regular files only, links only inside their folder, at most ``MAX_BYTES``, UTF-8;
- ``count_json_values`` / ``count_yaml_nodes``: refuse a text with too many values before any is built;
- ``check_data``: the depth, size and text of parsed JSON (``loader`` checks YAML's node tree).

Each limit can be changed for one run with an environment variable (``ITDOCS_MAX_NODES=500000``),
or by a Python caller assigning the module constant here.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from itdocs.errors import InputError

Position = tuple[int, int]  # 1-based line, column

MAX_BYTES = 20 * 1024 * 1024  # a dossier is text; 20 MiB is far above any real one
# Keys and values, YAML aliases expanded. The samples hold ~1,900; each one costs ~1 KB of memory
# while parsing and validating, so 100,000 keep a run near 150 MB (2,000,000 took 1 GB and 10 s).
MAX_NODES = 100_000
MAX_DEPTH = 64  # nesting; real dossiers stay under 10
MAX_FLOW_DEPTH_SCAN = 200  # brackets opened in a row before the parser is even tried
ENV_PREFIX = "ITDOCS_"


def limit(name: str) -> int:
    """The limit ``MAX_BYTES`` / ``MAX_NODES`` / ``MAX_DEPTH``: its environment override
    (``ITDOCS_MAX_NODES=500000``) or the module constant."""
    default = globals()[name]
    raw = os.environ.get(ENV_PREFIX + name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        value = 0
    if value <= 0:
        raise InputError(
            f"环境变量 {ENV_PREFIX}{name}={raw!r} 不是正整数 (not a positive integer)",
            hint=f"unset it to use the default {default}",
        )
    return value


def read_text(path: Path, display: str) -> tuple[bytes, str]:
    """Bytes and decoded text of a dossier file, or an InputError a clerk can act on."""
    max_bytes = limit("MAX_BYTES")
    try:
        if _link_leaves_its_folder(path):
            raise InputError(
                "符号链接指向所在文件夹之外，未读取 (symbolic link leads outside its folder; not read)",
                file=display,
                hint="copy the file into the folder, or give the path it points to",
            )
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(
                "是文件夹，不是档案文件", file=display, hint="give a .yaml/.yml/.json file"
            )
        if not stat.S_ISREG(info.st_mode):
            # A FIFO would block the read forever, /dev/zero would never end.
            raise InputError(
                "不是普通文件 (not a regular file: device, pipe or socket)", file=display
            )
        if info.st_size > max_bytes:
            raise _too_big(info.st_size, max_bytes, display)
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)  # the file may have grown since stat()
        if len(raw) > max_bytes:
            raise _too_big(len(raw), max_bytes, display)
    except FileNotFoundError:
        raise InputError("文件不存在 (file not found)", file=display) from None
    except PermissionError:
        raise InputError(
            "无权读取 (permission denied)", file=display, hint="check the file's permissions"
        ) from None
    except OSError as exc:
        raise InputError(f"无法读取 (cannot read): {exc.strerror or exc}", file=display) from None
    if not raw.strip():
        raise InputError(
            "文件为空 (empty file)",
            file=display,
            hint="run `itdocs init KIND -o FILE` for a starter dossier",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode"
        raise InputError(
            "是 UTF-16 编码，不是 UTF-8 (UTF-16 text, not UTF-8)",
            file=display,
            hint="save the file as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)",
        )
    if b"\x00" in raw[:8192]:
        raise InputError("不是文本文件 (binary data, not a JSON/YAML dossier)", file=display)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = line_column(raw, exc.start, b"\n")
        raise InputError(
            "不是 UTF-8 编码 (not UTF-8 text)",
            file=display,
            line=line,
            column=col,
            hint="save the file as UTF-8 (in Notepad: 另存为 → 编码 UTF-8)",
        ) from None
    return raw, text


def _link_leaves_its_folder(path: Path) -> bool:
    """A link as the archive reader treats one (itdocs.extract): followed only inside the folder
    holding it, so a dossier folder cannot make a report quote ~/.ssh or /etc/passwd."""
    if not path.is_symlink():
        return False
    folder = os.path.realpath(path.parent)
    try:
        return os.path.commonpath([folder, os.path.realpath(path)]) != folder
    except ValueError:  # another drive (Windows)
        return True


def _too_big(size: int, max_bytes: int, display: str) -> InputError:
    return InputError(
        f"文件过大（{size} 字节，上限 {max_bytes}）(file too large)",
        file=display,
        hint="a dossier is a text file of a few hundred KB at most",
    )


def line_column(text: Any, index: int, newline: Any = "\n") -> Position:
    """1-based line and column of ``index`` in ``text`` (str or bytes)."""
    line = text.count(newline, 0, index) + 1
    return line, index - (text.rfind(newline, 0, index) + 1) + 1


def too_many(count: int, max_nodes: int, display: str, *, about: bool = False) -> InputError:
    return InputError(
        f"档案过大：{'约 ' if about else ''}{count} 个键和值，上限 {max_nodes} "
        "(too many keys and values)",
        file=display,
        hint=f"a real dossier holds a few thousand; set {ENV_PREFIX}MAX_NODES to allow more",
    )


def display_name(path: str | os.PathLike[str]) -> str:
    """``path`` as text every report can hold: a name that is not UTF-8 (its bytes decoded as
    surrogates) shows them as ``\\xff`` instead of breaking a UTF-8 stream or a JSON report."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


class DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: JSON parsers disagree on which duplicate wins."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return data


def json_key_position(text: str, key: str) -> tuple[int | None, int | None]:
    """Where ``key`` is written as a key for the second time (best effort: the plain spelling)."""
    spelled = re.compile(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:")
    found = list(itertools.islice(spelled.finditer(text), 2))
    if len(found) < 2:
        return None, None
    return line_column(text, found[1].start())


def shorten(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[:size] + "…"


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def count_json_values(text: str) -> int:
    """About how many keys and values a JSON text holds, counted without parsing it."""
    bare = _JSON_STRING.sub("", text)
    return 1 + sum(bare.count(mark) for mark in ",:[{")


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: str, display: str, mark: tuple[int | None, int | None] = (None, None)) -> None:
    """Refuse a lone surrogate (``"\\ud800"`` in JSON, ``"\\uD800"`` in YAML): it is not a character,
    and no .docx, terminal or UTF-8 report can hold it."""
    found = _SURROGATE.search(text)
    if found:
        raise InputError(
            f"无效的 Unicode 字符 (lone surrogate \\u{ord(found.group()):04x} is not a character)",
            file=display,
            line=mark[0],
            column=mark[1],
            hint="an escape such as \\ud83d must be followed by its pair (\\ude00)",
        )


def check_data(data: Any, display: str, max_nodes: int) -> None:
    """Bound the depth and size of parsed JSON as the YAML tree is bounded (without recursion)."""
    max_depth = limit("MAX_DEPTH")
    count = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        count += 1
        if depth > max_depth:
            raise InputError(
                "JSON 嵌套过深 (nested too deeply)",
                file=display,
                hint=f"at most {max_depth} levels",
            )
        if isinstance(value, dict):
            count += len(value)  # the keys
            for key in value:
                check_text(key, display)
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)
        elif isinstance(value, str):
            check_text(value, display)
    if count > max_nodes:
        raise too_many(count, max_nodes, display)


# What YAML 1.1 (and PyYAML's reader) refuses to read.
NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)


def count_yaml_nodes(text: str, display: str, max_nodes: int, *, loader: Any) -> None:
    """Refuse a text with too many nodes while parsing it, before any node is built (a 6 MB flat
    list composes into 2,000,000 nodes and 1 GB)."""
    count = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, _NODE_EVENTS):
            count += 1
            if count > max_nodes:
                error = too_many(count, max_nodes, display)
                error.line, error.column = event.start_mark.line + 1, event.start_mark.column + 1
                raise error
