"""Language selection for Flask-Babel (the time zone is app/classes/timezones.py), and the
template helpers that depend on the language.

Order: the remembered choice (cookie), then the browser's Accept-Language, then zh-Hans. A browser
asking for any Chinese variant gets zh-Hans, the only Chinese we write.
"""

from flask import current_app, g, request
from flask_babel import format_datetime, get_locale, get_translations

CONTENT_LANG = {"zh_Hans": "zh-Hans", "en": "en"}


def _from_tag(tag: str) -> str | None:
    tag = tag.lower().replace("_", "-")
    if tag.startswith("zh"):
        return "zh_Hans"
    if tag.startswith("en"):
        return "en"
    return None


def select_locale() -> str:
    """The locale for this request."""
    remembered = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if remembered in current_app.config["LANGUAGES"]:
        return remembered
    for tag, _quality in request.accept_languages:
        chosen = _from_tag(tag)
        if chosen:
            return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def translations():
    """This request's catalogue, looked up once. Flask-Babel's template `_()` finds the context,
    the locale and the catalogue anew for every string (a dozen lookups each); a page has some
    fifty strings, and the locale does not change within a request (the language switch
    redirects)."""
    found = g.get("_pp_translations")
    if found is None:
        found = g._pp_translations = get_translations()
    return found


def install_template_gettext(app) -> None:
    """Templates translate through `translations()` (replacing what Flask-Babel installed)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def content_lang() -> str:
    """The content-file language key (`zh-Hans` / `en`) for the current locale."""
    return CONTENT_LANG.get(str(get_locale()), "zh-Hans")


def elder_mode() -> bool:
    """Whether this browser asked for elder mode (长者模式)."""
    return request.cookies.get("pp_elder") == "1"


def html_lang() -> str:
    """The value of `<html lang>`."""
    return content_lang()


def show_datetime(value) -> str:
    """A datetime as people read it, in the school's zone: 2026年11月23日 21:30 / 23 Nov 2026, 21:30."""
    if value is None:
        return ""
    pattern = "yyyy年M月d日 HH:mm" if content_lang() == "zh-Hans" else "d MMM yyyy, HH:mm"
    return format_datetime(value, pattern)


def show_date(value) -> str:
    """A date as people read it: 2026年11月23日 / 23 Nov 2026."""
    if value is None:
        return ""
    pattern = "yyyy年M月d日" if content_lang() == "zh-Hans" else "d MMM yyyy"
    return format_datetime(value, pattern)
