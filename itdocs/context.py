"""The template context: the dossier as a clerk reads it, shaped by the schema.

Templates see the dossier's own field names (``contract.sla.availability``, ``meeting.attendees``)
so an organization adapting a template can look a variable up in the schema. ``view`` walks the
schema next to the data and gives every declared field a value:

- a field the dossier leaves out becomes ``""`` (a list ``[]``, an object all-blank fields), so a
  template never needs ``is defined`` and a *misspelt* field is still an error (StrictUndefined);
- dates read ``2026年9月1日``, date-times ``2026年9月8日 14:00`` in the policy's time zone;
- money reads ``468,000.00`` (figures; the capitals are extra ``*_capital`` fields);
- enum codes read as Chinese labels (``urgent`` → ``紧急``); booleans stay booleans.

Objects are ``Record`` dicts that remember their path, so a missing variable can be named
(``contract.amout``) in the error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from itdocs import amounts, resources

# Enum codes → labels, keyed by the enum's full list of codes (so the same code can read differently
# in two enums: an approval is 同意, a scheme review 通过).
# Enumerations of the dossier schema that tables and sheets show in Chinese (keys of LABELS).
KINDS = ("procurement", "affiliation", "informatization", "outsourcing", "improvement")
STAGES = ("request", "approval", "selection", "contract", "execution", "acceptance", "maintenance", "closed")
STATUSES = ("active", "suspended", "closed", "cancelled")

LABELS: dict[tuple[str, ...], dict[str, str]] = {
    KINDS: {
        "procurement": "信息技术服务采购",
        "affiliation": "信息技术项目挂靠",
        "informatization": "两化服务",
        "outsourcing": "信息技术外包",
        "improvement": "IT服务管理流程改进",
    },
    STAGES: {
        "request": "需求申请",
        "approval": "审批",
        "selection": "供应商选择",
        "contract": "合同签订",
        "execution": "项目实施",
        "acceptance": "验收",
        "maintenance": "运行维护",
        "closed": "结案",
    },
    STATUSES: {
        "active": "进行中",
        "suspended": "暂停",
        "closed": "已结束",
        "cancelled": "已取消",
    },
    ("client", "supplier", "third_party", "other"): {
        "client": "甲方",
        "supplier": "乙方",
        "third_party": "第三方",
        "other": "其他",
    },
    ("approved", "rejected", "returned"): {
        "approved": "同意",
        "rejected": "不同意",
        "returned": "退回修改",
    },
    ("normal", "urgent"): {"normal": "一般", "urgent": "紧急"},
    ("accepted", "rejected", "deferred"): {
        "accepted": "同意立项",
        "rejected": "不予立项",
        "deferred": "暂缓",
    },
    ("open_call", "price_comparison", "inquiry", "single_source"): {
        "open_call": "公开征集",
        "price_comparison": "比价",
        "inquiry": "询价",
        "single_source": "单一来源",
    },
    ("approved", "revise", "rejected"): {
        "approved": "通过",
        "revise": "修改后重审",
        "rejected": "不通过",
    },
    ("open", "done", "cancelled"): {"open": "进行中", "done": "已完成", "cancelled": "已取消"},
    (
        "kickoff",
        "regular",
        "scheme_review",
        "mid_term_review",
        "committee",
        "acceptance",
        "emergency",
        "other",
    ): {
        "kickoff": "项目启动会",
        "regular": "例会",
        "scheme_review": "方案评审会",
        "mid_term_review": "中期评审会",
        "committee": "委员会评审会",
        "acceptance": "验收会",
        "emergency": "紧急会议",
        "other": "其他会议",
    },
    ("low", "medium", "high", "critical"): {
        "low": "低",
        "medium": "中",
        "high": "高",
        "critical": "极高",
    },
    ("weekly", "monthly", "quarterly"): {"weekly": "周报", "monthly": "月报", "quarterly": "季报"},
    ("proposed", "approved", "rejected", "implemented"): {
        "proposed": "待审批",
        "approved": "已批准",
        "rejected": "已否决",
        "implemented": "已实施",
    },
    ("requirement_change", "technical", "schedule", "quality", "security", "personnel", "other"): {
        "requirement_change": "需求变更",
        "technical": "技术",
        "schedule": "进度",
        "quality": "质量",
        "security": "安全",
        "personnel": "人员",
        "other": "其他",
    },
    ("open", "monitoring", "closed", "occurred"): {
        "open": "未关闭",
        "monitoring": "监控中",
        "closed": "已关闭",
        "occurred": "已发生",
    },
    ("result_report", "test_report", "user_manual", "operation_guide", "other"): {
        "result_report": "成果报告",
        "test_report": "测试报告",
        "user_manual": "用户手册",
        "operation_guide": "操作指南",
        "other": "其他材料",
    },
    ("leader", "member", "third_party"): {
        "leader": "验收组长",
        "member": "验收组员",
        "third_party": "第三方代表",
    },
    (
        "function",
        "performance",
        "data_accuracy",
        "user_experience",
        "security",
        "documentation",
        "other",
    ): {
        "function": "功能",
        "performance": "性能",
        "data_accuracy": "数据准确性",
        "user_experience": "用户体验",
        "security": "安全",
        "documentation": "文档",
        "other": "其他",
    },
    ("pass", "rectify", "fail"): {"pass": "通过", "rectify": "整改后复验", "fail": "不通过"},
    ("continue", "rectify", "terminate"): {
        "continue": "继续合作",
        "rectify": "限期整改",
        "terminate": "终止合作",
    },
    ("contract", "closure"): {"contract": "合同备案", "closure": "结案备案"},
    ("high", "medium", "low"): {"high": "高", "medium": "中", "low": "低"},
    ("approve", "reject", "defer"): {"approve": "批准", "reject": "否决", "defer": "暂缓"},
}

# Characters XML 1.0 cannot carry; \t and \n stay (docxtpl turns \n into a line break).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Record(dict):  # type: ignore[type-arg]
    """A dict that knows where it sits (``contract.sla``), to name a missing variable precisely."""

    __slots__ = ("_path",)

    def __init__(self, path: str, items: Mapping[str, Any] | None = None) -> None:
        super().__init__(items or {})
        self._path = path


def label(codes: tuple[str, ...] | list[str], code: str) -> str:
    return LABELS.get(tuple(codes), {}).get(code, code)


def clean_text(text: str) -> str:
    """Text safe inside Word XML: no control characters, Windows line ends made plain."""
    return _XML_INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def cn_date(value: str | dt.date) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.year}年{day.month}月{day.day}日"


def to_local(value: str, tz: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return moment.astimezone(ZoneInfo(tz)) if moment.tzinfo else moment


def cn_datetime(value: str, tz: str) -> str:
    moment = to_local(value, tz)
    return f"{cn_date(moment.date())} {moment:%H:%M}"


def local_date(value: str, tz: str) -> dt.date:
    """The calendar day of a date or date-time in the policy's time zone."""
    return dt.date.fromisoformat(value) if len(value) == 10 else to_local(value, tz).date()


def number_text(value: float) -> str:
    """``99.9`` → ``99.9``, ``100.0`` → ``100``, never ``99.90000000000001``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    return f"{value:.6f}".rstrip("0").rstrip(".")


@cache
def _schema() -> dict[str, Any]:
    return resources.load_schema()


def resolve(node: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any]]:
    """A schema node with its ``$ref`` followed, and the name of the $defs entry it came from."""
    ref_name = None
    while "$ref" in node:
        ref_name = node["$ref"].rsplit("/", 1)[-1]
        node = {**_schema()["$defs"][ref_name], **{k: v for k, v in node.items() if k != "$ref"}}
    return ref_name, node


def schema_node(path: str) -> Mapping[str, Any]:
    """The schema of a dotted path (``contract.sla``; ``meetings[]`` for items) or KeyError."""
    node: Mapping[str, Any] = _schema()
    for part in path.split("."):
        many = part.endswith("[]")
        _, node = resolve(node)
        node = node["properties"][part.removesuffix("[]")]
        if many:
            _, node = resolve(node)
            node = node["items"]
    return node


def _scalar(ref: str | None, node: Mapping[str, Any], value: Any, tz: str) -> Any:
    if "enum" in node and isinstance(value, str):
        return label(node["enum"], value)
    if isinstance(value, bool):
        return value
    if ref == "money":
        return amounts.figures(value)
    if ref == "signed_money":
        return amounts.figures(value, signed=True)
    if isinstance(value, (int, float)):
        return number_text(value)
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    try:
        if ref == "date":
            return cn_date(value)
        if ref == "datetime":
            return cn_datetime(value, tz)
        if ref == "date_or_datetime":
            return cn_date(value) if len(value) == 10 else cn_datetime(value, tz)
    except ValueError:
        return value  # validation reports it; the document shows what was written
    return value


def view(value: Any, node: Mapping[str, Any], *, path: str, tz: str) -> Any:
    """The display form of ``value`` under schema ``node`` (see the module docstring)."""
    ref, node = resolve(node)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        data = value if isinstance(value, Mapping) else {}
        record = Record(path)
        for key, child in node.get("properties", {}).items():
            record[key] = view(data.get(key), child, path=f"{path}.{key}", tz=tz)
        for key, item in data.items():  # x- extensions and anything the schema allows beyond
            if key not in record and isinstance(key, str) and key.isidentifier():
                record[key] = item if not isinstance(item, str) else clean_text(item)
        return record
    if kind == "array":
        if not isinstance(value, list):
            return []
        return [view(item, node.get("items", {}), path=f"{path}[]", tz=tz) for item in value]
    if value is None:
        return ""
    return _scalar(ref, node, value, tz)


def dossier_view(data: Mapping[str, Any], *, tz: str) -> dict[str, Any]:
    """Every top-level section of the dossier in display form (absent sections all blank)."""
    props = _schema()["properties"]
    return {
        key: view(data.get(key), props[key], path=key, tz=tz) for key in props if key != "$schema"
    }
