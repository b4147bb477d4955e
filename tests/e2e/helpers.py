"""What the browser tests call: axe-core's accessibility check and the sideways-scroll check."""

from pathlib import Path

PHONE = {"width": 360, "height": 740}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

AXE_URL = "/__test__/axe.min.js"


def accessibility_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page, as `rule: selector` lines. A page made with
    `new_page(axe=True)` has axe already (the browser runs it on every new document, which is
    much faster than sending its 550 kB for each check); on another, axe is served from the page's
    own origin (intercepted, never from the app), so the CSP admits it. Only violations are
    gathered: the rules and what they find are the same, the passes are not collected."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.route("**" + AXE_URL, lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
        page.add_script_tag(url=page.evaluate("location.origin") + AXE_URL)
    found = page.evaluate(
        """async (tags) => (await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]}))
            .violations.map(v => v.id + ": "
                + v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", "))""",
        WCAG_22_AA,
    )
    return list(found)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def signed_in(page, user) -> None:
    """The browser holds a signed-in session of `user`, as after the sign-in form (for tests
    about other pages: the form itself is driven in test_journey and test_keyboard)."""
    from flask import current_app

    from tests.helpers import sign_in_as

    client = current_app.test_client()
    sign_in_as(client, user)
    cookie = client.get_cookie(current_app.config["SESSION_COOKIE_NAME"])
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base}])
