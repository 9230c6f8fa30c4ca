"""The wheel ships schemas/, templates/ and rules/, and the installed command finds them anywhere."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, sample_files


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    [built] = list(out.glob("itdocs-*.whl"))
    return built


def test_wheel_contains_every_package_of_the_checkout(wheel):
    """A subpackage missing from pyproject's list works in a checkout and breaks once installed."""
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = sorted(p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "itdocs").rglob("__init__.py"))
    assert [p for p in packages if f"{p}/__init__.py" not in names] == []


def test_wheel_contains_bundled_folders(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "itdocs/schemas/dossier.schema.json" in names
    assert "itdocs/rules/default.yaml" in names
    assert any(n.startswith("itdocs/templates/") and n.endswith(".docx") for n in names) or not list(
        (ROOT / "templates").glob("*.docx")
    )
    assert not any(n.startswith(("tests/", "samples/")) for n in names)


def test_installed_wheel_validates_from_another_directory(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    # A PYTHONPATH pointing at the checkout would make pip think itdocs is already installed.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True, capture_output=True, text=True, env=env,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    for sample in sample_files():
        shutil.copy(sample, work / sample.name)
    run = lambda *args: subprocess.run(
        [str(bindir / "itdocs"), *args],
        check=False,
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = run("validate", *[p.name for p in sample_files()])
    assert result.returncode == 0, result.stdout + result.stderr
    where = subprocess.run(
        [str(bindir / "python"), "-c", "import itdocs; print(itdocs.__file__)"],
        check=False,
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    assert str(venv) in where
    assert run("--version").stdout.strip().endswith(__import__("itdocs").__version__)
    assert '"$id"' in run("schema").stdout
    # The main job of the README, from the installed wheel: generate, check a dossier and an archive.
    out = work / "out"
    generated = run("generate", "procurement-erp-ops.yaml", "-o", str(out), "-q")
    assert generated.returncode == 0, generated.stderr
    documents = sorted(p.name for p in out.rglob("*") if p.suffix in (".docx", ".xlsx"))
    assert any(name.endswith("-服务合同.docx") for name in documents)
    checked = run("check", *[p.name for p in sample_files()], "--as-of", "2026-11-21")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    archive = run("check", str(out), "--as-of", "2026-11-21", "--fail-on", "error")
    assert archive.returncode in (0, 1) and "Traceback" not in archive.stderr, archive.stderr
    assert run("rules").returncode == 0
