"""Custom document properties written the way Office expects, read back, and deterministic packages."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from generate_helpers import small_dossier, write_dossier
from lxml import etree
from openpyxl import Workbook, load_workbook

from itdocs import docprops
from itdocs.generator import generate

MOMENT = dt.datetime(2026, 9, 1, tzinfo=dt.timezone.utc)
CUSTOM = {
    "project_id": "P-1",
    "kind": "outsourcing",
    "document_type": "contract",
    "period": "",
    "dossier_sha256": "ab" * 32,
    "generator_version": "0.1.0",
    "note": 'A & B <x> "q"',
}


def _docx() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _finalize(package: bytes) -> bytes:
    core = docprops.core_xml(
        title="标题",
        subject="服务合同",
        creator="张三",
        keywords="P-1",
        category="外包",
        description="d",
        moment=MOMENT,
    )
    return docprops.finalize(package, custom=CUSTOM, core=core, moment=MOMENT)


@pytest.mark.parametrize("make", [_docx, _xlsx], ids=["docx", "xlsx"])
def test_custom_properties_round_trip(make):
    data = _finalize(make())
    assert docprops.read_custom_properties(data, prefix="itdocs.") == CUSTOM
    assert docprops.read_custom_properties(data)["itdocs.kind"] == "outsourcing"


@pytest.mark.parametrize("make", [_docx, _xlsx], ids=["docx", "xlsx"])
def test_custom_part_is_registered(make):
    with zipfile.ZipFile(io.BytesIO(_finalize(make()))) as package:
        types = etree.fromstring(package.read("[Content_Types].xml"))
        overrides = {
            o.get("PartName"): o.get("ContentType") for o in types if o.tag.endswith("Override")
        }
        assert overrides["/docProps/custom.xml"] == docprops.CUSTOM_CT
        rels = etree.fromstring(package.read("_rels/.rels"))
        assert [r.get("Target") for r in rels if r.get("Type") == docprops.CUSTOM_REL] == [
            "docProps/custom.xml"
        ]
        assert "docProps/thumbnail.jpeg" not in package.namelist()
        assert package.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time for i in package.infolist()} == {(2026, 9, 1, 0, 0, 0)}


def test_office_libraries_still_open_the_files():
    doc = Document(io.BytesIO(_finalize(_docx())))
    assert doc.core_properties.title == "标题"
    assert doc.core_properties.created == MOMENT
    book = load_workbook(io.BytesIO(_finalize(_xlsx())))
    assert book.properties.creator == "张三"


def test_finalize_twice_is_stable_and_keeps_one_custom_part():
    once = _finalize(_docx())
    twice = _finalize(once)
    assert once == twice
    with zipfile.ZipFile(io.BytesIO(twice)) as package:
        assert package.namelist().count("docProps/custom.xml") == 1


def test_file_without_custom_properties_reads_empty():
    assert docprops.read_custom_properties(_docx()) == {}


def test_not_a_package_raises():
    with pytest.raises(zipfile.BadZipFile):
        docprops.read_custom_properties(b"plain text")


def test_generated_docx_and_xlsx_are_byte_identical_across_runs(tmp_path):
    data = small_dossier()
    data["risks"] = [
        {
            "id": "R1",
            "category": "technical",
            "description": "接口风险",
            "likelihood": 3,
            "impact": 4,
            "identified": "2026-09-03",
        }
    ]
    path = write_dossier(tmp_path, data)
    first = generate(
        path, tmp_path / "a", only=["contract", "risk_register", "supplier_evaluation"]
    )
    second = generate(
        path, tmp_path / "b", only=["contract", "risk_register", "supplier_evaluation"]
    )
    suffixes = {f.path.suffix for f in first.written}
    assert suffixes == {".docx", ".xlsx"}
    for one, two in zip(first.written, second.written):
        assert one.path.read_bytes() == two.path.read_bytes(), one.path.name
