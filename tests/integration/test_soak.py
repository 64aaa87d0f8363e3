"""Soak: 4 clients x 5,000 mixed reads and writes against real Anki, no request may fail.

Each client keeps one connection open and works in a deck of its own, so it
knows exactly what the collection must hold: every note it was told was added,
with the field values it was told were saved, and every media file it stored.
Afterwards the collection is compared with that and checked by Anki.
"""

from __future__ import annotations

import base64
import http.client
import json
import threading
from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest

from tests.support.anki import RunningAnki, start_anki
from tests.support.client import http_client

pytestmark = pytest.mark.soak

CLIENTS = 4
REQUESTS_PER_CLIENT = 5_000


@pytest.fixture(scope="module")
def anki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAnki]:
    running = start_anki(tmp_path_factory.mktemp("soak"))
    yield running
    running.stop()


@dataclass
class Client:
    """One client's connection and what the server acknowledged to it."""

    number: int
    port: int
    deck: str = ""
    fields: dict[int, str] = field(default_factory=dict)
    """note id -> the Back field the server last acknowledged"""
    cards: dict[int, int] = field(default_factory=dict)
    """note id -> its card"""
    tagged: set[int] = field(default_factory=set)
    media: dict[str, bytes] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    sent: int = 0

    def __post_init__(self) -> None:
        self.deck = f"Soak::Client {self.number}"
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def request(self, action: str, **params: Any) -> Any:
        self.sent += 1
        body = json.dumps({"action": action, "version": 6, "params": params})
        try:
            self.connection.request("POST", "/", body, {"Content-Type": "application/json"})
            reply = json.loads(self.connection.getresponse().read())
        except (OSError, http.client.HTTPException, ValueError) as error:
            self.failures.append(f"{action}: {error!r}")
            self.connection.close()  # http.client reconnects on the next request
            return None
        if reply.get("error") is not None:
            self.failures.append(f"{action}: {reply['error']}")
            return None
        return reply["result"]

    def succeeds(self, action: str, **params: Any) -> bool:
        """For actions whose result is null: whether the server acknowledged it."""
        failures = len(self.failures)
        self.request(action, **params)
        return len(self.failures) == failures

    def check(self, condition: bool, what: str) -> None:
        if not condition:
            self.failures.append(what)

    def note(self, i: int) -> dict[str, Any]:
        return {
            "deckName": self.deck,
            "modelName": "Basic",
            "fields": {"Front": f"client {self.number} note {i}", "Back": "new"},
        }

    def added(self, note_id: Any) -> None:
        if isinstance(note_id, int):
            self.fields[note_id] = "new"

    def pick(self, i: int) -> int | None:
        """A note of this client's, varying with i."""
        if not self.fields:
            return None
        ids = list(self.fields)
        return ids[(i * 7919) % len(ids)]

    def step(self, i: int) -> None:
        kind = i % 10
        if kind == 0:
            self.added(self.request("addNote", note=self.note(i)))
        elif kind == 1:
            note_id = self.pick(i)
            if note_id is not None:
                infos = self.request("notesInfo", notes=[note_id])
                if infos is not None:
                    (info,) = infos
                    self.check(info["fields"]["Back"]["value"] == self.fields[note_id], f"notesInfo {note_id}")
                    self.cards[note_id] = info["cards"][0]
        elif kind == 2:
            found = self.request("findNotes", query=f'"deck:{self.deck}"')
            if found is not None:
                self.check(sorted(found) == sorted(self.fields), f"findNotes at {i}")
        elif kind == 3:
            note_id = self.pick(i)
            if note_id is not None:
                value = f"value {i}"
                if self.succeeds("updateNoteFields", note={"id": note_id, "fields": {"Back": value}}):
                    self.fields[note_id] = value
        elif kind == 4:
            if self.cards:
                card_ids = list(self.cards.values())[-3:]
                infos = self.request("cardsInfo", cards=card_ids)
                if infos is not None:
                    self.check([info["cardId"] for info in infos] == card_ids, f"cardsInfo at {i}")
        elif kind == 5:
            name = f"_soak_{self.number}_{i}.txt"
            content = f"client {self.number} file {i}".encode()
            stored = self.request("storeMediaFile", filename=name, data=base64.b64encode(content).decode())
            if stored == name:
                self.media[name] = content
        elif kind == 6:
            replies = self.request(
                "multi",
                actions=[
                    {"action": "deckNames", "version": 6},
                    {"action": "addNote", "version": 6, "params": {"note": self.note(i)}},
                    {"action": "cardsInfo", "version": 6, "params": {"cards": list(self.cards.values())[-1:]}},
                ],
            )
            if replies is not None:
                self.check(all(reply["error"] is None for reply in replies), f"multi at {i}: {replies}")
                self.check(self.deck in replies[0]["result"], f"multi deckNames at {i}")
                self.added(replies[1]["result"])
        elif kind == 7:
            names = self.request("deckNames")
            if names is not None:
                self.check(self.deck in names, f"deckNames at {i}")
        elif kind == 8:
            note_id = self.pick(i)
            if note_id is not None and self.succeeds("addTags", notes=[note_id], tags="soaked"):
                self.tagged.add(note_id)
        else:
            name = next(reversed(self.media), None)
            if name is not None:
                content = self.request("retrieveMediaFile", filename=name)
                self.check(content == base64.b64encode(self.media[name]).decode(), f"retrieveMediaFile {name}")

    def run(self) -> None:
        try:
            for i in range(REQUESTS_PER_CLIENT):
                self.step(i)
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.failures.append(f"client crashed: {error!r}")
        finally:
            self.connection.close()


def test_four_clients_five_thousand_mixed_requests_each(anki: RunningAnki) -> None:
    api = http_client(anki.url)
    clients = [Client(number, anki.port) for number in range(CLIENTS)]
    for client in clients:
        api("createDeck", deck=client.deck)
    threads = [threading.Thread(target=client.run) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(240)
    assert [thread.is_alive() for thread in threads] == [False] * CLIENTS
    assert [client.failures[:5] for client in clients] == [[]] * CLIENTS
    assert [client.sent for client in clients] == [REQUESTS_PER_CLIENT] * CLIENTS

    # the collection holds exactly what was acknowledged
    for client in clients:
        assert sorted(api("findNotes", query=f'"deck:{client.deck}"')) == sorted(client.fields)
        infos = api("notesInfo", notes=list(client.fields))
        assert {info["noteId"]: info["fields"]["Back"]["value"] for info in infos} == client.fields
        tagged = {info["noteId"] for info in infos if "soaked" in info["tags"]}
        assert tagged == client.tagged
        assert sorted(api("getMediaFilesNames", pattern=f"_soak_{client.number}_*")) == sorted(client.media)
    total = sum(len(client.fields) for client in clients)
    assert anki.probe("result = mw.col.note_count()") == total
    assert anki.probe("result = mw.col.card_count()") == total
    assert anki.probe("result = mw.col.db.scalar('pragma integrity_check')") == "ok"
    assert anki.probe("result = mw.col.fix_integrity()") == ["Database rebuilt and optimized.", True]
    assert anki.error_dialogs() == []
