"""Every refusal code of the service has a short message in Arabic, French and English (pb_ledger/messages.py).

The codes are found by reading the source of pb_ledger/ and projections/ with `ast`, so a new code raised anywhere
without its three translations fails `test_every_code_has_three_messages`."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pb_ledger.messages import LANGUAGES, MESSAGES, message

ROOT = Path(__file__).resolve().parents[2]
SOURCE_TREES = (ROOT / "pb_ledger", ROOT / "projections")

# Callables whose code is a positional argument: name -> index of the code among the positional arguments.
ERROR_CALLS = {"DomainError": 0, "InvalidBallot": 0, "InvalidRules": 0, "ImportRefused": 0, "NotFound": 0,
               "_error": 1}
# The pabulib error whose code is built from its kind: `unsupported_<kind>`.
UNSUPPORTED_RULE = "UnsupportedRule"

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF]")
# Latin text allowed inside an Arabic message: tool names, formats and standards that have no Arabic form.
ALLOWED_LATIN_TOKENS = ("pb-verify", "JSON", "SHA-256", "ISO 4217", "YYYY-MM-DD", ".pb")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


# --- scanning the source --------------------------------------------------------------------------------------------


def _source_files() -> list[Path]:
    return sorted(path for tree in SOURCE_TREES for path in tree.rglob("*.py") if ".venv" not in path.parts)


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _strings(node: ast.AST | None) -> list[str] | None:
    """The string constants a code expression can evaluate to, or None when it is not made of constants."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):  # `code or "default"`
        found = [s for value in node.values for s in (_strings(value) or [])]
        return found or None
    if isinstance(node, ast.Call) and _call_name(node) == "getattr" and len(node.args) == 3:  # getattr(e, "code", d)
        return _strings(node.args[2])
    return None


def _is_code_target(target: ast.AST) -> bool:
    """`code = …` or `self.code = …`."""
    return (isinstance(target, ast.Name) and target.id == "code") or (
        isinstance(target, ast.Attribute) and target.attr == "code")


def _is_passed_on(node: ast.AST) -> bool:
    """A code taken from another error (`e.code`, `exc.code`) or from a local `code` resolved elsewhere."""
    if isinstance(node, ast.Attribute) and node.attr == "code":
        return True
    if isinstance(node, ast.Name) and node.id == "code":
        return True
    if isinstance(node, ast.Call) and _call_name(node) == "getattr" and len(node.args) >= 2:
        return isinstance(node.args[1], ast.Constant) and node.args[1].value == "code"
    return False


def _for_loop_codes(node: ast.For) -> list[str]:
    """`for name, allowed, code in (("a", A, "code_a"), …)`: the literal in the `code` position of each row."""
    if not isinstance(node.target, ast.Tuple) or not isinstance(node.iter, (ast.Tuple, ast.List)):
        return []
    names = [t.id if isinstance(t, ast.Name) else None for t in node.target.elts]
    if "code" not in names:
        return []
    index, found = names.index("code"), []
    for row in node.iter.elts:
        if isinstance(row, (ast.Tuple, ast.List)) and index < len(row.elts):
            found.extend(_strings(row.elts[index]) or [])
    return found


def _unsupported_rule_codes(tree: ast.Module) -> Iterator[tuple[str, ast.AST]]:
    """`UnsupportedRule(value, kind="rule", …)` has the code `unsupported_<kind>`: its default kind and each kind it
    is raised with."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == UNSUPPORTED_RULE:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    positional = item.args.args
                    defaults = dict(zip([a.arg for a in positional[len(positional) - len(item.args.defaults):]],
                                        item.args.defaults, strict=True))
                    for kind in _strings(defaults.get("kind")) or []:
                        yield "unsupported_" + kind.replace(" ", "_"), item
        if isinstance(node, ast.Call) and _call_name(node) == UNSUPPORTED_RULE:
            kind_node = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg == "kind"), None)
            for kind in _strings(kind_node) or []:
                yield "unsupported_" + kind.replace(" ", "_"), node


def scan_codes() -> tuple[dict[str, set[str]], list[str]]:
    """({code: {"file:line", …}}, [code arguments that could not be resolved to constants])."""
    codes: dict[str, set[str]] = {}
    unresolved: list[str] = []

    def add(code: str, path: Path, node: ast.AST) -> None:
        codes.setdefault(code, set()).add(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}")

    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in ERROR_CALLS:
                index = ERROR_CALLS[_call_name(node)]  # type: ignore[index]
                argument = node.args[index] if len(node.args) > index else next(
                    (k.value for k in node.keywords if k.arg == "code"), None)
                if argument is None:
                    continue
                found = _strings(argument)
                for code in found or []:
                    add(code, path, node)
                if found is None and not _is_passed_on(argument):
                    unresolved.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(argument)}")
            elif isinstance(node, ast.ClassDef):
                for item in node.body:  # class-level `code = "…"`
                    if isinstance(item, ast.Assign) and any(_is_code_target(t) for t in item.targets):
                        for code in _strings(item.value) or []:
                            add(code, path, item)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):  # `code = "a" if … else "b"`, `self.code = "…"`
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(_is_code_target(t) for t in targets):
                    for code in _strings(node.value) or []:
                        if SNAKE_CASE.match(code):
                            add(code, path, node)
            elif isinstance(node, ast.For):
                for code in _for_loop_codes(node):
                    add(code, path, node)
            elif isinstance(node, ast.JoinedStr):  # f"error [{code or 'configuration'}]"
                for value in node.values:
                    if isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.BoolOp):
                        first = value.value.values[0]
                        if _is_passed_on(first):
                            for code in _strings(value.value) or []:
                                add(code, path, node)
            if isinstance(node, ast.Call) and _call_name(node) == "getattr" and len(node.args) == 3:
                if isinstance(node.args[1], ast.Constant) and node.args[1].value == "code":
                    for code in _strings(node.args[2]) or []:  # getattr(e, "code", "fallback_code")
                        add(code, path, node)
        for code, where in _unsupported_rule_codes(tree):
            add(code, path, where)
    return codes, unresolved


SCANNED, UNRESOLVED = scan_codes()


# --- the tests ------------------------------------------------------------------------------------------------------


def test_the_scan_finds_the_known_codes() -> None:
    """A guard on the scanner itself: each pattern it reads still finds its example."""
    for code in ("reason_required", "too_few_choices", "unknown_vote_type", "min_length_above_project_count",
                 "malformed_pabulib", "unknown_log", "concurrent_update", "unknown_cycle",
                 "results_not_announced", "invalid_request", "configuration", "voting_not_open", "voting_closed",
                 "unsupported_rule", "unsupported_vote_type", "unsupported_min_sum_cost", "unsupported_min_points"):
        assert code in SCANNED, f"the scan no longer finds {code!r}"


def test_every_code_argument_is_a_constant() -> None:
    """A code computed in a way the scan cannot read would escape the next test: write it as a literal."""
    assert not UNRESOLVED, "codes the scan cannot read:\n" + "\n".join(UNRESOLVED)


def test_codes_are_snake_case() -> None:
    bad = {code: sorted(where) for code, where in SCANNED.items() if not SNAKE_CASE.match(code)}
    assert not bad, bad


@pytest.mark.parametrize("code", sorted(SCANNED))
def test_every_code_has_three_messages(code: str) -> None:
    assert code in MESSAGES, f"{code!r} (raised at {', '.join(sorted(SCANNED[code]))}) has no entry in MESSAGES"
    for lang in LANGUAGES:
        text = MESSAGES[code].get(lang, "")
        assert text.strip(), f"{code!r} has no {lang} message"


def test_no_message_for_a_code_that_is_never_raised() -> None:
    stale = sorted(set(MESSAGES) - set(SCANNED))
    assert not stale, f"messages for codes no longer raised anywhere: {stale}"


def test_every_entry_has_exactly_the_three_languages() -> None:
    assert LANGUAGES == ("ar", "fr", "en")
    for code, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), code
        for lang, text in texts.items():
            assert text == text.strip() and text[-1] in ".!?", f"{code}/{lang}: one whole sentence, ending with a stop"
            assert "  " not in text, f"{code}/{lang}: double space"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_arabic_messages_are_arabic(code: str) -> None:
    text = MESSAGES[code]["ar"]
    assert ARABIC_LETTER.search(text), f"{code}: the Arabic message has no Arabic letter"
    rest = text
    for token in ALLOWED_LATIN_TOKENS:
        rest = rest.replace(token, " ")
    latin = LATIN_WORD.findall(rest)
    assert not latin, f"{code}: Latin words in the Arabic message: {latin}"
    assert "?" not in text and ";" not in text and "," not in text, f"{code}: use Arabic punctuation (، ؛ ؟)"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_french_and_english_messages_have_no_arabic(code: str) -> None:
    for lang in ("fr", "en"):
        assert not ARABIC_LETTER.search(MESSAGES[code][lang]), f"{code}/{lang}"


def test_french_uses_typographic_spaces_consistently() -> None:
    """French puts a space before « : ; ? ! »; the messages use a plain space throughout."""
    for code, texts in MESSAGES.items():
        assert not re.search(r"\S[:;?!]", texts["fr"]), f"{code}/fr: space missing before a double punctuation mark"


def test_message_in_each_language() -> None:
    assert message("reason_required", "ar") == "يجب أن يكون لكل رفض سبب معلن."
    assert message("reason_required", "fr") == "Tout rejet doit être accompagné d'un motif public."
    assert message("reason_required", "en") == "Every rejection must give a public reason."


def test_message_falls_back_to_english_then_to_the_code() -> None:
    assert message("reason_required", "es") == MESSAGES["reason_required"]["en"]
    assert message("reason_required", "") == MESSAGES["reason_required"]["en"]
    assert message("no_such_code_anywhere", "ar") == "no_such_code_anywhere"
    assert message("no_such_code_anywhere", "en") == "no_such_code_anywhere"


def test_message_falls_back_to_english_when_a_translation_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(MESSAGES, "partly_translated", {"en": "Only in English."})
    assert message("partly_translated", "ar") == "Only in English."
    monkeypatch.setitem(MESSAGES, "untranslated", {})
    assert message("untranslated", "fr") == "untranslated"
