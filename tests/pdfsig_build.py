"""Signed PDFs for the pdfsig tests: a self-signed certificate made with ``cryptography`` and a
signature applied with pyHanko's SimpleSigner (import only when pyHanko is installed)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from docbuild import build_pdf


@dataclass
class Signer:
    certificate_pem: bytes
    asn1_cert: Any
    signer: Any


def make_signer(common_name: str = "张三") -> Signer:
    from asn1crypto import keys as akeys
    from asn1crypto import x509 as ax509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.sign import signers

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.timezone.utc)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    asn1_cert = ax509.Certificate.load(der)
    asn1_key = akeys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    signer = signers.SimpleSigner(signing_cert=asn1_cert, signing_key=asn1_key, cert_registry=None)
    return Signer(cert.public_bytes(serialization.Encoding.PEM), asn1_cert, signer)


def signed_pdf(signer: Signer, field: str = "甲方代表", text: str = "服务合同 甲方 乙方") -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(build_pdf([[text]])), strict=False)
    out = signers.sign_pdf(
        writer,
        signers.PdfSignatureMetadata(field_name=field),
        signer=signer.signer,
        new_field_spec=fields.SigFieldSpec(field, box=(10, 10, 100, 50)),
    )
    return out.getvalue()


def modified_after_signing(signed: bytes) -> bytes:
    """An incremental update replacing the first page's content stream after the signature."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 12 Tf 10 10 Td (changed) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def corrupt_signature(signed: bytes) -> bytes:
    """One hex digit of the CMS blob in /Contents changed (inside the signature value itself)."""
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    end = signed.index(b">", start)
    blob = signed[start:end].rstrip(b"0")  # the signature, without its zero padding
    i = start + len(blob) - 40  # near the end: the signature value, not the structure
    flipped = b"0" if signed[i : i + 1] != b"0" else b"1"
    return signed[:i] + flipped + signed[i + 1 :]
