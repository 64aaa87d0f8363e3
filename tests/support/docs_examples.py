"""The examples in `docs/actions/*.md`, read and executed as tests.

How a page is written so that its examples run (docs/README.md explains it for
writers too):

* An example is a fenced ```json block holding a request object (it has an
  `"action"`), followed by a ```json block holding the exact reply.
* A page may start with a hidden setup block, one request per line, run on a
  fresh collection before the page's examples (each must succeed):

      <!-- setup
      {"action": "createDeck", "version": 6, "params": {"deck": "Spanish"}}
      -->

  After setup, notes get the ids 1712600000000, 1712600000100, ... in the
  order they were created, and each card the id of its note + 1 + its template
  ordinal, so examples can show real ids.
* Every example runs on its own copy of the collection as it was after setup.
* A comment just before an example adjusts how it is checked, several
  directives separated by `;`:

      <!-- test: any result.mod result[*].cards; unordered result -->

  - `any PATH...`: the value at PATH may be anything (ids of decks and note
    types, timestamps, absolute paths).
  - `unordered PATH...`: the list at PATH is compared ignoring order.
  - `paths PREFIX`: PREFIX (e.g. `/home/me`) stands for a temporary folder
    in requests and replies.
  - `skip REASON`: documented but not executed (say why).

  PATH starts at the reply: `result`, `result[0].noteId`, `result[*].mod`,
  `result.*`; for bare version-4 replies the root is `$`: `$[0]`.
* A page whose first line is `<!-- test-page: gui -->` needs Anki's windows; the
  integration layer runs it against real Anki instead of the fast layer.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

DOCS = Path(__file__).resolve().parents[2] / "docs"
ACTION_PAGES = sorted((DOCS / "actions").glob("*.md"))
FIRST_NOTE_ID = 1712600000000
NOTE_ID_STEP = 100
ANY = "<any>"


@dataclass
class Example:
    page: Path
    line: int
    request: Any
    expected: Any
    any_paths: list[str] = field(default_factory=list)
    unordered_paths: list[str] = field(default_factory=list)
    path_prefix: str | None = None
    skip: str | None = None

    @property
    def label(self) -> str:
        action = self.request.get("action") if isinstance(self.request, dict) else "?"
        return f"{self.page.stem}:{self.line}:{action}"


@dataclass
class Page:
    path: Path
    setup: list[dict[str, Any]]
    examples: list[Example]
    gui: bool
    setup_path_prefix: str | None = None


_FENCE = re.compile(r"^```(\w*)\s*$")
_DIRECTIVE = re.compile(r"^<!--\s*test:(.*?)-->\s*$")


def load_page(path: Path) -> Page:
    lines = path.read_text(encoding="utf-8").splitlines()
    gui = bool(lines) and lines[0].strip() == "<!-- test-page: gui -->"
    setup: list[dict[str, Any]] = []
    setup_prefix = None
    examples: list[Example] = []
    pending_request: tuple[int, Any] | None = None
    directives: dict[str, Any] = {}
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("<!-- setup"):
            setup_prefix = line[len("<!-- setup") :].strip() or None
            i += 1
            while lines[i].strip() != "-->":
                if lines[i].strip():
                    setup.append(json.loads(lines[i]))
                i += 1
        elif match := _DIRECTIVE.match(line):
            directives = _parse_directives(match.group(1), path, i + 1)
        elif (fence := _FENCE.match(line)) and fence.group(1) == "json":
            start = i + 1
            i += 1
            body = []
            while not lines[i].strip().startswith("```"):
                body.append(lines[i])
                i += 1
            value = json.loads("\n".join(body))
            if pending_request is not None:
                examples.append(Example(path, pending_request[0], pending_request[1], value, **directives))
                pending_request, directives = None, {}
            elif isinstance(value, dict) and "action" in value:
                pending_request = (start, value)
        i += 1
    if pending_request is not None:
        raise AssertionError(f"{path.name}:{pending_request[0]}: a request example without its reply")
    return Page(path, setup, examples, gui, setup_prefix)


def _parse_directives(text: str, path: Path, line: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        word, _, rest = part.partition(" ")
        if word == "any":
            result["any_paths"] = rest.split()
        elif word == "unordered":
            result["unordered_paths"] = rest.split()
        elif word == "paths":
            result["path_prefix"] = rest.strip()
        elif word == "skip":
            result["skip"] = rest.strip() or "no reason given"
        else:
            raise AssertionError(f"{path.name}:{line}: unknown test directive {word!r}")
    return result


# -- comparing ----------------------------------------------------------------------------


def _tokens(path: str) -> list[str]:
    path = path.removeprefix("$")
    return [t for t in re.split(r"\.|\[|\]", path) if t != ""]


def _apply(value: Any, tokens: list[str], change: Callable[[Any], Any]) -> Any:
    if not tokens:
        return change(value)
    head, rest = tokens[0], tokens[1:]
    if isinstance(value, list):
        if head == "*":
            return [_apply(item, rest, change) for item in value]
        if head.lstrip("-").isdigit() and -len(value) <= int(head) < len(value):
            copy = list(value)
            copy[int(head)] = _apply(copy[int(head)], rest, change)
            return copy
    elif isinstance(value, dict):
        if head == "*":
            return {key: _apply(item, rest, change) for key, item in value.items()}
        if head in value:
            return {**value, head: _apply(value[head], rest, change)}
    return value


def normalise(value: Any, example: Example) -> Any:
    for path in example.any_paths:
        value = _apply(value, _tokens(path), lambda _: ANY)
    for path in example.unordered_paths:
        value = _apply(value, _tokens(path), lambda v: sorted(v, key=json.dumps) if isinstance(v, list) else v)
    return value


def substitute(value: Any, old: str, new: str) -> Any:
    """Replace a path prefix inside every string of a JSON value."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [substitute(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, old, new) for key, item in value.items()}
    return value


def send_mapped(send: Callable[[Any], Any], request: Any, prefix: str | None, files: Path) -> Any:
    """Send a documented request with PREFIX standing for the folder `files`, and map the reply back.

    Parent folders of the mapped paths are created, as they would exist on a user's computer.
    """
    if not prefix:
        return send(request)
    request = substitute(request, prefix, str(files))
    for text in _strings(request):
        if text.startswith(str(files)):
            Path(text).parent.mkdir(parents=True, exist_ok=True)
    return substitute(send(request), str(files), prefix)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


# -- fixed ids ----------------------------------------------------------------------------


def renumber_notes_and_cards(db: Any) -> None:
    """Give notes and cards the documented ids (see module docstring). `db` is `col.db`."""
    note_ids = db.list("select id from notes order by id")
    mapping = {old: FIRST_NOTE_ID + NOTE_ID_STEP * index for index, old in enumerate(note_ids)}
    cards = db.all("select id, nid, ord from cards order by nid, ord")
    card_mapping = {cid: mapping[nid] + 1 + ordinal for cid, nid, ordinal in cards}
    # through negative ids, so that no new id collides with an old one
    for old, new in mapping.items():
        db.execute("update notes set id = ? where id = ?", -new, old)
        db.execute("update cards set nid = ? where nid = ?", -new, old)
    db.execute("update notes set id = -id where id < 0")
    db.execute("update cards set nid = -nid where nid < 0")
    for old, new in card_mapping.items():
        db.execute("update cards set id = ? where id = ?", -new, old)
        db.execute("update revlog set cid = ? where cid = ?", -new, old)
    db.execute("update cards set id = -id where id < 0")
    db.execute("update revlog set cid = -cid where cid < 0")


def copy_profile(source: Path, target: Path) -> None:
    shutil.copytree(source, target)
