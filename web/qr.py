"""QR codes for links that people scan with a phone (check-in at a meeting or a task, a
resident's invitation): medium error correction, drawn as SVG, no network."""

import io

import segno
from django.http import HttpResponse


def qr_data_uri(url: str, *, scale: int = 4) -> str:
    """The QR code of `url` as an SVG data URI, for an `<img src>` inside a page."""
    return segno.make(url, error="m").svg_data_uri(scale=scale)


def qr_svg_response(url: str, *, title: str = "", scale: int = 6, border: int = 2) -> HttpResponse:
    """The QR code of `url` as an SVG file of its own (to show full screen or print). Not
    cached: the link it carries can change (a new check-in token)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=scale, border=border, title=title or None)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml; charset=utf-8",
                        headers={"Cache-Control": "no-store"})
