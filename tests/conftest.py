from __future__ import annotations

from pathlib import Path

import fuzz_settings  # noqa: F401  (registers and loads the hypothesis profile: ci or long)
import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def cli():
    """Run the itdocs CLI in-process: ``cli("validate", path)`` → click Result (exit_code, output)."""
    from itdocs.cli import main

    runner = CliRunner()

    def run(*args: str | Path, **kwargs):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return run
