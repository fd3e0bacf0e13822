"""Workflow steps of the projects app. `from projects import services` gives them all."""

from .applications import *  # noqa: F401,F403
from .progress import *  # noqa: F401,F403
from .project import *  # noqa: F401,F403
from .review import *  # noqa: F401,F403
from .rounds import *  # noqa: F401,F403
from .supervision import *  # noqa: F401,F403
