"""The API's settings (Django REST framework, drf-spectacular), kept beside
shequ/settings.py so that module stays one readable page."""


def rest_framework(env) -> dict:
    return {
        # Token first: its WWW-Authenticate header makes an unauthenticated call a 401, not a 403 (#13).
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "knox.auth.TokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_THROTTLE_RATES": {
            "token_ip": env.str("SHEQU_TOKEN_RATE_IP", default="30/hour"),
            "token_account": env.str("SHEQU_TOKEN_RATE_ACCOUNT", default="10/hour"),
        },
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_FILTER_BACKENDS": [
            "django_filters.rest_framework.DjangoFilterBackend",
            "rest_framework.filters.SearchFilter",
            "web.api.StrictOrderingFilter",  # unknown or hidden ordering fields → 400 (#13)
        ],
        "DEFAULT_PAGINATION_CLASS": "web.pagination.IdsFirstPagination",
        "PAGE_SIZE": 50,
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        "EXCEPTION_HANDLER": "web.api.exception_handler",
        # Deeply nested JSON is a 400, not a RecursionError (#13).
        "DEFAULT_PARSER_CLASSES": [
            "web.parsers.StrictJSONParser",
            "rest_framework.parsers.FormParser",
            "rest_framework.parsers.MultiPartParser",
        ],
    }


SPECTACULAR_SETTINGS = {
    "TITLE": "shequ 社区营造项目管理平台 API",
    "DESCRIPTION": "社区、社会组织、项目、评估与报表的接口。所有接口需要登录（会话或 Token）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Offline docs: Swagger UI served from drf-spectacular-sidecar, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema and docs are for signed-in users too: no API is public by default.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every operation documents its 400/401/403/404/429 JSON errors (#13).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "web.openapi.add_error_responses"],
    "ENUM_NAME_OVERRIDES": {
        "BudgetCategoryEnum": "projects.models.BudgetLine.Category",
        "SelfOrganizationCategoryEnum": "organizations.models.SelfOrganization.Category",
        "SelfOrganizationStageEnum": "organizations.models.SelfOrganization.Stage",
        "EvaluationStageEnum": "assessments.models.Evaluation.Stage",
        "ApplicationStatusEnum": "projects.models.Application.Status",
        "ApplicationDecisionEnum": ["approve", "reject", "return"],
        "ReportKindEnum": "places.reporting.kind_choices",
        "TimebankCategoryEnum": "timebank.models.Category",
        "CourtyardMemberRoleEnum": "commons.models.CourtyardMember.Role",
    },
}
