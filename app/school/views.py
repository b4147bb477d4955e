"""School staff manage their school's teachers and classes.

Every object comes through a lookup scoped to `current_user.school_id`: another school's class or
teacher is a 404. No page here shows a parent: only a class's own teacher sees its parents.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth.access import role_required
from app.auth.link_page import password_link_page
from app.auth.links import issue_password_link
from app.auth.models import LinkPurpose, Role
from app.auth.services import PhoneTaken
from app.extensions import db
from app.forms import EmptyForm
from app.pagination import page_number, paginate_list
from app.school import queries, services, years
from app.school.forms import (
    AssignTeacherForm,
    ClassForm,
    RolloverForm,
    SettingsForm,
    TeacherForm,
    chosen_id,
    teacher_choices,
)
from app.security import mask_phone
from app.timeutil import utcnow

bp = Blueprint("school", __name__, url_prefix="/school")
PER_PAGE = 30  # teachers or classes to a page


def _link_page(teacher, secret: str, purpose: LinkPurpose):
    return password_link_page(teacher, secret, purpose, url_for("school.teachers"))


# ---- classes ----


@bp.route("/classes")
@role_required(Role.STAFF)
def classes():
    """The staff's landing: every class of the school, who heads it, and whether they are certified."""
    school = queries.own_school_or_404(current_user)
    page = paginate_list(queries.school_classes(school.id), page_number(request.args.get("page")), PER_PAGE)
    heads = [c.head_teacher_id for c in page.items if c.head_teacher_id]
    return render_template(
        "school/classes.html",
        school=school,
        page=page,
        forms=_assign_forms(page.items, queries.school_teachers(school.id, active_only=True)),
        certified=queries.certified_user_ids(heads, utcnow()),
        settings_form=SettingsForm(formdata=None, obj=school),
    )


def _assign_forms(classes, active_teachers) -> dict:
    """One head-teacher form per class, showing its current head teacher as chosen. A switched-off
    head teacher is listed for their own class only, so saving unchanged is refused, not an unassign."""
    choices = teacher_choices(active_teachers)
    forms = {}
    for school_class in classes:
        form = AssignTeacherForm(formdata=None, teacher_id=str(school_class.head_teacher_id or ""))
        form.teacher_id.choices = choices
        head = school_class.head_teacher
        if head is not None and not head.active:
            switched_off = _("%(name)s (switched off)", name=head.real_name)
            form.teacher_id.choices = [*choices, (str(head.id), switched_off)]
        forms[school_class.id] = form
    return forms


@bp.route("/classes/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new_class():
    """A new class with its join code and charter; the head teacher can be chosen now or later."""
    school = queries.own_school_or_404(current_user)
    now = utcnow()
    form = ClassForm(school_year=years.current_school_year(now))
    form.head_teacher_id.choices = teacher_choices(queries.school_teachers(school.id, active_only=True))
    if form.validate_on_submit():
        head_id = chosen_id(form.head_teacher_id.data)
        head = queries.school_teacher_or_404(current_user, head_id) if head_id else None
        try:
            school_class = services.new_class(
                school, int(form.grade.data), form.name.data, form.school_year.data, head, current_user, now
            )
            db.session.commit()
        except (services.ClassExists, IntegrityError):  # the check, or the index under a race
            db.session.rollback()
            form.name.errors.append(
                _(
                    "Your school already has a class %(name)s in this grade and school year.",
                    name=form.name.data,
                )
            )
        else:
            flash(_("Class %(name)s is created.", name=school_class.name), "success")
            return redirect(url_for("school.classes"))
    return render_template("school/new_class.html", form=form)


@bp.route("/classes/<id:class_id>/teacher", methods=["POST"])
@role_required(Role.STAFF)
def assign_teacher(class_id: int):
    """Assign a head teacher, hand the class over, or leave it without one (empty choice)."""
    school_class = queries.school_class_or_404(current_user, class_id)
    form = AssignTeacherForm()
    form.teacher_id.choices = teacher_choices(
        queries.school_teachers(school_class.school_id, active_only=True)
    )
    if school_class.graduated:
        flash(
            _("%(name)s has graduated: its head teacher no longer changes.", name=school_class.name),
            "warning",
        )
    elif not form.validate_on_submit():
        flash(_("Please choose one of the school's active teachers."), "error")
    else:
        teacher_id = chosen_id(form.teacher_id.data)
        teacher = queries.school_teacher_or_404(current_user, teacher_id) if teacher_id else None
        if services.assign_head_teacher(school_class, teacher, current_user, utcnow()):
            db.session.commit()
            flash(_("The head teacher of %(name)s is changed.", name=school_class.name), "success")
        else:
            flash(_("Nothing changed."), "info")
    return redirect(url_for("school.classes"))


@bp.route("/rollover", methods=["GET", "POST"])
@role_required(Role.STAFF)
def rollover():
    """Move the classes of the newest school year on by one year and one grade, once."""
    school = queries.own_school_or_404(current_user)
    form = RolloverForm()
    if form.validate_on_submit():
        moved = services.roll_over(school, form.from_year.data or "", current_user, utcnow())
        if moved:
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d class moved to the new school year.",
                    "%(num)d classes moved to the new school year.",
                    moved,
                ),
                "success",
            )
            return redirect(url_for("school.classes"))
        flash(_("Nothing was moved: these classes have already moved on."), "info")
        return redirect(url_for("school.rollover"))
    plan = queries.rollover_plan(school.id)
    form.from_year.data = plan.from_year or ""
    return render_template("school/rollover.html", plan=plan, form=form)


@bp.route("/settings", methods=["POST"])
@role_required(Role.STAFF)
def settings():
    """The school's rule on teachers' certificates (shown on the classes page)."""
    school = queries.own_school_or_404(current_user)
    form = SettingsForm()
    if not form.validate_on_submit():
        abort(400)
    if services.set_certificate_rule(school, form.require_teacher_certificate.data, current_user, utcnow()):
        db.session.commit()
        flash(_("The school's settings are saved."), "success")
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("school.classes"))


# ---- teachers ----


@bp.route("/teachers")
@role_required(Role.STAFF)
def teachers():
    """The school's teacher accounts: switched on or off, certified or not, the classes they head."""
    school = queries.own_school_or_404(current_user)
    page = paginate_list(queries.school_teachers(school.id), page_number(request.args.get("page")), PER_PAGE)
    headed: dict[int, list] = {}
    for school_class in queries.school_classes(school.id):
        if school_class.head_teacher_id and not school_class.graduated:
            headed.setdefault(school_class.head_teacher_id, []).append(school_class)
    return render_template(
        "school/teachers.html",
        page=page,
        headed=headed,
        certified=queries.certified_user_ids([t.id for t in page.items], utcnow()),
        mask=mask_phone,
        form=EmptyForm(),
    )


@bp.route("/teachers/new", methods=["GET", "POST"])
@role_required(Role.STAFF)
def new_teacher():
    """A teacher account and its welcome link, shown once on the page that answers the form."""
    school = queries.own_school_or_404(current_user)
    form = TeacherForm()
    if form.validate_on_submit():
        try:
            teacher, secret = services.create_teacher(
                school, form.real_name.data, form.phone.data, current_user, utcnow()
            )
            db.session.commit()
        except (PhoneTaken, IntegrityError):
            db.session.rollback()
            form.phone.errors.append(_("This mobile number already has an account."))
        else:
            return _link_page(teacher, secret, LinkPurpose.WELCOME)
    return render_template("school/new_teacher.html", form=form)


@bp.route("/teachers/<id:user_id>/deactivate", methods=["POST"])
@role_required(Role.STAFF)
def deactivate_teacher(user_id: int):
    """Switch a teacher's account off: no more sign-in, and open sessions end at the next request."""
    return _switch(user_id, active=False)


@bp.route("/teachers/<id:user_id>/reactivate", methods=["POST"])
@role_required(Role.STAFF)
def reactivate_teacher(user_id: int):
    """Switch a teacher's account on again, with the password it had."""
    return _switch(user_id, active=True)


def _switch(user_id: int, *, active: bool):
    teacher = queries.school_teacher_or_404(current_user, user_id)
    if services.set_teacher_active(teacher, active, current_user, utcnow()):
        db.session.commit()
        if active:
            flash(_("%(name)s can sign in again.", name=teacher.real_name), "success")
        else:
            flash(_("%(name)s's account is switched off.", name=teacher.real_name), "success")
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("school.teachers"))


@bp.route("/teachers/<id:user_id>/reset-link", methods=["POST"])
@role_required(Role.STAFF)
def reset_teacher(user_id: int):
    """A new password link for a teacher who forgot theirs; any older link stops working."""
    teacher = queries.school_teacher_or_404(current_user, user_id)
    if not teacher.active:
        flash(_("%(name)s's account is switched off. Switch it on first.", name=teacher.real_name), "warning")
        return redirect(url_for("school.teachers"))
    secret = issue_password_link(teacher, LinkPurpose.RESET, current_user, utcnow())
    db.session.commit()
    return _link_page(teacher, secret, LinkPurpose.RESET)
