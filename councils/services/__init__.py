"""Writes for the 居民议事会. `from councils import services` gives them all."""

from .councils import *  # noqa: F401,F403
from .meetings import *  # noqa: F401,F403
