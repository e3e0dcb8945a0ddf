"""Writes about people (`person_<verb>`): create and edit.

One transaction each, audited. Callers check roles first (admins manage
everyone; a team lead invites people into their team). Working hours and
time off live in rotations (they move shifts); deactivation too, because it
takes the person out of future rotation turns.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from herodesk.audit.log import record
from herodesk.domain.business_hours import Calendar, CalendarError
from herodesk.lib.errors import Conflict, Invalid
from herodesk.teams.models import Person, default_hours

USERNAME = re.compile(r"[A-Za-z0-9_.@+-]{1,150}")
KINDS = {Person.ENGINEER, Person.CUSTOMER_SUCCESS}


def clean_email(value: str, *, field: str = "email") -> str:
    # lazy: email-validator (its tables take ~30 ms) loads on the first address checked.
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email((value or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid(f"not an email address: {exc}", field=field) from None


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = " ".join((name or "").split()).partition(" ")
    if len(first) > 150 or len(last) > 150:
        raise Invalid("name is too long", field="name")
    return first, last


def free_username(email: str) -> str:
    """A username not taken yet, made from the address's local part."""
    base = re.sub(r"[^A-Za-z0-9_.+-]", "", email.partition("@")[0].lower())[:140] or "person"
    User = get_user_model()
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def snapshot(person: Person) -> dict[str, Any]:
    user = person.user
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "email": user.email,
        "kind": person.kind,
        "time_zone": person.time_zone,
        "slack_user_id": person.slack_user_id,
        "is_admin": user.is_superuser,
        "is_active": user.is_active,
    }


def _check_unique(username: str, email: str, exclude_user: Any = None) -> None:
    others = get_user_model().objects.all()
    if exclude_user is not None:
        others = others.exclude(pk=exclude_user.pk)
    if username and others.filter(username__iexact=username).exists():
        raise Conflict(f"the username {username!r} is taken", field="username")
    if email and others.filter(email__iexact=email).exists():
        raise Conflict(f"{email} already belongs to someone else", field="email")


def _check_time_zone(time_zone: str) -> str:
    try:
        Calendar.default(time_zone)
    except CalendarError:
        raise Invalid(f"unknown time zone {time_zone!r}", field="time_zone") from None
    return time_zone


@transaction.atomic
def person_create(
    *,
    username: str,
    email: str,
    actor: Any,
    name: str = "",
    kind: str = Person.ENGINEER,
    time_zone: str = "Europe/London",
    slack_user_id: str = "",
    is_admin: bool = False,
) -> Person:
    """A new person without a password (they set one through an invitation, or
    sign in with single sign-on)."""
    username = (username or "").strip()
    if not USERNAME.fullmatch(username):
        raise Invalid("a username is 1–150 letters, digits and @ . + - _", field="username")
    email = clean_email(email)
    first, last = _split_name(name)
    if kind not in KINDS:
        raise Invalid("kind is engineer or cs", field="kind")
    _check_unique(username, email)
    user = get_user_model()(
        username=username, email=email, first_name=first, last_name=last, is_superuser=is_admin
    )
    user.is_staff = is_admin  # the operators' admin site
    user.set_unusable_password()
    user.save()
    person = Person.objects.create(
        user=user,
        kind=kind,
        time_zone=_check_time_zone(time_zone),
        hours=default_hours(),
        slack_user_id=(slack_user_id or "").strip()[:32],
    )
    record(actor, "person.created", person, after=snapshot(person))
    return person


@transaction.atomic
def person_update(
    person: Person,
    *,
    actor: Any,
    name: str | None = None,
    email: str | None = None,
    kind: str | None = None,
    slack_user_id: str | None = None,
    is_admin: bool | None = None,
) -> Person:
    """Change who a person is (hours and holidays: rotations.people.person_set_hours)."""
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    user, before = person.user, snapshot(person)
    if name is not None:
        user.first_name, user.last_name = _split_name(name)
    if email is not None:
        user.email = clean_email(email)
        _check_unique("", user.email, exclude_user=user)
    if kind is not None:
        if kind not in KINDS:
            raise Invalid("kind is engineer or cs", field="kind")
        person.kind = kind
    if slack_user_id is not None:
        person.slack_user_id = slack_user_id.strip()[:32]
    if is_admin is not None:
        user.is_superuser = user.is_staff = is_admin
    user.save()
    person.save()
    after = snapshot(person)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        record(
            actor,
            "person.updated",
            person,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return person
