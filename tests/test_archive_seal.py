"""``itdocs seal``: a BagIt-format SHA-256 manifest in ``.itdocs-seal/``, written so that a kill at any
moment leaves no seal, the old one or the new one; ``itdocs check`` then reports every file added,
removed or changed — all of them in one run — and a seal edited by hand."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from itdocs.archive.seal import (
    BAG_INFO,
    BAGIT,
    MANIFEST,
    NEW_DIR,
    OLD_DIR,
    TAG_MANIFEST,
    AlreadySealed,
    read_seal,
    seal,
)
from itdocs.archive.walk import SEAL_DIR
from itdocs.engine import check

AS_OF = dt.date(2026, 11, 20)


def files(folder: Path, count: int = 5) -> dict[str, bytes]:
    out = {}
    for i in range(count):
        rel = f"{'sub/' if i % 2 else ''}项目-2026年第{i % 50 + 1}周-周报（{i}）.txt"
        data = f"文件 {i}\n".encode() * (i + 1)
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
        out[rel] = data
    return out


def test_the_seal_is_bagit_shaped(tmp_path):
    written = files(tmp_path)
    (tmp_path / "Thumbs.db").write_bytes(b"x")  # operating system litter is not sealed
    result = seal(tmp_path, today=AS_OF)
    where = tmp_path / SEAL_DIR
    assert sorted(p.name for p in where.iterdir()) == sorted(
        [BAGIT, BAG_INFO, MANIFEST, TAG_MANIFEST]
    )
    assert (where / BAGIT).read_text(
        "utf-8"
    ) == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    info = (where / BAG_INFO).read_text("utf-8")
    total = sum(len(d) for d in written.values())
    assert "Bagging-Date: 2026-11-20\n" in info
    assert f"Payload-Oxum: {total}.{len(written)}\n" in info
    assert "Bag-Software-Agent: itdocs " in info
    lines = (where / MANIFEST).read_text("utf-8").splitlines()
    expected = sorted(f"{hashlib.sha256(d).hexdigest()}  {rel}" for rel, d in written.items())
    assert sorted(lines) == expected and result.files == len(written)
    for line in (where / TAG_MANIFEST).read_text("utf-8").splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((where / name).read_bytes()).hexdigest() == digest


def test_an_existing_seal_is_kept_unless_forced(tmp_path):
    files(tmp_path)
    seal(tmp_path, today=AS_OF)
    before = (tmp_path / SEAL_DIR / MANIFEST).read_bytes()
    (tmp_path / "new.txt").write_text("新文件", "utf-8")
    with pytest.raises(AlreadySealed):
        seal(tmp_path)
    assert (tmp_path / SEAL_DIR / MANIFEST).read_bytes() == before
    assert seal(tmp_path, force=True).replaced
    assert "new.txt" in (tmp_path / SEAL_DIR / MANIFEST).read_text("utf-8")
    assert not (tmp_path / OLD_DIR).exists() and not (tmp_path / NEW_DIR).exists()


def test_every_change_is_reported_in_one_run(tmp_path):
    written = files(tmp_path, 8)
    seal(tmp_path, today=AS_OF)
    rels = sorted(written)
    with (tmp_path / rels[0]).open("ab") as handle:
        handle.write(b"\0")
    (tmp_path / rels[1]).write_bytes(b"changed")
    (tmp_path / rels[2]).unlink()
    (tmp_path / rels[3]).unlink()
    (tmp_path / "late.txt").write_text("迟交", "utf-8")
    (tmp_path / "sub" / "late2.txt").write_text("迟交", "utf-8")
    report = check([tmp_path], waivers=False, as_of=AS_OF)
    got = {
        (f.rule, Path(f.file).relative_to(tmp_path).as_posix())
        for f in report.findings
        if f.rule.startswith("integrity/")
    }
    assert got == {
        ("integrity/changed", rels[0]),
        ("integrity/changed", rels[1]),
        ("integrity/removed", rels[2]),
        ("integrity/removed", rels[3]),
        ("integrity/added", "late.txt"),
        ("integrity/added", "sub/late2.txt"),
    }


def test_a_seal_edited_by_hand_is_reported(tmp_path):
    written = files(tmp_path)
    seal(tmp_path, today=AS_OF)
    manifest = tmp_path / SEAL_DIR / MANIFEST
    rel = min(written)
    (tmp_path / rel).write_bytes(b"forged")
    text = manifest.read_text("utf-8")
    forged = text.replace(
        hashlib.sha256(written[rel]).hexdigest(), hashlib.sha256(b"forged").hexdigest()
    )
    manifest.write_text(forged + "not a manifest line\n../../etc/passwd\n", "utf-8")
    report = check([tmp_path], waivers=False, as_of=AS_OF)
    invalid = [f for f in report.findings if f.rule == "integrity/seal-invalid"]
    assert any("edited after sealing" in f.message for f in invalid)
    assert sum("line" in f.message for f in invalid) == 2


def _complete(folder: Path, written: dict[str, bytes]) -> None:
    """What any reader sees after a kill: no seal, or a whole seal of exactly these files."""
    found = read_seal(folder)
    if found is None:
        return
    assert found.problems == []
    assert found.manifest == {rel: hashlib.sha256(d).hexdigest() for rel, d in written.items()}


def _seal_in_child(folder: str, force: bool) -> None:
    seal(folder, force=force, today=AS_OF)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("force", [False, True], ids=["first-seal", "re-seal"])
def test_killed_at_random_moments_the_seal_is_whole_or_absent(tmp_path, force):
    """SIGKILL a sealing process at random moments of its work (a forked child, so the moments
    fall in the sealing itself, not in interpreter start-up)."""
    context = multiprocessing.get_context("fork")
    written = files(tmp_path, 800)
    if force:
        seal(tmp_path, today=AS_OF)
    started = time.monotonic()
    child = context.Process(target=_seal_in_child, args=(str(tmp_path), True))
    child.start()
    child.join()
    whole = time.monotonic() - started
    rng = random.Random(5)
    for _ in range(15):
        if not force:
            for name in (SEAL_DIR, OLD_DIR, NEW_DIR):
                shutil.rmtree(tmp_path / name, ignore_errors=True)
        child = context.Process(target=_seal_in_child, args=(str(tmp_path), force))
        child.start()
        time.sleep(rng.uniform(0.0, whole))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        _complete(tmp_path, written)
        report = check([tmp_path], waivers=False, as_of=AS_OF)
        assert not [f for f in report.findings if f.rule.startswith("integrity/")]
        for rel, data in list(written.items())[:50]:
            assert (tmp_path / rel).read_bytes() == data  # the files themselves are never touched
    result = seal(tmp_path, force=True, today=AS_OF)  # and the next seal cleans up after a kill
    assert result.files == len(written)
    assert not (tmp_path / NEW_DIR).exists() and not (tmp_path / OLD_DIR).exists()


def test_the_command_line(tmp_path):
    files(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    command = [sys.executable, "-m", "itdocs", "seal", str(tmp_path)]
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0 and "sealed 5 file(s)" in first.stderr
    again = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "--force" in again.stderr
    missing = subprocess.run(
        [*command[:-1], str(tmp_path / "nope")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
