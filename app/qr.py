"""QR codes as inline SVG (segno): no image request, no script, crisp when printed."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(data: str, *, scale: int = 6, title: str = "") -> Markup:
    """An inline `<svg>` of `data`, with a `<title>` for screen readers when given."""
    svg = segno.make(data, error="m").svg_inline(scale=scale, dark="#000", light="#fff", title=title or None)
    return Markup(svg)  # noqa: S704  # nosec B704  # segno's own SVG; it escapes `title`
