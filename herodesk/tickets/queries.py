"""Reads: the queue views and ticket lists, each a fixed number of SQL queries.

Queue order (SPEC §4, mirrors herodesk.domain.priority.queue_key): tier
ascending, then the running clock's due time (`sort_due`, tickets with no
clock last), then age, then id. The `ticket_queue` index serves it.
"""

from __future__ import annotations

import base64
import heapq
import json
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from herodesk.lib.errors import Invalid
from herodesk.lib.prepared import PreparedRows
from herodesk.tickets import index
from herodesk.tickets.models import UNRESOLVED_STATUSES, Status, Ticket
from herodesk.tickets.search_match import AnyOf, InJson, pg_array

QUEUE_VIEWS = ("team", "mine", "unassigned", "breaching", "overdue", "pending")
QUEUE_ORDER = ("tier", "sort_due", "created_at", "id")


def with_related(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.select_related("team", "requester__organization", "assignee")


def _related(qs: QuerySet[Ticket], team: Any, columns: tuple[str, ...] = ()) -> QuerySet[Any]:
    """`with_related`, without the team's join when every row is `team`'s
    (`_with_team` puts it back): the team row's JSON columns decoded 51 times
    per page cost more than the join. With `columns`, plain tuples instead:
    (tier, sort_due, created_at, id, *columns), no model instances."""
    if columns:
        return qs.values_list(*QUEUE_ORDER, *columns)
    if team is None:
        return with_related(qs)
    return qs.select_related("requester__organization", "assignee")


def _with_team(rows: list[Any], team: Any) -> list[Any]:
    if team is not None and rows and isinstance(rows[0], Ticket):
        for t in rows:
            t.team = team
    return rows


def encode_cursor(raw: str) -> str:
    """Opaque, URL-safe cursors (ISO offsets contain '+', which query strings eat)."""
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise Invalid("cursor is not valid", field="cursor") from None


MAX_ID = 2**63 - 1


def cursor_fits(pk: int, *instants: datetime) -> bool:
    """A decoded cursor's values fit the columns (a forged one may not)."""
    return 0 <= pk <= MAX_ID and all(t.tzinfo is not None for t in instants)


@dataclass(frozen=True)
class QueueCursor:
    tier: int
    sort_due: datetime
    created_at: datetime
    id: int

    def encode(self) -> str:
        raw = f"{self.tier}~{self.sort_due.isoformat()}~{self.created_at.isoformat()}~{self.id}"
        return encode_cursor(raw)

    @classmethod
    def decode(cls, raw: str) -> QueueCursor:
        try:
            tier, due, created, pk = decode_cursor(raw).split("~")
            cursor = cls(
                int(tier), datetime.fromisoformat(due), datetime.fromisoformat(created), int(pk)
            )
        except ValueError:
            raise Invalid("cursor is not valid", field="cursor") from None
        if not cursor_fits(cursor.id, cursor.sort_due, cursor.created_at) or abs(cursor.tier) > 99:
            raise Invalid("cursor is not valid", field="cursor")
        return cursor

    @classmethod
    def of(cls, ticket: Ticket | tuple[Any, ...]) -> QueueCursor:
        """The cursor after a row: a ticket, or a `columns` tuple (queue order first)."""
        if isinstance(ticket, tuple):
            return cls(*ticket[:4])
        return cls(ticket.tier, ticket.sort_due, ticket.created_at, ticket.pk)


def _after(cursor: QueueCursor) -> Q:
    """Keyset condition: rows strictly after `cursor` in queue order."""
    c = cursor
    return (
        Q(tier__gt=c.tier)
        | Q(tier=c.tier, sort_due__gt=c.sort_due)
        | Q(tier=c.tier, sort_due=c.sort_due, created_at__gt=c.created_at)
        | Q(tier=c.tier, sort_due=c.sort_due, created_at=c.created_at, id__gt=c.id)
    )


def queue(
    *,
    view: str = "team",
    team: Any = None,
    user: Any = None,
    now: datetime | None = None,
    limit: int = 50,
    cursor: str | None = None,
    unrouted: bool = False,
    where: Q | None = None,
    columns: tuple[str, ...] = (),
) -> tuple[list[Any], str | None]:
    """One page of a queue view and the cursor of the next page (None at the end).

    `where` narrows the view further (the web queue's filters and search).
    Rows are tickets (with requester, organization and assignee), or, when
    `columns` names what the caller reads (related ones as `requester__name`),
    plain tuples `(tier, sort_due, created_at, id, *columns)` from
    `values_list`: the same joins, and no model instances to build (four per
    row, two thirds of the page's ORM time). A view's first page in tuples,
    unfiltered, is a prepared query (`_prepared_page`): compiled once.
    """
    if view not in QUEUE_VIEWS:
        raise Invalid(f"view must be one of {', '.join(QUEUE_VIEWS)}", field="view")
    now = now or timezone.now()
    after = _after(QueueCursor.decode(cursor)) if cursor else None
    joined = None if unrouted else team  # the team every row has (no join), if any
    if columns and where is None and after is None and view in _PREPARED_VIEWS:
        scope = "unrouted" if unrouted else "team" if team is not None else "all"
        if scope != "all" or view == "mine":
            rows = _prepared_page(view, scope, team, user, limit, columns)
            return _page(_with_team(rows, joined), limit)
    team_id, user_id = (team.pk if team is not None else None), getattr(user, "pk", None)
    # Filtered (search words above all), planned with the values: a generic
    # plan cannot tell a word in ten tickets from one in a third of them.
    planned = index.planned_with_values() if where is not None else nullcontext()
    if columns and where is not None and view != "mine" and _ids_first():
        with planned:
            walk = _walks(view, unrouted, team_id, user_id, now, where, after, limit, ids=True)
            ids = list(walk[0])
        return _page(_rows_by_ids(ids, columns), limit)
    walks = _walks(view, unrouted, team_id, user_id, now, where, after, limit, columns)
    with planned:
        rows = _fetch(walks, limit, columns)
    return _page(_with_team(rows, joined), limit)


def _walks(
    view: str,
    unrouted: bool,
    team_id: Any,
    user_id: Any,
    now: datetime,
    where: Q | None,
    after: Q | None,
    limit: int,
    columns: tuple[str, ...] = (),
    *,
    ids: bool = False,
) -> list[QuerySet[Any]]:
    """The ordered, LIMITed walks of one page: one, or one per status for "mine".
    ids: only the ids of a view other than "mine", flat (`_rows_by_ids`)."""
    qs = Ticket.objects.all()
    if view == "mine":  # the team's (or, with no team, every team's) tickets of `user`
        qs = qs.filter(assignee_id=user_id)
        if unrouted:
            qs = qs.filter(team__isnull=True)
        elif team_id is not None:
            qs = qs.filter(team_id=team_id)
        if where is not None:
            qs = qs.filter(where)
        if after is not None:
            qs = qs.filter(after)
        team = None if unrouted or team_id is None else team_id
        return [
            _related(qs.filter(status=status), team, columns).order_by(*QUEUE_ORDER)[: limit + 1]
            for status in UNRESOLVED_STATUSES
        ]
    # `IN (true)`, not a bare boolean: SQLite then uses the ticket_queue index
    # for the order instead of sorting every active ticket of the team.
    pending = view == "pending"
    qs = qs.filter(status=Status.PENDING) if pending else qs.filter(is_active__in=[True])
    qs = qs.filter(team__isnull=True) if unrouted else qs.filter(team_id=team_id)
    if view == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif view == "breaching":  # due within the window, not yet overdue
        window = timedelta(minutes=settings.HERODESK_BREACHING_SOON_MINUTES)
        qs = qs.filter(sort_due__gt=now, sort_due__lte=now + window)
    elif view == "overdue":  # past the due time, no reply yet
        qs = qs.filter(sort_due__lte=now)
    if where is not None:
        qs = qs.filter(where)
    if after is not None:
        qs = qs.filter(after)
    if ids:
        return [qs.order_by(*QUEUE_ORDER).values_list("id", flat=True)[: limit + 1]]
    team = None if unrouted else team_id
    return [_related(qs, team, columns).order_by(*QUEUE_ORDER)[: limit + 1]]


def _ids_first() -> bool:
    """PostgreSQL: a filtered page reads its ids first, then the rows.

    Filtered (search words, tiers, channels), a page's one statement with
    every column and join made PostgreSQL fetch each candidate's row before
    the filter could drop it: the search's matching ids (`= ANY`) looked up
    by key, row and all, a thousand of them for a word in 1 % of 100k
    tickets, to keep none of this team's queue (4.2 ms). The ids alone walk
    the covering `ticket_queue` index (0.8 ms); the page's rows are then
    read by key, at most limit + 1 of them, by a statement compiled once
    and prepared on the server (`_rows_by_ids`; queue box at 100k, in
    process: 1 % word 13.3–14.0 → 10.1–13.6 ms, bench/RESULTS.md session
    12). SQLite keeps its one statement, whose growth is within target
    (its ids are a JSON array, `search_match.InJson`, and it may walk)."""
    return connections[Ticket.objects.db].vendor == "postgresql"


_ROWS_BY_IDS: dict[tuple[str, tuple[str, ...]], PreparedRows] = {}


def _rows_by_ids(ids: list[int], columns: tuple[str, ...]) -> list[Any]:
    """The queue rows (tuples, `_related` with columns) of these ids, in queue
    order; the ids one parameter (PostgreSQL's array, SQLite's JSON array)."""
    if not ids:
        return []
    vendor = connections[Ticket.objects.db].vendor
    prepared = _ROWS_BY_IDS.get((vendor, columns))
    if prepared is None:
        among = AnyOf if vendor == "postgresql" else InJson
        prepared = _ROWS_BY_IDS[vendor, columns] = PreparedRows(
            Ticket,
            lambda ids: _related(
                Ticket.objects.filter(among(F("id"), ids)), None, columns
            ).order_by(*QUEUE_ORDER),
        )
    return prepared.all(pg_array(ids) if vendor == "postgresql" else json.dumps(ids))


def _union(walks: list[QuerySet[Any]], limit: int) -> QuerySet[Any]:
    return walks[0].union(*walks[1:], all=True).order_by(*QUEUE_ORDER)[: limit + 1]


def _fetch(walks: list[QuerySet[Any]], limit: int, columns: tuple[str, ...]) -> list[Any]:
    """The page's rows (+1): one walk, or "mine"'s walks merged.

    "Mine" is someone's unresolved tickets in queue order: one ordered walk per
    status, merged. With `status IN (new, open, pending)` no index can give the
    order, so the database would sort all of that person's unresolved tickets
    for every page (5 ms at 100k tickets, growing); per status, `ticket_counts`
    (team, status, assignee, tier, sort_due, created_at, id) and `ticket_mine`
    (assignee, status, tier, …) read the page in order and stop.

    Where the database takes a LIMIT inside a UNION (PostgreSQL), the three
    walks are one statement, `(walk new) UNION ALL (walk open) UNION ALL
    (walk pending) ORDER BY … LIMIT`: the database sorts at most three pages
    of rows, and the page costs one round trip and one compiled query instead
    of three. SQLite refuses a LIMIT in a compound's arms: three statements,
    merged here."""
    if len(walks) == 1:
        return list(walks[0])
    if _compound_limits():
        return list(_union(walks, limit))
    key = _tuple_key if columns else _queue_key
    return list(heapq.merge(*(list(w) for w in walks), key=key))[: limit + 1]


def _compound_limits() -> bool:
    return bool(connections[Ticket.objects.db].features.supports_slicing_ordering_in_compound)


def _page(rows: list[Any], limit: int) -> tuple[list[Any], str | None]:
    next_cursor = QueueCursor.of(rows[limit - 1]).encode() if len(rows) > limit else None
    return rows[:limit], next_cursor


def _queue_key(ticket: Ticket) -> tuple[int, datetime, datetime, int]:
    return (ticket.tier, ticket.sort_due, ticket.created_at, ticket.pk)


def _tuple_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return row[:4]


# The first page of these views, unfiltered, in tuples: the same SQL as `_walks`
# builds, compiled once per shape (view, scope, limit, columns, database kind)
# with `PreparedRows`. Compiling it was a third of the queue's ORM time per page.
_PREPARED_VIEWS = ("team", "mine", "unassigned", "pending")
_PREPARED: dict[tuple[Any, ...], list[PreparedRows]] = {}


def _prepared_page(
    view: str, scope: str, team: Any, user: Any, limit: int, columns: tuple[str, ...]
) -> list[Any]:
    """`_fetch(_walks(…))` for a view's first page, through prepared queries.

    Each walk's arguments are the team's id (scope "team") and, for "mine",
    the user's id; a UNION takes each walk's arguments in turn (a prepared
    argument appears once in its SQL)."""
    mine = view == "mine"
    args = ([team.pk] if scope == "team" else []) + ([user.pk] if mine else [])
    union = mine and _compound_limits()
    key = (view, scope, limit, columns, union)
    prepared = _PREPARED.get(key)
    if prepared is None:
        n = len(args)

        def walks(marks: tuple[Any, ...]) -> list[QuerySet[Any]]:
            it = iter(marks)
            team_id = next(it) if scope == "team" else None
            user_id = next(it) if mine else None
            walks = _walks(
                view,
                scope == "unrouted",
                team_id,
                user_id,
                timezone.now(),
                None,
                None,
                limit,
                columns,
            )
            return walks

        if union:

            def build_union(*marks: Any) -> QuerySet[Any]:
                arms = [
                    walks(marks[i * n : (i + 1) * n])[i] for i in range(len(UNRESOLVED_STATUSES))
                ]
                return _union(arms, limit)

            prepared = [PreparedRows(Ticket, build_union)]
        else:
            count = len(UNRESOLVED_STATUSES) if mine else 1
            prepared = [
                PreparedRows(Ticket, lambda *marks, i=i: walks(marks)[i]) for i in range(count)
            ]
        _PREPARED[key] = prepared
    if union:
        return prepared[0].all(*(args * len(UNRESOLVED_STATUSES)))
    results = [p.all(*args) for p in prepared]
    if len(results) == 1:
        return results[0]
    return list(heapq.merge(*results, key=_tuple_key))[: limit + 1]
