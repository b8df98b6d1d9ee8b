"""Typed reading of parsed JSON objects: each accessor returns the member with its declared type or raises.

`True`/`False` are never accepted where an integer is required (Python's bool is an int; JSON's is not).
"""

from __future__ import annotations

from collections.abc import Iterable

from verifier.errors import VerificationError


class Fields:
    """The members of one JSON object; a wrong or missing member raises `error` at `seq`, naming `what`."""

    def __init__(self, value: object, what: str, error: type[VerificationError], seq: int | None) -> None:
        self.what = what
        self.error = error
        self.seq = seq
        if not isinstance(value, dict):
            raise self.fail(f"{what} is not a JSON object")
        self.members: dict[str, object] = value

    def fail(self, message: str) -> VerificationError:
        return self.error(message, self.seq)

    def exactly(self, required: Iterable[str], optional: Iterable[str] = ()) -> None:
        """Raise unless the object has every `required` member and no member outside `required` and `optional`."""
        required_names = required if isinstance(required, frozenset) else frozenset(required)
        if self.members.keys() == required_names:
            return
        allowed = required_names | set(optional)
        missing = sorted(required_names - self.members.keys())
        if missing:
            raise self.fail(f"{self.what} lacks member {missing[0]!r}")
        unknown = sorted(self.members.keys() - allowed)
        if unknown:
            raise self.fail(f"{self.what} has unknown member {unknown[0]!r}")

    def _get(self, name: str) -> object:
        if name not in self.members:
            raise self.fail(f"{self.what} lacks member {name!r}")
        return self.members[name]

    def integer(self, name: str, minimum: int | None = None) -> int:
        value = self._get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"{self.what}.{name} is not an integer")
        if minimum is not None and value < minimum:
            raise self.fail(f"{self.what}.{name} is {value}, less than {minimum}")
        return value

    def optional_integer(self, name: str, minimum: int | None = None) -> int | None:
        if self._get(name) is None:
            return None
        return self.integer(name, minimum)

    def text(self, name: str, choices: Iterable[str] | None = None) -> str:
        value = self._get(name)
        if not isinstance(value, str):
            raise self.fail(f"{self.what}.{name} is not a string")
        if choices is not None and value not in set(choices):
            raise self.fail(f"{self.what}.{name} is {value!r}, not one of {sorted(choices)}")
        return value

    def optional_text(self, name: str) -> str | None:
        if self._get(name) is None:
            return None
        return self.text(name)

    def texts(self, name: str) -> list[str]:
        value = self._get(name)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(f"{self.what}.{name} is not a list of strings")
        return list(value)

    def integers(self, name: str) -> list[int]:
        value = self._get(name)
        if not isinstance(value, list) or not all(is_integer(item) for item in value):
            raise self.fail(f"{self.what}.{name} is not a list of integers")
        return list(value)

    def nested(self, name: str) -> Fields:
        return Fields(self._get(name), f"{self.what}.{name}", self.error, self.seq)

    def has(self, name: str) -> bool:
        return name in self.members


def is_integer(value: object) -> bool:
    """True for a JSON integer (a Python int that is not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)
