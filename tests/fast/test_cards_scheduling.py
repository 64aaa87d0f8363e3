"""Card actions that schedule through Anki's scheduler, with FSRS off and on.

The reference for "what Anki itself produces" is Anki's own answer path
(`col.sched.answerCard`, used by its tests) on the same card after undoing
ours: card columns, memory state and review-log rows must match.
"""

from __future__ import annotations

import json
import time
from typing import Any, Iterator

import pytest
from anki.collection import Collection

from tests.fast.anki_wording import reset_card_label
from tests.fast.card_fixtures import add_note, card_columns, next_day_far_away, revlog_rows, use_fsrs
from tests.support.client import ApiClient

REVLOG_LEARN, REVLOG_REVIEW, REVLOG_MANUAL = 0, 1, 4


@pytest.fixture(autouse=True)
def minute_steps_stay_minutes(col: Collection) -> None:
    next_day_far_away(col)


@pytest.fixture(params=[False, True], ids=["sm2", "fsrs"])
def fsrs(request: pytest.FixtureRequest, col: Collection) -> Iterator[bool]:
    use_fsrs(col, request.param)
    yield request.param


def comparable(columns: dict[str, Any]) -> dict[str, Any]:
    """Card columns without the answer's wall-clock second (learning due, last review time)."""
    data = json.loads(columns["data"] or "{}")
    data.pop("lrt", None)
    result = {**columns, "data": data}
    if columns["queue"] in (1, 4):  # due is a timestamp
        result["due"] = "timestamp"
    return result


def answer_like_anki(col: Collection, card_id: int, ease: int) -> None:
    card = col.get_card(card_id)  # type: ignore[arg-type]
    card.start_timer()
    col.sched.answerCard(card, ease)  # type: ignore[union-attr, arg-type]


def check_same_as_anki(col: Collection, call: ApiClient, card_id: int, ease: int) -> dict[str, Any]:
    """Answer through the API, undo, answer through Anki; both must leave the same card and log."""
    before, log_before = card_columns(col, card_id), revlog_rows(col, card_id)
    assert call("answerCards", answers=[{"cardId": card_id, "ease": ease}]) == [True]
    ours, our_log = card_columns(col, card_id), revlog_rows(col, card_id)
    assert col.undo_status().undo == "Answer Card"
    col.undo()
    assert (card_columns(col, card_id), revlog_rows(col, card_id)) == (before, log_before)
    answer_like_anki(col, card_id, ease)
    anki, anki_log = card_columns(col, card_id), revlog_rows(col, card_id)
    assert comparable(ours) == comparable(anki)
    assert [dict(row, time=0) for row in our_log] == [dict(row, time=0) for row in anki_log]
    assert len(our_log) == len(log_before) + 1
    return ours


# -- answerCards --------------------------------------------------------------------------


def test_answering_a_new_card_good(call: ApiClient, col: Collection, fsrs: bool) -> None:
    (card_id,) = add_note(col, "gato", "cat")
    good = col._backend.get_scheduling_states(card_id).good.normal.learning
    answered_at = time.time()
    columns = check_same_as_anki(col, call, card_id, 3)
    assert (columns["type"], columns["queue"], columns["left"], columns["reps"]) == (1, 1, 1, 1)
    assert good.scheduled_secs == 600
    assert columns["due"] >= int(answered_at) + 600  # a learning step, timed from the answer
    (log,) = revlog_rows(col, card_id)
    assert {k: log[k] for k in ("ease", "ivl", "lastIvl", "type")} == {"ease": 3, "ivl": -600, "lastIvl": 0, "type": 0}
    assert log["time"] < 60_000  # the timer starts right before answering
    memory = json.loads(columns["data"])
    if fsrs:
        assert (memory["s"], memory["d"]) == (
            pytest.approx(good.memory_state.stability, abs=1e-3),
            pytest.approx(good.memory_state.difficulty, abs=1e-3),
        )
        assert log["factor"] > 0  # FSRS logs the difficulty
    else:
        assert "s" not in memory
        assert log["factor"] == 0


def test_answering_a_review_card_each_way(call: ApiClient, col: Collection, fsrs: bool) -> None:
    for ease in (1, 2, 3, 4):
        (card_id,) = add_note(col, f"review {ease}", "back")
        answer_like_anki(col, card_id, 4)  # new -> review via Easy
        col.db.execute("update cards set due = ? where id = ?", col.sched.today, card_id)
        states = col._backend.get_scheduling_states(card_id)
        columns = check_same_as_anki(col, call, card_id, ease)
        log = revlog_rows(col, card_id)[-1]
        assert (log["ease"], log["type"]) == (ease, REVLOG_REVIEW)
        if ease == 1:
            relearning = states.again.normal.relearning
            assert (columns["type"], columns["queue"], columns["lapses"]) == (3, 1, 1)
            assert columns["ivl"] == relearning.review.scheduled_days
        else:
            chosen = [states.hard, states.good, states.easy][ease - 2].normal.review
            assert (columns["type"], columns["queue"], columns["lapses"]) == (2, 2, 0)
            assert columns["ivl"] == chosen.scheduled_days == log["ivl"]
            assert columns["due"] == col.sched.today + chosen.scheduled_days


def test_unknown_cards_answer_false(call: ApiClient, col: Collection) -> None:
    (card_id,) = add_note(col, "gato", "cat")
    answers = [{"cardId": 999, "ease": 3}, {"cardId": card_id, "ease": 3}, {"cardId": "x", "ease": 9}]
    assert call("answerCards", answers=answers) == [False, True, False]
    assert len(revlog_rows(col, card_id)) == 1


def test_bad_answers_fail_before_any_card_is_answered(call: ApiClient, col: Collection) -> None:
    (first,) = add_note(col, "uno", "one")
    (second,) = add_note(col, "dos", "two")
    good = {"cardId": first, "ease": 3}
    assert call.error("answerCards", answers=[good, {"cardId": second}]) == "'ease'"
    assert call.error("answerCards", answers=[good, {"ease": 3}]) == "'cardId'"
    assert call.error("answerCards", answers=[good, {"cardId": second, "ease": 5}]) == "invalid ease"
    assert call.error("answerCards", answers=[good, {"cardId": second, "ease": "3"}]) == "invalid ease"
    assert call.error("answerCards", answers=[good, 3]) == "each answer must be an object with cardId and ease"
    assert call.error("answerCards", answers={"cardId": first}) == "answers must be a list of {cardId, ease} objects"
    assert revlog_rows(col, first) == []
    assert card_columns(col, first)["queue"] == 0


def test_each_answer_is_its_own_undo_step(call: ApiClient, col: Collection) -> None:
    (first,) = add_note(col, "uno", "one")
    (second,) = add_note(col, "dos", "two")
    assert call("answerCards", answers=[{"cardId": first, "ease": 3}, {"cardId": second, "ease": 1}]) == [True, True]
    col.undo()
    assert (len(revlog_rows(col, first)), len(revlog_rows(col, second))) == (1, 0)


def test_a_failure_part_way_takes_back_the_answers_given_before_it(
    call: ApiClient, col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards = [add_note(col, word, "x")[0] for word in ("uno", "dos", "tres")]
    before = [col.db.all(f"select * from {table} order by 1") for table in ("cards", "revlog", "col")]
    undo_before = col.undo_status()
    answer_card = type(col.sched).answer_card
    answered: list[int] = []

    def failing_third(sched: Any, answer: Any) -> Any:
        # a fault after two answers were committed, e.g. another add-on's code raising
        if len(answered) == 2:
            raise RuntimeError("the scheduler failed")
        answered.append(answer.card_id)
        return answer_card(sched, answer)

    monkeypatch.setattr(type(col.sched), "answer_card", failing_third)
    answers = [{"cardId": card, "ease": 3} for card in cards]
    assert call.error("answerCards", answers=answers) == "the scheduler failed"
    assert answered == cards[:2]
    assert [col.db.all(f"select * from {table} order by 1") for table in ("cards", "revlog", "col")] == before
    # the undo queue has no step for answers that are not there
    assert col.undo_status().undo == undo_before.undo


# -- areDue, getIntervals -----------------------------------------------------------------


def test_are_due(call: ApiClient, col: Collection, fsrs: bool) -> None:
    (new,) = add_note(col, "nuevo", "new")
    (review,) = add_note(col, "repaso", "review")
    (learning,) = add_note(col, "aprender", "learn")
    answer_like_anki(col, review, 4)  # due in days
    call("answerCards", answers=[{"cardId": learning, "ease": 1}])  # due in a minute: within learn-ahead
    assert call("areDue", cards=[new, review, learning]) == [True, False, True]
    col.db.execute("update cards set due = ? where id = ?", col.sched.today, review)
    assert call("areDue", cards=[review]) == [True]


def test_are_due_times_long_learning_steps_from_the_last_review(call: ApiClient, col: Collection) -> None:
    # a card in an hour-long learning step, as written by hand: Anki's own answer
    # would turn such a step into a day when it crosses the next day's start
    (card_id,) = add_note(col, "lento", "slow")
    now = int(time.time())
    col.db.execute("update cards set type = 1, queue = 1, due = ? where id = ?", now + 3600, card_id)
    col.db.execute("insert into revlog values (?, ?, -1, 3, -3600, -60, 0, 0, 0)", now * 1000, card_id)
    assert call("areDue", cards=[card_id]) == [False]
    # due by the review log's clock although the card's own due time lies ahead
    col.db.execute("update revlog set id = ? where cid = ?", (now - 2 * 3600) * 1000, card_id)
    assert call("areDue", cards=[card_id]) == [True]
    assert col.find_cards(f"cid:{card_id} is:due") == []


def test_are_due_needs_a_review_log(call: ApiClient, col: Collection) -> None:
    (card_id,) = add_note(col, "gato", "cat")
    assert call.error("areDue", cards=[card_id, 42]) == "list index out of range"
    col.db.execute("update cards set type = 2, queue = 2 where id = ?", card_id)
    assert call.error("areDue", cards=[card_id]) == "list index out of range"


def test_get_intervals(call: ApiClient, col: Collection) -> None:
    (learned,) = add_note(col, "uno", "one")
    (new,) = add_note(col, "dos", "two")
    call("answerCards", answers=[{"cardId": learned, "ease": 1}])
    call("answerCards", answers=[{"cardId": learned, "ease": 3}])
    assert call("getIntervals", cards=[learned, new]) == [-600, 0]
    assert call("getIntervals", cards=[learned, new], complete=True) == [[-60, -600], 0]


def test_get_intervals_without_a_review_log(call: ApiClient, col: Collection) -> None:
    (card_id,) = add_note(col, "gato", "cat")
    col.db.execute("update cards set type = 2, queue = 2 where id = ?", card_id)
    assert call.error("getIntervals", cards=[card_id]) == "list index out of range"
    assert call.error("getIntervals", cards=[42]) == "list index out of range"
    assert call("getIntervals", cards=[card_id, 42], complete=True) == [[], []]


# -- forgetCards, relearnCards ------------------------------------------------------------


def test_forget_cards_resets_to_new_and_logs_it(call: ApiClient, col: Collection, fsrs: bool) -> None:
    (first,) = add_note(col, "uno", "one")
    (second,) = add_note(col, "dos", "two")
    answer_like_anki(col, second, 4)
    assert card_columns(col, second)["type"] == 2
    assert call("forgetCards", cards=[second, 42]) is None
    columns = card_columns(col, second)
    # back at its original new-card position (2), review count kept
    assert {k: columns[k] for k in ("type", "queue", "due", "ivl", "factor", "reps")} == {
        "type": 0,
        "queue": 0,
        "due": 2,
        "ivl": 0,
        "factor": 0,
        "reps": 1,
    }
    assert "s" not in json.loads(columns["data"] or "{}")  # no FSRS memory left
    assert revlog_rows(col, second)[-1]["type"] == REVLOG_MANUAL
    assert col.undo_status().undo == reset_card_label(col)
    assert card_columns(col, first)["queue"] == 0


def test_relearn_cards_sets_type_and_queue_only(call: ApiClient, col: Collection) -> None:
    (card_id,) = add_note(col, "uno", "one")
    answer_like_anki(col, card_id, 4)
    before = card_columns(col, card_id)
    assert call("relearnCards", cards=[card_id, 42]) is None
    assert card_columns(col, card_id) == {**before, "type": 3, "queue": 1}
    assert col.undo_status().undo == "Update Card"


# -- setDueDate ---------------------------------------------------------------------------


def test_set_due_date_turns_new_cards_into_reviews(call: ApiClient, col: Collection, fsrs: bool) -> None:
    (first,) = add_note(col, "uno", "one")
    (second,) = add_note(col, "dos", "two")
    assert call("setDueDate", cards=[first, 42], days="1") is True
    columns = card_columns(col, first)
    assert (columns["type"], columns["queue"], columns["due"]) == (2, 2, col.sched.today + 1)
    assert call("setDueDate", cards=[second], days="3-7") is True
    assert col.sched.today + 3 <= card_columns(col, second)["due"] <= col.sched.today + 7
    assert revlog_rows(col, first)[-1]["type"] == REVLOG_MANUAL
    assert col.undo_status().undo == "Set Due Date"


def test_set_due_date_with_interval(call: ApiClient, col: Collection, fsrs: bool) -> None:
    (card_id,) = add_note(col, "uno", "one")
    answer_like_anki(col, card_id, 4)
    assert call("setDueDate", cards=[card_id], days="10!") is True
    columns = card_columns(col, card_id)
    assert (columns["due"], columns["ivl"]) == (col.sched.today + 10, 10)


def test_set_due_date_errors(call: ApiClient, col: Collection) -> None:
    (card_id,) = add_note(col, "uno", "one")
    assert call.error("setDueDate", cards=[card_id], days="soon") == "soon"
    assert call.error("setDueDate", cards=[card_id], days=3) == 'days must be a string such as "0", "1!" or "3-7"'
    assert card_columns(col, card_id)["type"] == 0
