"""Text typed by people, as it may enter the log: NFC, trimmed, bounded, and without invisible tricks.

Everything written to the log stays there for good and is shown on public pages, so text is checked before it is
signed: a reason made only of invisible characters is no reason, a title of 20,000 characters is not a title, and
characters that reverse the direction of what follows them (U+202E) or hide control codes are refused rather than
silently removed (the author sees why)."""

from __future__ import annotations

import unicodedata
from typing import Any

from pb_ledger.domain.errors import DomainError

NAME = 200  # a name, a place, a reference, a district, a category
TITLE = 500  # an idea's or a cycle's title: real cities' project titles reach 251 characters (pabulib, Łódź 2022)
SENTENCE = 2_000  # a reason, a statement, an answer, a lesson
DOCUMENT = 10_000  # an idea's description, a report's summary

# explicit direction embeddings, overrides and isolates: they can make a text display as something else
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
VISIBLE = ("L", "N", "P", "S")  # letters, digits, punctuation, symbols
EDGE_INVISIBLES = "\u200b\u2060\ufeff"  # zero-width space, word joiner, byte order mark


def clean_text(value: Any, what: str, limit: int = NAME, *, required: bool = True,
               multiline: bool = False) -> str | None:
    """`value` as it is signed: NFC, trimmed. Refused when it is not text, is blank (no letter, digit, punctuation
    or symbol) while `required`, is longer than `limit` characters, or holds control characters. An optional value
    that is None or blank gives None."""
    if value is None:
        if required:
            raise DomainError("missing_text", f"the {what} must not be empty")
        return None
    if not isinstance(value, str):
        raise DomainError("invalid_text", f"the {what} must be text")
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip().strip(EDGE_INVISIBLES).strip()
    if is_blank(text):
        if required:
            raise DomainError("missing_text", f"the {what} must not be empty")
        return None
    _refuse_controls(text, what, multiline)
    if len(text) > limit:
        raise DomainError("text_too_long", f"the {what} has {len(text)} characters; at most {limit} are allowed")
    return text


def is_blank(text: str) -> bool:
    """True when no character of `text` would show: only spaces, invisible format characters or marks."""
    return not any(unicodedata.category(char)[0] in VISIBLE for char in text)


def _refuse_controls(text: str, what: str, multiline: bool) -> None:
    allowed = "\n\t" if multiline else ""
    for char in text:
        category = unicodedata.category(char)
        if char in DIRECTION_CONTROLS or category == "Cs" or (category == "Cc" and char not in allowed):
            raise DomainError("invalid_text", f"the {what} contains a control character (U+{ord(char):04X}) "
                                              "that is not allowed")
