"""The Chinese text understanding of itdocs/extract, table-driven from tests/data/extract_cases.yaml,
plus a property test: no text, however odd, makes these functions raise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from itdocs.extract.dates import find_dates, parse_period
from itdocs.extract.fields import fields_in_text, make_field, parse_amount
from itdocs.extract.model import Cell, Grid, TextBlock
from itdocs.extract.sections import find_clauses, resolutions_in_text
from itdocs.extract.signatures import (
    canonical_role,
    is_placeholder,
    signature_rows_in_grid,
)
from itdocs.extract.sigtext import signature_rows_in_text

CASES = yaml.safe_load(
    (Path(__file__).parent / "data" / "extract_cases.yaml").read_text(encoding="utf-8")
)


def _when(text: str | None):
    if text is None:
        return None
    return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)


def _ids(section: str, key: str = "text"):
    return [str(c.get(key) if key in c else c.get("lines"))[:40] for c in CASES[section]]


@pytest.mark.parametrize("case", CASES["dates"], ids=_ids("dates"))
def test_dates(case):
    assert [v for v, _s, _e in find_dates(case["text"])] == [_when(w) for w in case["want"]]


@pytest.mark.parametrize("case", CASES["periods"], ids=_ids("periods"))
def test_periods(case):
    period = parse_period(case["text"])
    if case["want"] is None:
        assert period is None
    else:
        kind, start, end, label = case["want"]
        assert (period.kind, period.start, period.end, period.label) == (
            kind,
            _when(start),
            _when(end),
            label,
        )


@pytest.mark.parametrize("case", CASES["amounts"], ids=_ids("amounts"))
def test_amounts(case):
    want = None if case["want"] is None else Decimal(case["want"])
    got = parse_amount(case["text"])
    assert got == want and (want is None or str(got) == case["want"])


@pytest.mark.parametrize("case", CASES["fields"], ids=_ids("fields"))
def test_fields_in_text(case):
    got = [[f.label, f.key, f.value] for f in fields_in_text(case["text"], "第1段")]
    assert got == case["want"]


@pytest.mark.parametrize("case", CASES["parsed"], ids=_ids("parsed", "label"))
def test_parsed_value(case):
    parsed = make_field(case["label"], case["value"], "x").parsed
    if case["want"] is None:
        assert parsed is None
    elif hasattr(parsed, "label"):
        assert parsed.label == case["want"]
    elif isinstance(parsed, Decimal):
        assert parsed == Decimal(case["want"])
    else:
        assert parsed == _when(case["want"])


@pytest.mark.parametrize("case", CASES["roles"], ids=_ids("roles"))
def test_roles(case):
    assert canonical_role(case["text"]) == case["want"]


@pytest.mark.parametrize("case", CASES["placeholders"], ids=_ids("placeholders"))
def test_placeholders(case):
    assert is_placeholder(case["text"]) is case["want"]


def _blocks(lines: list[str]) -> list[TextBlock]:
    return [
        TextBlock(line[2:], f"第{i}段", "heading")
        if line.startswith("# ")
        else TextBlock(line, f"第{i}段")
        for i, line in enumerate(lines, 1)
    ]


@pytest.mark.parametrize("case", CASES["clauses"], ids=_ids("clauses", "lines"))
def test_clauses(case):
    assert sorted(find_clauses(_blocks(case["lines"]))) == sorted(case["want"])


@pytest.mark.parametrize("case", CASES["resolutions"], ids=_ids("resolutions", "lines"))
def test_resolutions(case):
    got = [[r.owner, r.due] for r in resolutions_in_text(_blocks(case["lines"]))]
    assert got == [[owner, _when(due)] for owner, due in case["want"]]


def _grid(rows: list[list[str]], images: set[tuple[int, int]] = frozenset()) -> Grid:
    cells = [
        [Cell(t, f"表1 行{r + 1} 列{c + 1}", (r, c) in images) for c, t in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    return Grid("表1", cells, [f"表1 行{r + 1}" for r in range(len(rows))])


def test_column_per_party_with_label_column():
    grid = _grid(
        [["", "甲方", "乙方"], ["代表签字", "", "李四"], ["日期", "2026-09-01", "2026年9月2日"]],
        images={(1, 1)},
    )
    rows, _ = signature_rows_in_grid(grid)
    assert [(r.role_key, r.signed, r.basis, r.date) for r in rows] == [
        ("party_a", True, "image", dt.date(2026, 9, 1)),
        ("party_b", True, "text", dt.date(2026, 9, 2)),
    ]


def test_seal_line_with_company_name_is_not_a_signature():
    blocks = [
        TextBlock("甲方（盖章）：某某集团有限公司", "第1段"),
        TextBlock("日期：2026年9月1日", "第2段"),
        TextBlock("乙方代表（签字）：", "第3段"),
        TextBlock("", "第4段", "image"),
    ]
    rows = signature_rows_in_text(blocks, {"第4段"})
    assert [(r.role_key, r.signed, r.name, r.date, r.basis) for r in rows] == [
        ("party_a", False, "某某集团有限公司", dt.date(2026, 9, 1), "none"),
        ("party_b", True, None, None, "image"),
    ]


def test_representative_line_takes_the_party_above():
    blocks = [
        TextBlock("乙方（盖章）：某某科技有限公司", "第1段"),
        TextBlock("授权代表（签字）：李四", "第2段"),
    ]
    rows = signature_rows_in_text(blocks)
    assert [(r.role, r.role_key, r.signed) for r in rows] == [
        ("乙方", "party_b", False),
        ("乙方授权代表", "party_b", True),
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_no_text_makes_the_readers_raise(text):
    find_dates(text)
    parse_period(text)
    parse_amount(text)
    fields_in_text(text, "x")
    canonical_role(text)
    blocks = [TextBlock(line, "x") for line in text.splitlines()]
    find_clauses(blocks)
    resolutions_in_text(blocks)
    signature_rows_in_text(blocks)
    signature_rows_in_grid(_grid([[text, "签字", text], ["日期", text, ""]]))


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet="0123456789年月日号至到-/.:：第周季度上下半年万元¥,壹贰拾佰仟零一二三十签字日期甲方乙方（）决议负责人 \n",
        max_size=60,
    )
)
def test_no_date_like_text_makes_the_readers_raise(text):
    test_no_text_makes_the_readers_raise.hypothesis.inner_test(text)


def test_inline_row_with_spaced_labels():
    grid = _grid([["部门负责人", "签  字", "", "日  期", "2026-09-02"]], images={(0, 2)})
    rows, used = signature_rows_in_grid(grid)
    assert [(r.role_key, r.signed, r.basis, r.date) for r in rows] == [
        ("department_head", True, "image", dt.date(2026, 9, 2))
    ]
    assert used == {0}


def test_two_column_signature_lines_as_pdf_text_gives_them():
    page = (
        "甲方（盖章）：某某集团有限公司 乙方（盖章）：某某科技有限公司\n"
        "授权代表（签字）：\n授权代表（签字）：李四\n"
        "日期：2026 年9 月1 日         日期： 年 月 日"
    )
    rows = signature_rows_in_text([TextBlock(page, "第3页", "page")])
    assert [(r.role, r.role_key, r.signed, r.date) for r in rows] == [
        ("甲方", "party_a", False, None),
        ("乙方", "party_b", False, None),
        ("甲方授权代表", "party_a", False, dt.date(2026, 9, 1)),
        ("乙方授权代表", "party_b", True, None),
    ]
