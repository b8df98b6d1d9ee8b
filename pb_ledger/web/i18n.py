"""The interface's languages: Arabic (the default, right to left), French and English.

Every string of the pages is a gettext message: the catalogue is `pb_ledger/locale/messages.pot` (extracted with
Babel from the templates and from `labels.py`, see babel.cfg and scripts/i18n.sh), translated in
`pb_ledger/locale/<lang>/LC_MESSAGES/messages.po`, and compiled to `.mo` files when the package is built or installed
(setup.py). The sentences explaining error codes stay in `pb_ledger/messages.py`, their one source, shared with the CLI.

Money, numbers and dates are formatted per locale with Babel: Morocco's Arabic and French (`ar_MA`, `fr_MA`), whose
numbers use Western digits — one digit system across the Arabic pages — and English."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations

LANGUAGES = ("ar", "fr", "en")
DEFAULT = "ar"
DIRECTION = {"ar": "rtl", "fr": "ltr", "en": "ltr"}
LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en"}
NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


class CatalogueMissing(RuntimeError):
    code = "configuration"


def pick_language(requested: str | None) -> str:
    """Arabic unless the visitor chose another language."""
    return requested if requested in LANGUAGES else DEFAULT


@cache
def translations(lang: str) -> Translations:
    """The compiled catalogue of `lang`; a missing one is an installation error, never a silent English page."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not path.is_file():
        raise CatalogueMissing(f"the {lang} catalogue is not compiled ({path} is missing): reinstall the package "
                               "(pip install -e .) or run scripts/i18n.sh compile")
    with path.open("rb") as f:
        return Translations(f, domain=DOMAIN)


class Formats:
    """Locale-aware formatting for one language, as the templates use it (`fmt.money(...)`, `fmt.date(...)`)."""

    def __init__(self, lang: str) -> None:
        self.lang, self.locale = lang, LOCALES[lang]

    def money(self, amount: int | None, currency: str, exponent: int) -> str:
        """An amount in minor units, e.g. 150000000 MAD with exponent 2 → '1.500.000,00 د.م.'; never rounded."""
        if amount is None:
            return "—"
        value = Decimal(int(amount)).scaleb(-int(exponent))
        return format_currency(value, currency, locale=self.locale, decimal_quantization=False)

    def cycle_money(self, amount: int | None, cycle: dict[str, object]) -> str:
        return self.money(amount, str(cycle["currency"]), int(cycle["exponent"]))  # type: ignore[call-overload]

    def number(self, value: float | None) -> str:
        return "—" if value is None else format_decimal(value, locale=self.locale)

    def percent(self, value: int | None) -> str:
        """A whole percentage (35 → '35%', '35 %' in French), isolated so that Arabic text keeps its order."""
        return "—" if value is None else "\u2068" + format_percent(value / 100, locale=self.locale) + "\u2069"

    def date(self, iso: str | None, form: str = "long") -> str:
        """A date written YYYY-MM-DD, in words of the locale (5 فبراير 2026, 5 février 2026, February 5, 2026)."""
        if not iso:
            return "—"
        try:
            return format_date(datetime.date.fromisoformat(iso[:10]), format=form, locale=self.locale)
        except ValueError:
            return iso

    def moment(self, iso: str | None) -> str:
        """An RFC 3339 time, as a date and time of the locale (UTC)."""
        if not iso:
            return "—"
        when = datetime.datetime.fromisoformat(iso)
        return format_datetime(when, format="medium", tzinfo=datetime.UTC, locale=self.locale) + " UTC"
