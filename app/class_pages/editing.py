"""A head teacher edits their class: roster import, charter versions, join code and its poster.

These routes belong to the classes blueprint of app/class_pages.
Only the class's own head teacher reaches them; a graduated class changes no more.
"""

from __future__ import annotations

from babel.dates import get_timezone, get_timezone_name
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth.access import role_required
from app.auth.models import Role
from app.class_pages import bp
from app.classes.charters import editable_body, revise_charter, stored_body
from app.classes.forms import CharterForm, JoinCodeForm, RosterImportForm
from app.classes.lifecycle import replace_join_code
from app.classes.models import Charter, SchoolClass
from app.classes.queries import teacher_class_or_404
from app.classes.roster_csv import parse_roster
from app.classes.roster_import import RosterConflict, apply_roster, roster_size
from app.classes.services import charter_body, current_charter
from app.content.pace import path_reading
from app.content.registry import catalogue
from app.extensions import db
from app.i18n import content_lang
from app.qr import qr_svg
from app.security import group_code
from app.timeutil import utcnow


def _refuse_graduated(school_class: SchoolClass):
    flash(_("This class has graduated: nothing more can change."), "warning")
    return redirect(url_for("classes.detail", class_id=school_class.id))


def _zone_label(zone: str) -> str:
    """`China Time (Asia/Shanghai)`: the school's time zone as people say it, and its exact name."""
    try:
        return f"{get_timezone_name(get_timezone(zone), locale=get_locale())} ({zone})"
    except LookupError:
        return zone


@bp.route("/classes/<id:class_id>/roster", methods=["GET", "POST"])
@role_required(Role.TEACHER)
def roster_import(class_id: int):
    """Load or refresh the roster from a CSV file; every bad line is listed and nothing is saved."""
    school_class = teacher_class_or_404(current_user, class_id)
    form = RosterImportForm()
    errors = []
    if form.validate_on_submit():
        if school_class.graduated:
            return _refuse_graduated(school_class)
        parsed = parse_roster(form.file.data.read())
        errors = parsed.errors
        if parsed.ok:
            try:
                report = apply_roster(school_class, parsed.rows, current_user, utcnow())
            except RosterConflict as conflict:
                errors = conflict.errors
            else:
                db.session.commit()
                flash(
                    _(
                        "Roster imported: %(added)d added, %(updated)d updated, %(unchanged)d unchanged.",
                        added=report.added,
                        updated=report.updated,
                        unchanged=report.unchanged,
                    ),
                    "success",
                )
                return redirect(url_for("classes.roster_import", class_id=class_id))
    return render_template(
        "classes/roster_import.html",
        school_class=school_class,
        form=form,
        errors=errors,
        roster_size=roster_size(school_class),
    )


@bp.route("/classes/<id:class_id>/charter/edit", methods=["GET", "POST"])
@role_required(Role.TEACHER)
def edit_charter(class_id: int):
    """Edit the charter text and quiet hours; a real change is a new version parents accept anew."""
    school_class = teacher_class_or_404(current_user, class_id)
    current = current_charter(school_class.id)
    templates = catalogue().charter
    form = CharterForm(
        data={
            "body": editable_body(current, templates.get(content_lang())),
            "quiet_start": current.quiet_start,
            "quiet_end": current.quiet_end,
        }
    )
    preview = None
    if form.validate_on_submit():
        if school_class.graduated:
            return _refuse_graduated(school_class)
        start, end = form.quiet_start.data, form.quiet_end.data
        if request.form.get("action") == "preview":
            draft = Charter(body_md=form.body.data, quiet_start=start, quiet_end=end)
            preview = charter_body(draft, "")
        else:
            body = stored_body(form.body.data, templates.values.values())
            try:
                charter = revise_charter(school_class, body, start, end, current_user, utcnow())
                db.session.commit()
            except IntegrityError:  # another tab saved a version at the same moment
                db.session.rollback()
                flash(
                    _("The charter was changed at the same moment elsewhere. Please check it again."),
                    "warning",
                )
                return redirect(url_for("classes.edit_charter", class_id=class_id))
            if charter is None:
                flash(_("Nothing changed."), "info")
            else:
                flash(
                    _(
                        "Saved as version %(version)d. Parents accept it again before they get a new "
                        "invite code.",
                        version=charter.version,
                    ),
                    "success",
                )
            return redirect(url_for("classes.charter", class_id=class_id))
    return render_template(
        "classes/charter_edit.html",
        school_class=school_class,
        charter=current,
        form=form,
        preview=preview,
        zone=_zone_label(school_class.school.timezone),
    )


@bp.route("/classes/<id:class_id>/join-code/rotate", methods=["POST"])
@role_required(Role.TEACHER)
def rotate_join_code(class_id: int):
    """A new join code, e.g. after the old one was posted where it should not be. The button names
    the code it replaces, so a double tap replaces it once."""
    school_class = teacher_class_or_404(current_user, class_id)
    if school_class.graduated:
        return _refuse_graduated(school_class)
    form = JoinCodeForm()
    if form.validate_on_submit():
        shown = form.replaces.data
        if shown and shown != school_class.join_code:
            flash(
                _(
                    "This join code was already replaced. The current one is %(code)s.",
                    code=group_code(school_class.join_code),
                ),
                "info",
            )
        else:
            code = replace_join_code(school_class, current_user, utcnow())
            db.session.commit()
            flash(
                _("The new join code is %(code)s. The old one no longer works.", code=group_code(code)),
                "success",
            )
    return redirect(url_for("classes.detail", class_id=class_id))


@bp.route("/classes/<id:class_id>/poster")
@role_required(Role.TEACHER)
def poster(class_id: int):
    """An A4 page for the parents' meeting: the join code, a QR code to register, the steps."""
    school_class = teacher_class_or_404(current_user, class_id)
    if school_class.graduated:
        flash(_("This class has graduated: its join code is no longer for new parents."), "info")
        return redirect(url_for("classes.detail", class_id=class_id))
    register_url = url_for("registration.register", code=school_class.join_code, _external=True)
    return render_template(
        "classes/poster.html",
        school_class=school_class,
        qr=qr_svg(register_url, scale=6, title=_("QR code to register for %(cls)s", cls=school_class.name)),
        site_url=url_for("registration.register", _external=True),
        path=path_reading(catalogue(), "parent"),
    )
