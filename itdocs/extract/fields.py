"""Labelled fields in Chinese paperwork: ``标签：值`` in a paragraph (full- or half-width colon, labels
spaced out for alignment as in ``日　　期：``) and a table cell next to its label; amounts in figures
(``¥468,000.00``, ``468000元``, ``46.8万元``) and in capitals (``人民币肆拾陆万捌仟元整``).

Labels are kept as written; ``canonical_label`` maps the many ways forms spell one thing
(``签署日期``, ``合同签订日期``) to the key the rules use (``签订日期``), and the key says how to parse the
value (date, period, amount). Pure functions: every rule here is table-tested.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from itdocs.extract.dates import parse_date, parse_period
from itdocs.extract.model import Field, Grid, TextBlock

#: Canonical key → the spellings seen on forms. Order within a list does not matter.
LABELS: dict[str, tuple[str, ...]] = {
    "日期": ("日期",),
    "申请日期": ("申请日期", "申请时间", "提出日期", "提交申请日期"),
    "签订日期": ("签订日期", "签署日期", "签约日期", "合同签订日期", "签订时间", "签署时间"),
    "审批日期": ("审批日期", "审批时间", "批准日期"),
    "会议时间": ("会议时间", "会议日期", "开会时间", "召开时间"),
    "纪要日期": ("纪要日期", "记录日期", "整理日期", "纪要时间", "纪要整理日期"),
    "报告日期": ("报告日期", "填报日期", "编制日期", "提交日期", "报送日期"),
    "报告周期": ("报告周期", "统计周期", "报告期"),
    "报告期间": ("报告期间", "统计期间"),
    "验收日期": ("验收日期", "验收时间"),
    "甲方": ("甲方", "委托方", "采购方", "发包方", "需方", "甲方名称", "甲方单位"),
    "乙方": ("乙方", "受托方", "服务方", "承包方", "供方", "乙方名称", "乙方单位", "供应商名称"),
    "合同金额": ("合同金额", "合同总金额", "合同总价", "合同价款", "合同总额", "合同价格"),
    "金额": ("金额", "总金额", "总价", "总计"),
    "预算": ("预算", "预算金额", "项目预算"),
    "验收结论": ("验收结论", "验收意见", "验收结果"),
    "第三方机构": ("第三方机构", "第三方", "第三方验收机构", "第三方评估机构", "第三方测评机构"),
    "服务期限": ("服务期限", "合同期限", "服务期", "有效期"),
    "项目名称": ("项目名称",),
    "项目编号": ("项目编号",),
    "合同编号": ("合同编号",),
    "合同名称": ("合同名称",),
    "申请部门": ("申请部门", "需求部门"),
    "申请人": ("申请人", "需求人", "经办人"),
    "供应商": ("供应商",),
    "会议地点": ("会议地点", "地点"),
    "会议主题": ("会议主题", "会议议题", "主题"),
    "主持人": ("主持人",),
    "参会人员": ("参会人员", "出席人员", "与会人员", "参加人员"),
    "记录人": ("记录人",),
    "紧急程度": ("紧急程度",),
}
DATE_KEYS = frozenset(
    {"日期", "申请日期", "签订日期", "审批日期", "会议时间", "纪要日期", "报告日期", "验收日期"}
)
PERIOD_KEYS = frozenset({"报告周期", "报告期间", "服务期限"})
AMOUNT_KEYS = frozenset({"合同金额", "金额", "预算"})

_VARIANT_TO_KEY = {v: key for key, variants in LABELS.items() for v in variants}
# Suffix matching only for specific labels: "付款日期" must not become "日期", "非甲方" not "甲方".
_SUFFIX_LENGTHS = sorted({len(v) for v in _VARIANT_TO_KEY if len(v) >= 4}, reverse=True)

_SPACE = r"[ \t\u3000\xa0]*"
_KNOWN = "|".join(
    _SPACE.join(map(re.escape, v))
    for v in sorted(_VARIANT_TO_KEY, key=len, reverse=True)
    if len(v) >= 2
)
_LABEL_CHAR = r"[\u4e00-\u9fffA-Za-z0-9（）()【】\[\]/、·]"
_LABEL_END = r"[\u4e00-\u9fffA-Za-z（）()】\]]"
_PAIR = re.compile(
    rf"(?P<label>(?:{_KNOWN})(?:[（(][^）)]{{0,12}}[）)])?|[\u4e00-\u9fffA-Za-z]{_LABEL_CHAR}{{0,14}}?{_LABEL_END}|[\u4e00-\u9fff])"
    rf"{_SPACE}[：:]"
)
_PAREN = re.compile(r"[（(][^）)]*[）)]")
_TRAILING = " \t\u3000\xa0,，;；。、"


def clean_label(text: str) -> str:
    """``日　　期：`` → ``日期``; ``合同金额（元）`` → ``合同金额``; ``*申请人`` → ``申请人``."""
    text = _PAREN.sub("", text)
    return re.sub(r"[\s\u3000\xa0*＊:：]", "", text)


@functools.lru_cache(maxsize=8192)  # forms repeat the same few labels in every file
def canonical_label(label: str) -> str | None:
    """The key for a label as written, or None. Exact spellings first, then a specific known label
    at the end (``本次验收日期`` → ``验收日期``)."""
    cleaned = clean_label(label)
    key = _VARIANT_TO_KEY.get(cleaned)
    if key or len(cleaned) > 12:
        return key
    for length in _SUFFIX_LENGTHS:
        key = _VARIANT_TO_KEY.get(cleaned[-length:]) if len(cleaned) > length else None
        if key:
            return key
    return None


def parse_value(key: str | None, value: str) -> Any:
    """The value understood by its key's type, or None."""
    if not key or not value:
        return None
    if key in DATE_KEYS:
        return parse_date(value)
    if key in PERIOD_KEYS:
        return parse_period(value)
    if key in AMOUNT_KEYS:
        return parse_amount(value)
    return None


def make_field(label: str, value: str, location: str) -> Field:
    label = re.sub(r"[ \t\u3000\xa0]+", "", label).strip(_TRAILING + ":：")
    key = canonical_label(label)
    value = value.strip(_TRAILING)
    return Field(
        label=label, value=value, location=location, key=key, parsed=parse_value(key, value)
    )


def fields_in_text(text: str, location: str) -> list[Field]:
    """Every ``标签：值`` pair of a paragraph or cell; the value runs to the next label or line end."""
    if "：" not in text and ":" not in text:
        return []
    out: list[Field] = []
    for line in text.splitlines():
        matches = [m for m in _PAIR.finditer(line) if line[m.end() : m.end() + 2] != "//"]
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            out.append(make_field(m.group("label"), line[m.end() : end], location))
    return out


@functools.lru_cache(maxsize=8192)
def is_label_cell(text: str) -> bool:
    """A table cell that is a label on its own (``申请日期``, ``日　期：``, ``项目名称:``)."""
    if not text or "\n" in text or len(text) > 20:
        return False
    stripped = text.strip()
    if stripped[-1:] in ("：", ":"):
        return bool(re.fullmatch(rf"{_LABEL_CHAR}[{_LABEL_CHAR[1:-1]} \u3000]*[：:]", stripped))
    return canonical_label(stripped) is not None and clean_label(stripped) in _VARIANT_TO_KEY


def _distinct(row: list[Any]) -> list[Any]:
    """Merged cells repeat the same object in each grid slot; keep one."""
    out: list[Any] = []
    for cell in row:
        if not out or cell is not out[-1]:
            out.append(cell)
    return out


def fields_in_grid(grid: Grid, *, skip_rows: Iterable[int] = ()) -> Iterator[Field]:
    """Label cells with their value in the next cell of the row, or — for a header row made only of
    labels — in the cell below."""
    skip = set(skip_rows)
    for r, row in enumerate(grid.rows):
        if r in skip:
            continue
        cells = _distinct(row)
        labels = [is_label_cell(c.text) for c in cells]
        non_empty = [c for c in cells if c.text]
        if len(non_empty) >= 2 and all(labels[i] for i, c in enumerate(cells) if c.text):
            if r + 1 < len(grid.rows) and r + 1 not in skip:
                below = grid.rows[r + 1]
                for i, cell in enumerate(row):
                    first_slot = i == 0 or row[i - 1] is not cell
                    if not cell.text or not first_slot or i >= len(below) or below[i] is cell:
                        continue
                    if not is_label_cell(below[i].text):
                        yield make_field(cell.text, below[i].text, below[i].location)
            continue
        for i, cell in enumerate(cells):
            if not labels[i] or i + 1 >= len(cells) or labels[i + 1]:
                continue
            yield make_field(cell.text, cells[i + 1].text, cells[i + 1].location)


_SPACED_PAIR = re.compile(
    rf"^(?P<label>(?:{'|'.join(map(re.escape, sorted(_VARIANT_TO_KEY, key=len, reverse=True)))})"
    r"(?:[（(][^）)]{0,12}[）)])?)[ \t\u3000]+(?P<value>\S.*)$"
)


def fields_in_page_lines(text: str, location: str) -> list[Field]:
    """PDF text loses table borders: ``项目名称 ERP运维外包项目`` is a label cell and its value. Only
    known labels count, and a value that is itself a label (a header row) does not."""
    out: list[Field] = []
    for line in text.splitlines():
        line = line.strip()
        if "：" in line or ":" in line:
            continue
        m = _SPACED_PAIR.match(line)
        if m and not _SPACED_PAIR.match(m.group("value")) and not is_label_cell(m.group("value")):
            out.append(make_field(m.group("label"), m.group("value"), location))
    return out


def fields_in_blocks(
    blocks: Iterable[TextBlock], *, page_labels_read: frozenset[str] = frozenset()
) -> Iterator[Field]:
    """``page_labels_read``: labels a PDF's rebuilt tables already give (their page line is
    skipped)."""
    for block in blocks:
        yield from fields_in_text(block.text, block.location)
        if block.kind == "page":
            for f in fields_in_page_lines(block.text, block.location):
                if f.label not in page_labels_read:
                    yield f


# Amounts -------------------------------------------------------------------------------------------

_CN_AMOUNT_DIGIT = {
    "零": 0,
    "〇": 0,
    "壹": 1,
    "一": 1,
    "贰": 2,
    "二": 2,
    "两": 2,
    "叁": 3,
    "三": 3,
    "肆": 4,
    "四": 4,
    "伍": 5,
    "五": 5,
    "陆": 6,
    "六": 6,
    "柒": 7,
    "七": 7,
    "捌": 8,
    "八": 8,
    "玖": 9,
    "九": 9,
}
_CN_SMALL_UNIT = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_CN_AMOUNT = re.compile(
    r"[零〇壹一贰二两叁三肆四伍五陆六柒七捌八玖九拾十佰百仟千万亿]+[元圆][零〇壹一贰二两叁三肆四伍五陆六柒七捌八玖九角分整正]*"
    r"|[零〇壹一贰二两叁三肆四伍五陆六柒七捌八玖九拾十佰百仟千]+万[零〇壹一贰二两叁三肆四伍五陆六柒七捌八玖九拾十佰百仟千]*元?"
)
_NUMBER = r"(\d{1,3}(?:[,，]\d{3})+|\d+)(\.\d+)?"
_MARKED = re.compile(rf"(?:[¥￥]|人民币|RMB|CNY)\s*{_NUMBER}\s*(万元|万)?")
_UNIT = re.compile(rf"(?<![\d.]){_NUMBER}\s*(万元|万|元|圆)")
_BARE = re.compile(rf"^\s*{_NUMBER}\s*$")


def _integer_cn(text: str) -> int | None:
    total = section = number = 0
    for ch in text:
        if ch in _CN_AMOUNT_DIGIT:
            number = _CN_AMOUNT_DIGIT[ch]
        elif ch in _CN_SMALL_UNIT:
            section += (number or 1) * _CN_SMALL_UNIT[ch]  # a bare 十 is ten
            number = 0
        elif ch == "万":
            total += (section + number) * 10_000
            section = number = 0
        elif ch == "亿":
            total = (total + section + number) * 100_000_000
            section = number = 0
        else:
            return None
    return total + section + number


def parse_cn_amount(text: str) -> Decimal | None:
    """``肆拾陆万捌仟元整`` → 468000; ``壹佰元伍角叁分`` → 100.53; ``四十六万八千元`` → 468000."""
    text = text.strip().removeprefix("人民币").rstrip("整正")
    unit = re.search("[元圆]", text)
    integer, fraction = (text[: unit.start()], text[unit.end() :]) if unit else (text, "")
    if not integer and not fraction:
        return None
    value = _integer_cn(integer) if integer else 0
    if value is None:
        return None
    amount = Decimal(value)
    for m in re.finditer(r"([零〇壹一贰二两叁三肆四伍五陆六柒七捌八玖九])([角分])", fraction):
        amount += Decimal(_CN_AMOUNT_DIGIT[m.group(1)]) * (
            Decimal("0.1") if m.group(2) == "角" else Decimal("0.01")
        )
    return amount


def _number(m: re.Match[str], unit: str | None) -> Decimal | None:
    try:
        value = Decimal(m.group(1).replace(",", "").replace("，", "") + (m.group(2) or ""))
    except InvalidOperation:
        return None
    return value * 10_000 if unit in ("万元", "万") else value


def parse_amount(text: str) -> Decimal | None:
    """An amount of money in yuan: figures with a currency mark or unit first, then capitals, then a
    bare number (a cell under a label such as 合同金额（元）)."""
    norm = text.translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,"))
    m = _MARKED.search(norm)
    if m:
        return _number(m, m.group(3))
    m = _UNIT.search(norm)
    if m:
        return _number(m, m.group(3))
    m = _CN_AMOUNT.search(norm)
    if m:
        return parse_cn_amount(m.group(0))
    m = _BARE.match(norm)
    return _number(m, None) if m else None
