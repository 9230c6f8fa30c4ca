"""Render Word templates with docxtpl through one strict, sandboxed Jinja environment.

- ``StrictUndefined``: a variable the context lacks is an error naming the template and the
  variable (``contract.amout``), never a blank in a signed contract.
- Autoescape: ``A & B <x>`` from a dossier lands in the XML as text, not as broken markup.
- ``SandboxedEnvironment`` for every template — built-in or brought with ``--templates DIR``: a
  template reaching for ``__class__``, ``__globals__`` or ``mro`` is refused, and so are
  ``{% include %}``, ``{% import %}`` and ``{% extends %}`` (a .docx template has nothing to
  include, and a loader would read files).
- A template brought with ``--templates DIR`` is also read statically before anything renders
  (itdocs.templatecheck), so a payload in a branch never taken is refused all the same.

Templates are read once per process and each distinct XML source is compiled once, so rendering
fifty weekly reports costs one read and one compile of periodic_report.docx. docxtpl still reopens
and re-saves the whole .docx for each document; itdocs.fastrender renders the same documents from
a template compiled once, with this module's environment and error messages, and falls back here.
"""

from __future__ import annotations

import io
import operator
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import BaseLoader, StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from itdocs import resources
from itdocs.context import Record
from itdocs.errors import TemplateError
from itdocs.templatecheck import MAX_TEMPLATE_BYTES, check_template

MAX_REPEAT = 100_000  # longest string or list a template may build with * or **


def sentence(text: Any) -> Any:
    """``{{ x|sentence }}``: dossier text as a sentence, with 。 added unless it already ends one."""
    value = str(text).rstrip()
    if not value or value[-1] in "。！？；：.!?;:…）)」』”":
        return text if value == str(text) else value
    return value + "。"


class NamedUndefined(StrictUndefined):
    """StrictUndefined that names the missing variable by its full path (``contract.amout``)."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint:
            return self._undefined_hint
        if isinstance(obj, Record):
            return f"未定义的变量 (undefined variable) {obj._path}.{name}"
        if obj is jinja2.utils.missing:
            return f"未定义的变量 (undefined variable) {name}"
        return f"未定义的变量 (undefined variable) {name!r} of {type(obj).__name__}"


class _RefusingLoader(BaseLoader):
    """Any include/import/extends ends here: templates are self-contained."""

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        raise SecurityError(
            f"{{% include/import/extends %}} 不允许使用 (not allowed): {template!r}"
        )


class StrictSandbox(SandboxedEnvironment):
    """The one environment every template renders in; compiles each distinct source once."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(
            undefined=NamedUndefined,
            autoescape=True,
            loader=_RefusingLoader(),
            keep_trailing_newline=True,
            extensions=[],
        )
        self._compiled: dict[str, jinja2.Template] = {}
        self.filters["sentence"] = sentence

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("exponent too large in template")
            return operator.pow(left, right)
        size = max((len(x) for x in (left, right) if isinstance(x, (str, list, tuple))), default=0)
        count = max(
            (x for x in (left, right) if isinstance(x, int) and not isinstance(x, bool)), default=0
        )
        if size and size * count > MAX_REPEAT:
            raise SecurityError("template builds a too large string or list")
        return operator.mul(left, right)

    def from_string(
        self, source: Any, globals: Any = None, template_class: Any = None
    ) -> jinja2.Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) > 64:
                self._compiled.clear()
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


@cache
def environment() -> StrictSandbox:
    """The process-wide environment (the sandbox's own ``range`` is bounded)."""
    return StrictSandbox()


class _Template(DocxTemplate):
    """docxtpl without rendering core properties: generation rewrites them (itdocs.docprops), and
    a template's title or comment that happens to hold ``{{`` must not break rendering."""

    def render_properties(self, context: Any, jinja_env: Any = None) -> None:
        return None


class TemplateSet:
    """Where templates come from: ``--templates DIR`` first (by file name), then the built-in ones."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else None
        if self.folder is not None and not self.folder.is_dir():
            raise TemplateError(
                "模板文件夹不存在 (templates folder not found)", file=str(self.folder)
            )
        self._bytes: dict[str, tuple[str, bytes]] = {}
        if self.folder is not None:  # a template someone brings is refused before any rendering
            for name in _template_file_names():
                if (self.folder / name).is_file():
                    check_template(*self._read(name, ()))

    def source(self, name: str, *, alternatives: tuple[str, ...] = ()) -> tuple[str, bytes]:
        """(display path, bytes) of a template, read once."""
        key = "|".join((*alternatives, name))
        if key not in self._bytes:
            self._bytes[key] = self._read(name, alternatives)
        return self._bytes[key]

    def _read(self, name: str, alternatives: tuple[str, ...]) -> tuple[str, bytes]:
        if self.folder is not None:
            for candidate in (*alternatives, name):
                path = self.folder / candidate
                if path.is_file():
                    try:
                        if path.stat().st_size > MAX_TEMPLATE_BYTES:
                            raise TemplateError(
                                f"模板文件过大 (template larger than {MAX_TEMPLATE_BYTES} bytes)",
                                file=str(path),
                            )
                        return str(path), path.read_bytes()
                    except OSError as exc:
                        raise TemplateError(
                            f"无法读取模板 (cannot read): {exc.strerror}", file=str(path)
                        ) from None
        builtin = resources.template_file(name)
        try:
            return f"templates/{name}", builtin.read_bytes()
        except FileNotFoundError:
            raise TemplateError(
                "内置模板缺失 (built-in template missing)",
                file=f"templates/{name}",
                hint="reinstall itdocs or run templates/build_templates.py",
            ) from None


def _template_file_names() -> list[str]:
    """Every file name ``--templates DIR`` may hold: the built-in names and ``<type id>.docx``."""
    from itdocs.naming import DOC_TYPES

    names = {*resources.template_names((".docx",)), *(f"{t}.docx" for t in DOC_TYPES)}
    return sorted(names)


def render_docx(template: tuple[str, bytes], context: Mapping[str, Any]) -> bytes:
    """Render one template to .docx bytes with docxtpl; any template problem becomes a TemplateError.

    This is the reference renderer; itdocs.fastrender gives the same documents faster.
    """
    display, data = template
    with template_errors(display):
        doc = _Template(io.BytesIO(data))
        doc.render(dict(context), jinja_env=environment(), autoescape=True)
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


@contextmanager
def template_errors(display: str) -> Iterator[None]:
    """Turn whatever rendering ``display`` raises into one TemplateError naming the template."""
    try:
        yield
    except SecurityError as exc:
        raise TemplateError(
            f"模板被拒绝 (template refused): {exc}",
            file=display,
            hint="templates may only read the dossier's values",
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"{exc}",
            file=display,
            hint=_near(exc) or "check the variable's spelling against `itdocs schema`",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"模板语法错误 (template syntax error): {exc.message}", file=display, hint=_near(exc)
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(
            f"模板错误 (template error): {exc}", file=display, hint=_near(exc)
        ) from None
    except TemplateError:
        raise
    except (KeyError, ValueError, TypeError, AttributeError, OverflowError, RecursionError) as exc:
        raise TemplateError(
            f"模板无法渲染 (cannot render): {type(exc).__name__}: {exc}", file=display
        ) from None
    except Exception as exc:  # noqa: BLE001 - a corrupt .docx fails in zipfile/lxml/python-docx many ways
        raise TemplateError(f"模板文件无法打开 (not a usable .docx): {exc}", file=display) from None


def _near(exc: Exception) -> str | None:
    """The template text around the error, which docxtpl keeps (the XML line means nothing to a clerk)."""
    lines = [line.strip() for line in getattr(exc, "docx_context", None) or [] if line.strip()]
    if not lines:
        return None
    text = " ".join(lines)
    return "near: " + (text[:160] + "…" if len(text) > 160 else text)


def template_variables(template: tuple[str, bytes]) -> set[str]:
    """Top-level variables a template uses (docxtpl's own analysis)."""
    return DocxTemplate(io.BytesIO(template[1])).get_undeclared_template_variables(
        jinja_env=environment()
    )
