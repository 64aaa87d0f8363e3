"""The benchmark: real Anki with the add-on, measured over HTTP against the same work done in-process.

    python -m tools.bench [--runs 5] [--json FILE] [--keep]

It builds its own data (a 100,000-note collection, built in-process before Anki
starts and cached in `.bench/`), measures each figure over HTTP against real
Anki running offscreen, measures the same work directly on an
`anki.collection.Collection` (the floor: the obvious per-item loop with Anki's
own calls) on a copy of the same data, and prints a table, the ratios and the
targets, then the figures as JSON. Figures are medians over `--runs` runs.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from anki.collection import AddNoteRequest, Collection

from tools.anki_sandbox import PROFILE, ROOT, AnkiProcess, launch, prepare_base

CACHE = ROOT / ".bench"
DATA_VERSION = 2  # bump when build_collection changes
BIG_NOTES = 100_000
BIG_DECK = "Bench::Big"
WORK_DECK = "Bench::Work"
CARDS_DECK = "Bench::Cards"
CANDIDATES = 1_000
MEDIA_BYTES = 5 * 1024 * 1024


# -- HTTP client ---------------------------------------------------------------------------


class Connection:
    """A raw keep-alive HTTP connection: the client adds as little as possible to the figures."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def send(self, payload: bytes) -> bytes:
        self.sock.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % len(payload) + payload)
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        )
        while len(rest) < length:
            rest += self._recv()
        self.buffer = rest[length:]
        return rest[:length]

    def _recv(self) -> bytes:
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("closed by the server")
        return chunk

    def _fill(self) -> None:
        self.buffer += self._recv()

    def close(self) -> None:
        self.sock.close()


def call(port: int, action: str, connection: Connection | None = None, **params: Any) -> Any:
    own = connection is None
    conn = connection or Connection(port)
    try:
        reply = json.loads(conn.send(json.dumps({"action": action, "version": 6, "params": params}).encode()))
    finally:
        if own:
            conn.close()
    if reply["error"] is not None:
        raise RuntimeError(f"{action}: {reply['error']}")
    return reply["result"]


# -- data ----------------------------------------------------------------------------------


def build_collection(path: Path) -> None:
    """100,000 notes in one deck, plus decks for the smaller workloads."""
    col = Collection(str(path))
    try:
        model = col.models.by_name("Basic")
        assert model is not None
        big = col.decks.id(BIG_DECK)
        assert big is not None
        requests = []
        for i in range(BIG_NOTES):
            note = col.new_note(model)
            note["Front"], note["Back"] = f"word{i}", f"meaning {i}"
            requests.append(AddNoteRequest(note, big))
        col.add_notes(requests)
        work, cards = col.decks.id(WORK_DECK), col.decks.id(CARDS_DECK)
        assert work is not None and cards is not None
        reverse = col.models.by_name("Basic (and reversed card)")
        assert reverse is not None
        requests = []
        for i in range(2_000):
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


def prepared_base() -> Path:
    """A sandbox base whose profile holds the benchmark collection (built once, then copied)."""
    cached = CACHE / f"collection-{BIG_NOTES}-v{DATA_VERSION}.anki2"
    if not cached.exists():
        CACHE.mkdir(exist_ok=True)
        print(f"building a {BIG_NOTES:,}-note collection in {cached} (once) ...", flush=True)
        build_collection(cached)
    base = Path(tempfile.mkdtemp(prefix="ankiconnect-bench-"))
    prepare_base(base)
    (base / PROFILE).mkdir(exist_ok=True)
    shutil.copy(cached, base / PROFILE / "collection.anki2")
    return base


# -- figures -------------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    seconds: float | None = None
    floor: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.seconds is None or not self.floor:
            return None
        return self.seconds / self.floor


def median_of(runs: int, measure: Callable[[int], float]) -> float:
    return statistics.median(measure(run) for run in range(runs))


def timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def latency(port: int, count: int = 300) -> dict[str, float]:
    payload = b'{"action": "version", "version": 6}'
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        conn = Connection(port)
        conn.send(payload)
        samples.append(time.perf_counter() - start)
        conn.close()
    return {
        "p50_ms": percentile(samples, 0.5) * 1e3,
        "p90_ms": percentile(samples, 0.9) * 1e3,
        "p99_ms": percentile(samples, 0.99) * 1e3,
    }


def throughput(port: int, clients: int = 4, per_client: int = 1_500, keep_alive: bool = False) -> float:
    payload = b'{"action": "version", "version": 6}'
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        barrier.wait()
        conn = Connection(port) if keep_alive else None
        for _ in range(per_client):
            if conn is None:
                fresh = Connection(port)
                fresh.send(payload)
                fresh.close()
            else:
                conn.send(payload)
        if conn:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return clients * per_client / (time.perf_counter() - start)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


# -- the collection workloads, over HTTP and in-process -------------------------------------


def note_specs(prefix: str, count: int, deck: str) -> list[dict[str, Any]]:
    return [
        {"deckName": deck, "modelName": "Basic", "fields": {"Front": f"{prefix} {i}", "Back": "x"}}
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


def floor_add_notes(col: Collection, specs: list[dict[str, Any]]) -> None:
    for spec in specs:
        model = col.models.by_name(spec["modelName"])
        deck_id = col.decks.id_for_name(spec["deckName"])
        note = col.new_note(model)  # type: ignore[arg-type]
        for name, value in spec["fields"].items():
            note[name] = value
        col.add_note(note, deck_id)  # type: ignore[arg-type]


def floor_notes_info(col: Collection, note_ids: Sequence[int]) -> list[dict[str, Any]]:
    result = []
    for note_id in note_ids:
        note = col.get_note(note_id)  # type: ignore[arg-type]
        model = note.note_type()
        assert model is not None
        result.append(
            {
                "noteId": note.id,
                "tags": note.tags,
                "fields": {name: {"value": value, "order": i} for i, (name, value) in enumerate(note.items())},
                "modelName": model["name"],
                "mod": note.mod,
                "cards": list(note.card_ids()),
            }
        )
    return result


def floor_cards_info(col: Collection, card_ids: Sequence[int]) -> list[dict[str, Any]]:
    result = []
    for card_id in card_ids:
        card = col.get_card(card_id)  # type: ignore[arg-type]
        note = card.note()
        model = card.note_type()
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
            }
        )
    return result


def floor_can_add(col: Collection, specs: list[dict[str, Any]]) -> list[bool]:
    answers = []
    for spec in specs:
        note = col.new_note(col.models.by_name(spec["modelName"]))  # type: ignore[arg-type]
        for name, value in spec["fields"].items():
            note[name] = value
        answers.append(note.fields_check() == 0)
    return answers


def measure_floors(base: Path, runs: int) -> dict[str, float]:
    """Every collection figure done in-process on a copy of the same collection."""
    folder = Path(tempfile.mkdtemp(prefix="ankiconnect-floor-"))
    shutil.copy(base / PROFILE / "collection.anki2", folder / "collection.anki2")
    col = Collection(str(folder / "collection.anki2"))
    floors: dict[str, float] = {}
    try:
        floors["addNotes 2,000 notes"] = median_of(
            runs, lambda run: timed(lambda: floor_add_notes(col, note_specs(f"floor{run}", 2_000, WORK_DECK)))
        )
        work_ids = list(col.find_notes(f'"deck:{WORK_DECK}"'))[:2_000]
        floors["findNotes + notesInfo 2,000 notes"] = median_of(
            runs,
            lambda _: timed(
                lambda: floor_notes_info(col, list(col.find_notes(f'"deck:{WORK_DECK}" note:Basic'))[:2_000])
            ),
        )
        del work_ids
        floors["findCards + cardsInfo 4,000 cards"] = median_of(
            runs, lambda _: timed(lambda: floor_cards_info(col, list(col.find_cards(f'"deck:{CARDS_DECK}"'))))
        )
        candidates = candidate_specs()
        floors["canAddNotes 1,000 on 100,000"] = median_of(
            runs, lambda _: timed(lambda: floor_can_add(col, candidates))
        )
        floors["canAddNotesWithErrorDetail 1,000 on 100,000"] = floors["canAddNotes 1,000 on 100,000"]
        floors["findNotes of 100,000 ids"] = median_of(
            runs, lambda _: timed(lambda: col.find_notes(f'"deck:{BIG_DECK}"'))
        )
        big_ids = list(col.find_notes(f'"deck:{BIG_DECK}"'))[::100][:1_000]
        floors["notesInfo 1,000 on 100,000"] = median_of(runs, lambda _: timed(lambda: floor_notes_info(col, big_ids)))
        queries = [f'"deck:{BIG_DECK}" "front:word{i * 499 % BIG_NOTES}"' for i in range(200)]
        floors["multi of 200 findNotes"] = median_of(
            runs, lambda _: timed(lambda: [col.find_notes(query) for query in queries])
        )
        data = os.urandom(MEDIA_BYTES)
        floors["storeMediaFile 5 MiB"] = median_of(
            runs, lambda run: timed(lambda: col.media.write_data(f"_floor{run}.bin", data))
        )
    finally:
        col.close()
        shutil.rmtree(folder, ignore_errors=True)
    return floors


def measure_http(anki: AnkiProcess, runs: int) -> tuple[dict[str, float], dict[str, Any]]:
    port = anki.port
    conn = Connection(port)
    available = set(call(port, "apiReflect", conn, scopes=["actions"])["actions"])
    figures: dict[str, float] = {}
    notes: dict[str, Any] = {}

    def needs(*actions: str) -> bool:
        missing = [a for a in actions if a not in available]
        return not missing

    if needs("addNotes"):
        figures["addNotes 2,000 notes"] = median_of(
            runs,
            lambda run: timed(lambda: call(port, "addNotes", conn, notes=note_specs(f"http{run}", 2_000, WORK_DECK))),
        )
    if needs("findNotes", "notesInfo"):
        figures["findNotes + notesInfo 2,000 notes"] = median_of(
            runs,
            lambda _: timed(
                lambda: call(
                    port,
                    "notesInfo",
                    conn,
                    notes=call(port, "findNotes", conn, query=f'"deck:{WORK_DECK}" note:Basic')[:2_000],
                )
            ),
        )
    if needs("findCards", "cardsInfo"):
        figures["findCards + cardsInfo 4,000 cards"] = median_of(
            runs,
            lambda _: timed(
                lambda: call(port, "cardsInfo", conn, cards=call(port, "findCards", conn, query=f'"deck:{CARDS_DECK}"'))
            ),
        )
    candidates = candidate_specs()
    if needs("canAddNotes"):
        figures["canAddNotes 1,000 on 100,000"] = median_of(
            runs, lambda _: timed(lambda: call(port, "canAddNotes", conn, notes=candidates))
        )
        answers = call(port, "canAddNotes", conn, notes=candidates)
        notes["canAddNotes answers"] = f"{sum(answers)} can be added, {len(answers) - sum(answers)} duplicates"
    if needs("canAddNotesWithErrorDetail"):
        figures["canAddNotesWithErrorDetail 1,000 on 100,000"] = median_of(
            runs, lambda _: timed(lambda: call(port, "canAddNotesWithErrorDetail", conn, notes=candidates))
        )
    if needs("findNotes"):
        figures["findNotes of 100,000 ids"] = median_of(
            runs, lambda _: timed(lambda: call(port, "findNotes", conn, query=f'"deck:{BIG_DECK}"'))
        )
    if needs("findNotes", "notesInfo"):
        big_ids = call(port, "findNotes", conn, query=f'"deck:{BIG_DECK}"')[::100][:1_000]
        figures["notesInfo 1,000 on 100,000"] = median_of(
            runs, lambda _: timed(lambda: call(port, "notesInfo", conn, notes=big_ids))
        )
        actions = [
            {"action": "findNotes", "params": {"query": f'"deck:{BIG_DECK}" "front:word{i * 499 % BIG_NOTES}"'}}
            for i in range(200)
        ]
        figures["multi of 200 findNotes"] = median_of(
            runs, lambda _: timed(lambda: call(port, "multi", conn, actions=actions))
        )
    if needs("storeMediaFile"):
        data = base64.b64encode(os.urandom(MEDIA_BYTES)).decode("ascii")
        figures["storeMediaFile 5 MiB"] = median_of(
            runs,
            lambda run: timed(
                lambda: call(port, "storeMediaFile", Connection(port), filename=f"_bench{run}.bin", data=data)
            ),
        )
    conn.close()
    notes["missing actions"] = sorted(
        {
            "addNotes",
            "findNotes",
            "notesInfo",
            "findCards",
            "cardsInfo",
            "canAddNotes",
            "canAddNotesWithErrorDetail",
            "storeMediaFile",
        }
        - available
    )
    return figures, notes


def measure_memory(anki: AnkiProcess) -> dict[str, Any]:
    port = anki.port
    pid = anki.process.pid
    conn = Connection(port)
    available = set(call(port, "apiReflect", conn, scopes=["actions"])["actions"])
    payload = b'{"action": "version", "version": 6}'
    for _ in range(500):  # warm up caches before the first reading
        conn.send(payload)
    before = rss_kib(pid)
    for i in range(10_000):
        if i % 2:
            conn.send(payload)
        else:
            fresh = Connection(port)
            fresh.send(payload)
            fresh.close()
    if "notesInfo" in available and "findNotes" in available:
        ids = call(port, "findNotes", conn, query=f'"deck:{WORK_DECK}"')[:20]
        for _ in range(2_000):
            call(port, "notesInfo", conn, notes=ids)
        requests = 12_000
    else:
        for _ in range(2_000):
            conn.send(payload)
        requests = 12_000
    after = rss_kib(pid)
    conn.close()
    return {
        "rss_before_mib": before / 1024,
        "rss_after_mib": after / 1024,
        "growth_mib": (after - before) / 1024,
        "requests": requests,
    }


# -- report --------------------------------------------------------------------------------

TARGETS = {
    "version p50 (ms)": 1.0,
    "version p99 (ms)": 5.0,
    "requests/s, 4 clients, new connection per request": 1_000,
    "collection ratio": 1.3,
    "storeMediaFile 5 MiB (s)": 0.15,
    "memory growth over 12,000 requests (MiB)": 5.0,
}


def report(
    lat: dict[str, float],
    rps: dict[str, float],
    figures: dict[str, float],
    floors: dict[str, float],
    memory: dict[str, Any],
    notes: dict[str, Any],
) -> dict[str, Any]:
    checks: list[tuple[str, str, bool]] = []
    print()
    print("Round trip of `version` on a fresh connection (300 requests)")
    print(f"  p50 {lat['p50_ms']:.3f} ms   p90 {lat['p90_ms']:.3f} ms   p99 {lat['p99_ms']:.3f} ms")
    checks.append(("version p50 <= 1 ms", f"{lat['p50_ms']:.3f} ms", lat["p50_ms"] <= 1.0))
    checks.append(("version p99 <= 5 ms", f"{lat['p99_ms']:.3f} ms", lat["p99_ms"] <= 5.0))
    print()
    print("Requests per second, 4 concurrent clients")
    for name, per_second in rps.items():
        print(f"  {name:<45} {per_second:>10,.0f}/s")
    checks.append(
        (
            ">= 1,000 requests/s with 4 clients (new connections)",
            f"{rps['new connection per request']:,.0f}/s",
            rps["new connection per request"] >= 1_000,
        )
    )
    print()
    print(f"{'collection work':<46} {'over HTTP':>11} {'in-process':>11} {'ratio':>7}")
    rows = []
    for name, floor in floors.items():
        seconds = figures.get(name)
        ratio = seconds / floor if seconds is not None and floor else None
        shown = f"{seconds:>10.4f}s" if seconds is not None else f"{'n/a':>11}"
        ratio_text = f"{ratio:>6.2f}x" if ratio is not None else f"{'':>7}"
        print(f"  {name:<44} {shown} {floor:>10.4f}s {ratio_text}")
        rows.append({"name": name, "http_s": seconds, "floor_s": floor, "ratio": ratio})
        if ratio is not None and name != "storeMediaFile 5 MiB":
            checks.append((f"{name} <= 1.3x floor", f"{ratio:.2f}x", ratio <= 1.3))
    media = figures.get("storeMediaFile 5 MiB")
    if media is not None:
        checks.append(("storeMediaFile 5 MiB <= 0.15 s", f"{media:.4f} s", media <= 0.15))
    print()
    print(
        f"Anki's resident memory: {memory['rss_before_mib']:.1f} MiB before, {memory['rss_after_mib']:.1f} MiB after "
        f"{memory['requests']:,} requests (growth {memory['growth_mib']:+.2f} MiB)"
    )
    checks.append(
        ("memory growth over 12,000 requests < 5 MiB", f"{memory['growth_mib']:+.2f} MiB", memory["growth_mib"] < 5)
    )
    for key, value in notes.items():
        if value:
            print(f"note: {key}: {value}")
    print()
    print("Targets")
    for label, value, ok in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {label}: {value}")
    all_met = all(ok for _, _, ok in checks)
    print(f"\n{'every target met' if all_met else 'some targets missed'}")
    return {
        "latency": lat,
        "requests_per_second": rps,
        "collection": rows,
        "memory": memory,
        "targets": [{"target": label, "value": value, "met": ok} for label, value, ok in checks],
        "all_targets_met": all_met,
        "notes": notes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is reported")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the sandbox folder")
    args = parser.parse_args(argv)

    base = prepared_base()
    print("measuring the floor in-process ...", flush=True)
    floors = measure_floors(base, args.runs)
    print("starting Anki ...", flush=True)
    anki = launch(base, prepare=False)
    try:
        anki.wait_until_serving()
        print("measuring over HTTP ...", flush=True)
        lat = latency(anki.port)
        rps = {
            "new connection per request": statistics.median(throughput(anki.port) for _ in range(3)),
            "one kept-alive connection per client": statistics.median(
                throughput(anki.port, keep_alive=True) for _ in range(3)
            ),
        }
        figures, notes = measure_http(anki, args.runs)
        memory = measure_memory(anki)
    finally:
        anki.stop()
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    result = report(lat, rps, figures, floors, memory, notes)
    text = json.dumps(result, indent=2)
    print("\nJSON:")
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
