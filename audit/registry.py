"""Labels for audit actions. The action stored on a row is a stable ASCII code; each
app registers the labels of its own actions from its `AppConfig.ready()`, so this app
knows none of them."""

_labels: dict[str, str] = {}


def register_actions(labels: dict[str, str]) -> None:
    """`register_actions({"application.submit": _("提交申报")})`. Registering a code
    twice with a different label is a programming error."""
    for code, label in labels.items():
        if code in _labels and str(_labels[code]) != str(label):
            raise ValueError(f"audit action {code!r} is already registered as {_labels[code]!r}")
        _labels[code] = label


_defaults: dict[str, str] = {}


def register_default_actions(labels: dict[str, str]) -> None:
    """Labels the workflow engine derives from transition labels; an app's own
    `register_actions` wins over them."""
    _defaults.update(labels)


def action_label(code: str) -> str:
    return _labels.get(code) or _defaults.get(code, code)


def registered_actions() -> dict[str, str]:
    return {**_defaults, **_labels}
