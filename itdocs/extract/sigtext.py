"""Signature lines in running text: contract endings in Word paragraphs and PDF pages.

``甲方代表（签字）：＿＿ 日期：＿＿``, or the two-column block a PDF flattens onto shared lines::

    甲方（盖章）：某某集团有限公司   乙方（盖章）：某某科技有限公司
    授权代表（签字）：
    授权代表（签字）：李四
    日期：2026年9月1日            日期：  年  月  日

An unnamed ``授权代表`` belongs to the party named above it (in a column group, to each in turn), and a
date line goes to the row of its line, else to its column's party. A line of bare dates right below
a signature line (``甲方代表（签字）  乙方代表（签字）`` / ``2026年6月26日  2026年6月26日``, a table
with one column per party) dates that line's rows in order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from itdocs.extract.dates import find_dates, parse_date
from itdocs.extract.model import SignatureRow, TextBlock
from itdocs.extract.signatures import (
    DATE_LABEL,
    SIG_LABEL_COLON,
    SIG_WORDS,
    Draft,
    canonical_role,
    clean_role,
    is_placeholder,
    is_seal,
)

# Labels start where a colon ends them, or — as LibreOffice's PDFs and hand-typed lines write them,
# without colons — at a bracketed ``（签字）`` ending its word and at ``日期`` followed by a date or
# its blanks: ``甲方代表（签字）``, `` 日期 2026 年6 月5 日``.
_DATE_FOLLOWS = r"\s+(?=[0-9０-９_＿年])"
_SEGMENT = re.compile(
    rf"(?:(?<=\s)|^)(?:(?:甲方|乙方|第三方)[^：:\s]{{0,12}}[：:]"
    rf"|[^\s：:]{{0,12}}?[（(]?(?:{SIG_WORDS})[)）]?\s*[：:]"
    rf"|[^\s：:（(]{{1,12}}?[（(](?:{SIG_WORDS})[)）](?=\s|$)"
    rf"|(?:签字|签署|签订)?日[ \u3000]*期(?:\s*[：:]|{_DATE_FOLLOWS}))"
)
# ``甲方代表（签字）`` with no colon: the label ends the word naming who signs (a lone ``（签字）`` is a
# blank form's placeholder, not a label); what follows, if anything, is the signature.
_SIG_BRACKETED = re.compile(rf"(?<=[^\s：:])[（(]\s*({SIG_WORDS})\s*[)）](?=\s|$)")
_WORTH_A_LOOK = re.compile(rf"{SIG_WORDS}|甲方|乙方|第三方|日[ \u3000]*期")
_PARTY_PREFIX = re.compile(r"^(甲方|乙方|第三方)")


def _segments(line: str) -> list[str]:
    """A line cut where a party, signature or date label starts: two-column signature blocks come
    out of PDFs (and tabbed Word paragraphs) as ``甲方（盖章）：…  乙方（盖章）：…`` on one line."""
    starts = [m.start() for m in _SEGMENT.finditer(line)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return [line[a:b].strip() for a, b in zip(starts, [*starts[1:], len(line)])]


class _TextSignatures:
    """State of a walk through running text: the parties named last (a column group), which of
    them the next unnamed ``授权代表（签字）：`` belongs to, and each party's latest row."""

    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.group: list[str] = []
        self.rep_index = 0
        self.latest: dict[str, Draft] = {}
        self.undated: list[Draft] = []  # the last signature line's rows, for a line of dates below

    def line(self, text: str, location: str, picture: bool) -> None:
        if not _WORTH_A_LOOK.search(text):
            found = find_dates(text) if self.undated else []
            if found and _only_dates(text, found):
                # ``甲方代表（签字）  乙方代表（签字）`` then ``2026年6月26日  2026年6月26日``: a
                # table with one column per party, its date row unlabelled, flattened into lines.
                for draft, (day, _, _) in zip(self.undated, found):
                    draft.date = day
            self.undated = []
            return
        made: list[Draft] = []
        named: list[str] = []
        date_index = 0
        for seg in _segments(text):
            if DATE_LABEL.match(seg):
                target = next((d for d in made if d.date is None), None)
                if target is None and self.group:
                    target = self.latest.get(self.group[date_index % len(self.group)])
                    date_index += 1
                if target is None and self.drafts:
                    target = self.drafts[-1]
                if target is not None and target.date is None:
                    target.date = parse_date(seg)
                continue
            sig = SIG_LABEL_COLON.search(seg) or _SIG_BRACKETED.search(seg)
            party = _PARTY_PREFIX.match(seg)
            if sig is None or sig.start() > 24:
                if party:
                    named.append(party.group(1))
                continue
            role = clean_role(seg[: sig.start()])
            if not _PARTY_PREFIX.match(role) and canonical_role(role) is None and self.group:
                role = self.group[self.rep_index % len(self.group)] + role
                self.rep_index += 1
            if canonical_role(role) is None:
                continue
            draft = Draft(role=role, location=location, seal_only=is_seal(sig), saw_sig=True)
            draft.sign_text, draft.has_image = seg[sig.end() :], picture
            self.drafts.append(draft)
            made.append(draft)
            prefix = _PARTY_PREFIX.match(role)
            if prefix:
                self.latest[prefix.group(1)] = draft
                if party:
                    named.append(prefix.group(1))
        if named:
            self.group, self.rep_index = named, 0
        self.undated = [d for d in made if d.date is None]


def _only_dates(text: str, found: list[tuple[object, int, int]]) -> bool:
    rest = text
    for _, start, end in reversed(found):
        rest = rest[:start] + rest[end:]
    return is_placeholder(rest)


def signature_rows_in_text(
    blocks: Iterable[TextBlock],
    image_locations: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[SignatureRow]:
    """Signature lines in running text. A picture in the line's paragraph (for a PDF: on its page)
    or in an image-only paragraph right after it counts as the signature."""
    walk = _TextSignatures()
    pending: TextBlock | None = None  # one block of lookahead: is the next one a lone picture?
    for block in itertools.chain(blocks, [None]):
        if block is not None and block.kind not in ("paragraph", "heading", "page", "image"):
            continue
        if pending is not None and pending.kind != "image":
            before = len(walk.drafts)
            for line in pending.text.splitlines():
                walk.line(line.strip(), pending.location, pending.location in image_locations)
            if block is not None and block.kind == "image" and len(walk.drafts) > before:
                last = walk.drafts[-1]
                last.has_image = last.has_image or is_placeholder(last.sign_text)
        pending = block
    return [d.build() for d in walk.drafts]
