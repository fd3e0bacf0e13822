"""Revoking a role is a service with an audit row (issue 14: grants made in the admin
left no trace)."""

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Role, RoleAssignment
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_revoking_a_role_removes_it_and_is_audited(cast, places):
    officer = cast["street"]
    assignment = RoleAssignment.objects.get(user=officer, role=Role.STREET)
    services.role_revoke(assignment=assignment, actor=cast["city_bureau"])
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.filter(action="role.revoke").get()
    assert (event.from_state, event.data["region"]) == (Role.STREET, places.yinxing.code)


def test_bureau_staff_cannot_revoke_their_own_bureau_role(cast):
    own = RoleAssignment.objects.get(user=cast["city_bureau"], role=Role.BUREAU)
    with pytest.raises(ValidationError):
        services.role_revoke(assignment=own, actor=cast["city_bureau"])
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
