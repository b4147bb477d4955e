"""The one way Markdown becomes HTML: rendered, then always sanitised."""

import markdown as md
import nh3

_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "div",
    "a",
    "code",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ALLOWED_ATTRIBUTES = {"div": {"class"}, "p": {"class"}, "a": {"href", "title"}}
_ALLOWED_CLASSES = {"admonition", "tip", "note", "warning", "admonition-title"}


def _keep_known_class(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = " ".join(c for c in value.split() if c in _ALLOWED_CLASSES)
        return kept or None
    return value


def render_markdown(text: str) -> str:
    """Markdown → safe HTML. Raw HTML, scripts, event handlers and javascript: links are removed."""
    html = md.markdown(text, extensions=["admonition", "tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_known_class,
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
