"""``itdocs due``: what each sample owes on a fixed day, as a clerk computes it by hand.

The expected dates come from the seeds' rules with the default policy (weekly report due Friday,
monthly report day 5 of the next month, quarterly report the quarter's last day, minutes within
24 hours) and the 2026 official calendar: 中秋节 Sep 25–27, 国庆节 Oct 1–7, make-up working days
Sun Sep 20 and Sat Oct 10. A due date on a day off moves to the next working day.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES

from itdocs.due import due, due_report, parse_days, project_items
from itdocs.errors import InputError, UsageError
from itdocs.loader import load
from itdocs.milestones import add_months, next_term_end, whole_months
from itdocs.policy import load_policy

D = dt.date
OUTSOURCING = SAMPLES / "outsourcing-helpdesk.json"


def owed(path: Path, as_of: dt.date, within: int | None = None) -> list[tuple[str, str, str]]:
    return [
        (item.key, _iso(item.due), item.state) for item in due([path], as_of=as_of, within=within)
    ]


def _iso(moment: dt.date | dt.datetime) -> str:
    return (
        moment.strftime("%Y-%m-%d %H:%M") if isinstance(moment, dt.datetime) else moment.isoformat()
    )


def outsourcing(**changes) -> dict:
    data = copy.deepcopy(load(OUTSOURCING).data)
    for key, value in changes.items():
        data[key] = value
    return data


def items_of(data: dict, as_of: dt.date, horizon: dt.date | None = None):
    return project_items(data, load_policy(), as_of=as_of, horizon=horizon, file="x.json")


# --- each sample, everything owed on 2026-11-21 ---------------------------------------------------

EXPECTED_2026_11_21 = {
    # The one running project: next weekly report, the November report (Sat Dec 5 → Mon Dec 7),
    # Q4 report, open resolutions of HD-M06, notice of non-renewal (end 2027-07-31 − 60 days),
    # acceptance by the planned end, and the contract's end.
    "outsourcing-helpdesk.json": [
        ("report/weekly/2026-W48", "2026-11-27", "open"),
        ("resolution/HD-M06/0", "2026-12-04", "open"),
        ("report/monthly/2026-11", "2026-12-07", "open"),
        ("resolution/HD-M06/1", "2026-12-11", "open"),
        ("resolution/HD-M06/2", "2026-12-18", "open"),
        ("report/quarterly/2026-Q4", "2026-12-31", "open"),
        ("renewal-notice", "2027-06-01", "open"),
        ("acceptance", "2027-07-31", "open"),
        ("contract-expiry", "2027-07-31", "open"),
    ],
    # Closed projects owe only the resolutions still open (follow-up work after acceptance).
    "affiliation-mes.yaml": [("resolution/MES-M06/2", "2026-12-07", "open")],
    "improvement-itsm.yaml": [
        ("resolution/ITSM-M05/0", "2026-11-27", "open"),
        ("resolution/ITSM-M06/1", "2026-12-07", "open"),
        ("resolution/ITSM-M02/3", "2026-12-31", "open"),
        ("resolution/ITSM-M06/0", "2026-12-31", "open"),
    ],
    "informatization-plm.yaml": [("resolution/PLM-M04/2", "2026-11-30", "open")],
    "procurement-erp-ops.yaml": [("resolution/ERP-M05/2", "2026-12-31", "open")],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_2026_11_21))
def test_each_sample_owes_on_2026_11_21(name):
    assert owed(SAMPLES / name, D(2026, 11, 21)) == EXPECTED_2026_11_21[name]


def test_within_14_days_across_samples_sorted_by_date():
    items = due([SAMPLES], as_of=D(2026, 11, 21), within=14)
    assert [(i.project, i.key, _iso(i.due)) for i in items] == [
        ("HDJM-IT-2026-I001", "resolution/ITSM-M05/0", "2026-11-27"),
        ("HDJM-IT-2026-O002", "report/weekly/2026-W48", "2026-11-27"),
        ("HDJM-IT-2026-L005", "resolution/PLM-M04/2", "2026-11-30"),
        (
            "HDJM-IT-2026-O002",
            "report/weekly/2026-W49",
            "2026-12-04",
        ),  # a later period, found within 14 days
        ("HDJM-IT-2026-O002", "resolution/HD-M06/0", "2026-12-04"),
    ]
    assert all(i.state == "open" and i.days == (i.due_day - D(2026, 11, 21)).days for i in items)


def test_within_lists_every_report_period_up_to_the_horizon():
    keys = [
        i.key
        for i in due([OUTSOURCING], as_of=D(2026, 11, 21), within=45)
        if i.key.startswith("report/")
    ]
    assert keys == [
        "report/weekly/2026-W48",
        "report/weekly/2026-W49",
        "report/monthly/2026-11",
        "report/weekly/2026-W50",
        "report/weekly/2026-W51",
        "report/weekly/2026-W52",
        "report/quarterly/2026-Q4",
        "report/weekly/2026-W53",
        "report/monthly/2026-12",
    ]


# --- holidays and make-up working days ------------------------------------------------------------


def test_national_day_moves_the_september_report_and_the_friday_weekly_report():
    items = {i.key: i for i in due([OUTSOURCING], as_of=D(2026, 9, 28), within=14)}
    monthly, weekly = items["report/monthly/2026-09"], items["report/weekly/2026-W40"]
    assert (monthly.base_due, monthly.due) == (D(2026, 10, 5), D(2026, 10, 8))
    assert "国庆节 National Day" in monthly.moved and "2026-10-08" in monthly.moved
    assert (weekly.base_due, weekly.due) == (D(2026, 10, 2), D(2026, 10, 8))
    assert weekly.due.weekday() == 3  # Thursday Oct 8, the first working day after the holiday
    assert items["report/quarterly/2026-Q3"].due == D(2026, 9, 30)
    assert items["report/quarterly/2026-Q3"].moved is None
    assert items["report/weekly/2026-W41"].due == D(2026, 10, 9)


def test_mid_autumn_festival_moves_the_weekly_report_to_monday():
    [weekly] = [
        i
        for i in due([OUTSOURCING], as_of=D(2026, 9, 21), within=7)
        if i.key == "report/weekly/2026-W39"
    ]
    assert (weekly.base_due, weekly.due) == (D(2026, 9, 25), D(2026, 9, 28))
    assert "中秋节 Mid-autumn Festival" in weekly.moved


def test_make_up_working_day_2026_10_10_is_a_working_day():
    affiliation = SAMPLES / "affiliation-mes.yaml"
    minutes = {i.key: i for i in due([affiliation], as_of=D(2026, 10, 9), within=3)}["minutes/MES-M05"]
    assert (
        minutes.due == minutes.base_due
    )  # meeting ended Fri Oct 9 16:00 → Sat Oct 10 16:00, not moved
    assert _iso(minutes.due) == "2026-10-10 16:00"
    assert minutes.moved is None
    assert "调休上班日" in minutes.note and "National Day" in minutes.note


def test_make_up_working_day_2026_09_20_is_where_a_saturday_deadline_lands():
    data = outsourcing()
    data["meetings"].append(
        {
            "id": "HD-MX",
            "type": "regular",
            "start": "2026-09-18T14:00:00+08:00",
            "end": "2026-09-18T16:00:00+08:00",
            "attendees": ["许静"],
        }
    )
    data["meetings"].append(
        {
            "id": "HD-MY",
            "type": "regular",
            "start": "2026-09-19T09:00:00+08:00",
            "end": "2026-09-19T10:00:00+08:00",
            "attendees": ["许静"],
        }
    )
    items = {i.title: i for i in items_of(data, D(2026, 9, 18))}
    friday = items[
        "会议纪要 HD-MX"
    ]  # due Sat Sep 19 16:00 → the next working day is Sun Sep 20 (调休)
    assert _iso(friday.base_due) == "2026-09-19 16:00" and _iso(friday.due) == "2026-09-20 16:00"
    assert "周六 Saturday" in friday.moved and "调休上班日" in friday.note
    saturday = items["会议纪要 HD-MY"]  # due Sun Sep 20 10:00: a working day, not moved
    assert _iso(saturday.due) == _iso(saturday.base_due) == "2026-09-20 10:00"
    assert saturday.moved is None


def test_a_year_the_calendar_does_not_know_says_so():
    [item] = [
        i
        for i in due([OUTSOURCING], as_of=D(2026, 11, 21), within=45)
        if i.key == "report/weekly/2026-W53"
    ]
    assert item.due == D(2027, 1, 1)  # 2027's holidays are not published in chinesecalendar yet
    assert item.evidence["unknown_years"] == [2027]
    assert "weekends only" in item.evidence["calendar_note"]


# --- states as of a day -----------------------------------------------------------------------------


def test_a_report_filed_after_as_of_was_still_owed_on_that_day():
    # W40 was filed on 2026-09-30: owed on the 29th, not on the 30th.
    assert "report/weekly/2026-W40" in [k for k, _, _ in owed(OUTSOURCING, D(2026, 9, 29), 14)]
    assert "report/weekly/2026-W40" not in [k for k, _, _ in owed(OUTSOURCING, D(2026, 9, 30), 14)]


def test_overdue_first_then_by_date():
    items = due([SAMPLES], as_of=D(2026, 12, 10), within=7)
    states = [i.state for i in items]
    assert states == sorted(states, key=lambda s: s != "overdue")
    overdue = [(i.key, _iso(i.due), i.days) for i in items if i.overdue]
    assert overdue[:2] == [
        ("resolution/ITSM-M05/0", "2026-11-27", -13),
        ("report/weekly/2026-W48", "2026-11-27", -13),
    ]
    assert ("report/monthly/2026-11", "2026-12-07", -3) in overdue
    assert [i.due_day for i in items if not i.overdue] == sorted(
        i.due_day for i in items if not i.overdue
    )


def test_acceptance_by_the_planned_end_until_accepted():
    erp = SAMPLES / "procurement-erp-ops.yaml"
    assert ("acceptance", "2026-11-13", "open") in owed(erp, D(2026, 11, 1))
    assert "acceptance" not in [k for k, _, _ in owed(erp, D(2026, 11, 5))]  # accepted that day


def test_acceptance_on_a_day_off_says_to_finish_the_day_before():
    [item] = [i for i in due([OUTSOURCING], as_of=D(2026, 11, 21)) if i.key == "acceptance"]
    assert item.due == D(2027, 7, 31) and "2027-07-30" in item.note  # Saturday: not moved later


# --- contracts: expiry, notice of non-renewal, tacit renewal --------------------------------------


def test_notice_of_non_renewal_shows_in_its_warning_period():
    items = {i.key: i for i in due([OUTSOURCING], as_of=D(2027, 5, 10), within=7)}
    notice = items["renewal-notice"]
    assert notice.due == D(2027, 6, 1)  # 2027-07-31 − 60 days
    assert notice.warn_from == D(2027, 5, 2)  # warned 30 days ahead (contract_expiry_warning_days)
    assert "2028-07-31" in notice.note  # what happens without notice
    assert "contract-expiry" not in items  # its warning starts 2027-07-01


def test_after_the_notice_deadline_the_contract_renews_for_a_term():
    items = {i.key: i for i in due([OUTSOURCING], as_of=D(2027, 7, 5))}
    assert "renewal-notice" not in items and "contract-expiry" not in items
    assert items["contract-renewal/term2"].due == D(2027, 8, 1)
    assert items["renewal-notice/term2"].due == D(2028, 6, 1)  # 2028-07-31 − 60 days
    assert items["contract-expiry/term2"].due == D(2028, 7, 31)
    assert "第 2 期 2027-08-01 至 2028-07-31" in items["contract-expiry/term2"].note


def test_renewal_rolls_on_term_after_term():
    # Notices passed on 2027-06-01, 2028-06-01 and 2029-06-01: term 4 runs 2029-08-01 to 2030-07-31.
    items = {
        i.key: i
        for i in due([OUTSOURCING], as_of=D(2029, 6, 15))
        if i.what.startswith(("contract", "renewal"))
    }
    assert {k: i.due for k, i in items.items()} == {
        "contract-renewal/term4": D(2029, 8, 1),
        "renewal-notice/term4": D(2030, 6, 1),
        "contract-expiry/term4": D(2030, 7, 31),
    }


def test_renewal_term_defaults_to_the_initial_term_and_handles_month_ends():
    contract = copy.deepcopy(load(OUTSOURCING).data["contract"])
    contract.update(
        start_date="2026-03-01", end_date="2027-02-28", renewal={"auto": True, "notice_days": 30}
    )
    data = outsourcing(contract=contract)
    items = {i.key: i for i in items_of(data, D(2027, 2, 10))}
    assert items["contract-renewal/term2"].due == D(2027, 3, 1)
    assert items["contract-expiry/term2"].due == D(2028, 2, 29)  # a leap year: the day before Mar 1
    assert items["renewal-notice/term2"].due == D(2028, 1, 30)
    assert "initial term" in items["contract-expiry/term2"].evidence["term_months_from"]


def test_notice_deadline_on_a_day_off_is_not_moved_later():
    contract = copy.deepcopy(load(OUTSOURCING).data["contract"])
    contract.update(
        end_date="2026-11-30", renewal={"auto": True, "notice_days": 30, "term_months": 12}
    )
    [notice] = [
        i
        for i in items_of(outsourcing(contract=contract), D(2026, 10, 20))
        if i.what == "renewal_notice"
    ]
    assert notice.due == D(2026, 10, 31)  # a Saturday: the notice must arrive by then
    assert "2026-10-30" in notice.note


def test_a_contract_that_does_not_renew_expires():
    contract = copy.deepcopy(load(OUTSOURCING).data["contract"])
    contract.update(end_date="2026-11-30", renewal={"auto": False})
    items = {i.key: i for i in items_of(outsourcing(contract=contract), D(2026, 12, 3))}
    assert items["contract-expiry"].state == "overdue" and items["contract-expiry"].days == -3
    assert not any(k.startswith(("renewal-notice", "contract-renewal")) for k in items)


def test_month_arithmetic():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)
    assert next_term_end(D(2027, 7, 31), 12) == D(2028, 7, 31)
    assert next_term_end(D(2026, 4, 30), 1) == D(2026, 5, 31)
    assert whole_months(D(2026, 8, 1), D(2027, 7, 31)) == 12
    assert whole_months(D(2026, 8, 2), D(2027, 7, 31)) is None


# --- the library around it ---------------------------------------------------------------------------


def test_policy_parameters_change_due_dates(tmp_path):
    policy = tmp_path / "itdocs.yaml"
    policy.write_text("parameters:\n  monthly_report_day: 10\n", encoding="utf-8")
    [item] = [
        i
        for i in due([OUTSOURCING], as_of=D(2026, 11, 21), within=30, policy=policy)
        if i.key == "report/monthly/2026-11"
    ]
    assert item.due == D(2026, 12, 10) and item.moved is None


def test_the_nearest_policy_file_above_a_dossier_applies(tmp_path):
    (tmp_path / "itdocs.yaml").write_text(
        "parameters:\n  weekly_report_weekday: 3\n", encoding="utf-8"
    )
    (tmp_path / "o.json").write_bytes(OUTSOURCING.read_bytes())
    [item] = [i for i in due([tmp_path], as_of=D(2026, 11, 21)) if i.what == "weekly_report"]
    assert item.due == D(2026, 11, 25)  # Wednesday


def test_unreadable_file_is_collected_or_raised(tmp_path):
    (tmp_path / "bad.yaml").write_text("kind: [unclosed\n", encoding="utf-8")
    (tmp_path / "o.json").write_bytes(OUTSOURCING.read_bytes())
    report = due_report([tmp_path], as_of=D(2026, 11, 21), within=14)
    assert len(report.errors) == 1 and "bad.yaml" in str(report.errors[0])
    assert report.items and {i.project for i in report.items} == {"HDJM-IT-2026-O002"}
    with pytest.raises(InputError):
        due([tmp_path], as_of=D(2026, 11, 21))


def test_items_are_values_with_stable_keys_and_uids():
    first = due([SAMPLES], as_of=D(2026, 11, 21), within=30)
    again = due([SAMPLES], as_of=D(2026, 11, 21), within=30)
    assert first == again
    later = {i.key: i.uid for i in due([OUTSOURCING], as_of=D(2026, 11, 25), within=30)}
    assert later["report/weekly/2026-W49"] == "HDJM-IT-2026-O002.report.weekly.2026-W49@itdocs"
    assert {i.uid for i in first if i.project == "HDJM-IT-2026-O002"} & set(later.values())


@pytest.mark.parametrize(
    ("text", "days"), [("14d", 14), ("2w", 14), ("30", 30), ("0", 0), ("all", None), (" 7D ", 7)]
)
def test_parse_days(text, days):
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["abc", "-3d", "1.5d", "3m", "", "99999"])
def test_parse_days_refuses(text):
    with pytest.raises(UsageError):
        parse_days(text)


# --- the command, as a new user meets it -------------------------------------------------------------


def test_help_explains_exit_codes(cli):
    result = cli("due", "--help")
    assert result.exit_code == 0
    assert "Exit 0 when nothing is overdue, 1 when something is, 2" in result.output
    for option in ("--within", "--as-of", "--format", "--ics", "--remind", "--policy"):
        assert option in result.output


def test_text_output_shows_moves_and_exit_0(cli):
    result = cli("due", SAMPLES, "--as-of", "2026-09-30", "--within", "10d")
    assert result.exit_code == 0, result.output
    assert (
        result.output.splitlines()[0]
        == "截至 2026-09-30（周三），10 天内：逾期 0 项，待办 12 项（5 个档案）"
    )
    assert (
        "顺延: 2026-10-05 国庆节 National Day → 顺延至下一工作日 next working day 2026-10-08"
        in result.output
    )
    assert "2026-10-10 周六 16:00" in result.output and "调休上班日" in result.output


def test_something_overdue_exits_1_and_comes_first(cli):
    result = cli("due", OUTSOURCING, "--as-of", "2026-12-10", "--lang", "en")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        lines[0] == "As of 2026-12-10 (Thu), within 14 day(s): 4 overdue, 4 upcoming (1 dossier(s))"
    )
    assert (
        lines[2] == "Overdue"
        and "13 day(s) late" in lines[3]
        and "weekly report 2026-W48" in lines[3]
    )


def test_json_output(cli):
    result = cli("due", SAMPLES, "--as-of", "2026-11-21", "--format", "json", "--within", "all")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["as_of"] == "2026-11-21" and payload["within_days"] is None
    assert payload["summary"] == {
        "overdue": 0,
        "upcoming": sum(len(v) for v in EXPECTED_2026_11_21.values()),
    }
    monthly = next(i for i in payload["items"] if i["key"] == "report/monthly/2026-11")
    assert monthly["due"] == "2026-12-07" and monthly["base_due"] == "2026-12-05"
    assert monthly["uid"] == "HDJM-IT-2026-O002.report.monthly.2026-11@itdocs"
    assert monthly["evidence"]["moved"].startswith("2026-12-05 周六 Saturday")


def test_output_file(cli, tmp_path):
    target = tmp_path / "due.json"
    result = cli("due", OUTSOURCING, "--as-of", "2026-11-21", "--format", "json", "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["upcoming"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope.yaml"], "no such file or folder): nope.yaml"),
        (
            [str(OUTSOURCING), "--within", "soon"],
            "--within 'soon': write a number of days or weeks",
        ),
        ([str(OUTSOURCING), "--as-of", "2026-13-01"], "--as-of '2026-13-01' is not a date"),
        ([str(OUTSOURCING), "--format", "xlsx"], "--format xlsx needs -o"),
        ([str(OUTSOURCING), "--ics", "deadlines.txt"], "the file must end in .ics"),
        ([str(OUTSOURCING), "--remind", "later"], "--remind 'later'"),
        ([str(OUTSOURCING), "--policy", "missing.yaml"], "policy file not found"),
    ],
)
def test_bad_input_is_one_clear_line_exit_2(cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = cli("due", *args)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("itdocs: error: ")
    assert message in result.output


def test_a_folder_without_dossiers_exits_2(cli, tmp_path):
    result = cli("due", tmp_path)
    assert result.exit_code == 2 and "no dossier files" in result.output


def test_an_unreadable_dossier_still_lists_the_others_and_exits_2(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("kind: [unclosed\n", encoding="utf-8")
    (tmp_path / "o.json").write_bytes(OUTSOURCING.read_bytes())
    result = cli("due", tmp_path, "--as-of", "2026-11-21")
    assert result.exit_code == 2
    assert "周报 2026-W48" in result.stdout
    assert "itdocs: error:" in result.stderr and "bad.yaml" in result.stderr


def test_yaml_sample_copy_gives_the_same_list(tmp_path):
    data = load(OUTSOURCING).data
    copy_path = tmp_path / "helpdesk.yaml"
    copy_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert owed(copy_path, D(2026, 11, 21)) == EXPECTED_2026_11_21["outsourcing-helpdesk.json"]
