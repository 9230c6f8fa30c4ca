"""Waivers: suppress until expiry; expired and stale waivers are findings themselves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from itdocs.engine import check
from itdocs.errors import PolicyError
from itdocs.loader import load
from itdocs.policy import load_policy

BASE = Path(__file__).parent / "rules" / "_base.yaml"
AS_OF = dt.date(2026, 11, 20)


def write(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def late(tmp_path) -> Path:
    """The base dossier with its 2026-Q3 report filed late (/reports/13/filed)."""
    data = load(BASE).data
    data["reports"][13]["filed"] = "2026-10-08"
    (tmp_path / "projects").mkdir()
    return write(tmp_path / "projects" / "erp.yaml", data)


def waiver(**fields):
    return {
        "rule": "deadline/report-late",
        "target": "projects/erp.yaml#/reports/13/*",
        "reason": "国庆前系统切换，经总监同意延迟",
        "approver": "王志强",
        "expires": "2026-12-31",
        **fields,
    }


def run(paths, waivers, as_of=AS_OF, **kwargs):
    return check(paths, policy=load_policy(), waivers=waivers, as_of=as_of, **kwargs)


def test_a_live_waiver_suppresses_its_finding(late, tmp_path):
    path = write(tmp_path / "waivers.yaml", {"version": 1, "waivers": [waiver()]})
    report = run([late], path)
    assert report.findings == []
    [(finding, used)] = report.waived
    assert finding.rule == "deadline/report-late" and used.approver == "王志强"
    assert report.exit_code() == 0


def test_the_waiver_lasts_through_its_expiry_day(late, tmp_path):
    path = write(tmp_path / "waivers.yaml", {"waivers": [waiver(expires="2026-11-20")]})
    assert run([late], path).findings == []


def test_an_expired_waiver_suppresses_nothing_and_is_reported(late, tmp_path):
    path = write(tmp_path / "waivers.yaml", {"waivers": [waiver(expires="2026-11-19")]})
    report = run([late], path)
    assert [(f.rule, Path(f.file).name, f.location.pointer) for f in report.findings] == [
        ("deadline/report-late", "erp.yaml", "/reports/13/filed"),
        ("waiver/expired", "waivers.yaml", "/waivers/0/expires"),
    ]
    expired = report.findings[1]
    assert expired.severity == "warning" and expired.location.line == 6
    assert "2026-11-19" in expired.message and "王志强" in expired.message


def test_a_waiver_matching_nothing_is_stale(late, tmp_path):
    path = write(
        tmp_path / "waivers.yaml",
        {"waivers": [waiver(), waiver(rule="naming/*"), waiver(target="projects/gone.yaml")]},
    )
    report = run([late], path)
    stale = [(f.rule, f.location.pointer) for f in report.findings]
    assert stale == [("waiver/stale", "/waivers/1"), ("waiver/stale", "/waivers/2")]
    assert len(report.waived) == 1


def test_a_waiver_for_a_file_not_checked_this_run_is_not_stale(late, tmp_path):
    other = write(tmp_path / "projects" / "other.yaml", load(BASE).data)
    path = write(tmp_path / "waivers.yaml", {"waivers": [waiver()]})
    assert run([other], path).findings == []


def test_globs_for_rules_files_and_pointers(late, tmp_path):
    path = write(
        tmp_path / "waivers.yaml",
        {"waivers": [waiver(rule="deadline/*", target="projects/*.yaml")]},
    )
    assert run([late], path).findings == []


def test_waivers_yaml_next_to_itdocs_yaml_is_used(late, tmp_path):
    write(tmp_path / "itdocs.yaml", {"extends": "default"})
    write(tmp_path / "waivers.yaml", {"waivers": [waiver()]})
    report = check([late], as_of=AS_OF)
    assert report.findings == [] and len(report.waived) == 1
    assert check([late], waivers=False, as_of=AS_OF).findings[0].rule == "deadline/report-late"


def test_waiver_rules_follow_the_policy(late, tmp_path):
    write(
        tmp_path / "itdocs.yaml",
        {"rules": {"waiver/expired": {"severity": "error"}, "waiver/stale": {"severity": "off"}}},
    )
    write(
        tmp_path / "waivers.yaml",
        {"waivers": [waiver(expires="2026-01-01"), waiver(rule="naming/*")]},
    )
    report = check([late], as_of=AS_OF)
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("deadline/report-late", "error"),
        ("waiver/expired", "error"),
    ]


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        (
            {
                "rule": "deadline/report-late",
                "target": "x.yaml",
                "reason": "理由",
                "approver": "王",
            },
            "expires",
        ),
        (waiver(expires="2026-13-01"), "应为真实存在的日期"),
        (waiver(rule="Deadline late"), "/waivers/0/rule"),
        (waiver(colour="red"), "colour"),
    ],
)
def test_an_invalid_waivers_file_is_a_policy_error(tmp_path, entry, fragment):
    path = write(tmp_path / "waivers.yaml", {"waivers": [entry]})
    with pytest.raises(PolicyError) as info:
        run([BASE], path)
    assert fragment in str(info.value) and "waivers.yaml:" in str(info.value)
