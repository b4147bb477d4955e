"""The one way Markdown becomes HTML: rendered, then always sanitised. The result is `Markup`,
so templates show it as it is (`{{ lesson.html[lang] }}`, or `{{ text|markdown }}` for Markdown
held in the database, such as a class's charter) and never need `|safe`."""

import markdown as md
import nh3
from markupsafe import Markup

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


def render_markdown(text: str) -> Markup:
    """Markdown → safe HTML. Raw HTML, scripts, event handlers and javascript: links are removed."""
    html = md.markdown(text, extensions=["admonition", "tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_known_class,
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    # nh3 has just sanitised it: the one place that marks HTML safe.
    return Markup(clean)  # noqa: S704  # nosec B704
