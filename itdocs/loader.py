"""Read JSON and YAML dossiers safely, keeping where each value stands in the text.

Line:column lookup is lazy: a valid file pays only for parsing; the position map is built the
first time a finding needs a location.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from json.decoder import scanstring
from pathlib import Path
from typing import Any

import yaml

from itdocs.errors import InputError
from itdocs.intake import (  # the limits stay importable from here
    MAX_BYTES,  # noqa: F401
    MAX_DEPTH,
    MAX_FLOW_DEPTH_SCAN,
    MAX_NODES,  # noqa: F401
    NON_PRINTABLE,
    DuplicateKey,
    check_data,
    check_text,
    count_json_values,
    count_yaml_nodes,
    display_name,
    json_key_position,
    limit,
    line_column,
    read_text,
    shorten,
    too_many,
    unique_keys,
)

try:  # libyaml's parser is ~10x faster; fall back to pure Python where it is absent.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


class _DossierLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as text: the schema checks them as ISO 8601 strings."""


_DossierLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

Position = tuple[int, int]  # 1-based line, column


@dataclass
class Document:
    """A parsed dossier: its data, its text and a lazy pointer → line:column map."""

    path: str
    format: str
    data: Any
    sha256: str
    _build_positions: Callable[[], dict[str, Position]] = field(repr=False)
    _positions: dict[str, Position] | None = field(default=None, repr=False)

    def locate(self, pointer: str) -> Position | None:
        """Line:column of the value at ``pointer``, or of its nearest existing ancestor."""
        if self._positions is None:
            try:
                self._positions = self._build_positions()
            except (RecursionError, ValueError, yaml.YAMLError):
                self._positions = {}
        probe = pointer
        while True:
            if probe in self._positions:
                return self._positions[probe]
            if not probe:
                return None
            probe = probe.rsplit("/", 1)[0]


def escape_pointer_token(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def to_pointer(parts: Any) -> str:
    return "".join("/" + escape_pointer_token(p) for p in parts)


def load(path: str | os.PathLike[str], *, display: str | None = None) -> Document:
    """Parse one dossier file by its suffix (.yaml/.yml/.json)."""
    p = Path(path)
    shown = display or display_name(path)
    fmt = SUFFIXES.get(p.suffix.lower())
    if fmt is None:
        raise InputError(
            f"不认识的文件类型 {p.suffix or '(无扩展名)'}", file=shown,
            hint="dossiers end in .yaml, .yml or .json",
        )
    raw, text = read_text(p, shown)
    return loads(text, fmt=fmt, display=shown, sha256=hashlib.sha256(raw).hexdigest())


def loads(text: str, *, fmt: str, display: str = "<string>", sha256: str | None = None) -> Document:
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    if fmt == "json":
        return _load_json(text, display, digest)
    return _load_yaml(text, display, digest)


# --- JSON -----------------------------------------------------------------------------------


def _load_json(text: str, display: str, digest: str) -> Document:
    _guard_flow_depth(text, display, fmt="JSON")
    max_nodes = limit("MAX_NODES")
    if len(text) > max_nodes:  # only then can there be too many values: count before building them
        count = count_json_values(text)
        if count > max_nodes:
            raise too_many(count, max_nodes, display, about=True)
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"JSON 格式错误 (malformed JSON): {exc.msg.removesuffix(' at')}", file=display,
            line=exc.lineno, column=exc.colno, hint="fix the syntax at that place",
        ) from None
    except RecursionError:
        raise InputError("JSON 嵌套过深 (nested too deeply)", file=display) from None
    except DuplicateKey as exc:
        line, column = json_key_position(text, exc.key)
        raise InputError(
            f"重复的键「{shorten(exc.key)}」(duplicate key)", file=display, line=line,
            column=column, hint="each key may appear once in an object",
        ) from None
    except ValueError as exc:
        raise InputError(f"JSON 格式错误 (malformed JSON): {exc}", file=display) from None
    check_data(data, display, max_nodes)
    return Document(display, "json", data, digest, lambda: _json_positions(text))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


def _json_positions(text: str) -> dict[str, Position]:
    """Pointer → line:column of every value in a JSON text already known to be valid."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    positions: dict[str, Position] = {}

    def pos(index: int) -> Position:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:  # last line start <= index
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= index:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, index - line_starts[lo] + 1

    def skip(i: int) -> int:
        return _WS.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int, pointer: str, depth: int) -> int:
        if depth > MAX_DEPTH * 4:
            raise ValueError("too deep")
        i = skip(i)
        positions[pointer] = pos(i)
        ch = text[i]
        if ch == '"':
            return scanstring(text, i + 1)[1]
        if ch == "{":
            i = skip(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                key, i = scanstring(text, skip(i) + 1)
                i = skip(i) + 1  # the colon
                i = skip(value(i, pointer + "/" + escape_pointer_token(key), depth + 1))
                if text[i] == "}":
                    return i + 1
                i += 1  # the comma
        if ch == "[":
            i = skip(i + 1)
            if text[i] == "]":
                return i + 1
            index = 0
            while True:
                i = skip(value(i, f"{pointer}/{index}", depth + 1))
                index += 1
                if text[i] == "]":
                    return i + 1
                i += 1
        match = _SCALAR.match(text, i)
        if not match:
            raise ValueError(f"unexpected character at {i}")
        return match.end()

    start = 1 if text.startswith("\ufeff") else 0
    value(start, "", 0)
    return positions


# --- YAML -----------------------------------------------------------------------------------


def _load_yaml(text: str, display: str, digest: str) -> Document:
    _guard_flow_depth(text, display)
    max_nodes = limit("MAX_NODES")
    try:
        if len(text) > max_nodes:  # only then can there be too many nodes: count before building them
            count_yaml_nodes(text, display, max_nodes, loader=_DossierLoader)
        loader = _DossierLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise InputError("文件为空 (empty YAML document)", file=display)
            _check_tree(node, display, max_nodes)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        # Its text spans two lines and its position counts bytes (libyaml) or characters.
        found = NON_PRINTABLE.search(text)
        line, column = line_column(text, found.start()) if found else (None, None)
        code = f"{exc.character:04X}" if isinstance(exc.character, int) else None
        raise InputError(
            f"YAML 格式错误 (malformed YAML): 不允许的控制字符 U+{code} (control character not allowed)"
            if code else f"YAML 格式错误 (malformed YAML): {_one_line(str(exc.reason))}",
            file=display, line=line, column=column,
            hint=f"delete it, or write it as \\u{code} inside double quotes" if code else None,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        raise InputError(
            f"YAML 格式错误 (malformed YAML): {_one_line(problem)}", file=display,
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
            hint="check indentation and quotes at that place",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML 格式错误 (malformed YAML): {_one_line(str(exc))}", file=display) from None
    except RecursionError:
        raise InputError("YAML 嵌套过深 (nested too deeply)", file=display) from None
    return Document(display, "yaml", data, digest, lambda: _yaml_positions(node))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _guard_flow_depth(text: str, display: str, *, fmt: str = "YAML") -> None:
    """Refuse `[[[[...` before a recursive parser (libyaml's composer, json's scanner) sees it."""
    if "[" * MAX_FLOW_DEPTH_SCAN in text or "{" * MAX_FLOW_DEPTH_SCAN in text:
        raise InputError(f"{fmt} 嵌套过深 (nested too deeply)", file=display)


def _mark(node: yaml.Node | yaml.Event) -> tuple[int | None, int | None]:
    m = node.start_mark
    return (m.line + 1, m.column + 1) if m else (None, None)


_INT_TAG = "tag:yaml.org,2002:int"
_MAX_DIGITS = 4000  # below CPython's default int_max_str_digits (4300)


def _check_tree(root: yaml.Node, display: str, max_nodes: int) -> None:
    """Bound the expanded size and depth, and refuse duplicate or non-text keys."""
    max_depth = limit("MAX_DEPTH")
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if depth > max_depth:
            line, col = _mark(node)
            raise InputError("YAML 嵌套过深 (nested too deeply)", file=display, line=line, column=col)
        sizes[id(node)] = 1  # a node that reaches itself through an alias counts once
        total = 1
        if isinstance(node, yaml.ScalarNode):
            check_text(node.value, display, _mark(node))
        if isinstance(node, yaml.ScalarNode) and node.tag == _INT_TAG and len(node.value) > _MAX_DIGITS:
            line, col = _mark(node)  # Python refuses to read it (int_max_str_digits): say so here
            raise InputError(
                f"数字过长 (number of {len(node.value)} digits)", file=display, line=line,
                column=col, hint="quote it if it is text",
            )
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child, depth + 1)
        elif isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, child in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                    line, col = _mark(key)
                    raise InputError(
                        "键必须是文字 (keys must be plain text)", file=display, line=line,
                        column=col, hint="quote the key, e.g. \"2026\": …",
                    )
                if key.value in seen:
                    line, col = _mark(key)
                    raise InputError(
                        f"重复的键「{key.value}」(duplicate key)", file=display, line=line,
                        column=col, hint="each key may appear once in a mapping",
                    )
                seen.add(key.value)
                check_text(key.value, display, _mark(key))
                total += 1 + size(child, depth + 1)  # the key and its value
        if total > max_nodes:
            raise InputError(
                f"YAML 展开后过大 (alias expansion exceeds the limit of {max_nodes} keys and values)",
                file=display, hint="anchors and aliases may not multiply the document",
            )
        sizes[id(node)] = total
        return total

    size(root, 0)


def _yaml_positions(root: yaml.Node) -> dict[str, Position]:
    """Pointer → line:column; a mapping member is placed at its key, where a reader looks for it."""
    positions: dict[str, Position] = {"": (1, 1)}
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    seen: set[str] = set()
    while stack:
        node, pointer = stack.pop()
        if pointer in seen:
            continue
        seen.add(pointer)
        if isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                positions.setdefault(f"{pointer}/{i}", _mark(child))  # type: ignore[arg-type]
                stack.append((child, f"{pointer}/{i}"))
        elif isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                child_pointer = f"{pointer}/{escape_pointer_token(key.value)}"
                positions.setdefault(child_pointer, _mark(key))  # type: ignore[arg-type]
                stack.append((child, child_pointer))
    return positions
