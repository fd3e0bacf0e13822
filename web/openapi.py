"""drf-spectacular post-processing: every operation documents its error answers (#13).

The API answers errors as JSON everywhere (web.api.exception_handler, web.views handlers):
400 with field errors, 401 without credentials (WWW-Authenticate: Token), 403 when the
role may not act, 404 outside the caller's scope or for a non-numeric id, 429 when throttled."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "错误：`detail` 为说明；字段错误时以字段名为键、消息列表为值。",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "请求数据无效（字段错误）",
    "401": "未登录或令牌无效/已过期",
    "403": "无权执行该操作",
    "404": "不存在或不在您的权限范围内",
    "429": "请求过于频繁",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                })
    return result
