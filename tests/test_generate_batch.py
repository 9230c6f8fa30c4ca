"""``itdocs generate DIR --jobs N``: same files for any N, a bad dossier never stops the batch."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import sample_files

from itdocs import batch
from itdocs.errors import InputError, ItdocsError
from itdocs.generator import InvalidDossier, generate


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def dossiers(tmp_path):
    folder = tmp_path / "dossiers"
    folder.mkdir()
    for path in sample_files():
        shutil.copy(path, folder / path.name)
    return folder


def test_same_files_whatever_the_number_of_jobs(dossiers, tmp_path):
    one = generate(dossiers, tmp_path / "one", jobs=1)
    three = generate(dossiers, tmp_path / "three", jobs=3)
    assert one.ok and three.ok
    assert _tree(tmp_path / "one") == _tree(tmp_path / "three")
    assert [f.path.relative_to(tmp_path / "one") for f in one.written] == [
        f.path.relative_to(tmp_path / "three") for f in three.written
    ]
    assert len({p.parent for p in (tmp_path / "one").rglob("*.docx")}) == len(sample_files())


def test_bad_dossiers_are_listed_and_the_others_written(dossiers, tmp_path, cli):
    (dossiers / "aaa-broken.yaml").write_text("project: [unclosed\n", encoding="utf-8")
    (dossiers / "aab-invalid.yaml").write_text("kind: procurement\nproject: {}\n", encoding="utf-8")
    result = generate(dossiers, tmp_path / "out", jobs=2)
    failed = sorted(Path(e.file).name for e in result.errors)
    assert failed == ["aaa-broken.yaml", "aab-invalid.yaml"]
    assert any(isinstance(e, InvalidDossier) and e.findings for e in result.errors)
    assert len({f.path.parent for f in result.written}) == len(sample_files())

    run = cli("generate", dossiers, "-o", tmp_path / "cli", "--jobs", "2", "-q")
    assert run.exit_code == 2
    assert "aaa-broken.yaml" in run.output and "aab-invalid.yaml" in run.output
    assert "2 个档案有错误" in run.output
    assert len(list((tmp_path / "cli").rglob("*.docx"))) == len(
        list((tmp_path / "out").rglob("*.docx"))
    )


def test_an_unexpected_exception_is_one_dossiers_error(dossiers, tmp_path, monkeypatch):
    from itdocs import generator

    real = generator._Job.run
    victim = sample_files()[0].name

    def run(self, path, out):
        if path.name == victim:
            raise RuntimeError("boom")
        return real(self, path, out)

    monkeypatch.setattr(generator._Job, "run", run)
    result = generate(dossiers, tmp_path / "out", jobs=1)
    [error] = result.errors
    assert "internal error" in str(error) and "boom" in str(error) and victim in str(error)
    assert len(result.folders) == len(sample_files()) - 1


def _dies_on_three(_: None, item: int) -> int:
    if item == 3:
        os._exit(7)  # a worker killed mid-dossier (out of memory, a crash in a C library)
    return item * 10


def test_a_dying_worker_never_loses_the_other_dossiers():
    outcomes = batch.map_ordered(_dies_on_three, list(range(8)), shared=None, jobs=2)
    assert [o.value for o in outcomes] == [0, 10, 20, None, 40, 50, 60, 70]
    assert "worker process died" in str(outcomes[3].error)


def test_progress_is_reported_per_dossier(dossiers, tmp_path):
    seen = []
    generate(dossiers, tmp_path / "out", jobs=2, progress=lambda *a: seen.append(a))
    total = len(sample_files())
    assert [done for stage, done, _ in seen] == list(range(1, total + 1))
    assert {(stage, n) for stage, _, n in seen} == {("generate", total)}


def test_errors_come_back_from_worker_processes_whole():
    error = InputError("msg", file="f.yaml", line=3, hint="h")
    back = pickle.loads(pickle.dumps(error))
    assert (str(back), back.hint) == (str(error), error.hint)
    from itdocs.findings import Finding, Location

    finding = Finding("schema", "error", "f.yaml", "bad", Location(line=2, column=1, pointer="/a"))
    invalid = pickle.loads(pickle.dumps(InvalidDossier([finding], file="f.yaml")))
    assert invalid.findings == [finding] and invalid.file == "f.yaml"
    assert isinstance(invalid, ItdocsError)


def test_progress_bar_only_on_a_terminal(dossiers, tmp_path, cli):
    run = cli("generate", dossiers, "-o", tmp_path / "out", "--jobs", "2")
    assert run.exit_code == 0
    assert "档案 dossiers" not in run.output  # CliRunner's stderr is no terminal
