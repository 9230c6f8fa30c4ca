"""The dossier-shaped view of an archive, and where each of its values came from.

``build(docs, ...)`` turns the facts read from filed documents into the dict a dossier would be
(``requirement``, ``approvals``, ``contract``, ``meetings``, ``reports``, ``acceptance`` …) so the
very same checks run on it, plus an ``x-archive`` section the archive-only checks read (every
file, its problems, its name, the seal). ``origins`` maps each JSON pointer to the file and the
place in it (``表3 行2``) the value was read from; ``unknown`` lists pointers a document could not
tell (an unreadable or encrypted file, a filing time nobody wrote down): findings there would be
guesses and are dropped.

What a document cannot say is left out rather than guessed: the view holds only what was read.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from itdocs import naming
from itdocs.access import pointer
from itdocs.archive.build_signed import (
    SignedSections,
    same_company,
    supplier_party,
    table_of,
    unsigned_unreadable,
)
from itdocs.archive.content import SCHEME_CONCLUSIONS
from itdocs.archive.reading import FiledDocument

_FORMAT_PREFERENCE = {"docx": 0, "xlsx": 1, "pdf": 2}


@dataclass
class Built:
    data: dict[str, Any]
    origins: dict[str, tuple[int | None, str | None]] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)
    unjudged: set[str] = field(default_factory=set)  # rules resting on what could not be read


class _Builder(SignedSections):
    def __init__(
        self,
        docs: Sequence[FiledDocument],
        params: Mapping[str, Any],
        project: str | None = None,
    ) -> None:
        self.docs = docs
        self.others = other_project_files(docs, project)
        self.params = params
        self.data: dict[str, Any] = {}
        self.origins: dict[str, tuple[int | None, str | None]] = {}
        self.unknown: set[str] = set()
        self.unjudged: set[str] = set()
        chain = params.get("approval_chain") or []
        self.chain = {
            level["role"]: str(level.get("title") or level["role"])
            for level in chain
            if isinstance(level, dict) and isinstance(level.get("role"), str)
        }

    # --- bookkeeping --------------------------------------------------------------------------

    def at(self, ptr: str, index: int | None, place: str | None = None) -> str:
        self.origins[ptr] = (index, place)
        return ptr

    def put(self, section: dict[str, Any], key: str, ptr: str, index: int, fact: Any) -> None:
        """``section[key]`` = the fact's value, remembering where it was read."""
        if isinstance(fact, tuple) and fact[0] not in (None, ""):
            section[key] = fact[0]
            self.at(f"{ptr}/{key}", index, fact[1])

    def documents(self, *type_ids: str) -> list[tuple[int, FiledDocument]]:
        """One document per stem (a .docx and its .pdf are one document), best format first."""
        by_stem: dict[str, list[tuple[int, FiledDocument]]] = defaultdict(list)
        for i, doc in enumerate(self.docs):
            if doc.type_id in type_ids and not doc.companion and i not in self.others:
                by_stem[doc.name.stem].append((i, doc))
        chosen = []
        for group in by_stem.values():
            group.sort(key=lambda p: (not p[1].readable, _FORMAT_PREFERENCE.get(p[1].format, 9)))
            index, doc = group[0]
            chosen.append((index, _merged_signatures(doc, [d for _, d in group[1:]])))
        return sorted(chosen, key=lambda p: (_sort_date(p[1]), p[1].rel))

    def best(self, *type_ids: str) -> tuple[int, FiledDocument] | None:
        """The one document of a one-per-project type: readable, identified by its properties or
        name rather than guessed from content, dated — the latest of equals."""
        found = self.documents(*type_ids)
        if not found:
            return None
        rank = {"custom": 0, "name": 1, "content": 2}
        return min(
            reversed(found),
            key=lambda p: (
                not p[1].readable,
                rank.get(p[1].type_source or "", 3),
                not _sort_date(p[1]),
            ),
        )

    # --- sections ------------------------------------------------------------------------------

    def requirement(self) -> None:
        found = self.best("requirement_form")
        if not found:
            return
        index, doc = found
        section: dict[str, Any] = {}
        self.data["requirement"] = section
        self.at("/requirement", index)
        if not doc.readable:
            self.unknown.add("/requirement")
        for key in ("date", "requester", "department", "budget"):
            self.put(section, key, "/requirement", index, doc.facts.get(key))
        if "date" not in section and doc.name.precision == "day":
            section["date"] = doc.name.first.isoformat()
            self.at("/requirement/date", index, "文件名")
        assessment = doc.facts.get("assessment")
        if assessment:
            read = {k: v for k, v in assessment[0].items() if v}
            section["assessment"] = read
            self.at("/requirement/assessment", index, assessment[1])
            for key in read:
                self.at(f"/requirement/assessment/{key}", index, assessment[1])

    def approvals(
        self, path: str, doc: FiledDocument, index: int, *, blank_rows: bool = False
    ) -> list[dict[str, Any]]:
        """The signed rows of the approval chain. With ``blank_rows`` (a change request, which the
        chain rule does not read) a level whose row is there but blank is kept, undated and
        undecided, so that ``signature/approval-undated`` reports it at its row."""
        out = []
        decisions = doc.facts.get("decisions") or {}
        first_unsigned = None
        for row in doc.facts.get("signatures", ()):
            role = row["role_key"]
            if role not in self.chain:
                continue
            if not row["signed"]:
                first_unsigned = first_unsigned or row["at"]
                signed_later = any(
                    r["role_key"] == role and r["signed"] for r in doc.facts.get("signatures", ())
                )
                if blank_rows and not signed_later:
                    at = pointer(*path.strip("/").split("/"), len(out))
                    entry = {
                        "role": role,
                        "title": row["role"],
                        "name": row["name"] or "（未签字）",
                    }
                    for ptr in (at, f"{at}/role", f"{at}/title", f"{at}/name", f"{at}/date"):
                        self.at(ptr, index, row["at"])
                    out.append(entry)
                continue
            entry = {"role": role, "title": row["role"], "name": row["name"] or row["role"]}
            if row["date"]:
                entry["date"] = row["date"][:10]
            entry["decision"] = _APPROVAL_DECISIONS.get(
                decisions.get(role) or row.get("decision") or "approved", "rejected"
            )
            at = pointer(*path.strip("/").split("/"), len(out)) if path else ""
            self.at(at, index, row["at"])
            for key in entry:
                self.at(f"{at}/{key}", index, row["at"])
            out.append(entry)
        self.at(path, index, first_unsigned or table_of(doc))
        return out

    def approval_sheets(self) -> None:
        found = self.best("approval_sheet")
        if not found:
            return
        index, doc = found
        self.data["approvals"] = self.approvals("/approvals", doc, index)
        if not doc.readable or unsigned_unreadable(doc):
            self.unknown.add("/approvals")
            self.unjudged.add("completeness/request-approval")  # approved or not: unread

    def suppliers(self) -> None:
        found = self.best("supplier_evaluation")
        if not found:
            return
        index, doc = found
        section: dict[str, Any] = {}
        self.data["suppliers"] = section
        self.at("/suppliers", index)
        for key in ("date", "method"):
            self.put(section, key, "/suppliers", index, doc.facts.get(key))
        candidates = doc.facts.get("candidates")
        if candidates and doc.readable:
            section["candidates"] = [
                {"name": c["name"], "quote": c["quote"]} for c in candidates[0]
            ]
            self.at("/suppliers/candidates", index, candidates[1])
            chosen = doc.facts.get("chosen")
            if chosen:
                names = [c["name"] for c in candidates[0]]
                section["chosen"] = same_company(chosen[0], names) or chosen[0]
                self.at("/suppliers/chosen", index, chosen[1])
        else:
            self.unknown.update({"/suppliers/candidates", "/suppliers/chosen"})

    def scheme(self) -> None:
        """The scheme and its review: the review written in the scheme (评审结论), or in the minutes
        of the meeting that reviewed it (seed 001: 评审环节应形成正式会议纪要) — the latest counts."""
        reviews: list[tuple[str, int, str, int, str | None, Any]] = []
        found = self.best("service_scheme")
        if found:
            index, doc = found
            review = doc.facts.get("review")
            if review:
                date = doc.facts.get("review_date")
                reviews.append((date[0] if date else "", 0, review[0], index, review[1], date))
        for index, doc in self.documents("meeting_minutes"):
            verdict = doc.facts.get("verdict")
            conclusion = SCHEME_CONCLUSIONS.get(verdict[0]) if verdict else None
            if doc.facts.get("scheme_review") and conclusion:
                start = doc.facts.get("start")
                day = (start[0][:10], start[1]) if start else None
                if day is None and doc.name.precision == "day":
                    day = (doc.name.first.isoformat(), "文件名")
                reviews.append((day[0] if day else "", 1, conclusion, index, verdict[1], day))
        if not found and not reviews:
            return
        section: dict[str, Any] = {}
        self.data["scheme"] = section
        if found:
            index, doc = found
            self.at("/scheme", index)
            self.put(section, "date", "/scheme", index, doc.facts.get("date"))
        if reviews:
            _, _, conclusion, index, place, date = max(reviews, key=lambda r: r[:2])
            if not found:
                self.at("/scheme", index, place)
            section["review"] = {"conclusion": conclusion}
            self.at("/scheme/review", index, place)
            self.at("/scheme/review/conclusion", index, place)
            self.put(section["review"], "date", "/scheme/review", index, date)

    def meetings(self) -> None:
        meetings = []
        ids: set[str] = set()
        for index, doc in self.documents("kickoff_minutes", "meeting_minutes"):
            at = f"/meetings/{len(meetings)}"
            kind = doc.facts.get("meeting_type")
            label = doc.name.token or doc.name.stem[:30]
            while label in ids:  # two meetings on one day: keys must stay apart
                label += "′"
            ids.add(label)
            meeting: dict[str, Any] = {
                "id": label,
                "type": kind[0] if kind else "regular",
            }
            self.at(at, index)
            for key in ("start", "end", "minutes_filed"):
                self.put(meeting, key, at, index, doc.facts.get(key))
            if "start" not in meeting and doc.name.precision == "day":
                meeting["start"] = doc.name.first.isoformat()
                self.at(f"{at}/start", index, "文件名")
            if "minutes_filed" not in meeting or not doc.readable:
                self.unknown.add(f"{at}/minutes_filed")
            if not doc.readable:
                self.unknown.add(f"{at}/resolutions")
            resolutions = []
            for number, res in enumerate(doc.facts.get("resolutions", ())):
                entry = {"content": res["content"]}
                for key in ("owner", "due"):
                    if res.get(key):
                        entry[key] = res[key]
                self.at(f"{at}/resolutions/{number}", index, res["at"])
                resolutions.append(entry)
            if resolutions:
                meeting["resolutions"] = resolutions
            if doc.facts.get("approves"):
                meeting["x-approves"] = True
            meetings.append(meeting)
        if meetings:
            self.data["meetings"] = meetings

    def reports(self) -> None:
        reports = []
        for index, doc in self.documents("weekly_report", "monthly_report", "quarterly_report"):
            kind = naming.DOC_TYPES[doc.type_id].period
            if doc.period is None:
                continue
            at = f"/reports/{len(reports)}"
            report = {"type": kind, "period": doc.period}
            self.at(at, index)
            self.at(f"{at}/period", index, doc.place("content_period") or "文件名")
            self.put(report, "filed", at, index, doc.facts.get("filed"))
            if "filed" not in report:
                self.unknown.add(f"{at}/filed")
            reports.append(report)
        if reports:
            self.data["reports"] = reports

    def changes(self) -> None:
        changes = []
        for index, doc in self.documents("change_request"):
            at = f"/changes/{len(changes)}"
            change: dict[str, Any] = {}
            self.at(at, index)
            for key in ("date", "requester"):
                self.put(change, key, at, index, doc.facts.get(key))
            if doc.fact("change_id"):
                change["id"] = doc.fact("change_id")
            change["approvals"] = self.approvals(f"{at}/approvals", doc, index, blank_rows=True)
            if not doc.readable:
                self.unknown.add(at)
            elif unsigned_unreadable(doc):
                self.unknown.add(f"{at}/approvals")
            changes.append(change)
        if changes:
            self.data["changes"] = changes

    def performance(self) -> None:
        found = self.best("performance_evaluation")
        if found:
            index, doc = found
            self.data["performance"] = {}
            self.at("/performance", index)
            self.put(self.data["performance"], "date", "/performance", index, doc.facts.get("date"))

    def improvement(self) -> None:
        found = self.best("trial_run_report")
        if not found:
            return
        index, doc = found
        trial: dict[str, Any] = {"report": {}}
        self.at("/improvement/trial_run", index)
        self.put(trial, "start", "/improvement/trial_run", index, doc.facts.get("trial_start"))
        self.put(trial, "end", "/improvement/trial_run", index, doc.facts.get("trial_end"))
        self.put(
            trial["report"], "date", "/improvement/trial_run/report", index, doc.facts.get("date")
        )
        reviews = []
        for minutes, doc in self.documents("meeting_minutes"):
            verdict = doc.facts.get("verdict")
            kind = doc.facts.get("meeting_type")
            if kind and kind[0] == "committee" and verdict:
                at = f"/improvement/reviews/{len(reviews)}"
                self.at(at, minutes, verdict[1])
                self.at(f"{at}/decision", minutes, verdict[1])
                reviews.append({"decision": _COMMITTEE_DECISIONS[verdict[0]]})
        self.data["improvement"] = {"trial_run": trial, "reviews": reviews}


# A decision as read (itdocs.archive.labels.decision) in the dossier's words: an approval level
# that deferred or whose boxes say nothing clear has not approved.
_APPROVAL_DECISIONS = {"approved": "approved", "rejected": "rejected", "returned": "returned"}
_COMMITTEE_DECISIONS = {
    "approved": "approve",
    "rejected": "reject",
    "deferred": "defer",
    "returned": "defer",
    "unclear": "unclear",
}


def other_project_files(docs: Sequence[FiledDocument], project: str | None) -> set[int]:
    """Indexes of the files named for another project (``naming.project_relation``): they get
    ``naming/project`` and fill none of this project's obligations — another project's week 38
    is not this project's. A short form of this project's name (``OA运维项目``) still counts.
    When no file is named for this project at all (``--project`` spelled otherwise than every
    name), the names are not trusted to tell projects apart and every file counts."""
    if not project:
        return set()
    relations = [
        naming.project_relation(d.name.project, project, strict=d.name.strict) for d in docs
    ]
    if not any(r in ("same", "short") for r in relations):
        return set()
    return {i for i, r in enumerate(relations) if r == "other"}


def _sort_date(doc: FiledDocument) -> str:
    value = doc.fact("date") or doc.fact("start") or doc.period or ""
    if not value and doc.name.first is not None:
        value = doc.name.first.isoformat()
    return str(value)


def _merged_signatures(doc: FiledDocument, others: list[FiledDocument]) -> FiledDocument:
    """A row unsigned in the .docx but signed in its scanned .pdf counts as signed."""
    if not others:
        return doc
    signed = {
        (r["role_key"], r["name"]): r
        for other in others
        for r in other.facts.get("signatures", ())
        if r["signed"] and r["role_key"]
    }
    rows = []
    for row in doc.facts.get("signatures", ()):
        better = signed.get((row["role_key"], row["name"])) or next(
            (r for (k, _), r in signed.items() if k == row["role_key"]), None
        )
        rows.append(
            {**row, "signed": True, "basis": better["basis"]}
            if better and not row["signed"]
            else row
        )
    return dataclasses.replace(doc, facts={**doc.facts, "signatures": rows})


def build(
    docs: Sequence[FiledDocument],
    *,
    project: str | None,
    kind: str | None,
    params: Mapping[str, Any],
) -> Built:
    """The dossier view of ``docs`` (``x-archive`` is added by the caller)."""
    builder = _Builder(docs, params, project)
    builder.data["version"] = 1
    if kind:
        builder.data["kind"] = kind
    builder.data["project"] = {"name": project} if project else {}
    builder.requirement()
    builder.approval_sheets()
    builder.suppliers()
    builder.scheme()
    builder.contract()
    builder.meetings()
    builder.reports()
    builder.changes()
    builder.acceptance()
    builder.performance()
    builder.improvement()
    supplier_party(builder.data)
    return Built(builder.data, builder.origins, builder.unknown, builder.unjudged)
