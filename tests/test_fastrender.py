"""The compile-once renderer gives the documents docxtpl gives: every built-in template, every sample.

Compared as a clerk and the checker see them — paragraphs, tables cell by cell, headers and
footers, core and custom properties — and, stronger, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from conftest import sample_files
from docx import Document
from docxtpl import Listing, RichText

from itdocs import docprops, fastrender, resources
from itdocs.documents import base_view, document_context
from itdocs.errors import TemplateError
from itdocs.generator import properties
from itdocs.loader import load
from itdocs.plan import plan_documents
from itdocs.policy import load_policy
from itdocs.render import TemplateSet, render_docx

MOMENT = dt.datetime(2026, 3, 4, tzinfo=dt.timezone.utc)
PROPS = {
    "custom": {"project_id": "P1", "document_type": "contract"},
    "core": docprops.core_xml(
        title="t",
        subject="s",
        creator="c",
        keywords="k",
        category="x",
        description="d",
        moment=MOMENT,
    ),
    "moment": MOMENT,
}


def content(package: bytes) -> dict[str, object]:
    """What a reader sees: body paragraphs, every table cell, headers, footers, properties."""
    doc = Document(io.BytesIO(package))

    def cells(tables):
        return [
            [[(cell.text, cells(cell.tables)) for cell in row.cells] for row in table.rows]
            for table in tables
        ]

    core = doc.core_properties
    return {
        "paragraphs": [p.text for p in doc.paragraphs],
        "tables": cells(doc.tables),
        "headers": [[p.text for p in s.header.paragraphs] for s in doc.sections],
        "footers": [[p.text for p in s.footer.paragraphs] for s in doc.sections],
        "core": (core.title, core.subject, core.author, core.keywords, core.created, core.modified),
        "custom": docprops.read_custom_properties(package),
        "members": zipfile.ZipFile(io.BytesIO(package)).namelist(),
    }


def both(template: tuple[str, bytes], context: dict, props: dict = PROPS) -> tuple[bytes, bytes]:
    reference = docprops.finalize(render_docx(template, context), **props)
    return reference, fastrender.render_package(template, context, **props)


def _sample_documents():
    policy = load_policy()
    templates = TemplateSet()
    for path in sample_files():
        document = load(path)
        data = document.data
        base = base_view(data, policy=policy)
        seen: dict[str, int] = {}
        for doc in plan_documents(data, policy=policy, only=None, period=None).documents:
            if doc.suffix != ".docx" or seen.get(doc.template, 0) >= 2:
                continue  # two of each periodic report are enough to compare
            seen[doc.template] = seen.get(doc.template, 0) + 1
            yield (
                f"{path.name}:{doc.filename}",
                templates.source(doc.template),
                dict(document_context(doc, data, base, policy=policy)),
                properties(doc, data, sha256=document.sha256, source=path),
            )


SAMPLE_DOCUMENTS = list(_sample_documents())


def test_every_builtin_template_is_compared():
    used = {template[0].removeprefix("templates/") for _, template, _, _ in SAMPLE_DOCUMENTS}
    assert used == set(resources.template_names((".docx",)))
    assert {name.split(":")[0] for name, *_ in SAMPLE_DOCUMENTS} == {p.name for p in sample_files()}


@pytest.mark.parametrize(
    "name, template, context, props", SAMPLE_DOCUMENTS, ids=[d[0] for d in SAMPLE_DOCUMENTS]
)
def test_same_document_as_docxtpl(name, template, context, props):
    assert fastrender.compile_template(template) is not None, "built-in templates take the fast way"
    reference, fast = both(template, context, props)
    assert content(fast) == content(reference)
    assert fast == reference


def _template(build) -> tuple[str, bytes]:
    doc = Document()
    build(doc)
    out = io.BytesIO()
    doc.save(out)
    return ("user/test.docx", out.getvalue())


def _table(doc, rows):
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


FEATURES = {
    "row loop": (
        lambda d: _table(
            d,
            [
                ["名称", "金额"],
                ["{%tr for i in items %}", ""],
                ["{{ i.name }}", "{{ i.amount }}"],
                ["{%tr endfor %}", ""],
            ],
        ),
        {"items": [{"name": f"第{i}项", "amount": i * 100} for i in range(30)]},
    ),
    "column loop (tables fixed by docxtpl)": (
        lambda d: _table(d, [["{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}"]]),
        {"cols": ["甲", "乙", "丙", "丁", "戊"]},
    ),
    "empty column loop": (
        lambda d: _table(d, [["{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}"]]),
        {"cols": []},
    ),
    "colspan and cellbg": (
        lambda d: _table(
            d, [["{% colspan n %}{{ a }}", "x", "y"], ["{% cellbg color %}{{ b }}", "2", "3"]]
        ),
        {"n": 3, "a": "合并", "color": "FF0000", "b": "红"},
    ),
    "vertical and horizontal merge": (
        lambda d: (
            _table(
                d,
                [
                    ["{%tr for i in items %}", ""],
                    ["{% vm %}{{ group }}", "{{ i }}"],
                    ["{%tr endfor %}", ""],
                ],
            )
            or _table(d, [["{%tc for i in items %}", "{% hm %}{{ group }}", "{%tc endfor %}"]])
        ),
        {"items": [1, 2, 3], "group": "组"},
    ),
    "paragraph condition and runs": (
        lambda d: (
            d.add_paragraph("{%p if show %}"),
            d.add_paragraph("显示 {{ value }}"),
            d.add_paragraph("{%p endif %}"),
            d.add_paragraph("前 {{r rich }} 后"),
        ),
        {"show": True, "value": "A & B <x>", "rich": RichText("粗体", bold=True, color="FF0000")},
    ),
    "listing, line breaks and tabs": (
        lambda d: d.add_paragraph("{{ text }}"),
        {"text": Listing("第一行\n第二行\t制表\a新段\f新页")},
    ),
    "header and footer": (
        lambda d: (
            d.sections[0].header.add_paragraph("页眉 {{ title }}"),
            d.sections[0].footer.add_paragraph("页脚 {{ title }}"),
            d.add_paragraph("正文 {{ title }}"),
        ),
        {"title": "项目"},
    ),
    "no tags at all": (lambda d: d.add_paragraph("纯文本\t带制表符"), {}),
}


@pytest.mark.parametrize("feature", FEATURES)
def test_docxtpl_features_render_the_same(feature):
    build, context = FEATURES[feature]
    template = _template(build)
    assert fastrender.compile_template(template) is not None
    reference, fast = both(template, context)
    assert content(fast) == content(reference)
    assert fast == reference


def test_compiled_once_per_template():
    template = _template(lambda d: d.add_paragraph("{{ a }}"))
    assert fastrender.compile_template(template) is fastrender.compile_template(template)


@pytest.mark.parametrize(
    "paragraph, context",
    [
        ("{{ contract.amout }}", {"contract": {}}),
        ("{% if %}", {}),
        ("{{ x.__class__.__mro__ }}", {"x": 1}),
        ("{{ 'a' * 10000000 }}", {}),
    ],
    ids=["undefined", "syntax", "sandbox", "too large"],
)
def test_errors_are_the_same(paragraph, context):
    template = _template(lambda d: d.add_paragraph(paragraph))
    with pytest.raises(TemplateError) as reference:
        docprops.finalize(render_docx(template, context), **PROPS)
    with pytest.raises(TemplateError) as fast:
        fastrender.render_package(template, context, **PROPS)
    assert (str(fast.value), fast.value.hint) == (str(reference.value), reference.value.hint)


def test_unsupported_template_falls_back_to_docxtpl(monkeypatch):
    template = _template(lambda d: d.add_paragraph("{{ a }}"))
    monkeypatch.setattr(fastrender, "_compile", lambda *a: None)
    fastrender._cache.clear()
    reference, fast = both(template, {"a": "x"})
    assert fast == reference
    fastrender._cache.clear()


def test_docxtpl_can_be_forced(monkeypatch):
    template = _template(lambda d: d.add_paragraph("{{ a }}"))
    monkeypatch.setenv("ITDOCS_RENDERER", "docxtpl")
    calls = []
    monkeypatch.setattr(fastrender, "render_docx", lambda *a: calls.append(a) or render_docx(*a))
    fastrender.render_package(template, {"a": "x"}, **PROPS)
    assert calls


def test_broken_template_is_a_clear_error():
    with pytest.raises(TemplateError, match="not a usable .docx"):
        fastrender.render_package(("user/bad.docx", b"not a zip"), {}, **PROPS)


def test_generated_folder_is_the_same_with_either_renderer(tmp_path, monkeypatch):
    from itdocs.generator import generate

    sample = Path(sample_files()[0])
    generate(sample, tmp_path / "fast")
    monkeypatch.setenv("ITDOCS_RENDERER", "docxtpl")
    generate(sample, tmp_path / "docxtpl")
    fast = {p.name: p.read_bytes() for p in (tmp_path / "fast").iterdir()}
    assert fast == {p.name: p.read_bytes() for p in (tmp_path / "docxtpl").iterdir()}
