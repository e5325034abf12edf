"""Signing in and out, passwords, and asking to become a group facilitator."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from directory.accounts import auth, members
from directory.accounts.forms import ChangePasswordForm, FacilitateForm, ForgotPasswordForm, SetPasswordForm, SignInForm
from directory.extensions import db, limiter
from directory.listings.status import published
from directory.mail import outbox
from directory.mail.forms import EmailSettingsForm
from directory.models import Service
from directory.signposting import lists

bp = Blueprint("account", __name__, url_prefix="/account")

SIGN_IN_FAILED = "Enter a correct email address and password"


def _ip_and_email() -> str:
    """Throttle guesses at one account from one place, without blocking a whole office."""
    return f"{get_remote_address()}|{members.normalise_email(request.form.get('email', ''))[:254]}"


def home_for(user) -> str:
    return url_for("staff.home") if user.is_staff else url_for("manage.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("5 per minute", key_func=_ip_and_email, methods=["POST"])
@limiter.limit("30 per minute", methods=["POST"])
def sign_in():
    form = SignInForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        user = members.authenticate(form.email.data, form.password.data)
        if user is not None:
            lists.fresh_session(session)
            login_user(user)
            return redirect(auth.safe_next(form.next.data, home_for(user)))
        error = SIGN_IN_FAILED
    return render_template("account/sign_in.html", form=form, error=error)


@bp.post("/sign-out")
def sign_out():
    logout_user()
    lists.fresh_session(session)
    flash("You have signed out.")
    return redirect(url_for("account.sign_in"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            members.change_password(current_user, form.current.data, form.password.data)
        except members.AccountError as exc:
            form.current.errors.append(str(exc))
        else:
            # Every other session has just ended; this one carries on with the new token.
            login_user(current_user._get_current_object())
            flash("Your password has changed. You have been signed out everywhere else.")
            return redirect(home_for(current_user))
    return render_template("account/change_password.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Where an invitation or a reset link leads: choose a password, then sign in."""
    user = members.user_for_token(token)
    if user is None:
        return render_template("account/link_expired.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        members.set_password(user, form.password.data)
        logout_user()
        lists.fresh_session(session)
        flash("Your password is set. Sign in with it now.")
        return redirect(url_for("account.sign_in"))
    return render_template("account/set_password.html", form=form, user=user)


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        members.request_reset(form.email.data)
        return redirect(url_for("account.forgot_password_sent"), 303)
    return render_template("account/forgot_password.html", form=form)


@bp.get("/forgot-password/sent")
def forgot_password_sent():
    return render_template("account/forgot_password_sent.html")


@bp.route("/facilitate", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def facilitate():
    form = FacilitateForm(service=request.args.get("service", ""))
    service = db.session.scalar(select(Service).where(Service.slug == (form.service.data or ""), published()))
    if service is not None and not form.group_name.data:
        form.group_name.data = service.name
    if form.validate_on_submit():
        members.ask_to_facilitate(form.name.data, form.email.data, service, form.group_name.data, form.message.data or "")
        return redirect(url_for("account.facilitate_sent"), 303)
    return render_template("account/facilitate.html", form=form)


@bp.get("/facilitate/sent")
def facilitate_sent():
    return render_template("account/facilitate_sent.html")



@bp.route("/email", methods=["GET", "POST"])
@login_required
def email_settings():
    """Reminders and the staff digest, on or off; password links and invitations always come."""
    kinds = ("reminder", "digest") if current_user.is_staff else ("reminder",)
    form = EmailSettingsForm()
    if form.validate_on_submit():
        outbox.choose(current_user.email, {kind: bool(form[kind].data) for kind in kinds})
        flash("Your email settings are saved.")
        return redirect(url_for("account.email_settings"), 303)
    if request.method == "GET":
        for kind in kinds:
            form[kind].data = not outbox.opted_out(current_user.email, kind)
    return render_template("account/email_settings.html", form=form, kinds=kinds)
