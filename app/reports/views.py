"""Report pages for a head teacher's class, a school and a bureau, and their CSV exports.

School staff and the bureau see no count of 1 to 4 people (`REPORT_SMALL_CELL`): see
app/reports/small_cells.py. Only a class's own head teacher sees its figures in full."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import role_required
from app.auth.models import Role
from app.classes.models import SchoolClass
from app.classes.queries import visible_class_or_404, visible_classes
from app.content.registry import catalogue
from app.extensions import db
from app.i18n import content_lang
from app.invites.overview import class_overview
from app.reports import pages, queries, small_cells
from app.reports.access import names_visible, report_bureau_or_404, report_school_or_404
from app.reports.chart_data import HELPERS
from app.reports.csv_export import Column, csv_response
from app.reports.tables import count_columns, count_row
from app.timeutil import utcnow
from app.web.http import private

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.context_processor
def _chart_helpers() -> dict:
    from app.invites.wording import REFUSAL_TEXT

    return {
        **HELPERS,
        "refusal_text": REFUSAL_TEXT,
        "course_list": catalogue().for_audience("parent"),
        "course_titles": {c.slug: c.title.get(content_lang()) for c in catalogue().for_audience("parent")},
    }


READERS = (Role.TEACHER, Role.STAFF, Role.BUREAU)
SCHOOLS_PER_PAGE = 100


@bp.route("")
@role_required(*READERS)
def index():
    """Each reader lands on the widest report they may see."""
    if current_user.role == Role.STAFF and current_user.school_id:
        return redirect(url_for("reports.school", school_id=current_user.school_id))
    if current_user.role == Role.BUREAU and current_user.bureau_id:
        return redirect(url_for("reports.bureau", bureau_id=current_user.bureau_id))
    first = db.session.scalar(visible_classes(current_user).order_by(SchoolClass.grade, SchoolClass.name))
    if first is None:
        return render_template("reports/empty.html")
    return redirect(url_for("reports.school_class", class_id=first.id))


def _filters(zone: str, now) -> pages.Filters:
    return pages.Filters.read(request.args, pages.local_today(now, zone))


def _small_cell(school_class: SchoolClass | None = None) -> int | None:
    """The threshold below which counts are hidden from this reader; None for a class's own head
    teacher on that class."""
    if school_class is not None and names_visible(current_user, school_class):
        return None
    return current_app.config["REPORT_SMALL_CELL"]


@bp.route("/schools/<id:school_id>")
@role_required(Role.STAFF, Role.BUREAU)
def school(school_id: int):
    school = report_school_or_404(current_user, school_id)
    now = utcnow()
    f = _filters(school.timezone, now)
    page = pages.school_page(school.id, f, catalogue(), now, _small_cell())
    html = render_template("reports/school.html", school=school, page=page, f=f)
    return private(make_response(html))


@bp.route("/bureaus/<id:bureau_id>")
@role_required(Role.BUREAU)
def bureau(bureau_id: int):
    bureau = report_bureau_or_404(current_user, bureau_id)
    now = utcnow()
    f = _filters("Asia/Shanghai", now)
    page = pages.bureau_page(bureau.id, f, catalogue(), now, _small_cell())
    schools = page.tables["schools"].rows
    pages_count = max(1, -(-len(schools) // SCHOOLS_PER_PAGE))
    f.page = min(f.page, pages_count)
    shown = schools[(f.page - 1) * SCHOOLS_PER_PAGE : f.page * SCHOOLS_PER_PAGE]
    html = render_template(
        "reports/bureau.html",
        bureau=bureau,
        page=page,
        f=f,
        shown_schools=shown,
        pages_count=pages_count,
        can_open_parent=bureau.id != current_user.bureau_id,
    )
    return private(make_response(html))


@bp.route("/classes/<id:class_id>")
@role_required(*READERS)
def school_class(class_id: int):
    """A class's figures; its own head teacher also sees who is stuck where and who is certified
    but not yet invited (the only report that names parents)."""
    school_class = visible_class_or_404(current_user, class_id)
    now = utcnow()
    f = _filters(school_class.school.timezone, now)
    small_cell = _small_cell(school_class)
    page = pages.class_page(school_class.id, f, catalogue(), now, school_class.school_id, small_cell)
    named = None
    if names_visible(current_user, school_class):
        named = class_overview(school_class, catalogue().for_audience("parent"), now)
    html = render_template("reports/class.html", school_class=school_class, page=page, f=f, named=named)
    return private(make_response(html))


# ---- exports ----


@bp.route("/schools/<id:school_id>/<table>.csv")
@role_required(Role.STAFF, Role.BUREAU)
def school_csv(school_id: int, table: str):
    school = report_school_or_404(current_user, school_id)
    now = utcnow()
    page = pages.school_page(school.id, _filters(school.timezone, now), catalogue(), now, _small_cell())
    return _export(page, table, f"{school.name}-{table}", school.timezone, now)


@bp.route("/bureaus/<id:bureau_id>/<table>.csv")
@role_required(Role.BUREAU)
def bureau_csv(bureau_id: int, table: str):
    bureau = report_bureau_or_404(current_user, bureau_id)
    now = utcnow()
    if table == "all-classes":
        return _all_classes(bureau, now)
    page = pages.bureau_page(bureau.id, _filters("Asia/Shanghai", now), catalogue(), now, _small_cell())
    return _export(page, table, f"{bureau.name}-{table}", "Asia/Shanghai", now)


@bp.route("/classes/<id:class_id>/<table>.csv")
@role_required(*READERS)
def class_csv(class_id: int, table: str):
    school_class = visible_class_or_404(current_user, class_id)
    now = utcnow()
    zone = school_class.school.timezone
    f = _filters(zone, now)
    page = pages.class_page(
        school_class.id, f, catalogue(), now, school_class.school_id, _small_cell(school_class)
    )
    return _export(page, table, f"{school_class.name}-{table}", zone, now)


def _export(page: pages.ReportPage, name: str, stem: str, zone: str, now):
    table = page.tables.get(name)
    if table is None:
        abort(404)
    return csv_response(
        stem,
        table.columns,
        table.rows,
        totals_label=table.totals_label,
        totals=table.total_row,
        now=now,
        tz=zone,
    )


def _all_classes(bureau, now):
    """Every class beneath the bureau, streamed row by row: a whole city in flat memory."""
    columns = count_columns(_("Class"), with_classes=False)
    columns[1:1] = [Column("school", _("School")), Column("grade", _("Grade"), "int")]
    scope = queries.bureau_scope(bureau.id)
    rows = (count_row(row) for row in queries.class_rows_stream(scope))
    totals = None
    if small_cell := _small_cell():
        rows, totals = small_cells.hidden_flat_rows(
            lambda: queries.class_rows_stream(scope), queries.totals(scope), _("All"), small_cell
        )
    return csv_response(
        f"{bureau.name}-classes",
        columns,
        rows,
        totals_label=_("All"),
        totals=totals,
        now=now,
        tz="Asia/Shanghai",
    )
