"""Hostile files (tests/hostile.py) inside an otherwise good archive: each is a finding of the
``file`` or ``security`` family, nothing crashes or hangs, the rest of the archive is still
checked, and no report in any format carries what an external entity points at."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest
from archive_docs import NAME, Project, write_archive
from hostile import CASES, SECRET_MARK, build

from itdocs.engine import check
from itdocs.extract.model import PROBLEM_FAMILY
from itdocs.reporters import REPORTER_BY_NAME

AS_OF = dt.date(2026, 11, 20)
pytestmark = pytest.mark.skipif(os.name != "posix", reason="links, pipes and byte file names")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "归档"
    p = Project()
    paths = write_archive(p, folder)
    paths["week40"].unlink()  # a real defect beside the hostile files, still to be found
    hostile = folder / "来历不明"
    build(hostile)
    os.symlink("/etc/passwd", folder / f"{NAME}-2026年9月9日-会议纪要.docx")
    (root / "policy.yaml").write_text("parameters: {contracts_encrypted: false}\n", "utf-8")
    return folder, paths


@pytest.fixture(scope="module")
def report(archive):
    folder, _ = archive
    started = time.monotonic()
    result = check(
        [folder], policy=folder.parent / "policy.yaml", waivers=False, as_of=AS_OF, jobs=2
    )
    assert time.monotonic() - started < 60
    return result


def test_every_hostile_file_is_a_file_or_security_finding(report):
    by_file: dict[str, set[str]] = {}
    for f in report.findings:
        by_file.setdefault(Path(f.file).name, set()).add(f.rule)
    for case in CASES:
        rules = by_file.get(case.name, set())
        codes = {r.split("/", 1)[1] for r in rules if r.split("/")[0] in ("file", "security")}
        if case.expect:
            assert codes & set(case.expect), (case.name, rules)
            for code in codes & set(case.expect):
                assert f"{PROBLEM_FAMILY[code]}/{code}" in rules
    link = by_file[f"{NAME}-2026年9月9日-会议纪要.docx"]
    assert "security/symlink-outside" in link


def test_the_rest_of_the_archive_is_still_checked(archive, report):
    _, paths = archive
    missing = [f for f in report.findings if f.rule == "deadline/report-missing"]
    assert [f.evidence["obligation"] for f in missing] == ["report/weekly/2026-W40"]
    clean = {str(p) for k, p in paths.items() if k != "week40"}
    assert not [f for f in report.findings if f.file in clean]


@pytest.mark.parametrize("fmt", sorted(REPORTER_BY_NAME))
def test_no_report_leaks_what_an_entity_points_at(report, fmt):
    buffer = io.BytesIO() if REPORTER_BY_NAME[fmt].binary else io.StringIO()
    REPORTER_BY_NAME[fmt](buffer, lang="zh", verbose=True).report(report)
    data = buffer.getvalue()
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as workbook:
            data = "".join(workbook.read(n).decode("utf-8", "replace") for n in workbook.namelist())
    assert SECRET_MARK not in data
    assert "root:x:" not in data
    if fmt == "json":
        assert json.loads(data)["summary"]["files"] == len(report.files)
