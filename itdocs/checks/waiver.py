"""Waivers (豁免): a signed-off exception that suppresses a finding until it expires.

A waivers file (``--waivers FILE``, or ``waivers.yaml`` next to the policy file ``itdocs.yaml``)
lists exceptions an approver accepted: which ``rule`` (a glob such as ``deadline/*`` allowed),
which ``target`` (``file`` glob, optionally ``#`` and a JSON pointer glob, relative to the
waivers file's folder), the ``reason``, the ``approver`` and when it ``expires``. A finding matched
by a waiver that has not expired is not reported (the JSON and SARIF outputs list it as
suppressed). Waivers do not rot silently: an expired waiver is a finding itself, and so is one that
matches nothing any more.

Parameters: none.

### waiver/expired
A waiver past its ``expires`` date no longer suppresses anything: renew it (with a new approval)
or fix the finding and delete the waiver.

Compliant::

    - {rule: deadline/report-late, target: "erp.yaml#/reports/3", reason: 供应商系统故障延迟,
       approver: 王志强, expires: "2026-12-31"}     # as of 2026-11-21

Non-compliant: the same with ``expires: "2026-10-31"``.

### waiver/stale
A waiver that matches no finding of a checked file (or whose target names a file that does not
exist) is stale: the problem is fixed, or the target is mistyped. Delete or correct it.

Compliant: a waiver whose rule and target match a finding.
Non-compliant: ``{rule: deadline/report-late, target: "erp.yaml#/reports/30", …}`` with 12 reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from itdocs.access import items, pointer, to_date, zone
from itdocs.checks.base import Check, Context, Hit, registrar

CHECKS: list[Check] = []
check = registrar(CHECKS, __name__)


@check("waiver/expired", args=("rule", "target", "expires", "approver"))
def expired(data: Any, ctx: Context) -> Iterator[Hit]:
    """Waivers of a waivers file whose expiry date has passed."""
    for index, waiver in items(data, "waivers"):
        day = to_date(waiver.get("expires"), zone())
        if day is not None and day < ctx.as_of:
            yield Hit(
                pointer("waivers", index, "expires"),
                {
                    "rule": waiver.get("rule"),
                    "target": waiver.get("target"),
                    "expires": day.isoformat(),
                    "approver": waiver.get("approver"),
                },
                {"waiver": dict(waiver), "as_of": ctx.as_of.isoformat()},
            )


@check("waiver/stale", args=("rule", "target"))
def stale(data: Any, ctx: Context) -> Iterator[Hit]:
    """Reported by the engine, which alone knows what the waivers matched."""
    return iter(())
