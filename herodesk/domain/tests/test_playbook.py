"""The playbook state machine: locked/ready/done/skipped, decisions, gates, records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from herodesk.domain.playbook import (
    Choice,
    Kind,
    Playbook,
    Record,
    Run,
    State,
    Step,
    StepDone,
    StepInvalid,
    StepLocked,
)

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

TWO_FA = Playbook(
    "2fa-removal",
    "2FA removal",
    (
        Step("confirm", Kind.EMAIL, "Send the confirmation email"),
        Step("reply", Kind.WAIT, "Wait for the owner's reply"),
        Step("remove", Kind.ACTION, "Remove the 2FA device"),
    ),
)

TRANSFER = Playbook(
    "ownership-transfer",
    "Ownership transfer",
    (
        Step("ask", Kind.CHECK, "Ask the current owner to transfer"),
        Step(
            "path",
            Kind.DECISION,
            "Did the owner transfer?",
            choices=(
                Choice("transferred", "The owner transferred it"),
                Choice("reset", "The requester controls the owner's email"),
                Choice("unreachable", "Nobody can reach the owner"),
            ),
        ),
        Step("reset", Kind.CHECK, "Password reset, then transfer", when=(("path", "reset"),)),
        Step("email-owner", Kind.EMAIL, "Email the owner", when=(("path", "unreachable"),)),
        Step("bounce", Kind.AUTO_CHECK, "Bounce seen?", when=(("path", "unreachable"),)),
        Step("transfer", Kind.ACTION, "Transfer ownership", when=(("path", "unreachable"),)),
        Step(
            "plan",
            Kind.DECISION,
            "Paid plan?",
            choices=(Choice("paid", "Paid"), Choice("free", "Free")),
        ),
        Step("billing", Kind.ACTION, "Switch the billing contact", when=(("plan", "paid"),)),
        Step("outcome", Kind.CHECK, "Record the outcome"),
    ),
)


def states(run: Run) -> dict[str, str]:
    return {v.step.key: str(v.state) for v in run.views()}


def do(run: Run, key: str, **kwargs) -> Run:
    kwargs.setdefault("by", "hero")
    kwargs.setdefault("at", T0 + timedelta(minutes=len(run.records)))
    return run.after(run.perform(key, **kwargs))


def test_a_new_run_has_only_its_first_step_ready():
    run = Run(TWO_FA, [])
    assert states(run) == {"confirm": "ready", "reply": "locked", "remove": "locked"}
    assert run.view("reply").reason == "waits for «Send the confirmation email»"


def test_the_guarded_action_stays_locked_until_the_reply_opens_the_gate():
    run = do(Run(TWO_FA, []), "confirm", detail={"message_id": "<a@x>"})
    assert states(run) == {"confirm": "done", "reply": "ready", "remove": "locked"}
    assert run.view("remove").reason == (
        "waits for «Wait for the owner's reply» (no accepted reply yet)"
    )
    with pytest.raises(StepLocked, match="locked: waits for «Wait for the owner's reply»"):
        run.perform("remove", by="hero", at=T0)
    with pytest.raises(StepLocked, match="opens only when the expected reply arrives"):
        run.perform("reply", by="hero", at=T0)
    run = do(
        run, "reply", by="owner@acme.example", reply=True, detail={"from": "owner@acme.example"}
    )
    assert run.view("remove").state is State.READY
    record = run.perform("remove", by="hero", at=T0 + timedelta(hours=1), note="device removed")
    assert record.note == "device removed"
    assert record.detail["gates"] == [
        {
            "step": "reply",
            "by": "owner@acme.example",
            "at": "2026-11-27T09:01:00+00:00",
            "from": "owner@acme.example",
        }
    ]
    assert run.after(record).finished


def test_done_steps_cannot_be_done_again_or_edited():
    run = do(Run(TWO_FA, []), "confirm")
    with pytest.raises(StepDone, match="already done"):
        run.perform("confirm", by="someone else", at=T0)


def test_a_decision_selects_its_branch_and_skips_the_others():
    run = do(Run(TRANSFER, []), "ask")
    assert run.view("reset").state is State.LOCKED
    assert run.view("reset").reason == "depends on the decision «Did the owner transfer?»"
    run = do(run, "path", choice="unreachable")
    assert states(run) == {
        "ask": "done",
        "path": "done",
        "reset": "skipped",
        "email-owner": "ready",
        "bounce": "locked",
        "transfer": "locked",
        "plan": "locked",
        "billing": "locked",
        "outcome": "locked",
    }
    assert run.view("reset").reason == "not on the chosen path («Nobody can reach the owner»)"
    with pytest.raises(StepDone, match="was skipped"):
        run.perform("reset", by="hero", at=T0)


def test_a_guarded_action_with_its_own_after_still_waits_for_every_gate():
    book = Playbook(
        "p",
        "P",
        (
            Step("probe", Kind.AUTO_CHECK, "Probe"),
            Step("note", Kind.CHECK, "Note", after=()),
            Step("act", Kind.ACTION, "Act", after=("note",)),
        ),
    )
    run = do(Run(book, []), "note")
    assert run.view("act").state is State.LOCKED
    assert run.view("act").reason == "gate «Probe» is not open"
    run = do(run, "probe", by="system", detail={"passed": True})
    assert run.view("act").state is State.READY


def test_decisions_need_a_known_choice_and_others_need_none():
    run = do(Run(TRANSFER, []), "ask")
    with pytest.raises(StepInvalid, match="choose one of: transferred, reset, unreachable"):
        run.perform("path", by="hero", at=T0, choice="maybe")
    with pytest.raises(StepInvalid, match="is not a decision"):
        Run(TRANSFER, []).perform("ask", by="hero", at=T0, choice="transferred")
    with pytest.raises(StepInvalid, match="has no step"):
        run.perform("nope", by="hero", at=T0)


def test_a_cancelled_run_takes_no_more_steps():
    run = Run(TWO_FA, [], over="cancelled: requester withdrew")
    with pytest.raises(StepLocked, match="the run is cancelled: requester withdrew"):
        run.perform("confirm", by="hero", at=T0)


def test_changes_list_every_step_whose_state_moved():
    run = do(Run(TRANSFER, []), "ask")
    later = do(run, "path", choice="transferred")
    assert run.changes(later) == [
        ("path", State.READY, State.DONE),
        ("reset", State.LOCKED, State.SKIPPED),
        ("email-owner", State.LOCKED, State.SKIPPED),
        ("bounce", State.LOCKED, State.SKIPPED),
        ("transfer", State.LOCKED, State.SKIPPED),
        ("plan", State.LOCKED, State.READY),
    ]


def test_a_run_rebuilt_from_its_records_has_the_same_states():
    run = do(do(do(Run(TRANSFER, []), "ask"), "path", choice="transferred"), "plan", choice="paid")
    rebuilt = Run(TRANSFER, list(run.records.values()))
    assert states(rebuilt) == states(run)
    assert rebuilt.view("billing").state is State.READY
    assert rebuilt.view("outcome").reason == "waits for «Switch the billing contact»"


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ((), "has no steps"),
        ((Step("a", Kind.CHECK, "A"), Step("a", Kind.CHECK, "A")), "appears twice"),
        ((Step("d", Kind.DECISION, "D", choices=(Choice("x", "X"),)),), "fewer than two"),
        ((Step("c", Kind.CHECK, "C", choices=(Choice("x", "X"), Choice("y", "Y"))),), "not a"),
        ((Step("c", Kind.CHECK, "C", when=(("d", "x"),)),), "not an earlier decision"),
        ((Step("c", Kind.CHECK, "C", after=("later",)),), "not an earlier step"),
        (
            (
                Step("d", Kind.DECISION, "D", choices=(Choice("x", "X"), Choice("y", "Y"))),
                Step("c", Kind.CHECK, "C", when=(("d", "z"),)),
            ),
            "unknown choice",
        ),
    ],
)
def test_bad_definitions_fail_when_they_are_built(steps, message):
    with pytest.raises(ValueError, match=message):
        Playbook("bad", "Bad", steps)


actions = st.lists(
    st.tuples(
        st.sampled_from([s.key for s in TRANSFER.steps]),
        st.sampled_from(["", "transferred", "reset", "unreachable", "paid", "free"]),
        st.booleans(),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(actions)
def test_any_sequence_of_attempts_keeps_the_rules(attempts):
    run = Run(TRANSFER, [])
    order: list[str] = []
    for key, choice, reply in attempts:
        before = run.view(key).state
        try:
            record = run.perform(key, by="hero", at=T0, choice=choice, reply=reply)
        except (StepLocked, StepDone, StepInvalid):
            continue
        assert before is State.READY  # only ready steps can be performed
        run = run.after(record)
        order.append(key)
    for view in run.views():
        if view.state is State.SKIPPED:
            assert view.step.key not in order
        if view.step.kind is Kind.ACTION and view.state is State.DONE:
            here = order.index(view.step.key)
            gates = [s.key for s in TRANSFER.steps if s.kind in (Kind.AUTO_CHECK, Kind.WAIT)]
            for gate in gates:
                assert run.view(gate).state is State.SKIPPED or order.index(gate) < here
    # whatever happened, doing the ready steps always finishes the run
    for _ in range(len(TRANSFER.steps)):
        ready = [v for v in run.views() if v.state is State.READY]
        if not ready:
            break
        step = ready[0].step
        run = run.after(
            run.perform(
                step.key,
                by="hero",
                at=T0,
                choice=step.choices[0].key if step.choices else "",
                reply=True,
            )
        )
    assert run.finished


def test_records_are_plain_values():
    record = Record("ask", "hero", T0)
    assert record.detail == {} and record.choice == "" and record.note == ""
