"""Staff pages: moderation queue, verifying and archiving, feedback, facilitator requests, accounts, audit log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from directory import vocab
from directory.accounts import auth, members
from directory.accounts.forms import AttachForm, InviteForm, role_choices, service_choices
from directory.extensions import db
from directory.fields import ConfirmForm
from directory.listings import auditlog, feedback, moderation, organisations
from directory.listings.forms import AuditFilterForm, DecisionForm, StaffListingsForm
from directory.listings.status import ARCHIVED
from directory.mail import outbox, sending
from directory.models import ChangeRequest, FacilitatorRequest, Feedback, Service, User
from directory.search import staff as staff_search
from directory.views import local_today

bp = Blueprint("staff", __name__, url_prefix="/staff")
auth.guard(bp, vocab.STAFF_ROLES)


def _page(stmt):
    return db.paginate(stmt, per_page=current_app.config["PER_PAGE"], max_per_page=current_app.config["MAX_PER_PAGE"],
                       error_out=False)


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


@bp.get("/")
def home():
    today = local_today()
    return render_template(
        "staff/home.html",
        changes=_count(moderation.pending()), unverified=_count(moderation.unverified(today)),
        reports=_count(feedback.open_reports()),
        requests=_count(select(FacilitatorRequest).where(FacilitatorRequest.status == "pending")),
        attention=moderation.needing_attention(),
    )


@bp.get("/changes")
def changes():
    return render_template("staff/changes.html", items=_page(moderation.pending()))


@bp.route("/changes/<int:change_id>", methods=["GET", "POST"])
def change(change_id: int):
    req = db.get_or_404(ChangeRequest, change_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            moderation.decide(current_user, req, form.decision.data == "approve", form.reason.data or "", local_today(),
                              overwrite=form.overwrite.data)
        except moderation.DecisionError as exc:
            (form.decision if form.decision.data == "approve" else form.reason).errors.append(str(exc))
        else:
            flash(f"{'Approved' if req.status == 'approved' else 'Not approved'}: {req.service.name}.")
            return redirect(url_for("staff.changes"))
    names = organisations.names()
    return render_template("staff/change.html", req=req, rows=moderation.diff(req, names),
                           conflicts=moderation.conflicts(req, names), form=form)


@bp.post("/services/<int:service_id>/publish")
def publish(service_id: int):
    """Publish a checked new listing (from its "Check your answers" page)."""
    item = db.get_or_404(Service, service_id)
    if ConfirmForm().validate_on_submit():
        try:
            moderation.publish_new(current_user, item, local_today())
        except moderation.DecisionError as exc:
            flash(str(exc))
        else:
            flash(f"{item.name} is published and marked as checked today.")
    return redirect(url_for("manage.service", service_id=item.id))


@bp.get("/services")
def services():
    form = StaffListingsForm(request.args)
    form.validate()
    return render_template("staff/services.html", form=form,
                           items=_page(staff_search.listings(form.words(), form.chosen_status())))


@bp.get("/unverified")
def unverified():
    today = local_today()
    return render_template("staff/unverified.html", items=_page(moderation.unverified(today)),
                           due=list(db.session.scalars(moderation.due_this_month(today))),
                           next_check=moderation.next_check_due)


@bp.post("/services/<int:service_id>/verify")
def verify(service_id: int):
    item = db.get_or_404(Service, service_id)
    if ConfirmForm().validate_on_submit():
        moderation.verify(current_user, item, local_today())
        flash(f"{item.name} is marked as checked today.")
    return redirect(auth.safe_next(request.form.get("next"), url_for("manage.service", service_id=item.id)))


@bp.post("/services/<int:service_id>/status")
def set_status(service_id: int):
    item = db.get_or_404(Service, service_id)
    status = request.form.get("status", "")
    if ConfirmForm().validate_on_submit():
        try:
            moderation.set_status(current_user, item, status)
        except moderation.DecisionError:
            abort(400)
        flash(f"{item.name} is {'archived: it has left search and the feeds' if status == ARCHIVED else 'published'}.")
    return redirect(url_for("manage.service", service_id=item.id))


@bp.get("/feedback")
def feedback_queue():
    return render_template("staff/feedback.html", items=_page(feedback.open_reports()))


@bp.post("/feedback/<int:feedback_id>/resolve")
def resolve_feedback(feedback_id: int):
    item = db.get_or_404(Feedback, feedback_id)
    if ConfirmForm().validate_on_submit():
        feedback.resolve(current_user, item)
        flash("Marked as dealt with.")
    return redirect(url_for("staff.feedback_queue"))


@bp.get("/facilitator-requests")
def facilitator_requests():
    stmt = select(FacilitatorRequest).where(FacilitatorRequest.status == "pending").order_by(FacilitatorRequest.created_at)
    return render_template("staff/facilitator_requests.html", items=_page(stmt))


@bp.route("/facilitator-requests/<int:request_id>", methods=["GET", "POST"])
def facilitator_request(request_id: int):
    req = db.get_or_404(FacilitatorRequest, request_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            user = members.decide_facilitator_request(current_user, req, form.decision.data == "approve", form.reason.data or "")
        except members.AccountError as exc:
            form.decision.errors.append(str(exc))
        else:
            if user is not None:
                return _show_link(user, "invited") if not user.password_hash else _attached(user)
            flash("Request not approved.")
            return redirect(url_for("staff.facilitator_requests"))
    return render_template("staff/facilitator_request.html", req=req, form=form)


def _show_link(user: User, why: str):
    """Post/Redirect/Get: the link is shown by a GET, so refreshing it decides nothing again."""
    return redirect(url_for("staff.password_link", user_id=user.id, why=why), 303)


def _service_options() -> list:
    return list(db.session.scalars(select(Service).where(Service.status != ARCHIVED).order_by(Service.name)))


@bp.route("/accounts", methods=["GET", "POST"])
def users():
    form = InviteForm()
    options = _service_options()
    form.service.choices = service_choices(options, "None for now")
    if not current_user.is_admin:
        form.role.choices = role_choices(staff_too=False)
    if form.validate_on_submit():
        chosen = [s for s in options if str(s.id) == form.service.data]
        try:
            user = members.invite(current_user, form.email.data, form.name.data or "", form.role.data, chosen)
        except members.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            return _show_link(user, "invited") if not user.password_hash else _attached(user)
    return render_template("staff/users.html", form=form, users=members.users(), options=options)


def _attached(user: User):
    flash(f"{user.email} already has an account; the service is added to it.")
    return redirect(url_for("staff.users"))


@bp.route("/accounts/<int:user_id>/link", methods=["GET", "POST"])
def password_link(user_id: int):
    """No email is sent from here: staff pass the set-password link on themselves."""
    user = db.get_or_404(User, user_id)
    if user.is_staff and not current_user.is_admin:
        abort(403)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(403)
        return _show_link(user, "reset")
    link = url_for("account.set_password", token=members.password_token(user), _external=True)
    why = "invited" if request.args.get("why") == "invited" else "reset"
    return render_template("staff/link.html", user=user, link=link, why=why)


@bp.post("/accounts/<int:user_id>/services")
def attach_service(user_id: int):
    user = db.get_or_404(User, user_id)
    form = AttachForm()
    form.service.choices = service_choices(_service_options(), "")
    if form.validate_on_submit() and form.service.data:
        service = db.get_or_404(Service, int(form.service.data))
        members.attach(current_user, user, service, request.form.get("remove") != "1")
        flash(f"{user.email} can {'no longer ' if request.form.get('remove') == '1' else ''}edit {service.name}.")
    return redirect(url_for("staff.users"))


@bp.post("/accounts/<int:user_id>/deactivate")
@auth.admin_only
def deactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        try:
            members.deactivate(current_user, user)
        except members.AccountError as exc:
            flash(str(exc))
        else:
            flash(f"{user.email} can no longer sign in.")
    return redirect(url_for("staff.users"))


@bp.get("/mail")
def mail_queue():
    """Messages not sent yet (and why), then the latest sent: who, what, when, never the links in them."""
    return render_template("staff/mail.html", items=_page(outbox.waiting()),
                           sent=db.session.scalars(outbox.recently_sent().limit(20)).all(), max_attempts=sending.MAX_ATTEMPTS)


@bp.get("/audit")
def audit_log():
    listings = [(str(i), n) for i, n in db.session.execute(select(Service.id, Service.name).order_by(Service.name))]
    people = [(str(u.id), u.email) for u in members.users()]
    form = AuditFilterForm(request.args, listings=listings, people=people, kinds=sorted(
        auditlog.ACTIONS.items(), key=lambda kv: kv[1]))
    form.validate()
    listing, person = form.chosen("listing"), form.chosen("person")
    items = _page(auditlog.events(int(listing) if listing else None, int(person) if person else None, form.chosen("kind")))
    return render_template("staff/audit.html", items=items, entries=auditlog.entries(list(items.items)), form=form)
