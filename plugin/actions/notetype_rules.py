"""What makes a note type edit acceptable, and how templates are read.

Pure functions, no collection: names and positions are checked here before
anything is changed, with the texts clients see.
"""

from __future__ import annotations

import re
from typing import Any

from ..database import is_id
from ..errors import ActionError

# Anki's field editor refuses these; its backend would silently drop them.
_FIELD_NAME_BAD_FIRST = "#^/"
_FIELD_NAME_BAD_CHARACTERS = ':{}"'

# `{{...}}` whose inside has no `#`, `/` or `}`: plain fields and filters, not sections.
_TEMPLATE_TAG = re.compile(r"\{\{([^#/}]+)\}\}")

# Anki wraps names in its messages in Unicode isolation marks and breaks lines with HTML.
_ISOLATION_MARKS = dict.fromkeys(map(ord, "\u2068\u2069"))


def same_name(first: str, second: str) -> bool:
    """Anki compares note type, field and template names ignoring case."""
    return first.casefold() == second.casefold()


def new_field_name(value: Any) -> str:
    """A field name as Anki's field editor accepts it (surrounding spaces removed)."""
    if not isinstance(value, str) or not value.strip():
        raise ActionError(f"field name should be a non-empty string: {value}")
    name = value.strip()
    if name[0] in _FIELD_NAME_BAD_FIRST:
        raise ActionError(f"field name cannot start with #, ^ or /: {name}")
    if any(character in name for character in _FIELD_NAME_BAD_CHARACTERS):
        raise ActionError(f'field name cannot contain :, {{, }} or ": {name}')
    return name


def new_template_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ActionError(f"template name should be a non-empty string: {value}")
    return value


def position(value: Any, count: int) -> int:
    """A 0-based position among `count` items."""
    if not is_id(value) or not 0 <= value < count:
        raise ActionError(f"index should be an integer from 0 to {count - 1}: {value}")
    return int(value)


def string(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ActionError(f"{name} should be a string: {value}")
    return value


def boolean(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise ActionError(f"{name} should be true or false: {value}")
    return value


def obj(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ActionError(f"{name} should be an object: {value}")
    return value


def array(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ActionError(f"{name} should be a list: {value}")
    return value


def fields_on_template(front: str, back: str) -> list[list[str]]:
    """The field names a template shows: `[front, back]`, each in order of appearance.

    Filters are dropped (`{{cloze:Text}}` is `Text`), `FrontSide` is left out,
    and the back lists only fields the front does not show. Section tags
    (`{{#F}}`, `{{/F}}`) are not fields; `{{^F}}` is kept as `^F`, as the
    original reported it.
    """
    front_fields = _field_tags(front)
    back_fields = [name for name in _field_tags(back) if name not in front_fields]
    return [front_fields, back_fields]


def _field_tags(html: str) -> list[str]:
    names = []
    for inside in _TEMPLATE_TAG.findall(html):
        name = inside.replace("{", "").rsplit(":", 1)[-1]
        if name != "FrontSide":
            names.append(name)
    return names


def anki_message(text: str) -> str:
    """Anki's error text without its display markup."""
    return text.translate(_ISOLATION_MARKS).replace("<br>", " ")
