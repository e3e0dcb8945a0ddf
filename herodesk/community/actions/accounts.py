"""Community accounts: sign up, verify the email, log in, tokens, password reset, roles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from herodesk.audit.log import record
from herodesk.community import mail, signals, tokens
from herodesk.community.actions.answers import publish
from herodesk.community.errors import Unauthorized
from herodesk.community.models import (
    HELD_UNVERIFIED,
    Account,
    AccountToken,
    Answer,
    Question,
    Role,
    State,
    hash_token,
)
from herodesk.lib.errors import Conflict, Invalid

MAX_NAME = 120


def clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Invalid("enter a valid email address", field="email") from None
    return email


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("name must not be empty", field="name")
    if len(name) > MAX_NAME:
        raise Invalid(f"name must be at most {MAX_NAME} characters", field="name")
    return name


def _check_password(password: str) -> None:
    try:
        validate_password(password or "")
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from None


def account_create(*, email: str, name: str, password: str, at: datetime | None = None) -> Account:
    """A new community account; the verification link goes out by email."""
    email, name = clean_email(email), clean_name(name)
    _check_password(password)
    at = at or timezone.now()
    if Account.objects.filter(email=email).exists():
        raise Conflict(
            "an account with this email already exists: log in, or reset the password",
            field="email",
        )
    try:
        with transaction.atomic():
            account = Account(email=email, name=name, created_at=at)
            account.set_password(password)
            account.save()
            record(f"community:{email}", "community.account.created", account, at=at)
            mail.send_verification(account)
    except IntegrityError:  # the same email signed up a moment ago
        raise Conflict("an account with this email already exists", field="email") from None
    return account


def account_by_uid(uidb64: str) -> Account | None:
    pk = tokens.pk_of(uidb64)
    return Account.objects.filter(pk=pk).first() if pk is not None else None


@transaction.atomic
def account_verify(uidb64: str, token: str, *, at: datetime | None = None) -> Account:
    """Mark the email verified and publish the posts that waited for it."""
    account = account_by_uid(uidb64)
    if account is None or not account.is_active or not tokens.verify.check_token(account, token):
        raise Invalid(
            "this verification link is invalid or has expired; log in to get a new one",
            field="token",
        )
    at = at or timezone.now()
    account = Account.objects.select_for_update().get(pk=account.pk)
    account.email_verified_at = at
    account.save(update_fields=["email_verified_at"])
    record(f"community:{account.email}", "community.account.verified", account, at=at)
    _release_unverified(account, at)
    return account


def _release_unverified(account: Account, at: datetime) -> None:
    """Posts held only because the email was unverified go public now."""
    for question in Question.objects.filter(account=account, held_reason=HELD_UNVERIFIED):
        question.held_reason = ""
        question.is_public = question.state != State.HIDDEN
        question.save(update_fields=["held_reason", "is_public"])
        Account.objects.filter(pk=account.pk).update(approved_posts=F("approved_posts") + 1)
        signals.question_published.send(Question, question=question)
    held = Answer.objects.filter(account=account, held_reason=HELD_UNVERIFIED)
    for answer in held.select_related("question"):
        answer.held_reason = ""
        answer.save(update_fields=["held_reason"])
        publish(answer, at)


def resend_verification(account: Account) -> bool:
    """Send a new verification link (False when the email is already verified)."""
    if account.is_verified:
        return False
    with transaction.atomic():
        mail.send_verification(account, again=True)
    return True


def account_authenticate(email: str, password: str, *, at: datetime | None = None) -> Account:
    """The account for these credentials (Unauthorized otherwise, same message either way)."""
    account = Account.objects.filter(email=(email or "").strip().lower()).first()
    if account is None:
        make_password(password or "")  # spend the same time as a real check
        raise Unauthorized("wrong email or password")

    def upgrade(raw: str) -> None:  # a hasher with more rounds than when it was set
        account.set_password(raw)
        Account.objects.filter(pk=account.pk).update(password=account.password)

    if not check_password(password or "", account.password, upgrade) or not account.is_active:
        raise Unauthorized("wrong email or password")
    account.last_login = at or timezone.now()
    Account.objects.filter(pk=account.pk).update(last_login=account.last_login)
    return account


@transaction.atomic
def account_token_create(account: Account, *, at: datetime | None = None) -> str:
    """A new community API token; only its hash is stored, the raw value is returned once."""
    raw = AccountToken.new_raw()
    at = at or timezone.now()
    row = AccountToken.objects.create(
        account=account, digest=hash_token(raw), prefix=raw[:10], created_at=at
    )
    record(f"community:{account.email}", "community.token.created", row, at=at)
    return raw


def account_for_token(raw: str) -> Account | None:
    """The active account behind a community token (None for unknown or staff tokens)."""
    if not raw or not raw.startswith(AccountToken.PREFIX):
        return None
    row = AccountToken.objects.select_related("account").filter(digest=hash_token(raw)).first()
    if row is None or not row.account.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 300:
        AccountToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.account


def password_reset_request(email: str) -> None:
    """Mail a reset link when the account exists; the answer never says whether it does."""
    account = Account.objects.filter(email=(email or "").strip().lower(), is_active=True).first()
    if account is None:
        return
    with transaction.atomic():
        mail.send_reset(account)
        record(f"community:{account.email}", "community.account.reset_requested", account)


@transaction.atomic
def password_reset_confirm(uidb64: str, token: str, password: str) -> Account:
    account = account_by_uid(uidb64)
    if account is None or not tokens.reset.check_token(account, token):
        raise Invalid("this reset link is invalid or has expired; ask for a new one", field="token")
    _check_password(password)
    account.set_password(password)
    # Following the link proves the mailbox: the email counts as verified too.
    fields = ["password"]
    if account.email_verified_at is None:
        account.email_verified_at = timezone.now()
        fields.append("email_verified_at")
    account.save(update_fields=fields)
    AccountToken.objects.filter(account=account).delete()  # old tokens stop working
    record(f"community:{account.email}", "community.account.password_reset", account)
    if "email_verified_at" in fields:
        _release_unverified(account, timezone.now())
    return account


@transaction.atomic
def account_set_role(account: Account, role: str, *, actor: Any) -> Account:
    """Make a community account a moderator (or a member again). Staff only."""
    if role not in Role.values:
        raise Invalid(f"role must be one of {', '.join(Role.values)}", field="role")
    before = account.role
    if before == role:
        return account
    Account.objects.filter(pk=account.pk).update(role=role)
    account.role = role
    record(actor, "community.account.role", account, before={"role": before}, after={"role": role})
    return account
