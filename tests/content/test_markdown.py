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
