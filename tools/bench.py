"""The benchmark: real Anki with the add-on, measured over HTTP against the same work done in-process.

    python -m tools.bench [--runs 5] [--json FILE] [--keep]

It builds its own data (a 100,000-note collection, built in-process before Anki
starts and cached in `.bench/`) and starts real Anki offscreen on a copy of it.
Every collection figure is measured twice on the same data: over HTTP (the
client encodes the request and decodes the reply, both counted) and directly
on an `anki.collection.Collection` opened in this process on another copy (the
floor: the obvious per-item loop with Anki's own calls, producing the same
output as the action, which is checked). The two sides take turns in blocks
of runs, so that load from other processes on the machine falls on both.
Figures are medians over at least `--runs` runs after one warm-up run (short
workloads run more often). Beside each figure: the CPU time of the client
and of Anki's main thread against the floor's, and how long Anki waited for
a CPU. It prints a table, the targets and the figures as JSON.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import orjson
from anki.collection import AddNoteRequest, Collection

from tools.anki_sandbox import PROFILE, ROOT, AnkiProcess, launch, prepare_base

CACHE = ROOT / ".bench"
DATA_VERSION = 3  # bump when build_collection changes
BIG_NOTES = 100_000
BIG_DECK = "Bench::Big"
WORK_DECK = "Bench::Work"
INFO_DECK = "Bench::Info"
CARDS_DECK = "Bench::Cards"
INFO_NOTES = 2_000
CARD_NOTES = 2_000  # two cards each
CANDIDATES = 1_000
MULTI_ACTIONS = 200
MEDIA_BYTES = 5 * 1024 * 1024
LATENCY_REQUESTS = 300
CLIENTS = 4
VERSION_REQUEST = b'{"action": "version", "version": 6}'
BEATS_THE_FLOOR = 0.9
"""A ratio below this is reported as beating the floor (closer to 1 is within the noise)."""
MAX_RUNS = 40
SECONDS_PER_WORKLOAD = 2.0
"""A workload runs at least --runs times, and more (up to MAX_RUNS) while it has taken less than this."""
BLOCK_RUNS = 5
BLOCK_SECONDS = 0.25
"""The two sides take turns in blocks of up to BLOCK_RUNS runs lasting about BLOCK_SECONDS: each side
is measured in its steady state (a short run right after the other side's finds the CPU caches cold,
which costs the larger process, Anki, most), and blocks stay short enough that a change in the
machine's speed falls on both sides."""
SETTLE_SECONDS = 3.0
"""Anki finishes starting up (deck list, add-on checks) after the API answers."""
UNICODE_ISOLATION = {ord("\u2068"): None, ord("\u2069"): None}


# -- HTTP client ---------------------------------------------------------------------------


class Connection:
    """A raw keep-alive HTTP/1.1 connection: the client adds as little as possible to the figures."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = bytearray()

    def send(self, payload: bytes) -> bytes:
        """POST `payload`, return the reply's body."""
        head = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % len(payload)
        if len(payload) < 65536:
            self.sock.sendall(head + payload)  # one segment
        else:  # no copy of a large body
            self.sock.sendall(head)
            self.sock.sendall(payload)
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self._receive()
        length = next(
            int(line.split(b":")[1])
            for line in bytes(self.buffer[:end]).split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        start = end + 4
        while len(self.buffer) < start + length:
            self._receive()
        with memoryview(self.buffer) as view:  # one copy of the body
            body = bytes(view[start : start + length])
        del self.buffer[: start + length]
        return body

    def _receive(self) -> None:
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("closed by the server")
        self.buffer += chunk

    def close(self) -> None:
        self.sock.close()


def version_on_new_connection(port: int) -> None:
    conn = Connection(port)
    try:
        conn.send(VERSION_REQUEST)
    finally:
        conn.close()


def call(conn: Connection, action: str, **params: Any) -> Any:
    """One action with version 6: encode, send, decode (all three are part of what is measured).

    The client encodes and decodes with orjson (which Anki's own venv has), the
    speed of a Node or browser client's JSON.parse, so that the figures show
    what the add-on costs rather than what Python's json module costs a client:
    with the standard library, decoding 100,000 ids alone takes about 9 ms.
    """
    reply = orjson.loads(conn.send(orjson.dumps({"action": action, "version": 6, "params": params})))
    if reply["error"] is not None:
        raise RuntimeError(f"{action}: {reply['error']}")
    return reply["result"]


# -- data ----------------------------------------------------------------------------------


def build_collection(path: Path) -> None:
    """100,000 notes in one deck, plus decks for the smaller workloads."""
    col = Collection(str(path))
    try:
        basic = col.models.by_name("Basic")
        reverse = col.models.by_name("Basic (and reversed card)")
        assert basic is not None and reverse is not None
        big, info, cards = col.decks.id(BIG_DECK), col.decks.id(INFO_DECK), col.decks.id(CARDS_DECK)
        assert big is not None and info is not None and cards is not None
        col.decks.id(WORK_DECK)
        requests = []
        for i in range(BIG_NOTES):
            note = col.new_note(basic)
            note["Front"], note["Back"] = f"word{i}", f"meaning {i}"
            requests.append(AddNoteRequest(note, big))
        for i in range(INFO_NOTES):
            note = col.new_note(basic)
            note["Front"], note["Back"] = f"info {i}", f"<i>details</i> of {i}"
            note.tags = ["bench", f"group{i % 10}"]
            requests.append(AddNoteRequest(note, info))
        for i in range(CARD_NOTES):
            note = col.new_note(reverse)
            note["Front"], note["Back"] = f"<b>front {i}</b>", f"back {i}"
            requests.append(AddNoteRequest(note, cards))
        col.add_notes(requests)
        # Anki's periodic optimisation gives real collections planner statistics;
        # without them SQLite picks a poor index for duplicate checks.
        assert col.db is not None
        col.db.execute("analyze")
    finally:
        col.close()


def cached_collection() -> Path:
    cached = CACHE / f"collection-{BIG_NOTES}-v{DATA_VERSION}.anki2"
    if not cached.exists():
        CACHE.mkdir(exist_ok=True)
        print(f"building a {BIG_NOTES:,}-note collection in {cached} (once) ...", flush=True)
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        build_collection(partial)
        partial.rename(cached)
    return cached


def prepared_base(collection: Path) -> Path:
    """A sandbox base whose profile holds a copy of `collection`."""
    base = Path(tempfile.mkdtemp(prefix="ankiconnect-bench-"))
    prepare_base(base)
    (base / PROFILE).mkdir(exist_ok=True)
    shutil.copy(collection, base / PROFILE / "collection.anki2")
    return base


# -- the workloads: the same work over HTTP and in-process ----------------------------------


@dataclass
class Workload:
    name: str
    http: Callable[[int], Any]
    """Run `run` over HTTP; returns the client's decoded result."""
    floor: Callable[[int], Any]
    """Run `run` in-process; returns the same result."""
    same: Callable[[Any, Any], bool] = lambda http, floor: bool(http == floor)
    target: str = "ratio"
    """"ratio": the HTTP figure must be <= 1.3x the floor; "media": <= 0.15 s."""


def note_specs(prefix: str, count: int, deck: str) -> list[dict[str, Any]]:
    return [
        {"deckName": deck, "modelName": "Basic", "fields": {"Front": f"{prefix} {i}", "Back": "x"}, "tags": ["bench"]}
        for i in range(count)
    ]


def candidate_specs() -> list[dict[str, Any]]:
    """Half duplicates of the 100,000 notes, half new words."""
    return [
        {
            "deckName": BIG_DECK,
            "modelName": "Basic",
            "fields": {"Front": f"word{i * 97 % BIG_NOTES}" if i % 2 else f"unseen{i}", "Back": "x"},
            "options": {"allowDuplicate": False},
        }
        for i in range(CANDIDATES)
    ]


def floor_new_note(col: Collection, spec: dict[str, Any]) -> Any:
    note = col.new_note(col.models.by_name(spec["modelName"]))  # type: ignore[arg-type]
    for name, value in spec["fields"].items():
        note[name] = value
    note.tags = list(spec.get("tags", []))
    return note


def floor_add_notes(col: Collection, specs: list[dict[str, Any]]) -> list[int]:
    """addNotes refuses empty and duplicate notes, so the loop checks each note as Anki's Add window does."""
    from anki.notes import NoteFieldsCheckResult

    ids = []
    for spec in specs:
        note = floor_new_note(col, spec)
        deck_id = col.decks.id_for_name(spec["deckName"])
        if note.fields_check() != NoteFieldsCheckResult.NORMAL:
            raise ValueError("cannot add")
        col.add_note(note, deck_id)  # type: ignore[arg-type]
        ids.append(note.id)
    return ids


def floor_notes_info(col: Collection, note_ids: Sequence[int]) -> list[dict[str, Any]]:
    result = []
    for note_id in note_ids:
        note = col.get_note(note_id)  # type: ignore[arg-type]
        model = note.note_type()
        assert model is not None
        result.append(
            {
                "noteId": note.id,
                "profile": PROFILE,
                "tags": note.tags,
                "fields": {name: {"value": value, "order": i} for i, (name, value) in enumerate(note.items())},
                "modelName": model["name"],
                "mod": note.mod,
                "cards": list(note.card_ids()),
            }
        )
    return result


def floor_cards_info(col: Collection, card_ids: Sequence[int]) -> list[dict[str, Any]]:
    from anki.scheduler.v3 import Scheduler

    assert isinstance(col.sched, Scheduler)
    result = []
    for card_id in card_ids:
        card = col.get_card(card_id)  # type: ignore[arg-type]
        note = card.note()
        model = card.note_type()
        states = col._backend.get_scheduling_states(card.id)
        result.append(
            {
                "cardId": card.id,
                "fields": {name: {"value": value, "order": i} for i, (name, value) in enumerate(note.items())},
                "fieldOrder": card.ord,
                "question": card.question(),
                "answer": card.answer(),
                "modelName": model["name"],
                "ord": card.ord,
                "deckName": col.decks.name(card.did),
                "css": model["css"],
                "factor": card.factor,
                "interval": card.ivl,
                "note": card.nid,
                "type": card.type,
                "queue": card.queue,
                "due": card.due,
                "reps": card.reps,
                "lapses": card.lapses,
                "left": card.left,
                "mod": card.mod,
                "nextReviews": [label.translate(UNICODE_ISOLATION) for label in col.sched.describe_next_states(states)],
                "flags": card.flags,
            }
        )
    return result


def floor_can_add(col: Collection, specs: list[dict[str, Any]]) -> list[bool]:
    from anki.notes import NoteFieldsCheckResult

    return [floor_new_note(col, spec).fields_check() == NoteFieldsCheckResult.NORMAL for spec in specs]


def floor_can_add_detail(col: Collection, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from anki.notes import NoteFieldsCheckResult

    messages = {
        NoteFieldsCheckResult.EMPTY: "cannot create note because it is empty",
        NoteFieldsCheckResult.DUPLICATE: "cannot create note because it is a duplicate",
    }
    result: list[dict[str, Any]] = []
    for spec in specs:
        state = floor_new_note(col, spec).fields_check()
        if state == NoteFieldsCheckResult.NORMAL:
            result.append({"canAdd": True})
        else:
            result.append({"canAdd": False, "error": messages.get(state, "cannot create note for unknown reason")})
    return result


def floor_multi(col: Collection, actions: list[dict[str, Any]]) -> list[Any]:
    """What a client would otherwise do one request at a time, done in-process."""
    result: list[Any] = []
    for element in actions:
        params = element["params"]
        if element["action"] == "findNotes":
            result.append(list(col.find_notes(params["query"])))
        else:
            result.append(floor_notes_info(col, params["notes"]))
    return result


def multi_actions(note_ids: Sequence[int]) -> list[dict[str, Any]]:
    """A sync script's batch: look a note up by id, read it (half findNotes, half notesInfo)."""
    actions: list[dict[str, Any]] = []
    for note_id in note_ids[: MULTI_ACTIONS // 2]:
        actions.append({"action": "findNotes", "params": {"query": f"nid:{note_id}"}})
        actions.append({"action": "notesInfo", "params": {"notes": [note_id]}})
    return actions


def same_ignoring_ids(http: list[Any], floor: list[Any]) -> bool:
    """Added notes get new ids on each side: compare how many were added."""
    return len(http) == len(floor)


def workloads(port: int, col: Collection) -> list[Workload]:
    conn = Connection(port)
    big_ids = list(col.find_notes(f'"deck:{BIG_DECK}"'))
    sample_ids = big_ids[:: BIG_NOTES // 1_000][:1_000]
    candidates = candidate_specs()
    info_query = f'"deck:{INFO_DECK}"'
    cards_query = f'"deck:{CARDS_DECK}"'
    multi = multi_actions(big_ids[1::499])
    media = os.urandom(MEDIA_BYTES)
    media_text = base64.b64encode(media).decode("ascii")

    def store_media(run: int) -> Any:
        fresh = Connection(port)  # an upload is usually a request of its own
        try:
            return call(fresh, "storeMediaFile", filename=f"_bench{run}.bin", data=media_text)
        finally:
            fresh.close()

    return [
        Workload(
            "addNotes 2,000 notes",
            http=lambda run: call(conn, "addNotes", notes=note_specs(f"http{run}", 2_000, WORK_DECK)),
            floor=lambda run: floor_add_notes(col, note_specs(f"floor{run}", 2_000, WORK_DECK)),
            same=same_ignoring_ids,
        ),
        Workload(
            "findNotes + notesInfo 2,000 notes",
            http=lambda _: call(conn, "notesInfo", notes=call(conn, "findNotes", query=info_query)),
            floor=lambda _: floor_notes_info(col, col.find_notes(info_query)),
        ),
        Workload(
            "findCards + cardsInfo 4,000 cards",
            http=lambda _: call(conn, "cardsInfo", cards=call(conn, "findCards", query=cards_query)),
            floor=lambda _: floor_cards_info(col, col.find_cards(cards_query)),
        ),
        Workload(
            "canAddNotes 1,000 on 100,000",
            http=lambda _: call(conn, "canAddNotes", notes=candidates),
            floor=lambda _: floor_can_add(col, candidates),
        ),
        Workload(
            "canAddNotesWithErrorDetail 1,000 on 100,000",
            http=lambda _: call(conn, "canAddNotesWithErrorDetail", notes=candidates),
            floor=lambda _: floor_can_add_detail(col, candidates),
        ),
        Workload(
            "findNotes of 100,000 ids",
            http=lambda _: call(conn, "findNotes", query=f'"deck:{BIG_DECK}"'),
            floor=lambda _: list(col.find_notes(f'"deck:{BIG_DECK}"')),
        ),
        Workload(
            "notesInfo 1,000 on 100,000",
            http=lambda _: call(conn, "notesInfo", notes=sample_ids),
            floor=lambda _: floor_notes_info(col, sample_ids),
        ),
        Workload(
            f"multi of {MULTI_ACTIONS} actions on 100,000",
            http=lambda _: call(conn, "multi", actions=multi),
            floor=lambda _: floor_multi(col, multi),
        ),
        Workload(
            "storeMediaFile 5 MiB",
            http=store_media,
            floor=lambda run: col.media.write_data(f"_bench{run}.bin", media),
            target="media",
        ),
    ]


# -- measuring -----------------------------------------------------------------------------


@dataclass
class Sample:
    """One run of one side: wall time, CPU time; over HTTP also Anki's share of it and its wait for a CPU."""

    wall: float
    cpu: float
    anki_cpu: float = 0.0
    waited: float = 0.0


@dataclass
class Row:
    name: str
    http: Sample
    floor: Sample
    same_output: bool
    target: str
    runs: int

    @property
    def ratio(self) -> float:
        return self.http.wall / self.floor.wall

    @property
    def cpu_ratio(self) -> float:
        return self.http.cpu / self.floor.cpu

    @property
    def anki_cpu_ratio(self) -> float:
        """The add-on's own share: Anki's main thread alone against the floor."""
        return self.http.anki_cpu / self.floor.cpu


class MainThread:
    """CPU time of Anki's main thread, and its time spent runnable but waiting for a CPU.

    Read from /proc/PID/schedstat (nanoseconds). All of the add-on's work runs
    on that thread, Anki's backend calls included. The wait shows what load from
    other processes added to a wall-clock figure.
    """

    def __init__(self, pid: int) -> None:
        self.path = Path(f"/proc/{pid}/schedstat")

    def read(self) -> tuple[float, float]:
        try:
            cpu, waited = self.path.read_text(encoding="ascii").split()[:2]
        except (OSError, ValueError):  # not Linux, or no scheduler statistics
            return 0.0, 0.0
        return int(cpu) / 1e9, int(waited) / 1e9


def run_http(work: Callable[[int], Any], run: int, anki: MainThread) -> tuple[Sample, Any]:
    """Wall time; CPU time of this client plus Anki's main thread."""
    anki_cpu, anki_waited = anki.read()
    cpu, start = time.process_time(), time.perf_counter()
    result = work(run)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    anki_cpu_after, anki_waited_after = anki.read()
    anki_cpu = anki_cpu_after - anki_cpu
    return Sample(wall, cpu + anki_cpu, anki_cpu, anki_waited_after - anki_waited), result


def run_floor(work: Callable[[int], Any], run: int) -> tuple[Sample, Any]:
    cpu, start = time.process_time(), time.perf_counter()
    result = work(run)
    return Sample(time.perf_counter() - start, time.process_time() - cpu), result


def median_sample(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        statistics.median(s.anki_cpu for s in samples),
        statistics.median(s.waited for s in samples),
    )


@contextmanager
def one_cpu(anki_pid: int) -> Iterator[int | None]:
    """Run this thread (client and floor) and Anki's main thread on the same CPU meanwhile.

    The machine's CPUs are virtual and do not run at one speed: the same loop
    took 127 ms on one and 210 ms on the other a moment later. A ratio between
    two processes on different CPUs measures that difference too; on one CPU
    both sides get the same speed (the client and Anki take turns anyway).
    Yields the CPU, or None where affinity cannot be set (not Linux).
    """
    if not hasattr(os, "sched_setaffinity"):
        yield None
        return
    allowed = os.sched_getaffinity(0)
    anki_allowed = os.sched_getaffinity(anki_pid)
    cpu = max(allowed & anki_allowed)
    os.sched_setaffinity(0, {cpu})
    os.sched_setaffinity(anki_pid, {cpu})  # the process id is its main thread's id
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, allowed)
        try:
            os.sched_setaffinity(anki_pid, anki_allowed)
        except ProcessLookupError:
            pass


def measure_collection(anki: AnkiProcess, col: Collection, runs: int) -> list[Row]:
    main_thread = MainThread(anki.process.pid)
    rows = []
    for workload in workloads(anki.port, col):
        http_samples: list[Sample] = []
        floor_samples: list[Sample] = []
        warm_up = time.perf_counter()
        http_result, floor_result = workload.http(0), workload.floor(0)
        block_runs = max(1, min(BLOCK_RUNS, int(BLOCK_SECONDS / (time.perf_counter() - warm_up))))
        started = time.perf_counter()
        run = 1
        while len(http_samples) < runs or (
            len(http_samples) < MAX_RUNS and time.perf_counter() - started < SECONDS_PER_WORKLOAD
        ):
            block = range(run, run + block_runs)
            for number in block:
                sample, http_result = run_http(workload.http, number, main_thread)
                http_samples.append(sample)
            for number in block:
                sample, floor_result = run_floor(workload.floor, number)
                floor_samples.append(sample)
            run += block_runs
        row = Row(
            workload.name,
            median_sample(http_samples),
            median_sample(floor_samples),
            workload.same(http_result, floor_result),
            workload.target,
            len(http_samples),
        )
        print(
            f"  {row.name:<44} {row.http.wall:8.4f}s {row.floor.wall:8.4f}s {row.ratio:6.2f}x ({row.runs} runs)",
            flush=True,
        )
        rows.append(row)
    return rows


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def latency_run(port: int, anki: MainThread) -> dict[str, float]:
    """`version` on a fresh connection each time: connect, send, read the reply, close."""
    samples = []
    _, waited = anki.read()
    for _ in range(LATENCY_REQUESTS):
        start = time.perf_counter()
        version_on_new_connection(port)
        samples.append(time.perf_counter() - start)
    figures = {f"p{p}_ms": percentile(samples, p / 100) * 1e3 for p in (50, 90, 99)}
    figures["anki_waited_ms"] = (anki.read()[1] - waited) * 1e3
    return figures


def latency(anki: AnkiProcess, runs: int) -> dict[str, Any]:
    main_thread = MainThread(anki.process.pid)
    for _ in range(LATENCY_REQUESTS):  # warm-up, not counted
        version_on_new_connection(anki.port)
    results = [latency_run(anki.port, main_thread) for _ in range(runs)]
    figures: dict[str, Any] = {key: statistics.median(r[key] for r in results) for key in results[0]}
    figures["runs"] = results
    return figures


def throughput(port: int, keep_alive: bool, per_client: int = 1_500) -> float:
    """Requests per second of `CLIENTS` threads sending `version` as fast as they are answered."""
    barrier = threading.Barrier(CLIENTS + 1)

    def client() -> None:
        barrier.wait()
        if keep_alive:
            conn = Connection(port)
            for _ in range(per_client):
                conn.send(VERSION_REQUEST)
            conn.close()
            return
        for _ in range(per_client):
            version_on_new_connection(port)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return CLIENTS * per_client / (time.perf_counter() - start)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def measure_memory(anki: AnkiProcess) -> dict[str, Any]:
    """Anki's resident memory before and after 10,000 `version` and 2,000 `notesInfo` requests."""
    conn = Connection(anki.port)
    pid = anki.process.pid
    ids = call(conn, "findNotes", query=f'"deck:{INFO_DECK}"')[:20]
    for _ in range(500):  # warm up caches before the first reading
        conn.send(VERSION_REQUEST)
        call(conn, "notesInfo", notes=ids)
    before = rss_kib(pid)
    for i in range(10_000):
        if i % 2:
            conn.send(VERSION_REQUEST)
        else:  # half on new connections
            version_on_new_connection(anki.port)
    for _ in range(2_000):
        call(conn, "notesInfo", notes=ids)
    after = rss_kib(pid)
    conn.close()
    return {
        "rss_before_mib": before / 1024,
        "rss_after_mib": after / 1024,
        "growth_mib": (after - before) / 1024,
        "requests": 12_000,
    }


# -- report --------------------------------------------------------------------------------


def report(
    lat: dict[str, Any],
    rps: dict[str, float],
    rows: list[Row],
    memory: dict[str, Any],
    load: dict[str, Any],
    runs: int,
) -> dict[str, Any]:
    checks: list[tuple[str, str, bool]] = []
    print()
    print(f"Round trip of `version` on a fresh connection ({LATENCY_REQUESTS} requests, median of {runs} runs)")
    print(f"  p50 {lat['p50_ms']:.3f} ms   p90 {lat['p90_ms']:.3f} ms   p99 {lat['p99_ms']:.3f} ms")
    each = ", ".join(f"{r['p99_ms']:.2f}" for r in lat["runs"])
    waits = ", ".join(f"{r['anki_waited_ms']:.0f}" for r in lat["runs"])
    print(f"  p99 of each run: {each} ms; Anki waited for a CPU {waits} ms in each run")
    checks.append(("version p50 <= 1 ms", f"{lat['p50_ms']:.3f} ms", lat["p50_ms"] <= 1.0))
    checks.append(("version p99 <= 5 ms", f"{lat['p99_ms']:.3f} ms", lat["p99_ms"] <= 5.0))
    print()
    print(f"Requests per second, {CLIENTS} concurrent clients sending `version` (median of 3 runs)")
    for name, per_second in rps.items():
        print(f"  {name:<45} {per_second:>10,.0f}/s")
    new = rps["new connection per request"]
    checks.append((f">= 1,000 requests/s with {CLIENTS} clients (new connection each)", f"{new:,.0f}/s", new >= 1_000))
    print()
    pinned = load.get("collection_work_cpu")
    heading = "Collection work (medians)" if pinned is None else f"Collection work (medians, all on CPU {pinned})"
    print(
        f"{heading:<46} {'over HTTP':>10} {'in-process':>10} {'ratio':>6}   {'CPU: all':>8} {'Anki':>6}"
        f" {'waited':>8} {'runs':>4}  same"
    )
    for row in rows:
        print(
            f"  {row.name:<44} {row.http.wall:>9.4f}s {row.floor.wall:>9.4f}s {row.ratio:>5.2f}x"
            f"   {row.cpu_ratio:>7.2f}x {row.anki_cpu_ratio:>5.2f}x {row.http.waited * 1e3:>6.1f}ms"
            f" {row.runs:>4}  {'yes' if row.same_output else 'NO'}"
        )
        if row.target == "media":
            checks.append((f"{row.name} <= 0.15 s", f"{row.http.wall:.4f} s", row.http.wall <= 0.15))
        else:
            beats = " (beats the floor)" if row.ratio < BEATS_THE_FLOOR else ""
            checks.append((f"{row.name} <= 1.3x floor", f"{row.ratio:.2f}x{beats}", row.ratio <= 1.3))
        checks.append((f"{row.name}: same output as the floor", "yes" if row.same_output else "no", row.same_output))
    print(
        "  (CPU: all = CPU time of the client and of Anki's main thread, Anki = its main thread alone, each against"
        "\n   the floor's CPU time; waited = time Anki's main thread was runnable but had no CPU: load from other"
        "\n   processes, and on a shared CPU the client finishing its turn)"
    )
    print()
    print(
        f"Anki's resident memory: {memory['rss_before_mib']:.1f} MiB before, {memory['rss_after_mib']:.1f} MiB after "
        f"{memory['requests']:,} requests (growth {memory['growth_mib']:+.2f} MiB)"
    )
    checks.append(
        ("memory growth over 12,000 requests < 5 MiB", f"{memory['growth_mib']:+.2f} MiB", memory["growth_mib"] < 5)
    )
    print()
    print(f"Load average (1 min) at start {load['start']:.2f}, at end {load['end']:.2f}, on {load['cpus']} CPUs")
    print()
    print("Targets")
    for label, value, ok in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {label}: {value}")
    all_met = all(ok for _, _, ok in checks)
    print(f"\n{'every target met' if all_met else 'some targets missed'}")
    return {
        "latency": lat,
        "requests_per_second": rps,
        "collection": [
            {
                "name": row.name,
                "http_s": row.http.wall,
                "floor_s": row.floor.wall,
                "ratio": row.ratio,
                "http_cpu_s": row.http.cpu,
                "floor_cpu_s": row.floor.cpu,
                "cpu_ratio": row.cpu_ratio,
                "anki_cpu_ratio": row.anki_cpu_ratio,
                "anki_waited_s": row.http.waited,
                "runs": row.runs,
                "same_output": row.same_output,
            }
            for row in rows
        ],
        "memory": memory,
        "load_average": load,
        "runs": runs,
        "targets": [{"target": label, "value": value, "met": ok} for label, value, ok in checks],
        "all_targets_met": all_met,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the sandbox folders")
    args = parser.parse_args(argv)

    load = {"start": os.getloadavg()[0], "cpus": os.cpu_count()}
    collection = cached_collection()
    base = prepared_base(collection)
    floor_dir = Path(tempfile.mkdtemp(prefix="ankiconnect-floor-"))
    shutil.copy(collection, floor_dir / "collection.anki2")
    print("starting Anki ...", flush=True)
    anki = launch(base, prepare=False)
    col = Collection(str(floor_dir / "collection.anki2"))
    try:
        anki.wait_until_serving()
        time.sleep(SETTLE_SECONDS)
        print("latency and throughput ...", flush=True)
        lat = latency(anki, args.runs)
        rps = {
            "new connection per request": statistics.median(throughput(anki.port, False) for _ in range(3)),
            "one kept-alive connection per client": statistics.median(throughput(anki.port, True) for _ in range(3)),
        }
        print("collection work, over HTTP and in-process ...", flush=True)
        with one_cpu(anki.process.pid) as cpu:
            rows = measure_collection(anki, col, args.runs)
        load["collection_work_cpu"] = cpu
        print("memory ...", flush=True)
        memory = measure_memory(anki)
    finally:
        col.close()
        anki.stop()
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
            shutil.rmtree(floor_dir, ignore_errors=True)
    load["end"] = os.getloadavg()[0]
    result = report(lat, rps, rows, memory, load, args.runs)
    text = json.dumps(result, indent=2)
    print("\nJSON:")
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
