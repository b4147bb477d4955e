"""Lesson and charter Markdown is always sanitised."""

from app.content.markdown import render_markdown


def test_script_and_event_handlers_are_removed():
    html = render_markdown('Hi <script>alert(1)</script><img src=x onerror="alert(2)">')
    assert "<script" not in html and "onerror" not in html and "<img" not in html


def test_javascript_links_are_removed():
    html = render_markdown("[click](javascript:alert(1))")
    assert "javascript:" not in html


def test_takeaway_box_keeps_its_class():
    html = render_markdown('!!! tip "记住"\n    先打电话核实。\n')
    assert 'class="admonition tip"' in html and "先打电话核实" in html


def test_rendered_markdown_is_shown_as_it_is_and_typed_text_is_still_escaped(app):
    """The renderer's result is Markup: a template shows its tags, while anything else is
    escaped as before (the `markdown` filter renders Markdown held in the database)."""
    from flask import render_template_string

    with app.test_request_context():
        page = render_template_string(
            "{{ html }}|{{ '**x**'|markdown }}|{{ typed }}",
            html=render_markdown("**bold** <script>x</script>"),
            typed="<b>typed</b>",
        )
    assert page.startswith("<p><strong>bold</strong>")
    assert "<script>" not in page
    assert "<p><strong>x</strong></p>" in page
    assert page.endswith("&lt;b&gt;typed&lt;/b&gt;")


def test_no_template_marks_anything_safe():
    """Sanitised HTML arrives as Markup; `|safe` in a template would let anything through."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    marked = [str(p.relative_to(templates)) for p in templates.rglob("*.html") if "|safe" in p.read_text()]
    assert marked == []
