"""Facilitators' pages: their services, details, schedules, one session cancelled or moved, new groups.

Staff use the same pages for any service; auth.editable_service decides who gets in.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from directory import vocab, words
from directory.accounts import auth
from directory.fields import ConfirmForm
from directory.listings import capacity, edits, moderation, organisations, schedule_changes, schema
from directory.listings.forms import DetailsForm, SpacesForm
from directory.schedules import changes, recurrence, rules, wording
from directory.schedules.forms import DeleteScheduleForm, ScheduleForm, SessionChangeForm
from directory.views import local_now, local_today

bp = Blueprint("manage", __name__, url_prefix="/manage")
auth.guard(bp)

UPCOMING_WEEKS = 8


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


@bp.get("/")
def dashboard():
    return render_template("manage/dashboard.html", services=current_user.services)


@bp.get("/services/<int:service_id>")
def service(service_id: int):
    item = auth.editable_service(service_id)
    now = local_now()
    sessions = [s for s in item.schedules if s.kind == "session"]
    upcoming = [x for s in sessions for x in recurrence.sessions_between(s, now, now + timedelta(weeks=UPCOMING_WEEKS))]
    return render_template(
        "manage/service.html", service=item, sessions=sorted(upcoming, key=lambda x: x.start),
        pending=[moderation.what(r) for r in moderation.pending_for(item)],
        rejected=moderation.rejected_for(item), next_check=moderation.next_check_due(item),
        spaces_form=SpacesForm(data={"spaces": capacity.spaces_now(item, local_today())}),
    )


def _details_form() -> DetailsForm:
    return DetailsForm(staff=current_user.is_staff, organisations=organisations.choices())


@bp.route("/services/<int:service_id>/details", methods=["GET", "POST"])
def details(service_id: int):
    item = auth.editable_service(service_id)
    form = _details_form()
    conflict = None
    if form.validate_on_submit():
        try:
            saved = moderation.save_details(current_user, item, form.values(), form.base_version())
        except moderation.EditConflict as exc:
            conflict = {"theirs": exc.theirs, "yours": form.values()}
            # Saving again now is a deliberate choice to replace their version.
            form.version.data = str(exc.version)
        else:
            if saved.waiting:
                flash("Thank you. Your changes will show once staff have checked them.")
            else:
                flash("Your changes are live." if saved.applied else "Nothing had changed.")
            return redirect(url_for("manage.service", service_id=item.id))
    elif not form.is_submitted():
        form.load(edits.snapshot(item), item.version)
    return render_template("manage/details.html", service=item, form=form, conflict=conflict,
                           labels=edits.LABELS, as_text=_as_text())


def _as_text():
    names = organisations.names()
    return lambda field, value: schema.as_text(field, value, names)


@bp.get("/services/<int:service_id>/check")
def check(service_id: int):
    """Check your answers: every field as the public will read it, each with a link to change it."""
    item = auth.editable_service(service_id)
    return render_template("manage/check.html", service=item, values=edits.snapshot(item),
                           labels=edits.LABELS, as_text=_as_text())


@bp.post("/services/<int:service_id>/spaces")
def spaces(service_id: int):
    """Spaces now: live at once for facilitators too, as it changes from week to week."""
    item = auth.editable_service(service_id)
    form = SpacesForm()
    if form.validate_on_submit():
        capacity.set_spaces(current_user, item, form.spaces.data, local_today())
        flash(f"Spaces now: {vocab.SPACE[form.spaces.data].label.lower()}. The listing shows it now, with today's date.")
    else:
        flash("Choose whether there are spaces, a waiting list, or it is full.", "error")
    return redirect(url_for("manage.service", service_id=item.id))


@bp.route("/services/<int:service_id>/schedules/new", methods=["GET", "POST"], defaults={"schedule_id": None})
@bp.route("/services/<int:service_id>/schedules/<int:schedule_id>", methods=["GET", "POST"])
def edit_schedule(service_id: int, schedule_id: int | None):
    if schedule_id is None:
        item, sched = auth.editable_service(service_id), None
    else:
        item, sched = auth.editable_schedule(service_id, schedule_id)
    form = ScheduleForm()
    if form.validate_on_submit():
        try:
            waiting = schedule_changes.save(current_user, item, sched,
                                     form.to_values(sched.timezone if sched else current_app.config["DEFAULT_TIMEZONE"]),
                                     local_today())
        except rules.ScheduleError as exc:
            (form[exc.field].errors if exc.field in form else form.form_errors).append(str(exc))
        else:
            flash("Thank you. The schedule will change once staff have checked it; until then the listing "
                  "and calendars show it as it was." if waiting else "The schedule is saved and live now.")
            return redirect(url_for("manage.service", service_id=item.id))
    elif not form.is_submitted() and sched is not None:
        form.load(sched)
    # Changes already asked for: this form shows the live schedule, so say what is waiting.
    asked = [schedule_changes.summary(r) for r in schedule_changes.waiting_for(item)
             if sched is not None and r.changes.get("schedule_id") == sched.id]
    return render_template("manage/schedule.html", service=item, sched=sched, form=form, waiting=asked)


@bp.route("/services/<int:service_id>/schedules/<int:schedule_id>/delete", methods=["GET", "POST"])
def delete_schedule(service_id: int, schedule_id: int):
    item, sched = auth.editable_schedule(service_id, schedule_id)
    form = DeleteScheduleForm()
    if form.validate_on_submit():
        if form.confirm.data == "yes":
            described = wording.describe(sched)
            if schedule_changes.delete(current_user, sched):
                flash(f"Thank you. The schedule \u201c{described}\u201d will be deleted once staff have checked it.")
            else:
                flash(f"The schedule \u201c{described}\u201d is deleted. Calendars drop it the next time they update.")
        return redirect(url_for("manage.service", service_id=item.id))
    return render_template("manage/delete_schedule.html", service=item, sched=sched, form=form)


@bp.route("/services/<int:service_id>/schedules/<int:schedule_id>/sessions/<day>", methods=["GET", "POST"])
def change_session(service_id: int, schedule_id: int, day: str):
    item, sched = auth.editable_schedule(service_id, schedule_id)
    session = recurrence.session_on(sched, _day(day)) or abort(404)
    form = SessionChangeForm()
    if form.validate_on_submit():
        try:
            changes.change_session(current_user, sched, session.original_date, form.status.data,
                                           form.note.data or "", form.new_date.data, form.new_opens_at.data,
                                           form.new_closes_at.data)
        except rules.ScheduleError as exc:
            form.form_errors.append(str(exc))
        else:
            flash(f"The session on {words.format_date(session.original_date)} is "
                  + ("cancelled." if form.status.data == "cancelled" else "moved.")
                  + " The listing and calendar feeds show it now.")
            return redirect(url_for("manage.service", service_id=item.id))
    elif not form.is_submitted() and session.status != "scheduled":
        form.status.data, form.note.data = session.status, session.note
    return render_template("manage/session.html", service=item, sched=sched, session=session, form=form)


@bp.post("/services/<int:service_id>/schedules/<int:schedule_id>/sessions/<day>/restore")
def restore_session(service_id: int, schedule_id: int, day: str):
    item, sched = auth.editable_schedule(service_id, schedule_id)
    if ConfirmForm().validate_on_submit():
        changes.restore_session(current_user, sched, _day(day))
        flash(f"The session on {words.format_date(_day(day))} will happen as usual.")
    return redirect(url_for("manage.service", service_id=item.id))


@bp.route("/new", methods=["GET", "POST"])
def new_group():
    form = _details_form()
    if form.validate_on_submit():
        item = moderation.propose_new(current_user, form.values())
        if current_user.is_staff:
            flash("The listing is saved as a draft. Add its venue's hours or sessions, then check and publish it.")
        else:
            flash("Thank you. Your new listing will be published once staff have checked it. "
                  "You can add its schedule now.")
        return redirect(url_for("manage.service", service_id=item.id))
    return render_template("manage/new.html", form=form)
