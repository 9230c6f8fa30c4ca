"""itdocs: IT-project dossiers → Word/Excel paperwork, and compliance checks on it.

The library API (no click needed)::

    import itdocs
    results = itdocs.validate(["samples/"])
    report = itdocs.check(["samples/"], as_of=datetime.date(2026, 11, 21))
    for finding in report.findings: ...
    result = itdocs.generate("samples/procurement-erp-ops.yaml", "out/")
"""
from __future__ import annotations

__version__ = "0.2.0"

from itdocs.engine import check
from itdocs.validation import validate

__all__ = ["__version__", "check", "generate", "validate"]


def __getattr__(name: str):  # PEP 562: docxtpl/openpyxl load only when generation is used
    if name == "generate":
        from itdocs.generator import generate

        return generate
    raise AttributeError(f"module 'itdocs' has no attribute {name!r}")
