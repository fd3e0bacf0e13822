"""What every app's demo needs to make users: one password for all demo logins."""

DEMO_PASSWORD = "shequ-demo-2026"


def seed(users: dict) -> None:
    """Demo users themselves are made by shequ.demo (they span every app)."""
