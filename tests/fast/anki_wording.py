"""Texts and values that come from Anki itself, as the running Anki produces them.

The tests and the docs were written against the Anki that `make test` uses
(26.9). Older releases word some messages differently ("notetype" for "note
type", HTML instead of Markdown in search errors), ship a different stock
style sheet and keep other keys in an options group. These helpers ask the
running Anki, so that a test asserts exactly what this Anki says while still
asserting exactly what the add-on itself adds.
"""

from __future__ import annotations

import re
from typing import Any

from anki.collection import Collection

ISOLATION_MARKS = dict.fromkeys(map(ord, "\u2068\u2069"))

# The stock note types' style sheet as the docs show it (Anki 26.9).
DOCUMENTED_STOCK_CSS = (
    ".card {\n    font-family: arial;\n    font-size: 20px;\n    line-height: 1.5;\n    text-align: center;\n"
    "    color: black;\n    background-color: white;\n}\n"
)

_TEMPLATE_PROBLEM = re.compile(r"Card template (\d+) in note type '([^']*)' has a problem\.")


def without_isolation_marks(text: str) -> str:
    return text.translate(ISOLATION_MARKS)


def search_error(col: Collection, query: str) -> str:
    """The message Anki gives for an invalid search (HTML in 23.10, Markdown later)."""
    try:
        col.find_cards(query)
    except Exception as error:  # noqa: BLE001 - whatever Anki raises is the expectation
        return str(error)
    raise AssertionError(f"Anki accepted the search {query!r}")


def template_problem(col: Collection, number: int, notetype: str) -> str:
    """Anki's first sentence of a card-template error, without isolation marks."""
    return without_isolation_marks(col.tr.card_templates_invalid_template_number(number=number, notetype=notetype))


def in_anki_words(col: Collection, text: str) -> str:
    """`text` as written for Anki 26.9, with Anki's own sentences worded as the running Anki words them."""
    text = _TEMPLATE_PROBLEM.sub(lambda m: template_problem(col, int(m.group(1)), m.group(2)), text)
    return text.replace(DOCUMENTED_STOCK_CSS, stock_css(col))


def stock_css(col: Collection) -> str:
    basic = col.models.by_name("Basic")
    assert basic is not None
    return str(basic["css"])


def reset_card_label(col: Collection) -> str:
    """The undo label of Forget/Reset (Anki renamed the action)."""
    return col.tr.actions_forget_card()


def options_group_as_this_anki_has_it(documented: dict[str, Any], default_group: dict[str, Any]) -> dict[str, Any]:
    """A documented options group with the keys the running Anki's groups have.

    Keys this Anki does not know are left out; keys only this Anki has take
    the value of its default group.
    """
    return {key: documented.get(key, value) for key, value in default_group.items()}


def as_this_anki_answers(col: Collection, value: Any) -> Any:
    """A documented reply with Anki's own texts and options groups as the running Anki has them."""
    if isinstance(value, str):
        return in_anki_words(col, value)
    if isinstance(value, list):
        return [as_this_anki_answers(col, item) for item in value]
    if isinstance(value, dict):
        adapted = {key: as_this_anki_answers(col, item) for key, item in value.items()}
        if {"new", "rev", "lapse"} <= adapted.keys() and adapted.get("dyn") is False:
            adapted = options_group_as_this_anki_has_it(adapted, col.decks.get_config(1) or {})
        return adapted
    return value
