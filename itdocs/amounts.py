"""Money, exactly: parse dossier amounts into Decimal and write them in figures and Chinese capitals.

A contract states its price twice — ``¥468,000.00`` and ``人民币肆拾陆万捌仟元整`` — and the two must
agree to the fen. Dossiers carry money as an integer (``468000``) or a decimal string
(``"468000.00"``), never a binary float, so nothing here ever touches ``float``.

The capitals follow the rules banks apply to cheques (《支付结算办法》附件一):

- every digit in capitals, ``壹拾`` never a bare ``拾`` (``¥16.00`` → ``壹拾陆元整``);
- one ``零`` for any run of zeros between non-zero digits, also across 万/亿 (``100001`` →
  ``壹拾万零壹元整``);
- ``零`` after 元 when 角 is zero and 分 is not (``100.05`` → ``壹佰元零伍分``), and — the
  tamper-resistant choice the rules allow — when 元 is zero and 角 is not (``1000000.50`` →
  ``壹佰万元零伍角整``);
- ``整`` after 元 or 角, never after 分.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Money = int | str | Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")
CENT = Decimal("0.01")
LIMIT = Decimal(10) ** 16  # 万亿 is the largest unit banks use


def parse_money(value: Money, *, signed: bool = False) -> Decimal:
    """An amount as an exact Decimal with two places; ValueError for anything that is not money.

    ``bool`` and ``float`` are refused: ``True`` is not one yuan, and ``0.1 + 0.2`` is not ``0.3``.
    """
    if isinstance(value, (bool, float)):
        raise ValueError(  # noqa: TRY004 - callers catch one exception for any bad amount
            f'not an exact amount: {value!r} (write 468000 or "468000.00")'
        )
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not an amount: {value!r}") from None
    else:
        raise ValueError(f"not an amount: {value!r}")  # noqa: TRY004 - as above
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueError(f"more precise than a fen: {value!r}")
    if amount < 0 and not signed:
        raise ValueError(f"negative amount: {value!r}")
    return amount.quantize(CENT)


def figures(value: Money, *, symbol: str = "", signed: bool = False) -> str:
    """``468000`` → ``468,000.00`` (with ``symbol="¥"``: ``¥468,000.00``; negatives ``-¥1,200.00``)."""
    amount = parse_money(value, signed=signed)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.2f}"


def _group_capitals(group: int) -> str:
    """A 0–9999 group in capitals, with inner zeros as one 零 (``1010`` → ``壹仟零壹拾``)."""
    out, pending_zero = [], False
    for position in range(3, -1, -1):
        digit = group // 10**position % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(DIGITS[digit] + _SMALL_UNITS[position])
    return "".join(out)


def integer_capitals(number: int) -> str:
    """A whole number of yuan in capitals without ``元`` (``100001`` → ``壹拾万零壹``)."""
    if number == 0:
        return "零"
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    out: list[str] = []
    zero_between = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_between = bool(out)
            continue
        # A group under 1000 after a higher group needs 零 (壹万零伍佰), as does a skipped group.
        if out and (zero_between or group < 1000):
            out.append("零")
        out.append(_group_capitals(group) + _GROUP_UNITS[index])
        zero_between = False
    return "".join(out)


def capitals(value: Money, *, prefix: str = "人民币") -> str:
    """Chinese capital amount: ``468000`` → ``人民币肆拾陆万捌仟元整``, ``100.05`` → ``人民币壹佰元零伍分``."""
    amount = parse_money(value)
    if amount >= LIMIT:
        raise ValueError(f"amount too large for capitals: {value!r}")
    cents = int(amount * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return f"{prefix}零元整"
    parts: list[str] = []
    if yuan:
        parts.append(integer_capitals(yuan) + "元")
    if jiao:
        if yuan and yuan % 10 == 0:
            parts.append("零")
        parts.append(DIGITS[jiao] + "角")
    if fen:
        if yuan and not jiao:
            parts.append("零")
        parts.append(DIGITS[fen] + "分")
    else:
        parts.append("整")
    return prefix + "".join(parts)


def in_words(value: Money, *, signed: bool = False) -> str:
    """Both forms as a contract writes them: ``人民币肆拾陆万捌仟元整（¥468,000.00）``.

    With ``signed`` a negative amount reads ``减少人民币…`` and a positive one ``增加人民币…`` —
    the way a change request states its cost impact.
    """
    amount = parse_money(value, signed=signed)
    text = f"{capitals(abs(amount))}（¥{abs(amount):,.2f}）"
    if not signed:
        return text
    if amount == 0:
        return "无（¥0.00）"
    return ("增加" if amount > 0 else "减少") + text


def total(values: list[Money]) -> Decimal:
    """Exact sum of amounts."""
    return sum((parse_money(v) for v in values), Decimal("0.00"))
