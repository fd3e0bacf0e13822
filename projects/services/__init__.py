"""Workflow steps of the projects app. `from projects import services` gives them all."""

from .funding import *  # noqa: F401,F403
from .progress import *  # noqa: F401,F403
