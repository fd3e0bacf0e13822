"""Models of the projects app, split by stage of a project's life."""

from .choices import *  # noqa: F401,F403
from .choices import DIMENSION_FIELDS, MONEY  # noqa: F401
from .contests import *  # noqa: F401,F403,E402
from .funding import *  # noqa: F401,F403
from .funding import ATTACHMENT_EXTENSIONS, ATTACHMENT_MAX_BYTES  # noqa: F401
from .progress import *  # noqa: F401,F403
from .project import *  # noqa: F401,F403
from .review import *  # noqa: F401,F403
