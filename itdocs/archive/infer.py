"""Which project and which kind an archive holds, from what its files say.

The project name is the common 项目名称 part of the file names (a vote: names that follow the
pattern count double), else the 项目名称 written in the documents, else the folder's name. The kind
is the itdocs custom property when generated files carry one; else every kind that files all the
document types present stays a candidate (a 供应商评估表 rules out affiliation, a 试运行评估报告
everything but improvement) and words in the project name and titles (挂靠, 两化, 外包, 采购, 改进)
choose among them. Each inference says how it was made, so a wrong guess is easy to spot and to
override with ``--project`` / ``--kind``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from itdocs import naming
from itdocs.archive.reading import FiledDocument
from itdocs.archive.walk import shown

# Words that point at a kind, in a project name or a title (the type names themselves excluded:
# 采购审批单 is filed by three kinds).
KIND_WORDS = {
    "affiliation": ("挂靠",),
    "informatization": ("两化", "信息化和工业化", "工业化"),
    "outsourcing": ("外包",),
    "procurement": ("采购",),
    "improvement": ("流程改进", "改进", "ITSM", "试运行"),
}
# A kind's own title for a type (plan.KIND_TITLES): 挂靠方案 is an affiliation's scheme.
TITLE_KINDS = {"挂靠方案": "affiliation", "两化服务需求申请表": "informatization"}
_FALLBACK_ORDER = ("procurement", "outsourcing", "informatization", "affiliation", "improvement")


@dataclass(frozen=True)
class Inference:
    value: str | None
    source: str  # option / dossier / custom-properties / names / content / folder / documents
    evidence: dict[str, object] = field(default_factory=dict)


def infer_project(docs: Sequence[FiledDocument], folder: Path) -> Inference:
    votes: Counter[str] = Counter()
    for doc in docs:
        if doc.name.project and doc.name.type_id:
            votes[shown(naming.sanitize(doc.name.project))] += 2 if doc.name.strict else 1
    if votes:
        top = votes.most_common(3)
        return Inference(top[0][0], "names", {"votes": dict(top)})
    written: Counter[str] = Counter()
    for doc in docs:
        value = doc.fact("project_name")
        if isinstance(value, str) and value.strip():
            written["".join(value.split())] += 1  # PDF text puts spaces between scripts
    if written:
        top = written.most_common(3)
        return Inference(top[0][0], "content", {"项目名称": dict(top)})
    return Inference(folder.resolve().name or None, "folder", {})


def infer_kind(docs: Sequence[FiledDocument], project: str | None) -> Inference:
    custom = Counter(
        doc.facts.get("custom_kind")
        for doc in docs
        if doc.generated and doc.facts.get("custom_kind") in naming.ALL_KINDS
    )
    if custom:
        kind, count = custom.most_common(1)[0]
        return Inference(kind, "custom-properties", {"files": count})
    present = sorted({d.type_id for d in docs if d.type_id})
    candidates = [
        k for k in naming.ALL_KINDS if all(k in naming.DOC_TYPES[t].kinds for t in present)
    ] or list(naming.ALL_KINDS)
    scores: Counter[str] = Counter()
    for doc in docs:
        hinted = TITLE_KINDS.get(doc.type_name or "")
        if hinted in candidates:
            scores[hinted] += 3
    for kind in candidates:
        for word in KIND_WORDS[kind]:
            if project and word in project:
                scores[kind] += 5
            scores[kind] += sum(1 for d in docs if word in " ".join(d.facts.get("keywords", ())))
    evidence: dict[str, object] = {"document_types": present, "candidates": candidates}
    if scores:
        evidence["scores"] = dict(scores)
        best = max(candidates, key=lambda k: (scores[k], -_FALLBACK_ORDER.index(k)))
        if scores[best] > 0:
            return Inference(best, "documents", evidence)
    best = min(candidates, key=_FALLBACK_ORDER.index)
    return Inference(best, "documents", evidence)
