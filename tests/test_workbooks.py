"""Excel documents: live formulas a clerk can edit, levels from the policy, Chinese-friendly layout."""

from __future__ import annotations

import io
import json

import pytest
from generate_helpers import small_dossier
from openpyxl import load_workbook

from itdocs import sheets, workbooks
from itdocs.documents import base_view, document_context
from itdocs.plan import plan_documents
from itdocs.policy import Policy, load_policy


def _context(data, type_id, policy):
    [doc] = [d for d in plan_documents(data, policy=policy).documents if d.doc_type.id == type_id]
    return document_context(doc, data, base_view(data, policy=policy), policy=policy)


@pytest.fixture
def data():
    data = small_dossier()
    data["suppliers"] = {
        "method": "price_comparison",
        "date": "2026-08-20",
        "evaluators": ["甲", "乙"],
        "candidates": [
            {
                "name": "甲公司",
                "quote": "468000.00",
                "scores": {"history": 88, "capability": 92, "price": 90},
            },
            {
                "name": "乙公司",
                "quote": 526000,
                "scores": {"history": 90, "capability": 88, "price": 78},
            },
            {
                "name": "丙公司",
                "quote": "438000.5",
                "scores": {"history": 72, "capability": 75, "price": 95},
            },
        ],
        "chosen": "甲公司",
        "reason": "综合得分最高",
    }
    data["risks"] = [
        {"id": "R1", "category": "technical", "description": "接口", "likelihood": 4, "impact": 5},
        {"id": "R2", "category": "schedule", "description": "进度", "likelihood": 1, "impact": 2},
    ]
    data["performance"] = {
        "period": "2026年第三季度",
        "date": "2026-10-15",
        "evaluator": "王",
        "kpis": {
            "on_time_delivery_rate": 97.8,
            "complaint_rate": 3.5,
            "cost_control_rate": 97.2,
            "user_satisfaction": 94.2,
        },
        "consequence": "rectify",
    }
    return data


def _sheet(payload: bytes):
    return load_workbook(io.BytesIO(payload)).active


def _find(ws, value):
    return next(c for row in ws.iter_rows() for c in row if c.value == value)


def _evaluate(ws, formula: str) -> float:
    """Evaluate =ROUND(E9*$E$7/100+…,2) from the sheet's own cells (no spreadsheet engine here)."""
    expression = formula.lstrip("=").replace("ROUND(", "round(").replace("$", "")
    import re

    expression = re.sub(r"\b([A-Z]+[0-9]+)\b", lambda m: repr(ws[m.group(1)].value), expression)
    return eval(expression)


def test_supplier_totals_are_live_formulas_over_weight_cells(data):
    policy = load_policy()
    ws = _sheet(
        workbooks.supplier_evaluation(data, _context(data, "supplier_evaluation", policy), policy)
    )
    row = _find(ws, "甲公司").row
    total = ws[f"H{row}"].value
    assert total.startswith("=ROUND(") and "$E$" in total and "$F$" in total and "$G$" in total
    assert _evaluate(ws, total) == pytest.approx(88 * 0.3 + 92 * 0.4 + 90 * 0.3)
    assert ws[f"I{row}"].value.startswith("=RANK(")
    assert ws[f"D{row}"].number_format == "#,##0.00"
    weights_row = int(total.split("$E$")[1].split("/")[0])
    assert [ws.cell(weights_row, c).value for c in (5, 6, 7)] == [30, 40, 30]
    assert "比价" in [c.value for r in ws.iter_rows() for c in r]


def test_dossier_weights_override_policy(data):
    data["suppliers"]["weights"] = {"history": 20, "capability": 50, "price": 30}
    policy = load_policy()
    ws = _sheet(
        workbooks.supplier_evaluation(data, _context(data, "supplier_evaluation", policy), policy)
    )
    total = ws[f"H{_find(ws, '甲公司').row}"].value
    assert _evaluate(ws, total) == pytest.approx(88 * 0.2 + 92 * 0.5 + 90 * 0.3)


def test_risk_levels_follow_policy_thresholds_and_colour(data):
    base = load_policy()
    params = json.loads(json.dumps(base.parameters))
    params["risk_levels"] = {"low": 1, "medium": 4, "high": 9, "critical": 20}
    policy = Policy(params, base.rules)
    ws = _sheet(workbooks.risk_register(data, _context(data, "risk_register", policy), policy))
    row = _find(ws, "R1").row
    assert ws[f"F{row}"].value == f'=IF(OR(D{row}="",E{row}=""),"",D{row}*E{row})'
    level = ws[f"G{row}"].value
    assert level.startswith("=IF(") and "极高" in level
    thresholds = [
        int(c.value)
        for r in ws.iter_rows(max_row=row - 1)
        for c in r
        if isinstance(c.value, int) and c.column in (4, 6, 8, 10)
    ]
    assert thresholds == [1, 4, 9, 20]
    rules = [rule for rng in ws.conditional_formatting for rule in rng.rules]
    assert len(rules) == 4 and all(rule.dxf.fill is not None for rule in rules)
    assert any('"极高"' in rule.formula[0] for rule in rules)
    assert ws.max_row >= row + 1 + 5, "spare rows for new risks, formulas ready"


def test_performance_evaluation_checks_each_kpi(data):
    policy = load_policy()
    ws = _sheet(
        workbooks.performance_evaluation(
            data, _context(data, "performance_evaluation", policy), policy
        )
    )
    row = _find(ws, "投诉率（%）").row
    assert ws[f"C{row}"].value == "不高于" and ws[f"E{row}"].value == 3.5
    assert ws[f"F{row}"].value.startswith("=IF(")
    values = [c.value for r in ws.iter_rows() for c in r]
    assert any(isinstance(v, str) and "☑ 限期整改" in v for v in values)
    assert "王" in values


@pytest.mark.parametrize(
    "builder", ["supplier_evaluation", "risk_register", "performance_evaluation"]
)
def test_layout_is_chinese_friendly(data, builder):
    policy = load_policy()
    ws = _sheet(getattr(workbooks, builder)(data, _context(data, builder, policy), policy))
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.freeze_panes and ws.print_title_rows
    fonts = {c.font.name for r in ws.iter_rows() for c in r if c.value is not None}
    assert fonts <= {"宋体", "黑体"}
    widths = [ws.column_dimensions[c].width for c in "ABCDEF"]
    assert all(w and w >= 6 for w in widths), widths


def test_text_width_counts_chinese_twice():
    assert sheets.text_width("ab") == 2
    assert sheets.text_width("中文") == 4
    assert sheets.text_width("第一行\n长一点的第二行") == 14
