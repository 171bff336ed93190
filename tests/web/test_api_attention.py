"""The attention queue over the API: a coach's alliances by need, each place explained; the
places kept beside the views equal those computed afresh, after a rebuild too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient

from projections.attention.keeper import AttentionKeeper
from projections.attention.queue import Narrowed
from shell.bootstrap import Tracker
from tests.builders import V1, account, ok, problem
from tracker.clock import SettableClock

LOW = {"relationship": 5, "goals": 6, "approach": 5, "overall": 6}  # 22 of 40
HIGH = {"relationship": 10, "goals": 9, "approach": 10, "overall": 9}  # 38 of 40


def joined(api: FlaskClient, coach: dict[str, str], title: str, kind: str, name: str) -> Any:
    """An alliance the coach founds and ``name`` joins; its id and the member's headers."""
    founded = {"title": title, "purpose": "", "kind": kind, "role": "coach"}
    alliance = ok(api.post(f"{V1}/alliances", json=founded, headers=coach), 201)["id"]
    invited = api.post(
        f"{V1}/alliances/{alliance}/invitations",
        json={"email": f"{name.lower()}@example.org", "role": "client"},
        headers=coach,
    )
    token = ok(invited, 201)["url"].rsplit("/", 1)[1]
    member = account(api, name, invitation=token)
    ok(api.post(f"{V1}/invitations/{token}/acceptance", json={}, headers=member))
    return alliance, member


def checked_in(
    api: FlaskClient, clock: SettableClock, alliance: str, ratings: dict[str, int], *members: Any
) -> None:
    clock.advance(timedelta(days=1))  # one check-in a moment
    checkin = ok(api.post(f"{V1}/alliances/{alliance}/checkins", headers=members[0]), 201)["id"]
    for member in members:
        answered = {"answers": {}, "ratings": ratings}
        path = f"{V1}/alliances/{alliance}/checkins/{checkin}/responses"
        ok(api.post(path, json=answered, headers=member), 201)


def queue(api: FlaskClient, who: dict[str, str], **narrowed: Any) -> Any:
    return ok(api.get(f"{V1}/attention", query_string=narrowed, headers=who))


def three(api: FlaskClient, clock: SettableClock) -> tuple[dict[str, str], dict[str, Any]]:
    """Ada coaches three clients: Ben's ratings dropped, Cy reported a conflict, Di is fine."""
    ada = account(api, "Ada")
    made = {}
    for title, kind, name in (
        ("Ben's coaching", "coaching", "Ben"),
        ("Cy's coaching", "coaching", "Cy"),
        ("The Di team", "team", "Di"),
    ):
        made[name] = joined(api, ada, title, kind, name)
    ben_alliance, ben = made["Ben"]
    checked_in(api, clock, ben_alliance, HIGH, ada, ben)
    checked_in(api, clock, ben_alliance, LOW, ada, ben)
    cy_alliance, cy = made["Cy"]
    checked_in(api, clock, cy_alliance, HIGH, ada, cy)
    conflict = {
        "description": "We keep moving the sessions",
        "severity": "high",
        "occurred_at": clock.now().isoformat(),
    }
    ok(api.post(f"{V1}/alliances/{cy_alliance}/conflicts", json=conflict, headers=cy), 201)
    di_alliance, di = made["Di"]
    checked_in(api, clock, di_alliance, HIGH, ada, di)
    return ada, made


def test_the_queue_puts_first_the_alliance_that_needs_its_coach_and_says_why(
    api: FlaskClient, clock: SettableClock
) -> None:
    ada, made = three(api, clock)
    answer = queue(api, ada)
    titles = [a["title"] for a in answer["alliances"]]
    assert titles == ["Ben's coaching", "Cy's coaching", "The Di team"]
    ben, cy, di = answer["alliances"]
    assert (ben["need"], ben["need_words"]) == ("red", "Needs attention")
    (ratings,) = [r for r in ben["reasons"] if r["kind"] == "ratings"]
    assert ratings["status"] == "red" and "averaged 30.0 of 40" in ratings["text"]
    assert ben["why_here"].startswith("Needs attention, waiting since ")
    assert ben["last_checkin"] is not None and ben["open_conflicts"] == 0
    assert (cy["need"], cy["health"]["status"], cy["open_conflicts"]) == ("yellow", "no_data", 1)
    assert cy["oldest_conflict"]["severity"] == "high"
    assert cy["waiting_for"] == "the oldest open conflict was reported then"
    assert cy["reasons"] == [
        {
            "kind": "conflicts",
            "status": "yellow",
            "title": "Open conflicts",
            "text": "1 conflict is open, the oldest of high severity.",
        }
    ]
    assert (di["reasons"], di["need"], di["waiting_for"]) == (
        [],
        "no_data",
        "the last check-in was then",
    )
    assert answer["total"] == 3
    assert answer["counts"] == {"red": 1, "yellow": 1, "no_data": 1, "green": 0, "ended": 0}
    # Each member of an alliance sees it in the same place; no one sees another's alliances.
    (seen_by_ben,) = queue(api, made["Ben"][1])["alliances"]
    assert {k: v for k, v in seen_by_ben.items() if k != "role"} == {
        k: v for k, v in ben.items() if k != "role"
    }


def test_the_queue_narrows_by_need_and_kind_and_pages_in_its_order(
    api: FlaskClient, clock: SettableClock
) -> None:
    ada, _ = three(api, clock)
    assert [a["title"] for a in queue(api, ada, need="red")["alliances"]][0] == "Ben's coaching"
    teams = queue(api, ada, kind="team")
    assert [a["title"] for a in teams["alliances"]] == ["The Di team"]
    assert teams["total"] == 1 and sum(teams["counts"].values()) == 1
    walked, cursor = [], None
    while True:
        page = queue(api, ada, limit=1, **({"cursor": cursor} if cursor else {}))
        walked.extend(a["title"] for a in page["alliances"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == ["Ben's coaching", "Cy's coaching", "The Di team"]
    assert queue(api, account(api, "Eve"))["alliances"] == [], "in no alliance"


def test_a_private_note_moves_no_one_s_place(api: FlaskClient, clock: SettableClock) -> None:
    ada, made = three(api, clock)
    before = queue(api, ada)["alliances"]
    di_alliance, di = made["Di"]
    for _ in range(6):
        note = {"text": "I dread these sessions", "valence": "concern", "visibility": "private"}
        ok(api.post(f"{V1}/alliances/{di_alliance}/feedback", json=note, headers=di), 201)
    after = queue(api, ada)["alliances"]
    assert [(a["title"], a["need"], a["reasons"]) for a in after] == [
        (a["title"], a["need"], a["reasons"]) for a in before
    ]
    assert queue(api, di)["alliances"][0]["reasons"] == before[2]["reasons"]


def test_an_overdue_commitment_makes_an_alliance_worth_a_look(
    api: FlaskClient, clock: SettableClock
) -> None:
    ada, made = three(api, clock)
    di_alliance, di = made["Di"]
    di_id = ok(api.get(f"{V1}/me", headers=di))["id"]
    clock.advance(timedelta(hours=1))
    checkin = ok(api.post(f"{V1}/alliances/{di_alliance}/checkins", headers=ada), 201)["id"]
    due = clock.now().date().isoformat()
    made_it = {
        "what": "Send the plan",
        "owner_id": di_id,
        "due_on": due,
        "source": "checkin",
        "source_id": checkin,
    }
    ok(api.post(f"{V1}/alliances/{di_alliance}/commitments", json=made_it, headers=ada), 201)
    assert queue(api, ada, kind="team")["alliances"][0]["commitments_overdue"] == []
    clock.advance(timedelta(days=1))
    (di_place,) = queue(api, ada, kind="team")["alliances"]
    assert di_place["need"] in ("yellow", "red")
    assert [c["what"] for c in di_place["commitments_overdue"]] == ["Send the plan"]
    (reason,) = [r for r in di_place["reasons"] if r["kind"] == "commitments"]
    assert reason["text"] == f"1 commitment past its day: “Send the plan” (due {due})."


def test_a_queue_asked_wrongly_is_refused_naming_what(api: FlaskClient) -> None:
    ada = account(api, "Ada")
    assert api.get(f"{V1}/attention").status_code == 401
    for asked, field in (
        ({"need": "purple"}, "need"),
        ({"kind": "gang"}, "kind"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"cursor": "9_x"}, "cursor"),
    ):
        refused = problem(api.get(f"{V1}/attention", query_string=asked, headers=ada), 422)
        assert field in refused["errors"], (asked, refused)


def _kept(tracker: Tracker) -> list[dict[str, Any]]:
    with tracker.store.read() as cur:
        cur.execute(
            "SELECT alliance_id, marked, refreshed, fresh_until, need, waiting_since, place "
            "FROM v_attention ORDER BY alliance_id"
        )
        return [dict(row) for row in cur.fetchall()]


def test_kept_places_equal_those_computed_afresh_and_after_a_rebuild(
    api: FlaskClient, tracker: Tracker, clock: SettableClock
) -> None:
    ada, _ = three(api, clock)
    ada_id = UUID(ok(api.get(f"{V1}/me", headers=ada))["id"])
    computed = queue(api, ada)  # every place stale or not, the answer is the same
    # The API writes the queue as JSON text, kept places spliced in as stored: the same.
    assert computed == tracker.attention.queue(ada_id, clock.now(), Narrowed())
    keeper = AttentionKeeper(tracker.store)
    keeper.refresh(clock.now())
    kept = _kept(tracker)
    assert len(kept) == 3 and all(row["refreshed"] == row["marked"] for row in kept)
    assert all(row["fresh_until"] > clock.now().isoformat()[:19] for row in kept)
    assert queue(api, ada) == computed
    assert computed == tracker.attention.queue(ada_id, clock.now(), Narrowed())
    assert keeper.refresh(clock.now()) == 0, "nothing is due again until its time"
    tracker.engine.rebuild()
    assert all(row["fresh_until"] == "" for row in _kept(tracker)), "a rebuild marks every place"
    assert queue(api, ada) == computed
    keeper.refresh(clock.now())
    assert _kept(tracker) == kept
    # Time alone moves a place: an hour on, each is computed again.
    clock.advance(timedelta(hours=1))
    assert keeper.refresh(clock.now()) == 3
    assert tracker.attention.queue(ada_id, clock.now(), Narrowed())["total"] == 3
