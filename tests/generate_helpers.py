"""Helpers for the generation tests: read back what a clerk would see in a generated file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from docx import Document
from openpyxl import load_workbook

from itdocs import starter
from itdocs.loader import load


def docx_text(path: Path) -> str:
    """All text of a .docx: paragraphs, every table cell (nested too), headers and footers."""
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]

    def tables(items):
        for table in items:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(doc.tables)
    for section in doc.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)


def xlsx_values(path: Path) -> list[Any]:
    book = load_workbook(path)
    return [
        cell.value
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def load_data(path: Path) -> dict[str, Any]:
    return load(path).data


def write_dossier(folder: Path, data: dict[str, Any], name: str = "dossier.json") -> Path:
    path = folder / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def small_dossier(kind: str = "outsourcing", **project: Any) -> dict[str, Any]:
    """A valid starter dossier with a few real values (no TODOs where the tests look)."""
    data = copy.deepcopy(starter.starter(kind))
    data["project"].update(
        {"name": "测试项目", "manager": "张三", "department": "信息技术部", **project}
    )
    data["requirement"].update({"date": "2026-09-01", "requester": "李四", "content": "需求内容"})
    if "contract" in data:
        data["contract"].update(
            {
                "start_date": "2026-10-01",
                "end_date": "2027-09-30",
                "amount": "100001.00",
                "signed_date": "2026-09-20",
            }
        )
        data["contract"]["payment"][0]["amount"] = "100001.00"
    return data
