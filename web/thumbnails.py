"""Photo thumbnails, made once by a Celery task and served by the photo's own permission-checked view.

An app registers each image field whose files get thumbnails (from its `AppConfig.ready()`):

    thumbnails.register("projects.ActivityPhoto", "image")

and after storing a file calls `web.tasks.queue_thumbnail(instance, "image")` inside its transaction:
the task `web.tasks.make_thumbnail` is sent once the transaction commits. The task is idempotent
(an existing thumbnail is left alone) and retried on storage errors. A page may ask for a
thumbnail before the worker has made it: `thumbnail_response` then makes it on the spot, and if
the original can't be read as an image it serves a grey placeholder — never a 500.

The thumbnail lives next to the originals under `thumbs/`, derived from the original's name, so
no model needs a column for it. It is a fresh JPEG encoded from the pixels (no metadata), so it
is served inline like the re-encoded originals.
"""
import io
import logging
from functools import lru_cache

from django.http import HttpResponse

from .uploads import file_response

logger = logging.getLogger(__name__)

THUMB_SIDE = 320
THUMB_TYPE = "image/jpeg"

_registry: set[tuple[str, str]] = set()


def register(model_label: str, field_name: str) -> None:
    """Declare that files in `model_label.field_name` get thumbnails (the task refuses others)."""
    _registry.add((model_label, field_name))


def registered() -> frozenset[tuple[str, str]]:
    return frozenset(_registry)


def thumbnail_name(field_file) -> str:
    return f"thumbs/{field_file.name}.{THUMB_SIDE}.jpg"


def _encode(data: bytes) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (THUMB_SIDE, THUMB_SIDE))  # JPEG decodes at a reduced scale: cheap on big photos
        image = ImageOps.exif_transpose(image)
        image.thumbnail((THUMB_SIDE, THUMB_SIDE))
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A"))
            image = background
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=80, optimize=True)
        return out.getvalue()


def make_thumbnail(field_file) -> tuple[str, bool]:
    """The thumbnail's storage name and whether it was made now (False: it existed already).
    Raises OSError/ValueError when the original is missing or not an image."""
    from django.core.files.base import ContentFile

    storage = field_file.storage
    name = thumbnail_name(field_file)
    if storage.exists(name):
        return name, False
    with field_file.storage.open(field_file.name, "rb") as handle:
        data = handle.read()
    saved = storage.save(name, ContentFile(_encode(data)))
    if saved != name:  # another worker made it meanwhile: keep theirs
        storage.delete(saved)
    return name, True


def delete_thumbnail(field_file) -> None:
    if field_file:
        field_file.storage.delete(thumbnail_name(field_file))


@lru_cache(maxsize=1)
def placeholder_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (THUMB_SIDE, THUMB_SIDE * 3 // 4), (233, 236, 239)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _safe_headers(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


def thumbnail_response(field_file, *, filename: str):
    """Serve the thumbnail of a stored image the caller was already allowed to see: the one the
    task made, else one made now, else a placeholder."""
    from PIL import Image

    try:
        name, _made = make_thumbnail(field_file)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        logger.warning("no thumbnail for %s; placeholder served", field_file.name)
        return _safe_headers(HttpResponse(placeholder_png(), content_type="image/png"))
    stem = filename.rsplit(".", 1)[0]
    return file_response(field_file.storage.open(name, "rb"), filename=f"{stem}-thumb.jpg", content_type=THUMB_TYPE)
