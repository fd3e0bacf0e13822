"""Writes for the 居民议事会. Every step is keyword-only and atomic, checks role, scope and
state, and leaves an audit row (state changes through the machines).
`from councils import services` gives them all."""

from .councils import *  # noqa: F401,F403
from .meetings import *  # noqa: F401,F403
