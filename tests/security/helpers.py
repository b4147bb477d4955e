"""Helpers for the adversarial tests: an HTML checker that finds live markup, the catalogue's
messages in each language, and a double tap that sends one form twice before either answer
arrives."""

from __future__ import annotations

import io
import re
from functools import cache
from html.parser import HTMLParser

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from markupsafe import escape

from app.config import PROJECT_ROOT
from tests.helpers import csrf_token, sign_in_as

PO = PROJECT_ROOT / "app" / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.po"
LANG_COOKIE = "pp_lang"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Tags our templates never write: one in a page came from someone's input.
FOREIGN_TAGS = {"iframe", "object", "embed", "img", "base", "meta", "link", "style", "frame", "math"}
OWN_META_AND_LINKS = {"meta": {"charset", "name", "content"}, "link": {"rel", "href"}}


class LiveMarkup(HTMLParser):
    """Collects what a browser would run: `on*` attributes, script elements that are not our own
    `/assets/` files, `javascript:` URLs, and tags our templates never write."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        names = {name for name, _value in attrs}
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            squeezed = re.sub(r"[\x00-\x20]+", "", (value or "")).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(BAD_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/assets/"):
                self.problems.append(f"<script {attrs!r}>")
        if tag in FOREIGN_TAGS and not (tag in OWN_META_AND_LINKS and names <= OWN_META_AND_LINKS[tag]):
            self.problems.append(f"<{tag} {attrs!r}>")
        if tag == "meta" and dict(attrs).get("http-equiv"):
            self.problems.append(f"<meta http-equiv {attrs!r}>")


def live_markup(html: str) -> list[str]:
    """Everything in `html` that would run script or load something foreign; [] when clean."""
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.problems


def assert_clean_page(html: str, where: str) -> None:
    problems = live_markup(html)
    assert not problems, f"{where}: live markup {problems}"


def escaped(text: str) -> str:
    """`text` as Jinja's autoescape writes it into a page."""
    return str(escape(text))


def use_language(client, lang: str) -> None:
    """The person chose this language (`en` or `zh_Hans`) with the switch: the cookie it sets."""
    client.set_cookie(LANG_COOKIE, lang)


def as_person(client, user, lang: str = "en") -> None:
    sign_in_as(client, user)
    use_language(client, lang)


# ---- the catalogue: is a message on the page one of ours, in the chosen language? ----


def _pattern(text: str) -> re.Pattern:
    """A catalogue entry as a regular expression: `%(max)d` matches a number, `%(name)s` anything."""
    parts = re.split(r"(%\(\w+\)[sd]|%%)", text)
    out = []
    for part in parts:
        if part == "%%":
            out.append("%")
        elif part.startswith("%(") and part.endswith("d"):
            out.append(r"-?\d+")
        elif part.startswith("%("):
            out.append(r".*?")
        else:
            out.append(re.escape(part))
    return re.compile("".join(out), re.DOTALL)


@cache
def _catalogue() -> dict[str, tuple[str, ...]]:
    """{msgid: its zh-Hans strings} from the translation catalogue."""
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    entries = {}
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            entries[msgid] = tuple(s for s in strings if s)
    return entries


@cache
def _source_msgids() -> frozenset[str]:
    """Every msgid in the code and templates now, as `make i18n-update` would extract them."""
    with (PROJECT_ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=keywords
    ):
        found.update(message if isinstance(message, tuple) else (message,))
    return frozenset(m for m in found if m)


@cache
def catalogue_patterns(lang: str) -> tuple[tuple[re.Pattern, ...], tuple[re.Pattern, ...]]:
    """The messages a person reads in `lang`: (translated ones, ones awaiting translation).

    English: every msgid of the catalogue and of the code. zh-Hans: the catalogue's translations;
    msgids added to the code since the catalogue was last merged are listed apart, since
    tests/test_i18n.py already fails on them until they are translated."""
    entries = _catalogue()
    if lang == "en":
        texts, pending = set(entries) | _source_msgids(), set()
    else:
        texts = {s for strings in entries.values() for s in strings}
        pending = _source_msgids() - set(entries)

    def compiled(items):
        return tuple(_pattern(" ".join(text.split())) for text in items)

    return compiled(texts), compiled(pending)


def in_language(text: str, lang: str) -> bool:
    """True when `text` (as shown, whitespace squeezed) is one of our messages in `lang`."""
    text = " ".join(text.split())
    translated, pending = catalogue_patterns(lang)
    if any(pattern.fullmatch(text) for pattern in pending):
        return True
    if lang != "en" and not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", text):
        return False
    return any(pattern.fullmatch(text) for pattern in translated)


VOID = {"br", "input", "meta", "link", "hr", "img", "source", "wbr"}
BLOCKS = {"p", "li", "ul", "ol", "section", "div", "dd", "dt", "h1", "h2", "h3", "fieldset"}


class ErrorTexts(HTMLParser):
    """The messages of a page's `class="error"` elements and error banners, one per paragraph or
    list item (an error banner may hold a paragraph and a list of problems)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.errors: list[str] = []
        self._stack: list[tuple[str, bool]] = []
        self._depth = 0  # > 0 inside an error element
        self._parts: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.errors.append(text)
        self._parts = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        is_error = "error" in classes or "banner-error" in classes
        if self._depth and tag in BLOCKS:
            self._flush()
        self._stack.append((tag, is_error))
        if is_error:
            self._depth += 1

    def handle_endtag(self, tag):
        if tag in VOID or all(open_tag != tag for open_tag, _ in self._stack):
            return
        while self._stack:
            open_tag, was_error = self._stack.pop()
            if self._depth and open_tag in BLOCKS:
                self._flush()
            if was_error:
                self._depth -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._depth:
            self._parts.append(data)


def error_texts(html: str) -> list[str]:
    parser = ErrorTexts()
    parser.feed(html)
    return parser.errors


# ---- requests ----


def double_tap(client, url: str, data: dict, **kwargs):
    """POST the same form twice as a second tap does: both requests leave with the cookies the
    page had (the second before the first answer arrives), the same CSRF token and data."""
    data = dict(data)
    data.setdefault("csrf_token", csrf_token(client))
    jar = dict(client._cookies)  # Werkzeug's cookie jar: the state before either answer
    first = client.post(url, data=_fresh(data), **kwargs)
    client._cookies.clear()
    client._cookies.update(jar)
    second = client.post(url, data=_fresh(data), **kwargs)
    return first, second


def _fresh(data: dict) -> dict:
    """File fields are read streams: each request gets its own copy."""
    out = {}
    for key, value in data.items():
        if isinstance(value, tuple) and hasattr(value[0], "getvalue"):
            out[key] = (io.BytesIO(value[0].getvalue()), *value[1:])
        else:
            out[key] = value
    return out
