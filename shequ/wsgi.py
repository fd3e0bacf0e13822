import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
application = get_wsgi_application()
# Load the URLconf (and every view module it imports) now rather than on the first
# request, then move everything loaded so far — modules, models, URL patterns, the
# catalogue — out of the garbage collector's reach: it lives as long as the process.
# Otherwise each full collection walks it all again, a 100–150 ms pause every dozen
# API requests (measured on the progress-report list).
_ = get_resolver().url_patterns
gc.freeze()
