"""The hosted pages under /community/: lists, a question, ask/answer forms,
moderation, accounts, and the wall between community sessions and the desk."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from herodesk.community import actions
from herodesk.community.authors import Author
from herodesk.community.models import Account, Answer, Question
from herodesk.community.tests.conftest import ask, outbox

pytestmark = pytest.mark.django_db


def test_lists_render_with_fixed_queries(
    client: Client, member: Any, topic: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(3):
        ask(member, page="/docs/data-pipelines/s3", title=f"S3 question {i}")
    with django_assert_max_num_queries(6):
        home = client.get("/community/")
    assert home.status_code == 200
    assert b"Data pipelines" in home.content and b"S3 question 2" in home.content
    for _ in range(20):
        ask(member, page="/docs/data-pipelines/s3")
    for url in ("/community/t/pipelines/", "/community/p/docs/data-pipelines/s3"):
        with django_assert_max_num_queries(4):
            r = client.get(url)
        assert r.status_code == 200 and r.content.count(b'class="qtitle"') == 23
    empty = client.get("/community/p/docs/nothing-here")
    assert b"No questions here yet" in empty.content and b"Ask the first one" in empty.content
    assert client.get("/community/t/nope/").status_code == 404


def test_no_inline_scripts_or_styles(client: Client, member: Any) -> None:
    q = ask(member, body="<script>alert(1)</script> <b style='x'>hi</b>\n\n```js\nalert(2)\n```")
    html = client.get(f"/community/q/{q.pk}/").content.decode()
    assert "<script" not in html and "<style" not in html
    assert not re.search(r"<[^>]+\sstyle=", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<code class="language-js">alert(2)' in html
    assert 'name="viewport"' in html


def test_ask_and_answer_through_the_forms(site: Any, member: Any, newcomer: Any) -> None:
    asker = site(member)
    r = asker.get("/community/ask/?page=/docs/feature-flags")
    assert r.status_code == 200 and b'value="/docs/feature-flags"' in r.content
    r = asker.post(
        "/community/ask/",
        {"page": "/docs/feature-flags", "title": "Flags in CI?", "body": "How?", "website": ""},
    )
    assert r.status_code == 302
    q = Question.objects.get()
    assert r["Location"] == f"/community/q/{q.pk}/" and q.account == member
    helper = site(newcomer)
    r = helper.post(f"/community/q/{q.pk}/", {"body": "Use the **API**.", "website": ""})
    assert r.status_code == 302 and r["Location"].endswith(f"#a{Answer.objects.get().pk}")
    page = asker.get(f"/community/q/{q.pk}/").content.decode()
    assert (
        "<strong>API</strong>" in page and "Accept this answer" in page and "Mark resolved" in page
    )
    r = asker.post(
        f"/community/q/{q.pk}/act/", {"action": "accept", "answer": Answer.objects.get().pk}
    )
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.state == "resolved" and q.accepted_answer == Answer.objects.get()


def test_form_refusals_are_clear_and_store_nothing(site: Any, member: Any, settings: Any) -> None:
    asker = site(member)
    r = asker.post("/community/ask/", {"page": "/docs/x", "title": "", "body": "b"})
    assert r.status_code == 422 and b"title must not be empty" in r.content
    r = asker.post(
        "/community/ask/", {"page": "/docs/x", "title": "t", "body": "b", "website": "spam"}
    )
    assert r.status_code == 422 and b"this looks automated" in r.content
    settings.HERODESK_COMMUNITY_RATE_ASK = "1/h"
    assert (
        asker.post("/community/ask/", {"page": "/docs/x", "title": "t", "body": "b"}).status_code
        == 302
    )
    r = asker.post("/community/ask/", {"page": "/docs/x", "title": "t2", "body": "b"})
    assert r.status_code == 429 and b"too many questions" in r.content and r["Retry-After"]
    assert Question.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client: Client, member: Any) -> None:
    q = ask(member)
    r = client.post(f"/community/q/{q.pk}/", {"body": "hi"})
    assert r.status_code == 302 and r["Location"].startswith("/community/login/?next=")
    assert not Answer.objects.exists()
    assert b"Log in" in client.get(f"/community/q/{q.pk}/").content


def test_signup_verify_releases_held_posts(client: Client, mailoutbox: Any) -> None:
    r = client.post(
        "/community/signup/", {"email": "zoe@example.org", "name": "Zoe", "password": "zoe-pass-99"}
    )
    assert r.status_code == 201 and b"verification link to zoe@example.org" in r.content
    client.post("/community/ask/", {"page": "/docs/x", "title": "Mine", "body": "b"})
    q = Question.objects.get()
    assert q.held_reason == "unverified" and not q.is_public
    text = outbox("community_verify")[0].payload["text"]
    link = re.search(r"http://\S+/community/verify/\S+/", text).group(0)
    r = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert r.status_code == 200 and b"Email confirmed" in r.content
    q.refresh_from_db()
    assert q.is_public and q.held_reason == ""
    # A used link does not work twice.
    assert client.get(link.replace("http://127.0.0.1:8000", "")).status_code == 400


def test_password_reset(client: Client, member: Any) -> None:
    r = client.post("/community/reset/", {"email": member.email})
    assert r.status_code == 200 and b"is on its way" in r.content
    assert client.post("/community/reset/", {"email": "nobody@example.org"}).status_code == 200
    assert len(outbox("community_reset")) == 1  # the unknown address got nothing
    link = re.search(
        r"http://\S+/community/reset/\S+/", outbox("community_reset")[0].payload["text"]
    )
    path = link.group(0).replace("http://127.0.0.1:8000", "")
    assert client.post(path, {"password": "short"}).status_code == 422
    assert client.post(path, {"password": "brand-new-pass-1"}).status_code == 200
    member.refresh_from_db()
    assert member.check_password("brand-new-pass-1")
    assert client.post(path, {"password": "again-new-pass-2"}).status_code == 422  # used


def test_community_session_never_opens_the_desk(site: Any, member: Any) -> None:
    browser = site(member)
    assert browser.get("/community/").status_code == 200
    for path in ("/queue/", "/schedule/"):
        r = browser.get(path)
        assert r.status_code == 302 and "/login/" in r["Location"], path
    r = browser.get("/admin/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]
    assert browser.get("/api/v1/me").status_code == 401
    assert "_auth_user_id" not in browser.session


def test_staff_answer_as_team_and_moderate(hero: Any, member: Any) -> None:
    q = ask(member)
    desk = Client()
    desk.force_login(hero)
    page = desk.get(f"/community/q/{q.pk}/").content.decode()
    assert "Post as Team" in page and "Lock" in page
    desk.post(f"/community/q/{q.pk}/", {"body": "Hi Mia, here is how."})
    answer = Answer.objects.get()
    assert answer.user == hero and answer.by_team
    assert "Team" in desk.get(f"/community/q/{q.pk}/").content.decode()
    desk.post(f"/community/a/{answer.pk}/act/", {"action": "hide"})
    answer.refresh_from_db()
    assert answer.hidden
    desk.post(f"/community/q/{q.pk}/act/", {"action": "lock"})
    q.refresh_from_db()
    assert q.state == "locked"


def test_moderation_queue(site: Any, newcomer: Any, community_mod: Any, member: Any) -> None:
    q = ask(newcomer, body="Visit https://spam.example")
    other = ask(member)
    held_answer = actions.answer_post(
        other, Author(account=newcomer), body="[x](https://x.example)"
    )
    assert q.held_reason == "links" and held_answer.held_reason == "links"
    assert site(member).get("/community/moderation/").status_code == 403
    mod = site(community_mod)
    page = mod.get("/community/moderation/").content.decode()
    assert q.title in page and "x.example" in page
    mod.post(f"/community/q/{q.pk}/act/", {"action": "approve"})
    mod.post(f"/community/a/{held_answer.pk}/act/", {"action": "reject"})
    q.refresh_from_db()
    held_answer.refresh_from_db()
    assert q.is_public and held_answer.hidden
    assert Account.objects.get(pk=newcomer.pk).approved_posts == 1
    assert b"No held questions" in mod.get("/community/moderation/").content


def test_unsubscribe_link(client: Client, member: Any, newcomer: Any) -> None:
    q = ask(member)
    actions.answer_post(q, Author(account=newcomer), body="first")
    notice = outbox("community_answer")[0].payload
    url = re.search(r"Stop emails about this question: (\S+)", notice["text"]).group(1)
    assert notice["headers"]["List-Unsubscribe"] == f"<{url}>"
    path = url.replace("http://127.0.0.1:8000", "")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200  # one-click, no CSRF token
    q.refresh_from_db()
    assert q.notify_asker is False
    actions.answer_post(q, Author(account=newcomer), body="second")
    assert len(outbox("community_answer")) == 1
    assert client.get(path[:-3] + "xyz/").status_code == 404
