"""Schema errors in words a clerk understands, in Chinese (default) or English."""
from __future__ import annotations

import json
from functools import cache, lru_cache
from typing import Any

from jsonschema.exceptions import ValidationError

from itdocs import resources
from itdocs.errors import printable

LANGS = ("zh", "en")

_TYPE_NAMES = {
    "zh": {"string": "文字", "integer": "整数", "number": "数字", "boolean": "是/否（true/false）",
           "object": "一组字段（映射）", "array": "列表", "null": "空值"},
    "en": {"string": "text", "integer": "an integer", "number": "a number",
           "boolean": "true/false", "object": "a mapping", "array": "a list", "null": "null"},
}

_FORMAT_HINTS = {
    "date": ("应为真实存在的日期，格式 YYYY-MM-DD，如 2026-09-01",
             "must be a real date written YYYY-MM-DD, e.g. 2026-09-01"),
    "date-time": ("应为带时区的日期时间，如 2026-09-08T14:00:00+08:00",
                  "must be a date-time with a zone, e.g. 2026-09-08T14:00:00+08:00"),
    "date-or-date-time": ("应为日期 2026-09-09 或带时区的日期时间 2026-09-09T18:00:00+08:00",
                          "must be a date 2026-09-09 or a date-time with zone 2026-09-09T18:00:00+08:00"),
    "email": ("应为电子邮箱地址，如 name@example.com", "must be an e-mail address, e.g. name@example.com"),
    "uscc": ("不是有效的18位统一社会信用代码（校验位不符，GB 32100-2015），请对照营业执照核对",
             ("is not a valid 18-character unified social credit code (check digit fails, "
              "GB 32100-2015); copy it from the business licence")),
}


def _python_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _show(value: Any, limit: int = 40) -> str:
    if isinstance(value, (list, dict)):  # never serialize a whole 100,000-item value to show 40 chars
        value = value[:limit] if isinstance(value, list) else dict(list(value.items())[:limit])
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = printable(text[: limit * 8])
    return text if len(text) <= limit else text[: limit - 1] + "…"


DOSSIER_SCHEMA = "dossier.schema.json"


@cache
def _root(name: str = DOSSIER_SCHEMA) -> dict[str, Any]:
    return resources.load_schema(name)


def _resolve(schema: dict[str, Any], root: str = DOSSIER_SCHEMA) -> dict[str, Any]:
    while "$ref" in schema and schema["$ref"].startswith("#/"):
        target: Any = _root(root)
        for part in schema["$ref"][2:].split("/"):
            target = target[part]
        merged = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        if merged == schema:
            break
        schema = merged
    return schema


@lru_cache(maxsize=4096)
def _title_at(shape: tuple[str, ...], root: str = DOSSIER_SCHEMA) -> str | None:
    """The schema title of the field at a path (array indices given as '*')."""
    schema: dict[str, Any] = _root(root)
    title = None
    for part in shape:
        schema = _resolve(schema, root)
        if part == "*":
            schema = schema.get("items", {})
        else:
            # Mappings keyed by the user (a policy's rules) describe their values in additionalProperties.
            extra = schema.get("additionalProperties")
            schema = schema.get("properties", {}).get(part) or (extra if isinstance(extra, dict) else {})
        if not schema:
            return None
        title = schema.get("title") or _resolve(schema, root).get("title")
    return title


def _shape(path: list[Any] | tuple[Any, ...]) -> tuple[str, ...]:
    return tuple("*" if isinstance(p, int) else str(p) for p in path)


def field_title(path: list[Any] | tuple[Any, ...], *, schema: str = DOSSIER_SCHEMA) -> str | None:
    return _title_at(_shape(path), schema)


@lru_cache(maxsize=4096)
def _description_at(shape: tuple[str, ...], root: str = DOSSIER_SCHEMA) -> str | None:
    schema: dict[str, Any] = _root(root)
    for part in shape:
        schema = _resolve(schema, root)
        schema = schema.get("items", {}) if part == "*" else schema.get("properties", {}).get(part, {})
    return _resolve(schema, root).get("description") if schema else None


def field_description(path: list[Any] | tuple[Any, ...], *, schema: str = DOSSIER_SCHEMA) -> str | None:
    return _description_at(_shape(path), schema)


def describe(error: ValidationError, lang: str, *, schema: str = DOSSIER_SCHEMA) -> tuple[list[Any], str]:
    """The path the message is about and the message, for one (already best-matched) error.

    ``schema`` names the bundled schema the error comes from (titles are looked up in it).
    """
    zh = lang == "zh"
    path = list(error.absolute_path)
    label = field_title(path, schema=schema) if path else None
    name = f"「{label}」" if (zh and label) else (f"'{path[-1]}'" if path else "")
    keyword = error.validator
    value = error.instance

    if keyword == "required":
        missing = next(
            (p for p in error.validator_value if isinstance(value, dict) and p not in value
             and repr(p) in error.message),
            str(error.message).split("'")[1] if "'" in error.message else "?",
        )
        path = path + [missing]
        title = field_title(path, schema=schema)
        if zh:
            return path, f"缺少必填项「{title or missing}」（{missing}）"
        return path, f"missing required field '{missing}'" + (f" ({title})" if title else "")
    if keyword == "additionalProperties":
        extra = sorted(k for k in value if k not in error.schema.get("properties", {}))
        extra = [k for k in extra if not k.startswith("x-")] or extra
        extra = [_show(k) for k in extra[:20]] + (["…"] if len(extra) > 20 else [])
        if zh:
            return path, f"{name or '此处'}有未知字段「{'」「'.join(extra)}」——拼写错误？自定义字段请以 x- 开头"
        return path, f"unknown field(s) {', '.join(extra)} — a typo? custom fields start with x-"
    if keyword == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = _TYPE_NAMES["zh" if zh else "en"]
        want = ("或".join if zh else " or ".join)(names[t] for t in expected)
        got = names[_python_type(value)]
        if isinstance(value, float) and "integer" in expected and "string" in expected:
            hint = ("（金额请写整数或带引号的字符串，如 \"468000.50\"，避免浮点误差）" if zh
                    else ' (write money as an integer or a quoted string such as "468000.50")')
        else:
            hint = ""
        if zh:
            return path, f"{name or '此处'}应为{want}，实际是{got} {_show(value)}{hint}"
        return path, f"{name or 'value'} must be {want}, got {got} {_show(value)}{hint}"
    if keyword in ("enum", "const"):
        allowed = error.validator_value if keyword == "enum" else [error.validator_value]
        options = ", ".join(_show(a) for a in allowed)
        if zh:
            return path, f"{name or '此处'}的取值「{_show(value)}」不允许；可选：{options}"
        return path, f"{name or 'value'} {_show(value)!s} is not allowed; choose one of: {options}"
    if keyword == "format":
        zh_hint, en_hint = _FORMAT_HINTS.get(error.validator_value, ("格式不正确", "has the wrong format"))
        if zh:
            return path, f"{name or '此处'}填的是「{_show(value)}」，{zh_hint}"
        return path, f"{name or 'value'} {_show(value)!r} {en_hint}"
    if keyword == "pattern":
        description = _resolve(error.schema, schema).get("description") or field_description(path, schema=schema)
        if zh:
            detail = f"；{description}" if description else f"（应匹配 {error.validator_value}）"
            return path, f"{name or '此处'}「{_show(value)}」格式不对{detail}"
        return path, f"{name or 'value'} {_show(value)!r} does not match {error.validator_value}"
    if keyword == "minLength" and value == "":
        return path, (f"{name or '此处'}不能为空" if zh else f"{name or 'value'} must not be empty")
    if keyword in ("minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum",
                   "exclusiveMinimum", "exclusiveMaximum", "uniqueItems"):
        limit = error.validator_value
        zh_text = {
            "minItems": f"至少需要 {limit} 项", "maxItems": f"最多 {limit} 项",
            "minLength": f"至少 {limit} 个字", "maxLength": f"最多 {limit} 个字",
            "minimum": f"不能小于 {limit}", "maximum": f"不能大于 {limit}",
            "exclusiveMinimum": f"必须大于 {limit}", "exclusiveMaximum": f"必须小于 {limit}",
            "uniqueItems": "有重复项",
        }[keyword]
        en_text = {
            "minItems": f"needs at least {limit} item(s)", "maxItems": f"allows at most {limit} items",
            "minLength": f"needs at least {limit} characters", "maxLength": f"allows at most {limit} characters",
            "minimum": f"must be at least {limit}", "maximum": f"must be at most {limit}",
            "exclusiveMinimum": f"must be greater than {limit}", "exclusiveMaximum": f"must be less than {limit}",
            "uniqueItems": "has duplicate items",
        }[keyword]
        if zh:
            return path, f"{name or '此处'}{zh_text}（当前 {_show(value)}）"
        return path, f"{name or 'value'} {en_text} (now {_show(value)})"
    # Anything else: jsonschema's own words, prefixed with the field.
    return path, f"{name + '：' if zh and name else ''}{_show(error.message, 300)}"
