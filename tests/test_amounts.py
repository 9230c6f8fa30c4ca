"""Money in figures and Chinese capitals: what a contract states twice must agree to the fen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itdocs.amounts import DIGITS, capitals, figures, in_words, integer_capitals, parse_money, total


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (468000, "人民币肆拾陆万捌仟元整"),
        ("468000.00", "人民币肆拾陆万捌仟元整"),
        ("100.05", "人民币壹佰元零伍分"),
        (100001, "人民币壹拾万零壹元整"),
        ("1000000.50", "人民币壹佰万元零伍角整"),
        (1000000, "人民币壹佰万元整"),
        (0, "人民币零元整"),
        ("0.05", "人民币伍分"),
        ("0.50", "人民币伍角整"),
        ("1.50", "人民币壹元伍角整"),
        (16, "人民币壹拾陆元整"),
        (10, "人民币壹拾元整"),
        (1010, "人民币壹仟零壹拾元整"),
        (10010, "人民币壹万零壹拾元整"),
        (100100, "人民币壹拾万零壹佰元整"),
        (105000, "人民币壹拾万伍仟元整"),
        ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),  # bank rules' own example
        ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),  # bank rules' own example
        (100010000, "人民币壹亿零壹万元整"),
        (120000000, "人民币壹亿贰仟万元整"),
        (1000000001000, "人民币壹万亿零壹仟元整"),
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
    ],
)
def test_capitals_follow_the_bank_rules(amount, expected):
    assert capitals(amount) == expected


def test_prefix_can_be_left_out():
    assert capitals(468000, prefix="") == "肆拾陆万捌仟元整"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (468000, Decimal("468000.00")),
        ("468000.5", Decimal("468000.50")),
        ("1,200.00", Decimal("1200.00")),
        (Decimal(3), Decimal("3.00")),
    ],
)
def test_parse_money_is_exact(value, expected):
    assert parse_money(value) == expected
    assert str(parse_money(value)) == str(expected)


@pytest.mark.parametrize("bad", [0.1, True, "abc", "1.005", "-5", None, [], "NaN", "Infinity"])
def test_parse_money_refuses_what_is_not_money(bad):
    with pytest.raises(ValueError):
        parse_money(bad)


def test_signed_amounts_for_cost_impacts():
    assert parse_money("-1200", signed=True) == Decimal("-1200.00")
    assert in_words("-1200", signed=True) == "减少人民币壹仟贰佰元整（¥1,200.00）"
    assert in_words(3000, signed=True) == "增加人民币叁仟元整（¥3,000.00）"
    assert in_words(0, signed=True) == "无（¥0.00）"
    assert figures("-1200.5", symbol="¥", signed=True) == "-¥1,200.50"


def test_figures_and_words_agree():
    assert figures(468000) == "468,000.00"
    assert figures("468000.00", symbol="¥") == "¥468,000.00"
    assert in_words(468000) == "人民币肆拾陆万捌仟元整（¥468,000.00）"


def test_total_is_exact():
    assert total(["0.10", "0.20"]) == Decimal("0.30")
    assert total([]) == Decimal("0.00")


def test_too_large_for_capitals():
    with pytest.raises(ValueError):
        capitals(10**16)


_VALUE = {d: i for i, d in enumerate(DIGITS)}
_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _read_back(text: str) -> Decimal:
    """Parse capitals back into a number, independently of how they were produced."""
    text = text.removeprefix("人民币").removesuffix("整")
    yuan_text, _, rest = text.partition("元") if "元" in text else ("", "", text)
    number, section, digit = 0, 0, 0
    for ch in yuan_text:
        if ch in _VALUE:
            digit = _VALUE[ch]
        elif ch in _UNITS:
            section += digit * _UNITS[ch]
            digit = 0
        elif ch == "万":
            # 万 after 亿 scales the current section only; 万亿 scales everything so far.
            section = (section + digit) * 10**4
            number += section
            section = digit = 0
        elif ch == "亿":
            number = (number + section + digit) * 10**8
            section = digit = 0
    number += section + digit
    cents = 0
    for ch, scale in (("角", 10), ("分", 1)):
        if ch in rest:
            head, rest = rest.split(ch, 1)
            cents += _VALUE[head[-1]] * scale
    return Decimal(number) + Decimal(cents) / 100


@given(st.integers(min_value=0, max_value=99_999_999_999))
def test_capitals_read_back_to_the_same_amount(cents):
    amount = Decimal(cents) / 100
    text = capitals(amount.quantize(Decimal("0.01")))
    assert _read_back(text) == amount
    assert "零零" not in text
    assert not text.removeprefix("人民币").startswith("拾")
    assert text.endswith("整") != text.endswith("分")


def test_integer_capitals():
    assert integer_capitals(0) == "零"
    assert integer_capitals(20) == "贰拾"
    assert integer_capitals(200000000) == "贰亿"
