"""How wide a label is drawn, estimated without a font (full-width characters one em, others
0.62 em), and a label cut to fit with an ellipsis."""

from __future__ import annotations

import unicodedata

FONT_SIZE = 15


ELLIPSIS = "…"


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """Estimated rendered width of `text`: full-width (CJK) characters one em, others 0.62 em."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.62 for ch in text)
    return ems * font_size


def truncate(text: str, max_width: float, font_size: float = FONT_SIZE) -> str:
    """`text` if it fits in `max_width`, else as many leading characters as fit plus an ellipsis."""
    if text_width(text, font_size) <= max_width:
        return text
    room = max_width - font_size  # the ellipsis is full-width in CJK fonts
    kept = ""
    for ch in text:
        if text_width(kept + ch, font_size) > room:
            break
        kept += ch
    return kept.rstrip() + ELLIPSIS
