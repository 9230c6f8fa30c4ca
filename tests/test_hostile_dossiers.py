"""Hostile dossiers through the real command line: `itdocs validate` and `itdocs generate` each end
in bounded time and memory with one clear line naming the file, and nothing is written outside
``-o OUTDIR`` whatever the dossier calls its project.

Every file is built here, in ``tmp_path``. Each run is a child process measured with ``os.wait4``
(tests/clirun.py); the bounds are far above what the runs take (validate ~0.3 s and ~35 MB,
generate ~0.6 s and ~70 MB), so a failure means a real regression, not a slow machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from click.testing import CliRunner
from clirun import Run, run_itdocs, snapshot
from generate_helpers import small_dossier

from itdocs.cli import main
from itdocs.naming import windows_problems

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "outsourcing-helpdesk.json"

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="measures children with wait4")

MiB = 1024 * 1024
MAX_SECONDS = 10.0
MAX_RSS_MB = 300.0
MAX_OUTPUT = 64 * 1024  # a 1 MB value is never echoed back
ONLY = "requirement_form,contract"


def _yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


def _laughs(levels: int = 9) -> str:
    text = "a0: &a0 [" + ", ".join(["lol"] * 10) + "]\n"
    for n in range(1, levels + 1):
        text += f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]\n"
    return text


def _big_strings(fmt: str) -> str:
    data = small_dossier()
    data["project"]["name"] = "项" * 350_000  # 1 MB of UTF-8, above the schema's 100,000 characters
    data["requirement"]["content"] = "x" * MiB
    data["k" * MiB] = "a key of 1 MB"
    return _yaml(data) if fmt == "yaml" else _json(data)


def _valid_with_big_strings() -> str:
    data = small_dossier()
    data["x-attachment"] = "x" * MiB  # custom fields may be long: a valid dossier
    data["x-notes"] = ["说明" * 170_000, "y" * MiB]
    data["project"]["name"] = "名" * 100_000  # the longest name the schema allows
    return _json(data)


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.yaml"
    os.mkfifo(path)  # reading it would block forever
    return path


def _dev_zero(folder: Path) -> Path:
    path = folder / "zero.yaml"
    path.symlink_to("/dev/zero")  # reading it would never end
    return path


def _passwd(folder: Path) -> Path:
    path = folder / "passwd.yaml"
    path.symlink_to("/etc/passwd")  # a finding would quote its first line
    return path


def _loop(folder: Path) -> Path:
    (folder / "b.yaml").symlink_to("a.yaml")
    (folder / "a.yaml").symlink_to("b.yaml")
    return folder / "a.yaml"


def _fifo_behind_link(folder: Path) -> Path:
    os.mkfifo(folder / "pipe")
    (folder / "linked.yaml").symlink_to("pipe")  # inside the folder: followed, and refused
    return folder / "linked.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    suffix: str
    content: Callable[[], str | bytes] | Callable[[Path], Path]  # built when the test runs
    message: str  # in the one line validate prints
    validate_exit: int = 2
    makes_path: bool = False  # content(folder) makes the file itself


def _text(text: str) -> Callable[[], str]:
    return lambda: text


def _special(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
    return make


CASES = [
    Case("yaml-billion-laughs", ".yaml", lambda: _laughs(), "展开后过大"),
    Case(
        "yaml-laughs-under-the-old-limit",
        ".yaml",
        lambda: "kind: procurement\n" + _laughs(5),
        "展开后过大",
    ),
    Case(
        "yaml-merge-key-laughs",
        ".yaml",
        _text("a: &a {x: 1, y: 2}\nb: &b {<<: [*a, *a, *a], z: 3}\nc: {<<: [*b, *b, *b]}\n"),
        "键必须是文字",
    ),
    Case(
        "yaml-alias-of-1mb-string",
        ".yaml",
        lambda: (
            "kind: procurement\ns: &s " + "x" * MiB + "\nl: [" + ", ".join(["*s"] * 1000) + "]\n"
        ),
        "未知字段",
        validate_exit=1,
    ),
    Case("json-deep-brackets", ".json", lambda: "[" * 100_000 + "]" * 100_000, "嵌套过深"),
    Case("json-deep-objects-spaced", ".json", lambda: '{"a": ' * 5000 + "1" + "}" * 5000, "JSON"),
    Case("json-deep-under-recursion-limit", ".json", lambda: "[ " * 500 + "]" * 500, "嵌套过深"),
    Case("yaml-deep-flow", ".yaml", lambda: "[" * 5000 + "]" * 5000, "嵌套过深"),
    Case("yaml-deep-flow-spaced", ".yaml", lambda: "{a: " * 3000 + "1" + "}" * 3000, "嵌套过深"),
    Case(
        "yaml-deep-block",
        ".yaml",
        lambda: "".join("  " * i + "a:\n" for i in range(1000)) + "  " * 1000 + "b",
        "嵌套过深",
    ),
    Case("yaml-deep-block-sequence", ".yaml", lambda: "- " * 3000 + "x\n", "嵌套过深"),
    Case("json-wide-18mb", ".json", lambda: "[" + "0," * 9_000_000 + "0]", "档案过大"),
    Case("json-wide-empty-lists", ".json", lambda: "[" + "[]," * 6_000_000 + "[]]", "档案过大"),
    Case("yaml-wide-block-8mb", ".yaml", lambda: "- a\n" * 2_000_000, "档案过大"),
    Case("yaml-wide-flow", ".yaml", lambda: "[" + "a," * 3_000_000 + "a]", "档案过大"),
    Case(
        "json-1mb-strings",
        ".json",
        lambda: _big_strings("json"),
        "最多 100000 个字",
        validate_exit=1,
    ),
    Case(
        "yaml-1mb-strings",
        ".yaml",
        lambda: _big_strings("yaml"),
        "最多 100000 个字",
        validate_exit=1,
    ),
    Case(
        "invalid-utf8-mid-file",
        ".yaml",
        lambda: _yaml(small_dossier()).encode() + b"x-bad: \xff\xfe\xfd\n",
        "UTF-8",
    ),
    Case("gbk-encoded", ".yaml", lambda: _yaml(small_dossier()).encode("gbk"), "UTF-8"),
    Case("utf16-with-bom", ".json", lambda: _json(small_dossier()).encode("utf-16"), "UTF-16"),
    Case("50mb", ".yaml", lambda: b"kind: procurement\n" + b"#" * (50 * MiB), "文件过大"),
    Case("nul-at-start", ".json", lambda: b"\x00\x00{}", "不是文本文件"),
    Case(
        "nul-after-8kb-yaml",
        ".yaml",
        lambda: _yaml(small_dossier()).encode() + b"#" * 9000 + b"\x00\n",
        "U+0000",
    ),
    Case(
        "nul-after-8kb-json",
        ".json",
        lambda: b'{"x-pad": "' + b"p" * 9000 + b'\x00"}',
        "JSON 格式错误",
    ),
    Case(
        "escapes-in-values", ".yaml", _text('kind: "\\0\\e[2J\\u202e"\n'), "不允许", validate_exit=1
    ),
    Case(
        "python-object-apply",
        ".yaml",
        _text('kind: !!python/object/apply:os.system ["touch PWNED"]\n'),
        "python/object",
    ),
    Case("python-name", ".yaml", _text("kind: !!python/name:os.system\n"), "python/name"),
    Case("unknown-local-tag", ".yaml", _text("kind: !include /etc/passwd\n"), "!include"),
    Case(
        "duplicate-key-yaml",
        ".yaml",
        _text("kind: procurement\nkind: outsourcing\n"),
        "重复的键「kind」",
    ),
    Case(
        "duplicate-key-json",
        ".json",
        _text('{"kind": "procurement", "kind": "x"}'),
        "重复的键「kind」",
    ),
    Case(
        "duplicate-key-json-nested",
        ".json",
        _text('{"project": {"id": "A", "id": "B"}}'),
        "重复的键「id」",
    ),
    Case("yaml-int-5000-digits", ".yaml", lambda: "kind: " + "9" * 5000 + "\n", "数字过长"),
    Case("json-int-5000-digits", ".json", lambda: '{"kind": ' + "9" * 5000 + "}", "JSON 格式错误"),
    Case("json-lone-surrogate", ".json", _text('{"kind": "\\ud800"}'), "lone surrogate"),
    Case("json-lone-surrogate-key", ".json", _text('{"\\udfff": 1}'), "lone surrogate"),
    Case("fifo", ".yaml", _fifo, "不是普通文件", makes_path=True),
    Case("fifo-behind-a-link", ".yaml", _fifo_behind_link, "不是普通文件", makes_path=True),
    Case("symlink-to-dev-zero", ".yaml", _dev_zero, "符号链接", makes_path=True),
    Case("symlink-to-etc-passwd", ".yaml", _passwd, "符号链接", makes_path=True),
    Case("symlink-loop", ".yaml", _loop, "无法读取", makes_path=True),
]
# generate reads a dossier with the same loader as validate: it runs on the cases whose path
# through it differs (size, encoding, parse, schema findings, special files), to keep CI quick.
GENERATE = {
    "yaml-billion-laughs",
    "yaml-alias-of-1mb-string",
    "json-deep-brackets",
    "yaml-deep-block",
    "json-wide-18mb",
    "yaml-wide-block-8mb",
    "json-1mb-strings",
    "invalid-utf8-mid-file",
    "utf16-with-bom",
    "50mb",
    "nul-after-8kb-yaml",
    "escapes-in-values",
    "python-object-apply",
    "yaml-int-5000-digits",
    "json-lone-surrogate",
    "duplicate-key-json",
    "fifo",
    "symlink-to-dev-zero",
    "symlink-to-etc-passwd",
}


def _build(case: Case, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if case.makes_path:
        return case.content(folder)  # type: ignore[call-arg, return-value]
    content = case.content()  # type: ignore[call-arg]
    path = folder / f"{case.name}{case.suffix}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@dataclass
class Prepared:
    path: Path
    folder: Path
    before: dict[str, tuple[int, int]]
    run: Future[Run]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory) -> Iterator[dict[tuple[str, str], Prepared]]:
    """Every case through both commands, run a few at a time while the tests read the results:
    each run is still its own process, timed and measured on its own."""
    root = tmp_path_factory.mktemp("hostile")
    pool = ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2)))
    prepared: dict[tuple[str, str], Prepared] = {}
    for case in CASES:
        for command in ("validate", "generate") if case.name in GENERATE else ("validate",):
            folder = root / case.name / command
            path = _build(case, folder / "in")
            before = snapshot(folder)
            if command == "validate":
                args: tuple[object, ...] = ("validate", "-q", path)
            else:
                args = ("generate", path, "-o", folder / "out", "--only", ONLY)
            run = pool.submit(run_itdocs, *args, cwd=folder)
            prepared[case.name, command] = Prepared(path, folder, before, run)
    yield prepared
    pool.shutdown(cancel_futures=True)


def _in_process(*args: object, env: dict[str, str] | None = None) -> Run:
    """The command run here, for cases whose point is the answer, not the process's cost; an
    exception that escapes the CLI fails the test just as a traceback would."""
    result = CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)
    return Run(tuple(map(str, args)), result.exit_code, result.stdout, result.stderr, 0.0, 0.0)


def _bounded(run: Run, record_property: Callable[[str, object], None]) -> None:
    record_property("seconds", round(run.seconds, 3))
    record_property("peak_rss_mb", round(run.peak_rss_mb, 1))
    assert not run.timed_out and run.seconds < MAX_SECONDS, run
    assert run.peak_rss_mb < MAX_RSS_MB, run
    assert "Traceback" not in run.output, run
    assert len(run.output) < MAX_OUTPUT, run
    assert "root:x:0:0" not in run.output, run  # nothing of /etc/passwd


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_refuses_with_one_line(case, matrix, record_property):
    prepared = matrix[case.name, "validate"]
    run = prepared.run.result()
    _bounded(run, record_property)
    assert run.returncode == case.validate_exit, run
    lines = run.lines()
    if case.validate_exit == 2:
        assert len(lines) == 1, run
    assert all(line.startswith(str(prepared.path)) for line in lines), run
    assert case.message in run.output, run
    assert not (prepared.folder / "PWNED").exists()


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.name in GENERATE],
    ids=[c.name for c in CASES if c.name in GENERATE],
)
def test_generate_refuses_and_writes_nothing(case, matrix, record_property):
    prepared = matrix[case.name, "generate"]
    run = prepared.run.result()
    _bounded(run, record_property)
    assert run.returncode == 2, run
    *findings, last = run.lines()
    assert last.startswith(f"itdocs: error: {prepared.path}"), run
    if case.validate_exit == 2:
        assert not findings, run  # one line
    assert all(line.startswith(str(prepared.path)) for line in findings), run
    assert snapshot(prepared.folder) == prepared.before, "nothing may be written anywhere"


def test_a_valid_dossier_with_1mb_strings_generates(tmp_path, record_property):
    path = tmp_path / "big.json"
    path.write_text(_valid_with_big_strings(), encoding="utf-8")
    checked = run_itdocs("validate", "-q", path)
    _bounded(checked, record_property)
    assert checked.returncode == 0, checked
    run = run_itdocs("generate", path, "-o", tmp_path / "out", "--only", ONLY)
    _bounded(run, record_property)
    assert run.returncode == 0, run
    written = sorted((tmp_path / "out").iterdir())
    assert len(written) == 2 and all(len(p.name.encode()) <= 255 for p in written)


def test_environment_raises_a_limit(tmp_path):
    path = tmp_path / "wide.json"
    path.write_text(json.dumps({"x-list": list(range(150_000))}), encoding="utf-8")
    refused = _in_process("validate", "-q", path)
    assert refused.returncode == 2 and "ITDOCS_MAX_NODES" in refused.output, refused
    allowed = _in_process("validate", "-q", path, env={"ITDOCS_MAX_NODES": "200000"})
    assert allowed.returncode == 1 and "档案过大" not in allowed.output, allowed
    bad = _in_process("validate", "-q", path, env={"ITDOCS_MAX_NODES": "lots"})
    assert bad.returncode == 2 and "ITDOCS_MAX_NODES" in bad.output, bad


# --- names that try to leave the output folder ---------------------------------------------------

HOSTILE_NAMES = {
    "dotdot-slash": "../../../../etc/cron.d/itdocs",
    "dotdot-backslash": "..\\..\\..\\Windows\\System32\\evil",
    "absolute": "/tmp/itdocs-escape",
    "mixed-separators": "a/b\\c:d*e?f|g<h>i",
    "con": "CON",
    "nul": "NUL",
    "com1": "COM1",
    "lpt1": "LPT1.txt",
    "dot": ".",
    "dotdot": "..",
    "trailing-dots": "项目. . .",
    "control-characters": "换行\n回车\r制表\t响铃\x07退格\x08转义\x1b[2J删除\x7f",
    "nul-character": "空\x00字符",
    "bidi-override": "\u202etxt.exe",
    "300-bytes-ascii": "a" * 300,
    "300-bytes-chinese": "项" * 100,
    "tilde-and-dollar": "~root/$(touch PWNED)",
}


def _assert_inside(out: Path, tmp_path: Path, before: dict[str, tuple[int, int]]) -> list[Path]:
    """Everything new is a file directly in ``out`` (or one folder below it), with a name Windows
    accepts; nothing that existed before changed."""
    after = snapshot(tmp_path)
    for name, stamp in before.items():
        assert after.get(name) == stamp, f"{name} changed"
    rel_out = out.relative_to(tmp_path)
    new = [tmp_path / name for name in after.keys() - before.keys()]
    for path in new:
        rel = path.relative_to(tmp_path)
        assert rel == rel_out or rel_out in rel.parents, f"{rel} is outside {rel_out}"
        for part in path.relative_to(out).parts if path != out else ():
            assert not windows_problems(part), (part, windows_problems(part))
    return [p for p in new if p.is_file()]


def _named(name: str, **project: str) -> dict:
    data = small_dossier(name=name, **project)
    data["meetings"] = [
        {
            "type": "regular",
            "title": name,
            "start": "2026-11-10T09:00:00+08:00",
            "attendees": [name],
        }
    ]
    return data


SINGLE = ["dotdot-slash", "con", "control-characters"]  # the folder run below has them all


@pytest.mark.parametrize("key", SINGLE)
def test_project_name_never_leaves_the_output_folder(key, tmp_path, record_property):
    path = tmp_path / "in" / "dossier.json"
    path.parent.mkdir()
    path.write_text(_json(_named(HOSTILE_NAMES[key])), encoding="utf-8")
    out = tmp_path / "work" / "out"
    out.parent.mkdir()
    before = snapshot(tmp_path)
    run = run_itdocs(
        "generate", path, "-o", out, "--only", ONLY + ",meeting_minutes", cwd=out.parent
    )
    _bounded(run, record_property)
    assert run.returncode == 0, run
    written = _assert_inside(out, tmp_path, before)
    assert len(written) == 3 and all(p.parent == out for p in written), written
    assert not (out.parent / "PWNED").exists()


def test_every_hostile_name_in_one_folder_run(tmp_path, record_property):
    """Project names and meeting titles with every hostile name: each dossier's files land in
    ``out/<project id>/`` with names Windows accepts."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n, name in enumerate(HOSTILE_NAMES.values()):
        data = _named(name, id=f"P-{n}")
        (folder / f"d{n}.json").write_text(_json(data), encoding="utf-8")
    out = tmp_path / "work" / "out"
    out.parent.mkdir()
    before = snapshot(tmp_path)
    run = run_itdocs(
        "generate", folder, "-o", out, "--only", ONLY + ",meeting_minutes", cwd=out.parent
    )
    _bounded(run, record_property)
    assert run.returncode == 0, run
    written = _assert_inside(out, tmp_path, before)
    assert len(written) == 3 * len(HOSTILE_NAMES)
    assert {p.parent.name for p in written} == {f"P-{n}" for n in range(len(HOSTILE_NAMES))}
    assert not (out.parent / "PWNED").exists()


def test_folder_of_hostile_dossiers_stays_inside(tmp_path, record_property):
    """A folder of dossiers gives one subfolder per project id: ids may be device names, dots."""
    folder = tmp_path / "in"
    folder.mkdir()
    ids = ["CON", "nul", "COM1", "LPT9", "a..b", "x" * 64, "AUX.txt"]
    for n, (project_id, name) in enumerate(zip(ids, HOSTILE_NAMES.values())):
        (folder / f"d{n}.json").write_text(
            _json(small_dossier(id=project_id, name=name)), encoding="utf-8"
        )
    bad = small_dossier(id="../../escape")  # not an identifier: refused by the schema
    (folder / "bad.json").write_text(_json(bad), encoding="utf-8")
    out = tmp_path / "work" / "out"
    out.parent.mkdir()
    before = snapshot(tmp_path)
    run = run_itdocs("generate", folder, "-o", out, "--only", "contract")
    _bounded(run, record_property)
    assert run.returncode == 2, run  # bad.json is reported, the others are written
    assert "bad.json" in run.output
    written = _assert_inside(out, tmp_path, before)
    assert len(written) == len(ids)
    assert sorted(p.parent.name for p in written) == sorted(
        ["_CON", "_nul", "_COM1", "_LPT9", "a_b", "x" * 64, "_AUX.txt"]
    )


@pytest.mark.parametrize(
    "period", ["../2026-W47", "2026-W47/../../x", "2026-W47\\..\\x", "CON", "2026-W47\n"]
)
def test_hostile_period_is_refused_by_the_schema(period, tmp_path):
    data = small_dossier()
    data["reports"] = [{"type": "weekly", "period": period, "filed": "2026-11-20", "summary": "x"}]
    path = tmp_path / "dossier.json"
    path.write_text(_json(data), encoding="utf-8")
    before = snapshot(tmp_path)
    run = _in_process("generate", path, "-o", tmp_path / "out")
    assert run.returncode == 2 and "/reports/0/period" in run.output, run
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("option", ["--period", "--only"])
def test_hostile_filters_are_usage_errors(option, tmp_path):
    path = tmp_path / "dossier.json"
    path.write_text(_json(small_dossier()), encoding="utf-8")
    run = _in_process("generate", path, "-o", tmp_path / "out", option, "../../2026-W47")
    assert run.returncode == 2 and len(run.lines()) == 1 and "Traceback" not in run.output, run
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "pattern",
    [
        "{project}-{date}-{type}{0}",  # the schema lets these through; loading the policy does not
        "{project}-{date}-{type}{",
        "{project}-{date}-{type}{date:999999999}",  # this one and the last: the policy schema
        "{project}-{date}-{type}{project.__class__}",
        "{project.__class__}-{date}-{type}",
    ],
)
def test_hostile_naming_pattern_in_a_policy_is_refused(pattern, tmp_path):
    policy = tmp_path / "itdocs.yaml"
    policy.write_text(_yaml({"extends": "default", "parameters": {"naming": {"pattern": pattern}}}))
    path = tmp_path / "dossier.json"
    path.write_text(_json(small_dossier()), encoding="utf-8")
    before = snapshot(tmp_path)
    run = _in_process("generate", path, "-o", tmp_path / "out", "--policy", policy)
    assert run.returncode == 2 and "Traceback" not in run.output, run
    assert run.lines()[0].startswith("itdocs: error: "), run
    assert f"{policy}:4:5: " in run.output and "/parameters/naming/pattern" in run.output, run
    assert snapshot(tmp_path) == before


def test_file_names_that_are_not_text(tmp_path):
    """A dossier named with bytes that are not UTF-8, or with a line break and a terminal escape:
    every report names it with escapes, on one line, in every format."""
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/bad\xff\xfe.yaml", "w") as handle:
        handle.write("kind: x\n")
    (folder / "ctl\x1b[31m\n::error::x.yaml").write_text("kind: x\n")
    run = run_itdocs("validate", "-q", folder)
    assert run.returncode == 1, run
    assert run.lines() and all(
        line.startswith(
            (f"{folder}/bad\\xff\\xfe.yaml:", f"{folder}/ctl\\x1b[31m\\n::error::x.yaml:")
        )
        for line in run.lines()
    ), run
    for fmt in ("text", "json", "sarif", "junit", "github"):
        checked = run_itdocs("check", folder, "--as-of", "2026-11-21", "--format", fmt)
        assert checked.returncode == 1 and "Traceback" not in checked.output, checked
        assert "\x1b" not in checked.output, checked
        if fmt in ("text", "github"):  # read line by line (a CI log); the others are structured
            assert "\n::error::x" not in checked.output, checked
        if fmt == "junit":
            ElementTree.fromstring(checked.stdout)
        elif fmt in ("json", "sarif"):
            json.loads(checked.stdout)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_dates_at_the_ends_of_the_calendar_are_checked_without_an_internal_error(tmp_path, day):
    """The schema takes any ISO date; deadlines add days, months and periods to them. A closed
    project ending in 9999 (a fuzzer's find) must neither overflow nor enumerate millennia."""
    import datetime as dt
    import time

    from itdocs.engine import check
    from itdocs.ledger import build_ledger

    data = json.loads(SAMPLE.read_text("utf-8"))
    data["project"]["status"] = "closed"
    data["project"]["end_date"] = day
    data["contract"]["signed_date"] = day
    data["meetings"][0]["start"] = f"{day}T23:30:00-12:00"
    path = tmp_path / "edge.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    started = time.perf_counter()
    report = check([path], waivers=False, as_of=dt.date(2026, 11, 21))
    assert time.perf_counter() - started < 30
    assert not [f for f in report.findings if f.rule.startswith("internal/")]
    build_ledger([path], as_of=dt.date(2026, 11, 21))  # due dates, renewals: no overflow
