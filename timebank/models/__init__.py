"""Models of the time bank: the points ledger, the community's needs, resources and tasks,
and the partner merchants. `from timebank.models import X` gives them all."""

from .ledger import *  # noqa: F401,F403
from .merchants import *  # noqa: F401,F403
from .tasks import *  # noqa: F401,F403
