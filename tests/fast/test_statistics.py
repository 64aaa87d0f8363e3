"""Statistics actions (protocol: actions/statistics.md) against a real collection with a known review history.

Review-log rows are written with chosen ids (= timestamps in ms) around the
collection's day boundaries, and the results compared with what Anki's own
scheduler and statistics report for the same collection.
"""

from __future__ import annotations

import datetime
import re
import time
from typing import Any

import pytest
from anki.collection import Collection

from tests.support.client import ApiClient
from tests.support.collections import RecordingHost, add_card

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
COLUMNS = "id, cid, usn, ease, ivl, lastIvl, factor, time, type"


def log_review(col: Collection, card_id: int, review_id: int, *, kind: int = 1, ease: int = 3) -> None:
    """One review-log row, written the way Anki's scheduler writes it."""
    col.db.execute(
        f"insert into revlog ({COLUMNS}) values (?, ?, -1, ?, 3, 1, 2500, 6000, ?)", review_id, card_id, ease, kind
    )


def set_rollover(col: Collection, hour: int) -> None:
    """As Anki's preferences screen sets "next day starts at"."""
    preferences = col.get_preferences()
    preferences.scheduling.rollover = hour
    col.set_preferences(preferences)


def day_bounds_ms(col: Collection) -> tuple[int, int]:
    """The current Anki day (start, cut-off) in ms, from Anki's scheduler."""
    cutoff = col.sched.day_cutoff
    return (cutoff - 86_400) * 1000, cutoff * 1000


def anki_studied_today(col: Collection) -> int:
    """The count in Anki's "Studied N cards ... today" line."""
    return int(re.sub(r"[^0-9 ]", " ", col.studied_today()).split()[0])


def anki_graph_reviews_by_days_ago(col: Collection) -> dict[int, int]:
    """Reviews per day in Anki's statistics screen, keyed by days ago (0 = today)."""
    graphs = col._backend.graphs(search="", days=30)
    return {
        -day: counts.learn + counts.relearn + counts.young + counts.mature + counts.filtered
        for day, counts in graphs.reviews.count.items()
    }


def local_anki_date(rollover: int, days_ago: int = 0) -> str:
    """The date of an Anki day, derived from the clock: the local date `rollover` hours ago."""
    now = datetime.datetime.fromtimestamp(time.time()) - datetime.timedelta(hours=rollover)
    return (now.date() - datetime.timedelta(days=days_ago)).isoformat()


def revlog(col: Collection) -> list[list[int]]:
    return [list(row) for row in col.db.all(f"select {COLUMNS} from revlog order by id")]


# -- getNumCardsReviewedToday ------------------------------------------------------------


@pytest.mark.parametrize("rollover", [0, 4, 12, 23])
def test_reviewed_today_counts_from_the_day_cutoff(call: ApiClient, col: Collection, rollover: int) -> None:
    set_rollover(col, rollover)
    card = add_card(col, "uno")
    start, cutoff = day_bounds_ms(col)
    local_cutoff = datetime.datetime.fromtimestamp(cutoff // 1000)
    assert (cutoff - start, local_cutoff.hour, local_cutoff.minute) == (DAY_MS, rollover, 0)
    for review_id in (start - HOUR_MS, start, start + 1, start + 5 * HOUR_MS, cutoff):
        log_review(col, card, review_id)
    # yesterday's last review and one at the very first ms of today (Anki counts it as yesterday too)
    assert call("getNumCardsReviewedToday") == 3
    assert anki_studied_today(col) == 3


def test_reviewed_today_counts_every_log_entry(call: ApiClient, col: Collection) -> None:
    card, other = add_card(col, "uno"), add_card(col, "dos")
    start, _ = day_bounds_ms(col)
    log_review(col, card, start + 1000)
    log_review(col, card, start + 2000)  # the same card again counts again
    log_review(col, other, start + 3000, kind=0)
    log_review(col, other, start + 4000, kind=4, ease=0)  # a manual reschedule ("set due date")
    assert call("getNumCardsReviewedToday") == 4
    # Anki's own line leaves manual entries out; the protocol counts every entry
    assert anki_studied_today(col) == 3


def test_reviewed_today_changes_with_the_rollover_hour(call: ApiClient, col: Collection) -> None:
    card = add_card(col, "uno")
    set_rollover(col, 0)
    midnight = day_bounds_ms(col)[0]
    log_review(col, card, midnight + 30 * 60_000)  # 00:30 local time today
    assert call("getNumCardsReviewedToday") == 1
    set_rollover(col, 1)  # the day now starts at 01:00: 00:30 belongs to the day before
    if day_bounds_ms(col)[0] == midnight + HOUR_MS:
        assert call("getNumCardsReviewedToday") == 0
    else:  # it is between 00:00 and 01:00 now, so today started at 01:00 yesterday
        assert call("getNumCardsReviewedToday") == 1
    assert call("getNumCardsReviewedToday") == anki_studied_today(col)


# -- getNumCardsReviewedByDay ------------------------------------------------------------


@pytest.mark.parametrize("rollover", [0, 4, 12, 23])
def test_reviewed_by_day_labels_anki_days(call: ApiClient, col: Collection, rollover: int) -> None:
    set_rollover(col, rollover)
    card = add_card(col, "uno")
    start, cutoff = day_bounds_ms(col)
    rows = {
        "today": [start + 1, start + 5 * HOUR_MS, cutoff],
        "yesterday": [start, start - 3 * HOUR_MS],
        "three days ago": [start - 2 * DAY_MS - 3 * HOUR_MS],
        "tomorrow (a clock that was ahead)": [cutoff + 1],
    }
    for ids in rows.values():
        for review_id in ids:
            log_review(col, card, review_id)
    log_review(col, card, start + 6 * HOUR_MS, kind=4, ease=0)  # manual entries count too
    result = call("getNumCardsReviewedByDay")
    if day_bounds_ms(col) != (start, cutoff):
        pytest.skip("the Anki day changed while the test ran")
    assert result == [
        [local_anki_date(rollover, -1), 1],
        [local_anki_date(rollover), 4],
        [local_anki_date(rollover, 1), 2],
        [local_anki_date(rollover, 3), 1],
    ]


def test_reviewed_by_day_agrees_with_anki_review_graph(call: ApiClient, col: Collection) -> None:
    card, other = add_card(col, "uno"), add_card(col, "dos")
    start, cutoff = day_bounds_ms(col)
    per_day = {0: 3, 1: 1, 2: 5, 6: 2, 29: 1}
    for days_ago, count in per_day.items():
        for n in range(count):
            # inside the day, clear of its first second (Anki's graph rounds ids down to seconds)
            log_review(col, card if n % 2 else other, start - days_ago * DAY_MS + (n + 2) * 1000, kind=n % 3)
    result = call("getNumCardsReviewedByDay")
    if day_bounds_ms(col) != (start, cutoff):
        pytest.skip("the Anki day changed while the test ran")
    assert anki_graph_reviews_by_days_ago(col) == per_day
    today = datetime.date.fromisoformat(result[0][0])
    assert {(today - datetime.date.fromisoformat(day)).days: count for day, count in result} == per_day
    assert result[0] == [local_anki_date(col.get_config("rollover")), 3]


def test_reviewed_by_day_without_reviews(call: ApiClient) -> None:
    assert call("getNumCardsReviewedByDay") == []


# -- getCollectionStatsHTML --------------------------------------------------------------


def anki_stats_report(col: Collection, whole_collection: bool) -> str:
    stats = col.stats()
    stats.wholeCollection = whole_collection
    return without_clock(stats.report())


def without_clock(report: str) -> str:
    return re.sub(r"Generated on [^<]*", "Generated on (time)", report)


def test_collection_stats_html_is_anki_legacy_report(call: ApiClient, col: Collection) -> None:
    spanish = add_card(col, "uno", "Spanish")
    other = add_card(col, "hello")
    start, _ = day_bounds_ms(col)
    log_review(col, spanish, start + 1000)
    log_review(col, other, start + 2000)
    log_review(col, other, start + 3000)
    whole = without_clock(call("getCollectionStatsHTML"))
    assert whole == without_clock(call("getCollectionStatsHTML", wholeCollection=True))
    assert whole == anki_stats_report(col, True)
    assert whole.startswith("<center>") and "<h1>Today</h1>Studied \u20683\u2069 cards" in whole
    current_deck = without_clock(call("getCollectionStatsHTML", wholeCollection=False))
    assert current_deck == anki_stats_report(col, False)
    assert "<h1>Today</h1>Studied \u20682\u2069 cards" in current_deck  # Default, the current deck


# -- cardReviews and getLatestReviewID ---------------------------------------------------


@pytest.fixture
def history(col: Collection) -> dict[str, int]:
    """Cards in Spanish, its child deck and Default, each with reviews."""
    cards = {
        "uno": add_card(col, "uno", "Spanish"),
        "dos": add_card(col, "dos", "Spanish"),
        "ir": add_card(col, "ir", "Spanish::Verbs"),
        "hello": add_card(col, "hello"),
    }
    log_review(col, cards["uno"], 1712100000000, kind=0)
    log_review(col, cards["dos"], 1712150000000)
    log_review(col, cards["uno"], 1712190000000)
    log_review(col, cards["ir"], 1712195000000)
    log_review(col, cards["hello"], 1712199000000)
    return cards


def test_card_reviews_of_a_deck_after_an_id(call: ApiClient, history: dict[str, int]) -> None:
    uno, dos = history["uno"], history["dos"]
    assert call("cardReviews", deck="Spanish", startID=0) == [
        [1712100000000, uno, -1, 3, 3, 1, 2500, 6000, 0],
        [1712150000000, dos, -1, 3, 3, 1, 2500, 6000, 1],
        [1712190000000, uno, -1, 3, 3, 1, 2500, 6000, 1],
    ]
    # strictly after startID; the child deck's card is not included
    assert call("cardReviews", deck="Spanish", startID=1712150000000) == [
        [1712190000000, uno, -1, 3, 3, 1, 2500, 6000, 1]
    ]
    assert call("cardReviews", deck="Spanish::Verbs", startID=1712195000000) == []


def test_card_reviews_follow_the_card_to_its_current_deck(
    call: ApiClient, col: Collection, history: dict[str, int]
) -> None:
    col.set_deck([history["uno"]], col.decks.id_for_name("Default"))  # type: ignore[arg-type, list-item]
    assert [row[0] for row in call("cardReviews", deck="Spanish", startID=0)] == [1712150000000]
    assert [row[0] for row in call("cardReviews", deck="Default", startID=0)] == [
        1712100000000,
        1712190000000,
        1712199000000,
    ]


def test_card_reviews_of_an_unknown_deck_creates_it(call: ApiClient, col: Collection, host: RecordingHost) -> None:
    assert call("cardReviews", deck="Japanese", startID=0) == []
    assert col.decks.id_for_name("Japanese") is not None
    assert len(host.changes) == 1


def test_card_reviews_checks_its_parameters_before_creating_a_deck(call: ApiClient, col: Collection) -> None:
    assert call.error("cardReviews", deck="Japanese", startID="0") == 'startID must be an integer, not "0"'
    assert call.error("cardReviews", deck="", startID=0) == 'invalid deck name: ""'
    assert col.decks.id_for_name("Japanese") is None


def test_latest_review_id(call: ApiClient, col: Collection, history: dict[str, int], host: RecordingHost) -> None:
    assert call("getLatestReviewID", deck="Spanish") == 1712190000000
    assert call("getLatestReviewID", deck="Spanish::Verbs") == 1712195000000
    assert call("getLatestReviewID", deck="Default") == 1712199000000
    assert host.changes == []
    assert call("getLatestReviewID", deck="French") == 0
    assert col.decks.id_for_name("French") is not None
    assert len(host.changes) == 1


# -- getReviewsOfCards -------------------------------------------------------------------


def test_reviews_of_cards(call: ApiClient, history: dict[str, int]) -> None:
    uno, hello = history["uno"], history["hello"]
    result = call("getReviewsOfCards", cards=[hello, uno, 12345])
    assert result == {
        str(hello): [
            {"id": 1712199000000, "usn": -1, "ease": 3, "ivl": 3, "lastIvl": 1, "factor": 2500, "time": 6000, "type": 1}
        ],
        str(uno): [
            {
                "id": 1712100000000,
                "usn": -1,
                "ease": 3,
                "ivl": 3,
                "lastIvl": 1,
                "factor": 2500,
                "time": 6000,
                "type": 0,
            },
            {
                "id": 1712190000000,
                "usn": -1,
                "ease": 3,
                "ivl": 3,
                "lastIvl": 1,
                "factor": 2500,
                "time": 6000,
                "type": 1,
            },
        ],
        "12345": [],
    }
    assert list(result) == [str(hello), str(uno), "12345"]


def test_reviews_of_cards_sent_as_strings_are_empty(call: ApiClient, history: dict[str, int]) -> None:
    # as in the original's newer releases (its 2023 releases looked them up)
    uno = history["uno"]
    assert call("getReviewsOfCards", cards=[str(uno)]) == {str(uno): []}
    assert len(call("getReviewsOfCards", cards=[str(uno), uno])[str(uno)]) == 2


def test_reviews_of_many_cards(call: ApiClient, col: Collection) -> None:
    # revlog rows need no card, which lets this cover several query batches cheaply
    card_ids = list(range(1, 3001))
    col.db.executemany(
        f"insert into revlog ({COLUMNS}) values (?, ?, 0, 3, 1, 1, 2500, 1000, 1)",
        [[1712100000000 + card_id, card_id] for card_id in card_ids if card_id % 1000 in (1, 999)],
    )
    result = call("getReviewsOfCards", cards=card_ids)
    assert len(result) == 3000
    with_reviews = {key: [review["id"] for review in reviews] for key, reviews in result.items() if reviews}
    assert with_reviews == {str(card_id): [1712100000000 + card_id] for card_id in (1, 999, 1001, 1999, 2001, 2999)}


@pytest.mark.parametrize(
    ("cards", "message"),
    [
        (5, "cards must be a list of card ids, not 5"),
        ([1, None], "cards must be a list of card ids, not [1, null]"),
        ([[1]], "cards must be a list of card ids, not [[1]]"),
    ],
)
def test_reviews_of_cards_needs_a_list(call: ApiClient, cards: Any, message: str) -> None:
    assert call.error("getReviewsOfCards", cards=cards) == message


# -- insertReviews -----------------------------------------------------------------------


def test_insert_reviews_writes_rows_anki_reads_back(call: ApiClient, col: Collection, host: RecordingHost) -> None:
    card = add_card(col, "uno")
    col.db.execute("update col set mod = 1")
    reviews = [
        [1712100000000, card, -1, 3, -600, 0, 2500, 5400, 0],
        [1712190000000, card, -1, 4, 7, 3, 2650, 4200, 1],
    ]
    assert call("insertReviews", reviews=reviews) is None
    assert revlog(col) == reviews
    logged = col.card_stats_data(card).revlog  # type: ignore[arg-type]
    assert sorted((entry.time, entry.button_chosen, entry.review_kind) for entry in logged) == [
        (1712100000, 3, 0),
        (1712190000, 4, 1),
    ]
    assert col.mod > 1  # the collection counts as modified, so the next sync sends the rows
    assert host.changes == [None]


def test_insert_reviews_accepts_numbers_written_other_ways(call: ApiClient, col: Collection) -> None:
    # the original pasted values into SQL, so numeric strings worked
    assert call("insertReviews", reviews=[["1712100000000", 5, "-1", 3, 1.0, -600, 2500, " 42 ", 1]]) is None
    assert revlog(col) == [[1712100000000, 5, -1, 3, 1, -600, 2500, 42, 1]]


def test_insert_reviews_of_nothing(call: ApiClient, col: Collection, host: RecordingHost) -> None:
    assert call("insertReviews", reviews=[]) is None
    assert revlog(col) == []
    assert host.changes == []


GOOD = [1712100000000, 5, -1, 3, 1, -600, 2500, 5400, 0]


def row(**changes: Any) -> list[Any]:
    values = dict(zip(COLUMNS.split(", "), GOOD))
    values.update(changes)
    return list(values.values())


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (GOOD[:8], "reviews[1]: 8 values for 9 columns (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"),
        ([*GOOD, 0], "reviews[1]: 10 values for 9 columns (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"),
        ("1,2,3", 'reviews[1] must be a list of 9 integers, not "1,2,3"'),
        (row(id=0), "reviews[1]: id must be between 1 and 9223372036854775807, not 0"),
        (row(cid=None), "reviews[1]: cid must be an integer, not null"),
        (row(ease=5), "reviews[1]: ease must be between 0 and 4, not 5"),
        (row(ease=True), "reviews[1]: ease must be an integer, not true"),
        (row(ivl=2**31), "reviews[1]: ivl must be between -2147483648 and 2147483647, not 2147483648"),
        (row(factor=-1), "reviews[1]: factor must be between 0 and 4294967295, not -1"),
        (row(time=2.5), "reviews[1]: time must be an integer, not 2.5"),
        (row(type=6), "reviews[1]: type must be between 0 and 5, not 6"),
        (row(type="review"), 'reviews[1]: type must be an integer, not "review"'),
        (
            row(id=1712100000001),
            "reviews[2]: id 1712100000001 is also the id of reviews[1] (UNIQUE constraint failed: revlog.id)",
        ),
    ],
)
def test_insert_reviews_writes_nothing_unless_every_row_is_valid(
    call: ApiClient, col: Collection, bad: Any, message: str
) -> None:
    first = row(id=1712000000000)
    last = row(id=1712100000001)
    assert call.error("insertReviews", reviews=[first, bad, last]) == message
    assert revlog(col) == []


def test_insert_reviews_refuses_ids_already_in_the_log(call: ApiClient, col: Collection) -> None:
    card = add_card(col, "uno")
    log_review(col, card, 1712150000000)
    rows = [row(id=1712100000000), row(id=1712150000000), row(id=1712190000000)]
    message = "reviews[1]: id 1712150000000 is already in the review log (UNIQUE constraint failed: revlog.id)"
    assert call.error("insertReviews", reviews=rows) == message
    assert [r[0] for r in revlog(col)] == [1712150000000]


def test_insert_reviews_needs_a_list(call: ApiClient) -> None:
    assert call.error("insertReviews", reviews={"id": 1}) == 'reviews must be a list of review rows, not {"id": 1}'


def test_insert_many_reviews_then_read_them(call: ApiClient, col: Collection) -> None:
    card = add_card(col, "uno", "Spanish")
    reviews = [[1712000000000 + n, card, -1, 3, 1, 1, 2500, 1000, 1] for n in range(2500)]
    assert call("insertReviews", reviews=reviews) is None
    assert len(call("getReviewsOfCards", cards=[card])[str(card)]) == 2500
    assert call("getLatestReviewID", deck="Spanish") == 1712000002499
    assert len(call("cardReviews", deck="Spanish", startID=1712000001999)) == 500
