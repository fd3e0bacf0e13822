"""Notification kinds. Each app registers the kinds it sends from its
`AppConfig.ready()`; the stored `kind` is the plain code, so adding a kind needs no
migration anywhere."""

_kinds: dict[str, str] = {}


def register_kind(code: str, label) -> None:
    """`register_kind("application_submitted", _("申报书提交"))`."""
    if len(code) > 32:
        raise ValueError(f"notification kind {code!r} is longer than 32 characters")
    if code in _kinds and str(_kinds[code]) != str(label):
        raise ValueError(f"notification kind {code!r} is already registered as {_kinds[code]!r}")
    _kinds[code] = label


def register_kinds(labels: dict[str, str]) -> None:
    for code, label in labels.items():
        register_kind(code, label)


def is_registered(code: str) -> bool:
    return code in _kinds


def kind_label(code: str) -> str:
    return _kinds.get(code, code)


def kind_choices() -> list[tuple[str, str]]:
    """(code, label) in registration order (the order of INSTALLED_APPS)."""
    return list(_kinds.items())


def kind_codes() -> list[str]:
    return list(_kinds)
