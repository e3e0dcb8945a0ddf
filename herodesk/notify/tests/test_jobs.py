"""Jobs: two workers never double-send, recurring slots run once, jobs of dead
workers run again, failures stay visible, housekeeping jobs do their work."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from herodesk.jobs import scheduler
from herodesk.jobs.scheduler import run_recurring
from herodesk.notify import outbox
from herodesk.notify.models import Delivery, DeliveryStatus, JobRun, Transport, WorkerBeat
from herodesk.notify.tests.conftest import POSTGRES, in_threads, make_email_ticket, run_jobs
from herodesk.tickets import actions


def enqueue_mails(n: int) -> list[int]:
    ids = []
    for i in range(n):
        d = outbox.enqueue(
            key=f"test:{i}",
            transport=Transport.EMAIL,
            kind="test",
            recipient=f"r{i}@x.example",
            payload={
                "to": [f"r{i}@x.example"],
                "subject": f"mail {i}",
                "text": "hello",
                "headers": {"Message-ID": f"<mail.{i}@herodesk.localhost>"},
            },
        )
        assert d is not None
        ids.append(d.pk)
    return ids


@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_at_once_send_each_mail_exactly_once(smtp):
    ids = enqueue_mails(40)
    if POSTGRES:
        in_threads(lambda: outbox.drain(batch=3), lambda: outbox.drain(batch=3))
        in_threads(*[lambda: [outbox.deliver(pk) for pk in ids] for _ in range(2)])
    else:  # SQLite serializes writers: two workers take turns
        outbox.drain(batch=3, limit=20)
        outbox.drain(batch=3)
        for pk in ids:
            outbox.deliver(pk)
    sent = [str(m["Message-ID"]) for m in smtp.inbox.messages]
    assert sorted(sent) == sorted(f"<mail.{i}@herodesk.localhost>" for i in range(40))
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db
def test_enqueueing_the_same_notice_twice_writes_it_once():
    first = enqueue_mails(1)
    again = outbox.enqueue(
        key="test:0", transport=Transport.EMAIL, kind="test", recipient="x@x.example", payload={}
    )
    assert again is None and Delivery.objects.count() == 1 and len(first) == 1


@pytest.mark.django_db(transaction=True)
def test_each_recurring_slot_is_claimed_by_one_worker_only():
    now = timezone.now()
    a, b = scheduler.Scheduler("worker-a"), scheduler.Scheduler("worker-b")
    if POSTGRES:
        in_threads(lambda: a.tick(now), lambda: b.tick(now))
    else:
        a.tick(now)
        b.tick(now)
    assert JobRun.objects.count() == len(scheduler.RECURRING)
    assert DBTaskResult.objects.filter(task_path=run_recurring.module_path).count() == len(
        scheduler.RECURRING
    )
    assert set(WorkerBeat.objects.values_list("worker_id", flat=True)) == {"worker-a", "worker-b"}


@pytest.mark.django_db
def test_a_recurring_job_is_not_queued_again_while_its_last_run_waits():
    now = timezone.now()
    assert "outbox.sweep" in scheduler.enqueue_due("w", now)
    later = scheduler.enqueue_due("w", now + timedelta(seconds=31))
    assert "outbox.sweep" not in later  # the first run has not run yet
    run_jobs()
    assert "outbox.sweep" in scheduler.enqueue_due("w", now + timedelta(seconds=62))


def running_job(worker_id: str, started_ago: timedelta) -> DBTaskResult:
    result = run_recurring.enqueue("outbox.sweep")
    job = DBTaskResult.objects.get(pk=result.id)
    job.claim(worker_id)
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - started_ago)
    return job


@pytest.mark.django_db
def test_jobs_of_a_worker_that_stopped_beating_are_queued_again(settings):
    settings.HERODESK_WORKER_STALE_SECONDS = 60
    settings.HERODESK_JOB_TIMEOUT_SECONDS = 3600
    now = timezone.now()
    WorkerBeat.objects.create(
        worker_id="dead", started_at=now, last_seen=now - timedelta(minutes=5)
    )
    WorkerBeat.objects.create(worker_id="alive", started_at=now, last_seen=now)
    killed = running_job("dead", timedelta(seconds=30))
    busy = running_job("alive", timedelta(hours=3))
    orphan = running_job("plain-db-worker", timedelta(hours=2))
    fresh = running_job("plain-db-worker-2", timedelta(minutes=5))

    recovered = scheduler.recover_stale(now)

    assert set(recovered) == {str(killed.pk), str(orphan.pk)}
    status = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert status[killed.pk] == status[orphan.pk] == "READY"
    assert status[busy.pk] == status[fresh.pk] == "RUNNING"
    run_jobs()  # and they run again
    assert DBTaskResult.objects.get(pk=killed.pk).status == "SUCCESSFUL"


@pytest.mark.django_db
def test_failed_jobs_are_listed_with_their_error_and_can_be_retried():
    result = run_recurring.enqueue("no.such.job")
    run_jobs()
    out = io.StringIO()
    call_command("jobs", stdout=out)
    assert f"FAILED   {result.id}" in out.getvalue()
    assert "unknown recurring job 'no.such.job'" in out.getvalue()

    call_command("jobs", "retry", str(result.id), stdout=io.StringIO())
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    with pytest.raises(Exception, match="only failed jobs"):
        call_command("jobs", "retry", str(result.id), stdout=io.StringIO())
    with pytest.raises(Exception, match="neither a delivery number nor a job id"):
        call_command("jobs", "retry", "nonsense", stdout=io.StringIO())


@pytest.mark.django_db
def test_quiet_pending_tickets_remind_their_assignee_once(team, hero, paying_requester, settings):
    settings.HERODESK_PENDING_REMINDER_DAYS = 3
    start = timezone.now() - timedelta(days=4)
    t = make_email_ticket(paying_requester, team=team, at=start)
    actions.ticket_assign(t, hero, actor=hero, at=start)
    actions.ticket_reply(
        t, author=hero, body="Hey Ana, can you send logs?", at=start, status="pending"
    )
    assert scheduler.run("tickets.pending_reminders") == 1
    assert scheduler.run("tickets.pending_reminders") == 0
    run_jobs()
    [reminder] = [m for m in mail.outbox if "Follow up" in m.subject]
    assert reminder.to == ["hera@example.com"] and "pending for 3 days" in reminder.body


@pytest.mark.django_db
def test_solved_tickets_close_after_the_configured_days(team, hero, paying_requester, settings):
    settings.HERODESK_AUTO_CLOSE_DAYS = 4
    long_ago = timezone.now() - timedelta(days=5)
    old = make_email_ticket(paying_requester, team=team, at=long_ago, message_id="<o@a.example>")
    actions.ticket_reply(old, author=hero, body="Hey Ana, fixed.", at=long_ago, status="solved")
    recent = make_email_ticket(paying_requester, team=team, message_id="<r@a.example>")
    actions.ticket_reply(recent, author=hero, body="Hey Ana, fixed.", status="solved")
    assert scheduler.run("tickets.close_solved") == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == ("closed", "solved")


@pytest.mark.django_db
def test_prune_forgets_old_finished_jobs_but_keeps_failed_ones(settings):
    settings.HERODESK_JOB_RETENTION_DAYS = 14
    ok = run_recurring.enqueue("outbox.sweep")
    bad = run_recurring.enqueue("no.such.job")
    run_jobs()
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=20))
    result = scheduler.prune(timezone.now())
    assert result["tasks"] == 1
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [bad.id]
    assert not DBTaskResult.objects.filter(pk=ok.id).exists()


@pytest.mark.django_db
def test_admin_lists_deliveries_and_jobs_and_retries_a_failed_delivery(client, admin):
    [pk] = enqueue_mails(1)
    Delivery.objects.filter(pk=pk).update(status=DeliveryStatus.FAILED, last_error="boom")
    client.force_login(admin)
    for url in (
        "/admin/notify/delivery/",
        "/admin/django_tasks_database/dbtaskresult/",
        "/admin/notify/handoffreport/",
        "/admin/notify/workerbeat/",
        "/admin/notify/slabreach/",
        "/admin/notify/jobrun/",
    ):
        assert client.get(url).status_code == 200, url
    res = client.post("/admin/notify/delivery/", {"action": "retry_now", "_selected_action": [pk]})
    assert res.status_code == 302
    assert Delivery.objects.get(pk=pk).status == DeliveryStatus.PENDING
