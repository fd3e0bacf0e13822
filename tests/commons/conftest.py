"""高桥社区 with a courtyard, a social enterprise and a self-organisation."""

from dataclasses import dataclass

import pytest

from organizations import services as org_services
from organizations.demo import credit_code
from organizations.models import Organization, SelfOrganization
from places.models import Courtyard


@dataclass
class Commons:
    courtyard: Courtyard
    enterprise: Organization
    selforg: SelfOrganization
    staff: object


def build_commons(cast, places) -> Commons:
    courtyard = Courtyard.objects.create(community=places.gaoqiao, name="铁门院落", households=120)
    enterprise = org_services.organization_create(
        actor=cast["admin"], credit_code=credit_code("91510181MA6CXK7X1"), name="高桥社区服务社会企业",
        kind=Organization.Kind.SOCIAL_ENTERPRISE, region=places.dujiangyan, community=places.gaoqiao)
    selforg = SelfOrganization.objects.create(community=places.gaoqiao, name="巧手编织队", category="culture")
    return Commons(courtyard=courtyard, enterprise=enterprise, selforg=selforg, staff=cast["community"])


@pytest.fixture
def commons(cast, places) -> Commons:
    return build_commons(cast, places)
