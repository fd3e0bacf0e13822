"""Models of the projects app, split by stage of a project's life."""

from .contests import *  # noqa: F401,F403,E402
from .funding import *  # noqa: F401,F403
from .funding import ATTACHMENT_EXTENSIONS, ATTACHMENT_MAX_BYTES, DIMENSION_FIELDS, MONEY  # noqa: F401
from .progress import *  # noqa: F401,F403
