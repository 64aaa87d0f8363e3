"""What Yomitan and Obsidian_to_Anki send, replayed request by request over HTTP against real Anki.

Each request is the body those clients send (spec: clients.md), each reply is
compared byte for byte with what they parse: Yomitan speaks version 2 and reads
bare results, Obsidian_to_Anki speaks version 6 and insists on exactly the keys
`result` and `error` at every level of its nested `multi`.

The session's Anki is shared, so every test works in a deck of its own.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest

from tests.support.anki import RunningAnki
from tests.support.client import raw_exchange, split_response

YOMITAN_ORIGIN = b"chrome-extension://likgccmbimhjbgkjambclfkhldnlhbnn"


def send(anki: RunningAnki, request: Any, *, origin: bytes | None = None) -> bytes:
    """POST a request as a browser extension or a script would; the reply body."""
    body = json.dumps(request).encode()
    lines = [b"POST / HTTP/1.1", b"Host: 127.0.0.1:%d" % anki.port, b"Content-Type: application/json"]
    if origin:
        lines.append(b"Origin: " + origin)
    lines.append(b"Content-Length: %d" % len(body))
    status, _, reply = split_response(raw_exchange(anki.port, b"\r\n".join(lines) + b"\r\n\r\n" + body))
    assert status == "HTTP/1.1 200 OK"
    return reply


def dumps(value: Any) -> bytes:
    """JSON as the server writes it (Python's defaults)."""
    return json.dumps(value).encode()


def new_deck(anki: RunningAnki, prefix: str) -> str:
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    anki.probe(f"mw.col.decks.id({name!r})")
    return name


def note_mod(anki: RunningAnki, note_id: int) -> int:
    return anki.probe(f"result = mw.col.get_note({note_id}).mod")


# -- Yomitan ------------------------------------------------------------------------------


def yomitan(anki: RunningAnki, action: str, **params: Any) -> bytes:
    return send(anki, {"action": action, "params": params, "version": 2}, origin=YOMITAN_ORIGIN)


def yomitan_note(deck: str, root: str, expression: str, reading: str = "", audio: str = "") -> dict[str, Any]:
    """A note as Yomitan builds it, with its "deck root" duplicate scope."""
    return {
        "deckName": deck,
        "modelName": "Basic",
        "fields": {"Front": expression, "Back": f"{reading}{audio}"},
        "tags": ["yomitan"],
        "options": {
            "allowDuplicate": False,
            "duplicateScope": "deck",
            "duplicateScopeOptions": {"deckName": root, "checkChildren": True, "checkAllModels": False},
        },
    }


@pytest.mark.smoke
def test_yomitan_creates_a_card_while_reading(anki: RunningAnki) -> None:
    root = new_deck(anki, "Yomitan")
    deck = f"{root}::Vocab"
    anki.probe(f"mw.col.decks.id({deck!r})")

    assert yomitan(anki, "version") == b"6"

    # the popup asks whether each candidate can be added (first field only)
    candidates = [yomitan_note(deck, root, "猫"), yomitan_note(deck, root, "犬")]
    assert yomitan(anki, "canAddNotesWithErrorDetail", notes=candidates) == b'[{"canAdd": true}, {"canAdd": true}]'

    # the user clicks "add": audio first, then the note referencing it
    audio_name = f"yomitan_audio_{root.lower()}.mp3"  # Anki 25.09+ would lower-case it
    stored = yomitan(anki, "storeMediaFile", filename=audio_name, data=base64.b64encode(b"nyaa").decode())
    assert stored == dumps(audio_name)
    note = yomitan_note(deck, root, "猫", "ねこ", f"[sound:{audio_name}]")
    note_id = json.loads(yomitan(anki, "addNote", note=note))
    assert isinstance(note_id, int)
    assert anki.probe(f"result = mw.col.get_note({note_id}).fields") == ["猫", f"ねこ[sound:{audio_name}]"]
    assert anki.probe(f"result = open(mw.col.media.dir() + '/{audio_name}', 'rb').read().decode()") == "nyaa"

    # the next lookup shows the word as already added
    assert yomitan(anki, "canAddNotesWithErrorDetail", notes=candidates) == (
        b'[{"canAdd": false, "error": "cannot create note because it is a duplicate"}, {"canAdd": true}]'
    )

    # "view added notes": a multi of findNotes without versions, bare arrays inside
    query = f'"deck:{root}" "front:猫"'
    reply = yomitan(anki, "multi", actions=[{"action": "findNotes", "params": {"query": query}}])
    assert reply == dumps([[note_id]])

    # the note's details, then an update of its fields, whose result must be exactly null
    card_id = anki.probe(f"result = mw.col.card_ids_of_note({note_id})[0]")
    expected = [
        {
            "noteId": note_id,
            "profile": "User 1",
            "tags": ["yomitan"],
            "fields": {
                "Front": {"value": "猫", "order": 0},
                "Back": {"value": f"ねこ[sound:{audio_name}]", "order": 1},
            },
            "modelName": "Basic",
            "mod": note_mod(anki, note_id),
            "cards": [card_id],
        }
    ]
    assert yomitan(anki, "notesInfo", notes=[note_id]) == dumps(expected)
    update = {"id": note_id, "fields": {"Back": "ねこ (cat)"}}
    assert yomitan(anki, "updateNoteFields", note=update) == b"null"
    assert anki.probe(f"result = mw.col.get_note({note_id}).fields[1]") == "ねこ (cat)"


@pytest.mark.smoke
def test_yomitan_falls_back_to_can_add_notes(anki: RunningAnki) -> None:
    root = new_deck(anki, "Yomitan")
    existing = yomitan_note(root, root, "鳥")
    assert isinstance(json.loads(yomitan(anki, "addNote", note=existing)), int)
    # without canAddNotesWithErrorDetail, Yomitan asks twice and compares the answers
    new, again = yomitan_note(root, root, "魚"), yomitan_note(root, root, "鳥")
    allowing = [{**note, "options": {**note["options"], "allowDuplicate": True}} for note in (new, again)]
    assert yomitan(anki, "canAddNotes", notes=allowing) == b"[true, true]"
    assert yomitan(anki, "canAddNotes", notes=[new, again]) == b"[true, false]"


@pytest.mark.smoke
def test_yomitan_sees_errors_as_objects_at_version_2(anki: RunningAnki) -> None:
    root = new_deck(anki, "Yomitan")
    note = yomitan_note(root, root, "馬")
    assert isinstance(json.loads(yomitan(anki, "addNote", note=note)), int)
    assert yomitan(anki, "addNote", note=note) == (
        b'{"result": null, "error": "cannot create note because it is a duplicate"}'
    )
    assert yomitan(anki, "addNote", note={**note, "deckName": "Nope"}) == (
        b'{"result": null, "error": "deck was not found: Nope"}'
    )


@pytest.mark.smoke
def test_yomitan_adds_a_batch_with_add_notes(anki: RunningAnki) -> None:
    root = new_deck(anki, "Yomitan")
    notes = [yomitan_note(root, root, word) for word in ("一", "二", "三")]
    ids = json.loads(yomitan(anki, "addNotes", notes=notes))
    assert len(ids) == 3
    assert anki.probe(f"result = [mw.col.get_note(i).fields[0] for i in {ids}]") == ["一", "二", "三"]
    assert yomitan(anki, "addNotes", notes=notes[:1]) == (
        b'{"result": null, "error": "[\'cannot create note because it is a duplicate\']"}'
    )


# -- Obsidian_to_Anki ---------------------------------------------------------------------


def obsidian(anki: RunningAnki, action: str, **params: Any) -> Any:
    """Obsidian_to_Anki's check: exactly `result` and `error`, no error, at every level."""
    reply = json.loads(send(anki, {"action": action, "version": 6, "params": params}))
    return unwrap(reply)


def unwrap(reply: Any) -> Any:
    assert isinstance(reply, dict) and list(reply) == ["result", "error"], reply
    assert reply["error"] is None, reply["error"]
    return reply["result"]


def multi(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"action": "multi", "version": 6, "params": {"actions": list(actions)}}


def obsidian_note(deck: str, front: str, back: str) -> dict[str, Any]:
    return {
        "action": "addNote",
        "version": 6,
        "params": {
            "note": {
                "deckName": deck,
                "modelName": "Basic",
                "fields": {"Front": front, "Back": back},
                "options": {"allowDuplicate": False, "duplicateScope": "deck"},
                "tags": ["obsidian_to_anki"],
            }
        },
    }


def test_obsidian_to_anki_syncs_a_vault(anki: RunningAnki) -> None:
    deck = new_deck(anki, "Obsidian")
    assert isinstance(obsidian(anki, "findNotes", query=""), list)

    # one request: media of every file, then per file the notes to add, three levels deep
    picture, picture_name = base64.b64encode(b"diagram").decode(), f"{deck.lower()}.png"
    request = multi(
        multi(multi({"action": "storeMediaFile", "version": 6, "params": {"filename": picture_name, "data": picture}})),
        multi(
            multi(obsidian_note(deck, "Q1", "A1"), obsidian_note(deck, "Q2", f'<img src="{picture_name}">')),
            multi(obsidian_note(deck, "Q1", "again")),
        ),
    )
    reply = json.loads(send(anki, request))
    media_level, notes_level = unwrap(reply)
    assert unwrap(media_level) == [{"result": [{"result": picture_name, "error": None}], "error": None}]
    first_file, second_file = unwrap(notes_level)
    q1, q2 = (unwrap(item) for item in unwrap(first_file))
    assert isinstance(q1, int) and isinstance(q2, int)
    # the same question again in another file: that slot fails, the request does not
    assert unwrap(second_file) == [{"result": None, "error": "cannot create note because it is a duplicate"}]
    expected_bytes = dumps(
        {
            "result": [
                {"result": [{"result": [{"result": picture_name, "error": None}], "error": None}], "error": None},
                {
                    "result": [
                        {"result": [{"result": q1, "error": None}, {"result": q2, "error": None}], "error": None},
                        {
                            "result": [{"result": None, "error": "cannot create note because it is a duplicate"}],
                            "error": None,
                        },
                    ],
                    "error": None,
                },
            ],
            "error": None,
        }
    )
    assert dumps(reply) == expected_bytes

    # the next run: which notes exist, their cards, then updates, tags and deletions
    assert {q1, q2} <= set(obsidian(anki, "findNotes", query=""))
    infos = obsidian(anki, "notesInfo", notes=[q1, q2])
    assert [info["fields"]["Front"]["value"] for info in infos] == ["Q1", "Q2"]
    assert all(len(info["cards"]) == 1 for info in infos)
    batch = multi(
        {"action": "updateNoteFields", "version": 6, "params": {"note": {"id": q1, "fields": {"Back": "A1 (edited)"}}}},
        {"action": "addTags", "version": 6, "params": {"notes": [q1, q2], "tags": "vault reviewed"}},
        {"action": "removeTags", "version": 6, "params": {"notes": [q2], "tags": "reviewed"}},
    )
    assert send(anki, batch) == dumps(
        {
            "result": [
                {"result": None, "error": None},
                {"result": None, "error": None},
                {"result": None, "error": None},
            ],
            "error": None,
        }
    )
    assert anki.probe(f"result = (mw.col.get_note({q1}).fields[1], mw.col.get_note({q2}).tags)") == [
        "A1 (edited)",
        ["obsidian_to_anki", "vault"],
    ]
    assert {"obsidian_to_anki", "reviewed", "vault"} <= set(obsidian(anki, "getTags"))
    assert obsidian(anki, "deleteNotes", notes=[q2]) is None
    assert obsidian(anki, "notesInfo", notes=[q2]) == [{}]


def test_obsidian_to_anki_stores_a_file_by_path(anki: RunningAnki, tmp_path: Any) -> None:
    source = tmp_path / "vault-image.png"
    source.write_bytes(b"png bytes")
    name = f"obsidian-{uuid.uuid4().hex[:8]}.png"
    assert obsidian(anki, "storeMediaFile", filename=name, path=str(source)) == name
    assert obsidian(anki, "retrieveMediaFile", filename=name) == base64.b64encode(b"png bytes").decode()
    assert obsidian(anki, "deleteMediaFile", filename=name) is None
    assert obsidian(anki, "retrieveMediaFile", filename=name) is False


def test_anki_s_windows_are_told_about_added_notes(anki: RunningAnki) -> None:
    deck = new_deck(anki, "Windows")
    anki.probe(
        """
        from aqt import gui_hooks
        mw._test_note_changes = []
        def _record(changes, handler):
            mw._test_note_changes.append(bool(changes.note))
        mw._test_note_hook = _record
        gui_hooks.operation_did_execute.append(_record)
        """
    )
    try:
        obsidian(anki, "addNote", note=obsidian_note(deck, "shown", "x")["params"]["note"])
        # after the reply is sent, the desktop host reports the change through Anki's hook
        assert anki.wait_for("result = True in mw._test_note_changes")
    finally:
        anki.probe(
            """
            from aqt import gui_hooks
            gui_hooks.operation_did_execute.remove(mw._test_note_hook)
            """
        )
