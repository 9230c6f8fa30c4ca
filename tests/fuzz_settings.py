"""Hypothesis profiles for the property tests (tests/test_fuzz.py and any test without its own
``@settings``), chosen with the environment variable ``HYPOTHESIS_PROFILE``:

- ``ci`` (default): 200 examples per property, no deadline — the whole fuzz suite in ~10–20 s;
- ``long``: 10,000 examples per property, for a night run or before a release::

      HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py -q

A test that scales its own example count (slow properties run a fraction of the profile's) reads
``settings.default.max_examples``, which is the loaded profile's.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE_VARIABLE = "HYPOTHESIS_PROFILE"

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,  # a shared CI machine's pauses are not failures
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get(PROFILE_VARIABLE, "ci"))
