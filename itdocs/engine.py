"""The rules engine: run a policy's checks on subjects, stamp findings, apply waivers.

A *subject* is dossier-shaped data and a locator mapping a JSON pointer to the file and place it
came from. For a dossier file the locator is the loader's line:column map; an archive reader can
build a dossier-shaped dict from a folder of filed documents, with a locator pointing each value
at the document it was read from, and run the very same checks.

The engine, not the check, decides the rule id, the severity and the wording (yamllint's
linter.py does the same): it runs each check once with the rule's parameters, words each hit from
the rule's zh/en message template, locates it, and drops rules that are ``off``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itdocs.access import zone
from itdocs.checks import CHECKS, Context, Hit
from itdocs.context import KINDS, LABELS
from itdocs.errors import ItdocsError, PolicyError, UsageError
from itdocs.findings import SEVERITY_RANK, Finding, Location
from itdocs.loader import Document, display_name, load
from itdocs.messages import LANGS
from itdocs.policy import Policies, Policy, Rule, load_policy
from itdocs.waivers import WaiverFile, apply, find_waivers_file, load_waivers
from itdocs.workdays import Calendar

Locator = Callable[[str], tuple[str, Location]]
INTERNAL_RULE = "internal/check-error"
JSON_VERSION = 1


@dataclass(frozen=True)
class Subject:
    """What the checks look at: dossier-shaped data, and where each pointer came from."""

    data: Any
    file: str
    locate: Locator


def document_subject(document: Document) -> Subject:
    """A dossier file as a subject: pointers map to line:column in that file."""

    def locate(pointer: str) -> tuple[str, Location]:
        position = document.locate(pointer)
        line, column = position if position else (None, None)
        return document.path, Location(pointer, line, column)

    return Subject(document.data, document.path, locate)


class _Args(dict):  # type: ignore[type-arg]
    """Message arguments: a placeholder a check did not fill stays visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def word(template: str, args: Mapping[str, Any]) -> str:
    values = _Args({k: ("—" if v is None else v) for k, v in args.items()})
    try:
        return string.Formatter().vformat(template, (), values)
    except (ValueError, IndexError, AttributeError, KeyError):
        return template


def today(timezone: Any = None) -> dt.date:
    """Today in the organization's time zone (Asia/Shanghai unless the policy says otherwise)."""
    return dt.datetime.now(zone(timezone)).date()


def run_rules(
    subject: Subject,
    policy: Policy,
    *,
    as_of: dt.date,
    lang: str = "zh",
    families: Iterable[str] | None = None,
    calendar: Calendar | None = None,
) -> list[Finding]:
    """Every finding of the policy's enabled rules (of ``families``, default all) on one subject."""
    wanted = set(families) if families is not None else None
    calendar = calendar or Calendar.from_params(policy.parameters)
    by_check: dict[str, list[Rule]] = {}
    for rule in policy.rule_set().values():
        if rule.enabled and (wanted is None or rule.family in wanted):
            by_check.setdefault(rule.check, []).append(rule)
    findings: list[Finding] = []
    for check_name, rules in by_check.items():
        check = CHECKS[check_name]
        for rule in rules if len(check.rules) == 1 else [None]:
            served = {r.id: r for r in rules} if rule is None else {rule.id: rule}
            params: dict[str, Any] = {}
            for r in served.values():
                params.update(policy.check_params(r))
            context = Context(params, as_of, calendar)
            try:
                hits = list(check.run(subject.data, context))
            except Exception as exc:  # noqa: BLE001 - a bug must not cost the user the other findings
                findings.append(_internal(subject, check_name, exc))
                continue
            for hit in hits:
                target = served.get(hit.rule) if hit.rule else (rule or next(iter(served.values())))
                if target is not None:
                    findings.append(_stamp(target, hit, subject, lang))
    return _fold_schema(findings)


KIND_NAMES = LABELS[KINDS]


def _stamp(rule: Rule, hit: Hit, subject: Subject, lang: str) -> Finding:
    file, location = subject.locate(hit.pointer)
    template = rule.message.get(lang) or rule.message.get("en") or rule.id
    args = hit.args
    kind = args.get("kind")
    if (
        lang == "zh" and isinstance(kind, str) and kind in KIND_NAMES
    ):  # 信息技术外包, not outsourcing
        args = {**args, "kind": KIND_NAMES[kind]}
    return Finding(rule.id, rule.severity, file, word(template, args), location, dict(hit.evidence))


def _internal(subject: Subject, check: str, exc: Exception) -> Finding:
    file, location = subject.locate("")
    return Finding(
        INTERNAL_RULE,
        "error",
        file,
        f"itdocs 内部错误：检查 {check} 失败（{type(exc).__name__}: {exc}），请报告此问题 "
        f"(internal error in check {check}; please report it)",
        location,
        {"check": check, "exception": repr(exc)},
    )


def _fold_schema(findings: list[Finding]) -> list[Finding]:
    """Drop a schema finding where a domain rule reports the same place (it says more)."""
    domain = {
        (f.file, f.location.pointer): i
        for i, f in enumerate(findings)
        if not f.rule.startswith("schema/")
    }
    out: dict[int, Finding] = dict(enumerate(findings))
    for i, finding in enumerate(findings):
        key = (finding.file, finding.location.pointer)
        if finding.rule.startswith("schema/") and key in domain:
            target = domain[key]
            kept = out[target]
            out[target] = dataclasses.replace(
                kept, evidence={**kept.evidence, "also": finding.rule}
            )
            del out[i]
    return list(out.values())


def sort_key(finding: Finding) -> tuple[Any, ...]:
    loc = finding.location
    return (finding.file, loc.line or 0, loc.column or 0, finding.rule, loc.pointer or "")


# --- checking files -----------------------------------------------------------------------------


@dataclass
class CheckReport:
    """The outcome of ``check``: findings, what waivers suppressed, inputs that could not be read."""

    findings: list[Finding]
    waived: list[tuple[Finding, Any]]
    errors: list[ItdocsError]
    files: list[str]
    rules: dict[str, Rule]
    as_of: dt.date
    lang: str = "zh"
    policies: list[list[str]] = field(default_factory=list)
    archives: list[Any] = field(default_factory=list)  # itdocs.archive.ArchiveSummary per folder

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def at_or_above(self, level: str) -> list[Finding]:
        return [
            f for f in self.findings if SEVERITY_RANK.get(f.severity, 0) >= SEVERITY_RANK[level]
        ]

    def exit_code(self, fail_on: str = "error") -> int:
        if self.errors:
            return 2
        return 1 if self.at_or_above(fail_on) else 0


def _waiver_files(waivers: Any, policies: list[Policy]) -> list[WaiverFile]:
    if waivers is False:
        return []
    if waivers is not None:
        return [load_waivers(waivers)]
    found = {find_waivers_file(p.path.parent) for p in policies if p.path is not None}
    return [load_waivers(path) for path in sorted(f for f in found if f is not None)]


def check(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    policy: Policy | str | os.PathLike[str] | None = None,
    waivers: str | os.PathLike[str] | bool | None = None,
    as_of: dt.date | None = None,
    lang: str = "zh",
    dossier: str | os.PathLike[str] | None = None,
    kind: str | None = None,
    project: str | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> CheckReport:
    """Check dossier files and folders — and archives, folders of filed documents — against the
    policy; never raises for a bad dossier or a bad filed document.

    ``policy``: a Policy, a policy file, or None for the nearest itdocs.yaml above each file
    (else the built-in default). ``waivers``: a waivers file, None for waivers.yaml next to the
    policy file, False for none. ``as_of``: "today" (default: today in Asia/Shanghai).
    Archives (``itdocs.archive``): ``dossier`` to compare the files with, ``kind`` and ``project``
    instead of inferring them, ``jobs`` worker processes, ``progress(done, total)`` per file.
    """
    from itdocs.validation import iter_dossier_files

    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    archives, paths = _archives(paths, forced=dossier is not None)
    if (dossier or kind or project) and len(archives) != 1:
        raise UsageError(
            "--dossier, --kind and --project apply to one folder of filed documents; "
            f"{len(archives)} given"
        )
    policies = Policies(policy)
    findings: list[Finding] = []
    errors: list[ItdocsError] = []
    files: list[str] = []
    summaries: list[Any] = []
    first_policy = None
    for folder in archives:
        file_policy = policies.for_file(Path(folder))
        first_policy = first_policy or file_policy
        day = as_of or today(file_policy.param("timezone"))
        found, summary = _check_archive(
            folder, file_policy, day, lang, dossier, kind, project, jobs, progress
        )
        findings.extend(found)
        files.extend(summary.files)
        summaries.append(summary)
    for path in iter_dossier_files(paths):
        files.append(display_name(path))
        try:
            file_policy = policies.for_file(path)
            first_policy = first_policy or file_policy
            document = load(path, display=display_name(path))
        except ItdocsError as exc:
            if isinstance(exc, PolicyError):
                raise
            errors.append(exc)
            continue
        day = as_of or today(file_policy.param("timezone"))
        findings.extend(run_rules(document_subject(document), file_policy, as_of=day, lang=lang))
    used = policies.used() or [load_policy()]
    day = as_of or today((first_policy or used[0]).param("timezone"))
    waiver_files = _waiver_files(waivers, used)
    kept, waived, matched = apply(findings, waiver_files, as_of=day)
    kept.extend(_waiver_findings(waiver_files, matched, files, used[0], day, lang))
    rules: dict[str, Rule] = {}
    for p in used:
        rules.update({r.id: r for r in p.rule_set().values() if r.enabled and r.id not in rules})
    kept.sort(key=sort_key)
    return CheckReport(
        kept, waived, errors, files, rules, day, lang, [p.sources for p in used], summaries
    )


def _archives(
    paths: list[str | os.PathLike[str]], *, forced: bool
) -> tuple[list[str], list[str | os.PathLike[str]]]:
    """(folders of filed documents, other paths): a folder holding .docx/.xlsx/.pdf … files is
    an archive; with ``forced`` (a --dossier to compare with) every folder is."""
    from itdocs.archive import looks_like_archive

    archives, rest = [], []
    for path in paths:
        if Path(path).is_dir() and (forced or looks_like_archive(path)):
            archives.append(os.fspath(path))
        else:
            rest.append(path)
    return archives, rest


def _check_archive(
    folder: str,
    policy: Policy,
    as_of: dt.date,
    lang: str,
    dossier: str | os.PathLike[str] | None,
    kind: str | None,
    project: str | None,
    jobs: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[Finding], Any]:
    from itdocs.archive import check_archive

    document = load(dossier, display=os.fspath(dossier)) if dossier is not None else None
    return check_archive(
        folder,
        policy=policy,
        as_of=as_of,
        lang=lang,
        dossier=document,
        kind=kind,
        project=project,
        jobs=jobs,
        progress=progress,
    )


def _waiver_findings(
    files: list[WaiverFile],
    matched: set[tuple[Path, int]],
    checked: list[str],
    policy: Policy,
    as_of: dt.date,
    lang: str,
) -> list[Finding]:
    out: list[Finding] = []
    rules = policy.rule_set()
    for waiver_file in files:
        subject = document_subject(waiver_file.document)
        out.extend(run_rules(subject, policy, as_of=as_of, lang=lang, families=["waiver"]))
        stale = rules.get("waiver/stale")
        if stale is None or not stale.enabled:
            continue
        for waiver in waiver_file.waivers:
            if not waiver.live(as_of) or (waiver_file.path, waiver.index) in matched:
                continue
            if any(waiver.covers_file(f) for f in checked) or not waiver.names_existing_file():
                hit = Hit(
                    waiver.pointer,
                    {"rule": waiver.rule, "target": waiver.target},
                    {
                        "waiver": waiver_file.document.data["waivers"][waiver.index],
                        "files_checked": len(checked),
                    },
                )
                out.append(_stamp(stale, hit, subject, lang))
    return out
