"""Starter dossiers for ``itdocs init``: valid against the schema, with TODO markers to fill in.

``content/todo-marker`` flags every value that still starts with ``TODO`` (and the placeholder
credit code), so a starter dossier cannot slip through review unfinished.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from itdocs.errors import UsageError

KINDS = ("procurement", "affiliation", "informatization", "outsourcing", "improvement")
TODO = "TODO"
# Checksum-valid but obviously not a real organization (GB 32100-2015 check character "U").
PLACEHOLDER_USCC = "91310000000000000U"
SCHEMA_URL = "https://itdocs.dev/schemas/dossier.schema.json"


def _todo(what: str) -> str:
    return f"{TODO}: {what}"


def _org(what: str) -> dict[str, Any]:
    return {"name": _todo(what), "uscc": PLACEHOLDER_USCC}


def _contract(today: str, *, affiliation: bool) -> dict[str, Any]:
    contract: dict[str, Any] = {
        "number": _todo("合同编号"),
        "title": _todo("合同名称"),
        "start_date": today,
        "end_date": today,
        "amount": "0.00",
        "scope": _todo("服务范围"),
        "payment": [{"milestone": _todo("付款节点，如 合同签订后首付30%"), "percent": 100, "amount": "0.00"}],
        "sla": {
            "availability": 99.9,
            "service_hours": _todo("服务时间，如 7×24小时"),
            "priorities": [
                {"level": "P1", "description": _todo("适用情形"), "response_minutes": 15, "resolution_hours": 4},
                {"level": "P2", "description": _todo("适用情形"), "response_minutes": 30, "resolution_hours": 8},
                {"level": "P3", "description": _todo("适用情形"), "response_minutes": 120, "resolution_hours": 24},
            ],
            "penalty": _todo("未达服务水平的违约处理"),
        },
        "confidentiality": {
            "scope": _todo("保密范围"),
            "duration_years": 3,
            "data_disposal": _todo("合同终止后数据返还与销毁方式"),
        },
        "breach_liability": _todo("违约责任"),
    }
    if affiliation:
        contract["ip_ownership"] = _todo("知识产权归属")
        contract["risk_allocation"] = _todo("风险分担")
    return contract


def starter(kind: str, *, today: dt.date | None = None) -> dict[str, Any]:
    """A minimal dossier of ``kind`` that validates, every free text a TODO."""
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    day = (today or dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()).isoformat()
    data: dict[str, Any] = {
        "version": 1,
        "kind": kind,
        "project": {
            "id": f"{kind[:4].upper()}-{day[:4]}-001",
            "name": _todo("项目名称"),
            "department": _todo("主管部门"),
            "manager": _todo("项目经理"),
            "stage": "request",
            "status": "active",
        },
        "parties": {"client": _org("甲方单位名称")},
        "requirement": {
            "title": _todo("需求名称"),
            "department": _todo("申请部门"),
            "requester": _todo("申请人"),
            "date": day,
            "content": _todo("需求内容"),
        },
    }
    if kind in ("procurement", "outsourcing", "affiliation"):
        data["parties"]["supplier"] = _org("乙方单位名称")
    if kind in ("procurement", "outsourcing"):
        data["approvals"] = [
            {"role": "department_head", "title": "部门负责人初审", "name": _todo("审批人")},
            {"role": "finance", "title": "财务部复审", "name": _todo("审批人")},
            {"role": "ceo", "title": "CEO终审", "name": _todo("审批人")},
        ]
        data["suppliers"] = {
            "method": "price_comparison",
            "candidates": [
                {"name": _todo(f"候选供应商{i}"), "quote": "0.00",
                 "scores": {"history": 0, "capability": 0, "price": 0}}
                for i in (1, 2, 3)
            ],
        }
    if kind in ("affiliation", "informatization"):
        data["scheme"] = {"title": _todo("方案名称"), "overview": _todo("项目概述")}
    if kind != "improvement" and kind != "informatization":
        data["contract"] = _contract(day, affiliation=kind == "affiliation")
    if kind == "improvement":
        data["improvement"] = {
            "plan": {"year": int(day[:4]), "title": _todo("年度改进计划名称"), "goals": [_todo("改进目标")]},
            "proposals": [{"id": "P-001", "title": _todo("改进建议"), "proposer": _todo("提出人"), "date": day}],
        }
    return data


def render(data: dict[str, Any], *, fmt: str, schema_ref: str = SCHEMA_URL) -> str:
    if fmt == "json":
        return json.dumps({"$schema": schema_ref, **data}, ensure_ascii=False, indent=2) + "\n"
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return f"# yaml-language-server: $schema={schema_ref}\n{body}"
