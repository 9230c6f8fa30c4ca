"""Dossiers validated per second: itdocs vs a bare compiled jsonschema validator, in one run.

    python bench/validate_bench.py [--copies 1000]

Both sides validate the same in-memory data (1,000 copies of the samples by default). The bare
loop is `Draft202012Validator(schema, format_checker=...)` + `list(iter_errors(d))`; itdocs is
`schema_findings(document)` (what `itdocs validate` runs after parsing). A third line times the
whole `itdocs.validate(paths)` on files, parsing included, for reference.
"""
from __future__ import annotations

import argparse
import copy
import shutil
import tempfile
import time
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from itdocs import resources
from itdocs.formats import is_date_or_datetime, is_uscc
from itdocs.loader import Document, load
from itdocs.validation import dossier_validator, schema_findings, validate

ROOT = Path(__file__).resolve().parents[1]


def bare_validator() -> Draft202012Validator:
    checker = FormatChecker()
    checker.checks("uscc")(is_uscc)
    checker.checks("date-or-date-time")(is_date_or_datetime)
    return Draft202012Validator(resources.load_schema(), format_checker=checker)


def rate(label: str, count: int, seconds: float) -> float:
    per_second = count / seconds
    print(f"{label:<44} {count:>6} dossiers in {seconds:7.3f} s = {per_second:9.1f} /s")
    return per_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=1000)
    args = parser.parse_args()
    samples = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    docs = [load(p) for p in samples]
    data = [copy.deepcopy(docs[i % len(docs)].data) for i in range(args.copies)]

    bare = bare_validator()
    ours = dossier_validator()
    for d in data[: len(docs)]:  # warm both (compilation, caches)
        list(bare.iter_errors(d)), schema_findings(Document("w", "data", d, "", dict))

    start = time.perf_counter()
    bare_errors = sum(len(list(bare.iter_errors(d))) for d in data)
    bare_rate = rate("bare jsonschema iter_errors loop", len(data), time.perf_counter() - start)

    start = time.perf_counter()
    our_errors = sum(len(schema_findings(Document(f"d{i}", "data", d, "", dict))) for i, d in enumerate(data))
    our_rate = rate("itdocs schema_findings (same data)", len(data), time.perf_counter() - start)
    assert bare_errors == our_errors == 0, (bare_errors, our_errors)
    assert ours is dossier_validator()

    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.copies):
            src = samples[i % len(samples)]
            shutil.copy(src, Path(tmp) / f"{i:05d}-{src.name}")
        start = time.perf_counter()
        results = validate([tmp])
        rate("itdocs.validate(files), parsing included", len(results), time.perf_counter() - start)
        assert all(r.ok for r in results)

    print(f"itdocs time / bare loop time: {bare_rate / our_rate:.2f} (target ≤ 1.5)")


if __name__ == "__main__":
    main()
