"""verifier/ imports only the standard library and `cryptography` (DESIGN §3): checked on every module's syntax tree."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

VERIFIER = Path(__file__).resolve().parents[2] / "verifier"
ALLOWED = set(sys.stdlib_module_names) | {"cryptography", "verifier"}


def imported_top_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def test_the_verifier_has_modules_to_check() -> None:
    assert len(list(VERIFIER.rglob("*.py"))) > 10


def test_every_verifier_module_imports_only_the_standard_library_and_cryptography() -> None:
    offenders = {
        str(path.relative_to(VERIFIER)): sorted(imported_top_modules(path) - ALLOWED)
        for path in sorted(VERIFIER.rglob("*.py"))
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_dynamic_imports_are_not_used_to_get_around_the_check() -> None:
    for path in VERIFIER.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "__import__(" not in text and "importlib" not in text, path
