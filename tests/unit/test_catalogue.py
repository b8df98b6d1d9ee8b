"""The pages' gettext catalogue (pb_ledger/locale/): the template is what the templates and labels say today, every
message has its Arabic and French translation with the same placeholders, and the compiled catalogues are what the
pages load. The wheel test builds the package and finds the compiled catalogues in it."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from pb_ledger.web import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "pb_ledger" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def catalogue(path: Path) -> dict[str, object]:
    with path.open("rb") as f:
        return {m.id: m for m in read_po(f) if m.id}


def extracted() -> set[str]:
    found = extract_from_dir(str(ROOT / "pb_ledger" / "web"), METHODS, keywords={"_": None, "gettext": None,
                                                                                 "N_": None},
                             options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}})
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def test_the_template_holds_exactly_what_the_pages_say() -> None:
    pot = set(catalogue(LOCALE / "messages.pot"))
    now = extracted()
    assert sorted(now - pot) == [], "strings not in messages.pot: run scripts/i18n.sh extract and translate them"
    assert sorted(pot - now) == [], "messages.pot holds strings no page says any more: run scripts/i18n.sh extract"


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_message_is_translated_with_the_same_placeholders(lang: str) -> None:
    pot = catalogue(LOCALE / "messages.pot")
    po = catalogue(LOCALE / lang / "LC_MESSAGES" / "messages.po")
    assert set(po) == set(pot)
    for msgid, message in po.items():
        assert message.string and "fuzzy" not in message.flags, f"{lang}: {msgid!r} is not translated"  # type: ignore[attr-defined]
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(message.string)), msgid  # type: ignore[attr-defined]
    if lang == "ar":
        arabic = sum(1 for m in po.values() if re.search(r"[\u0600-\u06ff]", m.string))  # type: ignore[attr-defined]
        assert arabic == len(po)


def test_english_is_the_source_language_and_its_catalogue_is_complete() -> None:
    assert set(catalogue(LOCALE / "en" / "LC_MESSAGES" / "messages.po")) == set(catalogue(LOCALE / "messages.pot"))


def test_the_compiled_catalogues_translate_the_pages() -> None:
    assert i18n.translations("ar").gettext("Submit an idea") == "تقديم فكرة"
    assert i18n.translations("fr").gettext("Submit an idea") == "Déposer une idée"
    assert i18n.translations("en").gettext("Submit an idea") == "Submit an idea"


def test_money_and_dates_follow_the_locale_with_one_digit_system() -> None:
    ar, fr, en = i18n.Formats("ar"), i18n.Formats("fr"), i18n.Formats("en")
    assert ar.money(150_000_000, "MAD", 2) == "\u200f1.500.000,00\xa0د.م.\u200f"
    assert fr.money(150_000_000, "MAD", 2) == "1\u202f500\u202f000,00\xa0MAD"
    assert en.money(150_000_050, "MAD", 2) == "MAD1,500,000.50"
    assert ar.date("2026-02-05") == "5 فبراير 2026" and fr.date("2026-02-05") == "5 février 2026"
    assert not re.search(r"[\u0660-\u0669\u06f0-\u06f9]", ar.money(123_456_789, "MAD", 2) + ar.date("2026-12-31"))


@pytest.mark.slow
def test_a_wheel_carries_the_compiled_catalogues(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path),
                           str(ROOT)], check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    [wheel] = tmp_path.glob("pb_ledger-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in i18n.LANGUAGES:
        assert f"pb_ledger/locale/{lang}/LC_MESSAGES/messages.mo" in names
    assert "pb_ledger/web/templates/staff/review.html" in names and "pb_ledger/web/static/ballot.js" in names
