"""Safe rendering: strict variables, escaped values, sandboxed user templates, templates export."""

from __future__ import annotations

import io

import pytest
from docx import Document
from generate_helpers import docx_text, small_dossier, write_dossier

from itdocs import resources
from itdocs.errors import TemplateError
from itdocs.generator import generate
from itdocs.render import TemplateSet, render_docx, sentence


def _template(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _render(*paragraphs: str, **context) -> str:
    data = render_docx(("user/test.docx", _template(*paragraphs)), context)
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_missing_variable_names_template_and_variable(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "contract.docx").write_bytes(_template("金额：{{ contract.amout }}"))
    path = write_dossier(tmp_path, small_dossier())
    result = generate(path, tmp_path / "out", only="contract", templates=folder)
    [error] = result.errors
    assert isinstance(error, TemplateError)
    assert "contract.amout" in str(error) and "contract.docx" in str(error)
    assert not result.written


def test_undefined_top_level_name_is_named():
    with pytest.raises(TemplateError, match="projec"):
        _render("{{ projec.name }}", project={"name": "x"})


def test_values_are_escaped_into_valid_xml():
    assert _render("{{ name }}", name='A & B <x> "q"') == 'A & B <x> "q"'


def test_control_characters_never_break_the_file(tmp_path):
    data = small_dossier(name="项目\x0b名\x01称")
    data["requirement"]["content"] = "第一行\r\n第二行 & <b>"
    path = write_dossier(tmp_path, data)
    [item] = generate(path, tmp_path / "out", only="requirement_form").written
    text = docx_text(item.path)
    assert "项目名称" in text and "第二行 & <b>" in text


def test_control_characters_never_break_a_workbook(tmp_path):
    """openpyxl refuses a BEL in a cell: the workbooks drop it, as the Word documents do."""
    import openpyxl

    path = write_dossier(tmp_path, small_dossier(name="项目\x07名称"))
    written = [w.path for w in generate(path, tmp_path / "out").written if w.path.suffix == ".xlsx"]
    assert written
    for workbook in written:
        cells = [
            c.value
            for ws in openpyxl.load_workbook(workbook).worksheets
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str)
        ]
        assert "项目名称" in cells and not any("\x07" in c for c in cells)


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ name.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ self._TemplateReference__context }}",
        "{{ '{0.__class__}'.format(name) }}",
    ],
)
def test_sandbox_refuses_escapes(attack):
    with pytest.raises(TemplateError, match="refused|拒绝|undefined|未定义"):
        _render(attack, name="x")


@pytest.mark.parametrize(
    "tag",
    [
        "{% include 'x.xml' %}",
        "{% import 'm' as m %}",
        "{% extends 'base' %}",
        "{% from 'm' import x %}",
    ],
)
def test_include_and_import_are_refused(tag):
    with pytest.raises(TemplateError, match="not allowed|不允许"):
        _render(tag)


def test_huge_strings_are_refused():
    with pytest.raises(TemplateError):
        _render("{{ 'x' * 100000000 }}")
    assert _render("{{ 'ab' * 3 }}") == "ababab"


def test_user_template_overrides_builtin_and_others_fall_back(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "weekly_report.docx").write_bytes(
        _template("自定义周报 {{ project.name }} {{ report.summary }}")
    )
    data = small_dossier()
    data["reports"] = [
        {"type": "weekly", "period": "2026-W47", "filed": "2026-11-20", "summary": "进展 & 风险"},
        {"type": "monthly", "period": "2026-11", "filed": "2026-12-04", "summary": "月度"},
    ]
    path = write_dossier(tmp_path, data)
    result = generate(
        path, tmp_path / "out", only=["weekly_report", "monthly_report"], templates=folder
    )
    by_type = {f.doc_type: f.path for f in result.written if f.path.suffix == ".docx"}
    assert docx_text(by_type["weekly_report"]).strip() == "自定义周报 测试项目 进展 & 风险"
    assert "项目月报" in docx_text(by_type["monthly_report"])


def test_broken_template_file_is_a_clear_error(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "contract.docx").write_bytes(b"not a zip")
    path = write_dossier(tmp_path, small_dossier())
    [error] = generate(path, tmp_path / "out", only="contract", templates=folder).errors
    assert isinstance(error, TemplateError) and "contract.docx" in str(error)


def test_syntax_error_is_reported():
    with pytest.raises(TemplateError, match="syntax"):
        _render("{{ name ")


def test_templates_are_read_once():
    templates = TemplateSet()
    first = templates.source("contract.docx")
    assert templates.source("contract.docx") is first


def test_sentence_filter():
    assert sentence("每周五提交") == "每周五提交。"
    assert sentence("每周五提交。") == "每周五提交。"
    assert sentence("") == ""


def test_templates_export_then_generate_with_them(cli, tmp_path):
    result = cli("templates", "export", tmp_path / "tpl")
    assert result.exit_code == 0
    exported = sorted(p.name for p in (tmp_path / "tpl").iterdir())
    assert exported == resources.template_names((".docx",))
    again = cli("templates", "export", tmp_path / "tpl")
    assert "skipped" in again.output
    path = write_dossier(tmp_path, small_dossier())
    result = cli(
        "generate",
        path,
        "-o",
        tmp_path / "out",
        "--templates",
        tmp_path / "tpl",
        "--only",
        "contract",
    )
    assert result.exit_code == 0, result.output
    listing = cli("templates", "list")
    assert "periodic_report.docx: weekly_report (周报)" in listing.output
