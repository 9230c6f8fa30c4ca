"""PDF signatures validated with pyHanko (the ``pdfsig`` extra): intact and trusted or not,
changed after signing, broken — and a changed one is a ``security/pdf-signature-invalid`` finding."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("pyhanko.sign.validation")
pytest.importorskip("cryptography")

from pdfsig_build import (
    corrupt_signature,
    make_signer,
    modified_after_signing,
    signed_pdf,
)

from itdocs.engine import check
from itdocs.extract import extract
from itdocs.extract.pdfsig import validate_signatures


@pytest.fixture(scope="module")
def signer():
    return make_signer()


@pytest.fixture(scope="module")
def signed(signer):
    return signed_pdf(signer)


def test_intact_self_signed_is_valid_untrusted(signed):
    assert validate_signatures(signed) == {"甲方代表": "valid-untrusted"}


def test_trust_root_makes_it_trusted(signed, signer, tmp_path):
    root = tmp_path / "root.pem"
    root.write_bytes(signer.certificate_pem)
    assert validate_signatures(signed, trust_roots=[root]) == {"甲方代表": "valid-trusted"}


def test_another_root_leaves_it_untrusted(signed, tmp_path):
    other = tmp_path / "other.pem"
    other.write_bytes(make_signer("李四").certificate_pem)
    assert validate_signatures(signed, trust_roots=[other]) == {"甲方代表": "valid-untrusted"}


def test_incremental_update_after_signing_is_modified(signed):
    assert validate_signatures(modified_after_signing(signed)) == {"甲方代表": "modified"}


def test_signed_bytes_changed_is_modified(signed):
    i = signed.index(b"/MediaBox")
    tampered = signed[:i] + b"/MediaBoy" + signed[i + len(b"/MediaBox") :]
    assert validate_signatures(tampered) == {"甲方代表": "modified"}


def test_corrupt_signature_is_invalid(signed):
    assert validate_signatures(corrupt_signature(signed)) == {"甲方代表": "invalid"}


def test_garbage_is_no_crash():
    assert validate_signatures(b"%PDF-1.7\n garbage") == {}
    assert validate_signatures(b"") == {}


def test_reader_carries_the_status(signed, tmp_path):
    good = tmp_path / "good.pdf"
    good.write_bytes(signed)
    doc = extract(good)
    [field] = doc.pdf_signatures
    assert field.status == "valid-untrusted"
    assert field.signer is None or isinstance(field.signer, str)
    assert "pdf-signature-invalid" not in doc.problem_codes
    [row] = doc.signature_rows
    assert row.signed and row.basis == "pdf-valid-untrusted"

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(modified_after_signing(signed))
    doc = extract(bad)
    [field] = doc.pdf_signatures
    assert field.status == "modified"
    assert doc.problem_codes == ("pdf-signature-invalid",)
    assert doc.text_blocks  # still read


def test_without_pyhanko_claimed_stays(signed, tmp_path, monkeypatch):
    from itdocs.extract import pdfsig

    monkeypatch.setattr(pdfsig, "available", lambda: False)
    path = tmp_path / "signed.pdf"
    path.write_bytes(modified_after_signing(signed))
    doc = extract(path)
    [field] = doc.pdf_signatures
    assert field.status == "claimed"
    assert doc.problems == ()


def test_check_reports_the_modified_pdf(signed, tmp_path):
    folder = tmp_path / "归档"
    folder.mkdir()
    (folder / "ERP运维外包项目-2026年7月31日-服务合同.pdf").write_bytes(
        modified_after_signing(signed)
    )
    (folder / "ERP运维外包项目-2026年8月1日-服务合同.pdf").write_bytes(signed)
    report = check([folder], waivers=False, as_of=dt.date(2026, 11, 20))
    hits = [f for f in report.findings if f.rule == "security/pdf-signature-invalid"]
    assert len(hits) == 1
    assert "7月31日" in str(hits[0].to_dict() if hasattr(hits[0], "to_dict") else hits[0])
