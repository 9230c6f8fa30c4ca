"""``--pdf``: readable PDFs with Chinese text in CJK faces; a clear error without LibreOffice."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from generate_helpers import small_dossier, write_dossier
from pypdf import PdfReader

from itdocs import pdf
from itdocs.errors import ConversionError
from itdocs.generator import generate

needs_soffice = pytest.mark.skipif(
    pdf.find_soffice() is None, reason="LibreOffice (soffice) not installed"
)


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for ref in fonts.values():
            names.add(str(ref.get_object().get("/BaseFont")))
    return names


@needs_soffice
def test_pdf_copies_show_chinese_in_cjk_faces(tmp_path):
    data = small_dossier(name="数据中心运维外包项目")
    data["risks"] = [
        {
            "id": "R1",
            "category": "security",
            "description": "数据泄露",
            "likelihood": 2,
            "impact": 5,
        }
    ]
    path = write_dossier(tmp_path, data)
    out = tmp_path / "out"
    result = generate(path, out, only=["contract", "risk_register"], pdf=True)
    assert result.ok, [str(e) for e in result.errors]
    assert sorted(p.name for p in result.pdfs) == sorted(
        f.path.with_suffix(".pdf").name for f in result.written
    )
    for made in result.pdfs:
        reader = PdfReader(made)
        text = "".join(page.extract_text() for page in reader.pages)
        assert "数据中心运维外包项目" in text, made.name
        fonts = _fonts(reader)
        assert any("NotoSerifCJK" in f or "NotoSansCJK" in f for f in fonts), fonts
    contract = next(p for p in result.pdfs if p.name.endswith("服务合同.pdf"))
    reader = PdfReader(contract)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 2.54, 1), round(float(box.height) / 72 * 2.54, 1)) == (
        21.0,
        29.7,
    )
    text = "".join(page.extract_text() for page in reader.pages)
    assert "人民币壹拾万零壹元整" in text
    assert any("NotoSerifCJK" in f for f in _fonts(reader)), (
        "宋体 body should come out in Noto Serif CJK"
    )
    assert not list(out.glob(".itdocs-pdf-*")), "scratch folder removed"


@needs_soffice
def test_existing_pdf_is_not_replaced_without_force(tmp_path):
    path = write_dossier(tmp_path, small_dossier())
    out = tmp_path / "out"
    generate(path, out, only="requirement_form", pdf=True)
    [existing] = out.glob("*.pdf")
    existing.write_bytes(b"%PDF-1.4 signed copy")
    (next(out.glob("*.docx"))).unlink()
    result = generate(path, out, only="requirement_form", pdf=True)
    assert result.skipped == [existing]
    assert existing.read_bytes() == b"%PDF-1.4 signed copy"


def test_missing_soffice_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ITDOCS_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(ConversionError, match="LibreOffice") as caught:
        pdf.convert([tmp_path / "x.docx"], tmp_path)
    assert "apt-get install" in caught.value.hint


def test_missing_soffice_reported_by_generate(tmp_path, monkeypatch):
    monkeypatch.setenv("ITDOCS_SOFFICE", str(tmp_path / "no-such-soffice"))
    path = write_dossier(tmp_path, small_dossier())
    with pytest.raises(ConversionError):
        generate(path, tmp_path / "out", only="contract", pdf=True)


def test_timeout_kills_the_conversion(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("ITDOCS_SOFFICE", str(fake))
    with pytest.raises(ConversionError, match="超时|timed out"):
        pdf.convert([tmp_path / "x.docx"], tmp_path / "pdf", timeout=0.5)


def test_fontconfig_maps_windows_chinese_fonts(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text(pdf.fonts_conf(), encoding="utf-8")
    assert "<string>宋体</string>" in conf.read_text(encoding="utf-8")
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig tools not installed")
    installed = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=True
    ).stdout
    if "Noto Serif CJK SC" not in installed:
        pytest.skip("fonts-noto-cjk not installed")
    env = {"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin"}
    for name, face in (
        ("宋体", "Noto Serif CJK SC"),
        ("SimHei", "Noto Sans CJK SC"),
        ("黑体", "Noto Sans CJK SC"),
    ):
        found = subprocess.run(
            ["fc-match", "-f", "%{family}", name],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        assert face in found, (name, found)
