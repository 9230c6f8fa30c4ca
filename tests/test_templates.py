"""The Word templates: in step with their build script, Chinese-correct, and every variable accounted for."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate
from itdocs.templates import build_templates
from jinja2 import nodes
from lxml import etree

from itdocs import resources
from itdocs.context import LABELS, schema_node
from itdocs.documents import DERIVED, SOURCES
from itdocs.plan import TEMPLATES
from itdocs.render import environment, template_variables

NAMES = sorted(build_templates.TEMPLATES)


def _parts(data: bytes) -> dict[str, bytes]:
    """Every XML part, canonicalized (C14N), so only content differences count."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        out = {}
        for name in package.namelist():
            raw = package.read(name)
            out[name] = (
                etree.tostring(etree.fromstring(raw), method="c14n")
                if name.endswith((".xml", ".rels"))
                else raw
            )
        return out


@pytest.mark.parametrize("name", NAMES)
def test_committed_template_matches_its_build_script(name):
    committed = resources.template_file(name).read_bytes()
    rebuilt = build_templates.build(name)
    assert _parts(committed) == _parts(rebuilt), (
        f"templates/{name} is stale: run python templates/build_templates.py"
    )


def test_every_template_the_generator_uses_is_built():
    assert set(TEMPLATES.values()) == set(NAMES)
    assert set(resources.template_names((".docx",))) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_chinese_typography(name):
    doc = Document(io.BytesIO(resources.template_file(name).read_bytes()))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text_width = Cm(21.0 - section.left_margin.cm - section.right_margin.cm)
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    for style, face in (
        ("Normal", "宋体"),
        ("Title", "黑体"),
        ("Heading 1", "黑体"),
        ("Heading 2", "黑体"),
    ):
        fonts = doc.styles[style].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == face, style
        assert fonts.get(qn("w:eastAsiaTheme")) is None, (
            f"{style}: a theme font would override {face}"
        )
    assert not [
        lang
        for lang in styles.iter(qn("w:lang"))
        if lang.get(qn("w:eastAsia")) not in (None, "zh-CN")
    ]
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    assert theme_lang.get(qn("w:eastAsia")) == "zh-CN"
    for table in doc.tables:
        grid = sum(int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol")))
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert grid <= text_width.twips + Cm(0.01).twips, (
            f"a table is wider than the text in {name}"
        )


@pytest.mark.parametrize("name", NAMES)
def test_signature_block_is_the_last_table(name):
    doc = Document(io.BytesIO(resources.template_file(name).read_bytes()))
    last = doc.tables[-1]
    assert [c.text for c in last.rows[0].cells] == ["角色", "姓名", "签字", "日期"]
    assert "{%tr for s in signatures %}" in last.rows[1].cells[0].text
    body = doc.element.body
    blocks = [child for child in body if child.tag in (qn("w:p"), qn("w:tbl"))]
    after = blocks[blocks.index(last._tbl) + 1 :]
    assert all(not "".join(p.itertext()).strip() for p in after), (
        "nothing may follow the signatures"
    )


def test_headings_are_numbered_by_word():
    """Sections left out by {%p if %} never leave a gap: Word numbers 第一条 / 一、 itself."""
    for name, expected in (("contract.docx", "第%1条"), ("service_scheme.docx", "%1、")):
        doc = Document(io.BytesIO(resources.template_file(name).read_bytes()))
        numbering = doc.part.numbering_part.element
        texts = [
            lvl.find(qn("w:lvlText")).get(qn("w:val"))
            for lvl in numbering.iter(qn("w:lvl"))
            if lvl.find(qn("w:pStyle")) is not None
            and lvl.find(qn("w:pStyle")).get(qn("w:val")) == "Heading1"
        ]
        assert texts == [expected]


# --- variables ----------------------------------------------------------------------------------


def _source(name: str) -> str:
    template = DocxTemplate(io.BytesIO(resources.template_file(name).read_bytes()))
    template.init_docx()
    xml = template.patch_xml(template.get_xml())
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _, part in template.get_headers_footers(uri):
            xml += template.patch_xml(template.get_part_xml(part))
    return xml


def _paths(node: nodes.Node, scope: dict[str, str], out: set[str]) -> None:
    """Context paths (``contract.payment[].amount``) of every variable the template reads."""
    if isinstance(node, nodes.For):
        _paths(node.iter, scope, out)
        inner = dict(scope)
        base = _resolve(node.iter, scope)
        if base and isinstance(node.target, nodes.Name):
            inner[node.target.name] = base + "[]"
        for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
            _paths(child, inner if child not in node.else_ else scope, out)
        return
    if isinstance(node, (nodes.Getattr, nodes.Name)):
        path = _resolve(node, scope)
        if path:
            out.add(path)
    for child in node.iter_child_nodes():
        _paths(child, scope, out)


def _resolve(node: nodes.Node, scope: dict[str, str]) -> str | None:
    if isinstance(node, nodes.Name):
        return scope.get(node.name, node.name if node.name in SOURCES else None)
    if isinstance(node, nodes.Getattr):
        base = _resolve(node.node, scope)
        return f"{base}.{node.attr}" if base else None
    return None


def _in_schema(path: str) -> bool:
    head, _, rest = path.partition(".")
    source = SOURCES[head.removesuffix("[]")]
    if source is None:
        return False
    try:
        schema_node(source + ("[]" if head.endswith("[]") else "") + ("." + rest if rest else ""))
    except KeyError:
        return False
    return True


def _derived(path: str) -> bool:
    return any(d == path or d.startswith((path + ".", path + "[]")) for d in DERIVED)


@pytest.mark.parametrize("name", NAMES)
def test_every_template_variable_exists_in_the_context(name):
    variables = template_variables((name, resources.template_file(name).read_bytes()))
    unknown = variables - set(SOURCES) - {"loop"}
    assert not unknown, f"{name} uses variables the generator never provides: {unknown}"


@pytest.mark.parametrize("name", NAMES)
def test_every_template_field_maps_to_the_schema_or_is_derived(name):
    paths: set[str] = set()
    _paths(environment().parse(_source(name)), {}, paths)
    assert paths, name
    unmapped = sorted(p for p in paths if not (_derived(p) or _in_schema(p)))
    assert not unmapped, f"{name}: no schema field or derived value for {unmapped}"


def test_sources_point_at_schema_fields():
    for source in SOURCES.values():
        if source is not None:
            schema_node(source)


def test_every_derived_field_names_a_context_root():
    assert {d.split(".")[0].removesuffix("[]") for d in DERIVED} <= set(SOURCES)


def test_every_schema_enum_has_chinese_labels():
    schema = resources.load_schema()
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "enum" in node and all(isinstance(v, str) for v in node["enum"]):
                found.append(tuple(node["enum"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    for codes in found:
        assert codes in LABELS, f"no labels for enum {codes}"
        assert set(LABELS[codes]) == set(codes)
