"""Reads about roles."""

from collections.abc import Iterable

from .models import Role, RoleAssignment


def users_with_role(users, role: str) -> set[int]:
    """Ids of those among `users` who hold `role` — one query for a whole selection."""
    ids = [u.pk for u in users]
    return set(RoleAssignment.objects.filter(user_id__in=ids, role=role).values_list("user_id", flat=True))


def role_labels(roles: Iterable[str]) -> list[str]:
    """Display labels of role codes, e.g. `role_labels(scope_for(user).roles)`."""
    return [Role(role).label for role in sorted(roles)]
