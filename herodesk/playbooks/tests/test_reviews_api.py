"""App reviews through the API: archives built in the tests, a clean plugin, one per
problem, malicious ones (4xx with the reason); a passing review opens the run's step."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from herodesk.audit.models import Event
from herodesk.playbooks.models import AppReview
from herodesk.playbooks.review.tests.build import clean_plugin, tar_gz_bytes, zip_bytes

pytestmark = pytest.mark.django_db


def upload(api, archive: bytes, name: str = "plugin.zip", **fields):
    data = {"archive": SimpleUploadedFile(name, archive), **fields}
    return api.client.post("/api/v1/app-reviews", data=data, **api.headers)


def with_change(path: str, body: bytes | None) -> dict[str, bytes]:
    files = clean_plugin()
    if body is None:
        files.pop(path)
    else:
        files[path] = body
    return files


def test_a_clean_plugin_passes(api_as, hero):
    res = upload(api_as(hero), tar_gz_bytes(clean_plugin(), prefix="hello-1.0/"), "hello.tar.gz")
    assert res.status_code == 201, res.json()
    body = res.json()
    assert body["passed"] is True and body["findings"] == []
    assert (body["files"], body["sources"], body["archive"]) == (6, 2, "hello.tar.gz")
    again = api_as(hero).get(f"app-reviews/{body['id']}")
    assert again.json()["id"] == body["id"]
    assert Event.objects.get(action="app_review.created").actor == hero


@pytest.mark.parametrize(
    ("path", "body", "code", "line"),
    [
        ("logo.png", None, "logo-missing", 0),
        ("plugin.json", b"{", "manifest-invalid", 1),
        (
            "index.ts",
            b"export async function onEvent(e) {\n  while (true) { await fetch(e.url) }\n}\n",
            "unbounded-requests",
            2,
        ),
        (
            "index.ts",
            b"export async function onEvent(e) {\n  const r = await fetch('x')\n"
            b"  if (!r.ok) throw new Error('no')\n}\n",
            "unhandled-errors",
            3,
        ),
        ("__tests__/rows.test.ts", None, "no-tests", 0),
    ],
)
def test_each_problem_is_a_finding_with_file_and_line(api_as, hero, path, body, code, line):
    res = upload(api_as(hero), zip_bytes(with_change(path, body)))
    assert res.status_code == 201
    [finding] = res.json()["findings"]
    assert (finding["code"], finding["line"]) == (code, line)
    assert finding["file"] in (path, ".", "plugin.json", "logo.png", "index.ts")
    assert res.json()["passed"] is (finding["severity"] == "warning")


@pytest.mark.parametrize(
    ("archive", "reason"),
    [
        (zip_bytes({"../../etc/cron.d/x": b"* * * * * evil"}), "unsafe-path"),
        (zip_bytes({"index.js": b"1"}, symlinks={"logo.png": "/etc/passwd"}), "symlink"),
        (b"MZ\x90\x00 not an archive", "not-an-archive"),
    ],
)
def test_a_malicious_archive_is_refused_with_its_reason_and_nothing_stored(
    api_as, hero, archive, reason
):
    res = upload(api_as(hero), archive)
    assert res.status_code == 422
    assert res.json()["field"] == "archive"
    assert res.json()["detail"].endswith(f"({reason})")
    assert not AppReview.objects.exists()


def test_an_update_with_a_diff_and_a_passing_review_opens_the_runs_step(api_as, hero, email_ticket):
    api = api_as(hero)
    rid = api.post(
        f"tickets/{email_ticket.pk}/playbooks", {"playbook": "app-update-review"}
    ).json()["id"]
    api.post(f"playbook-runs/{rid}/steps/open-pr", {})
    diff = b"--- a/rows.ts\n+++ b/rows.ts\n@@ -1 +1 @@\n-a\n+b\n"
    data = {
        "archive": SimpleUploadedFile("new.zip", zip_bytes(clean_plugin())),
        "previous": SimpleUploadedFile("changes.diff", diff),
        "ticket": str(email_ticket.pk),
    }
    res = api.client.post("/api/v1/app-reviews", data=data, **api.headers)
    assert res.status_code == 201, res.json()
    assert res.json()["diff"]["files_changed"] == 1
    assert res.json()["run"] == rid
    run = api.get(f"playbook-runs/{rid}").json()
    checks = next(s for s in run["steps"] if s["key"] == "automatic-checks")
    assert checks["state"] == "done" and checks["detail"]["review"] == res.json()["id"]


def test_a_failing_review_leaves_the_step_open_and_says_why(api_as, hero, email_ticket):
    api = api_as(hero)
    rid = api.post(f"tickets/{email_ticket.pk}/playbooks", {"playbook": "app-review"}).json()["id"]
    res = upload(api, zip_bytes(with_change("logo.png", None)), ticket=str(email_ticket.pk))
    assert res.status_code == 201 and res.json()["passed"] is False
    run = api.get(f"playbook-runs/{rid}").json()
    checks = next(s for s in run["steps"] if s["key"] == "automatic-checks")
    assert checks["state"] == "ready"
    assert (
        checks["observation"]["text"]
        == f"review #{res.json()['id']} failed: 1 error(s) (logo-missing)"
    )
    by_hand = api.post(f"playbook-runs/{rid}/steps/automatic-checks", {})
    assert by_hand.status_code == 409
    assert "upload the archive" in by_hand.json()["detail"]


def test_reviews_need_desk_access(api_as, outsider, other_hero, email_ticket):
    assert upload(api_as(outsider), zip_bytes(clean_plugin())).status_code == 403
    res = upload(api_as(other_hero), zip_bytes(clean_plugin()), ticket=str(email_ticket.pk))
    assert res.status_code == 403
    assert not AppReview.objects.exists()
