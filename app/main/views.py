"""The welcome page, each role's home page (a learner's is the path), and the language switch."""

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user, login_required

from app.auth.access import role_required
from app.auth.models import Role
from app.certificates.services import current_certificate
from app.classes.models import SchoolClass
from app.classes.queries import parent_links, visible_classes
from app.content.pace import path_reading
from app.content.registry import catalogue
from app.extensions import db
from app.invites.eligibility import path_classes
from app.invites.overview import class_overview
from app.learning.services import next_lesson, path_progress, reads_by_course
from app.security import is_safe_next
from app.timeutil import utcnow
from app.web.http import shareable

bp = Blueprint("main", __name__)

ONE_YEAR = 365 * 24 * 3600
ELDER_COOKIE = "pp_elder"


@bp.route("/")
def index():
    """What ParentPass is, how long it takes, and the way in."""
    return render_template(
        "main/index.html",
        courses=catalogue().for_audience("parent"),
        path=path_reading(catalogue(), "parent"),
    )


@bp.route("/learn")
@role_required(Role.PARENT, Role.TEACHER)
def path():
    """The checklist: each course with its progress, then charters, then the certificate."""
    courses = catalogue().for_audience(current_user.audience)
    reads = reads_by_course(current_user)
    progress = path_progress(current_user, courses, reads)
    resume = next((p for p in progress if p.state != "done"), None)
    resume_lesson = next_lesson(resume.course, reads.get(resume.course.slug, {})) if resume else None
    links = parent_links(current_user) if current_user.role == Role.PARENT else []
    now = utcnow()
    certificate = current_certificate(current_user, now)
    return render_template(
        "learning/path.html",
        progress=progress,
        resume=resume,
        resume_lesson=resume_lesson,
        path=path_reading(catalogue(), current_user.audience),
        charters=path_classes(current_user, links, now, certified=certificate is not None),
        certificate=certificate,
    )


@bp.route("/home")
@login_required
def home():
    """Each role lands where its work is."""
    if current_user.role in (Role.PARENT,):
        return redirect(url_for("main.path"))
    if current_user.role == Role.TEACHER:
        classes = db.session.scalars(
            visible_classes(current_user).order_by(SchoolClass.grade, SchoolClass.name)
        ).all()
        courses = catalogue().for_audience("parent")
        now = utcnow()
        return render_template(
            "main/teacher_home.html",
            classes=[(c, class_overview(c, courses, now)) for c in classes],
        )
    if current_user.role == Role.STAFF:
        return redirect(url_for("school.classes"))
    return redirect(url_for("reports.index"))


@bp.route("/sw.js")
def service_worker():
    """The service worker, served from the site's root so that it may keep lesson pages."""
    response = send_from_directory(current_app.static_folder, "js/sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
def offline():
    """What the service worker shows when there is no network (no personal data: it is cached)."""
    return shareable(make_response(render_template("main/offline.html", shareable=True)))


@bp.route("/display", methods=["POST"])
def set_display():
    """Elder mode (长者模式) on or off: larger text, higher contrast, bigger targets. Remembered in
    a cookie, so it holds before signing in and on a shared phone's next visit."""
    target = request.form.get("next", "")
    response = redirect(target if is_safe_next(target) else url_for("main.index"))
    if request.form.get("elder") == "on":
        response.set_cookie(ELDER_COOKIE, "1", max_age=ONE_YEAR, httponly=True, samesite="Lax")
    else:
        response.delete_cookie(ELDER_COOKIE, httponly=True, samesite="Lax")
    return response


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch language and remember it in a cookie; then back to the page the person was on."""
    lang = request.form.get("lang", "")
    target = request.form.get("next", "")
    response = redirect(target if is_safe_next(target) else url_for("main.index"))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            current_app.config["LANGUAGE_COOKIE"],
            lang,
            max_age=ONE_YEAR,
            httponly=True,
            samesite="Lax",
        )
    return response
