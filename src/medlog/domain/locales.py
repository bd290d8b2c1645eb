"""The locale that dates and relative times are written in: one pendulum ships, from the config or the
environment (LC_ALL, then LC_TIME, then LANG, as the C library reads them), else English.

Standard library only and nothing at import: the settings are read on every command, the quick-log ones too.
The words medlog writes itself stay English; the locale gives the names of days and months, the order of a
date's parts, and the words of a relative time ("vor 3 Tagen"). English dates keep medlog's own layout
("Sat 05 Dec 2026"), for every territory.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the quick-log path's budget)
if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT = "en"

# The locales pendulum 3 ships (pendulum/locales/*); tests/unit/test_locales.py holds this to the installed package.
SHIPPED = frozenset({"bg", "cs", "da", "de", "en", "en_gb", "en_us", "es", "fa", "fo", "fr", "gu", "he", "hi", "id",
                     "it", "ja", "ko", "lt", "nb", "nl", "nn", "pl", "pt_br", "ru", "sk", "sv", "tr", "uk", "zh"})
# A language pendulum has only in one territory's form (month and day names are the same in the others).
_ONLY_AS = {"pt": "pt_br", "no": "nb"}


def resolve(value: str) -> str | None:
    """A locale as pendulum names it: "de_DE.UTF-8", "de-DE" and "de" → "de", "pt_BR" → "pt_br", any English
    → "en"; None when pendulum has nothing for it ("C", "POSIX", "xx_YY")."""
    base = value.split(".")[0].split("@")[0].strip().replace("-", "_").casefold()
    language = base.partition("_")[0]
    if language == "en":
        return DEFAULT
    if base in SHIPPED:
        return base
    if language in SHIPPED:
        return language
    return _ONLY_AS.get(language)


def from_env(env: Mapping[str, str]) -> str:
    """The locale of dates from the environment: the first of LC_ALL, LC_TIME, LANG that is set decides (as the
    C library chooses), and one pendulum does not ship ("C.UTF-8") means English."""
    for var in ("LC_ALL", "LC_TIME", "LANG"):
        value = env.get(var, "")
        if value:
            return resolve(value) or DEFAULT
    return DEFAULT
