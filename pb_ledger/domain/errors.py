"""Errors a user can meet: a stable snake_case code and a message (the code is the same in the API, CLI and pages)."""

from __future__ import annotations


class DomainError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
