"""Where the running app keeps its catalogue."""

from flask import Flask, abort, current_app

from app.content.catalogue import Catalogue, Course
from app.content.loader import load_catalogue

_KEY = "parentpass.catalogue"


def install_catalogue(app: Flask) -> None:
    """Load the content once at start-up; a broken content tree stops the app with its problems."""
    app.extensions[_KEY] = load_catalogue(app.config["CONTENT_DIR"])


def catalogue() -> Catalogue:
    return current_app.extensions[_KEY]


def course_or_404(slug: str, audience: str) -> Course:
    """A course of the current person's audience, or 404."""
    course = catalogue().courses.get(slug)
    if course is None or course.audience != audience:
        abort(404)
    return course
