"""The `locale` setting (config.py, domain/locales.py) and the words it writes dates and times in (humanize.py)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import pendulum
import pytest

from medlog.config import load_settings
from medlog.domain import locales
from medlog.domain.errors import InputError
from medlog.domain.humanize import before, day_text, days_text, due_text, relative, span_text


def test_the_shipped_locales_are_pendulums():
    folder = os.path.dirname(pendulum.locales.__file__)
    shipped = {name for name in os.listdir(folder) if os.path.isdir(os.path.join(folder, name))
               and not name.startswith("_")}
    assert locales.SHIPPED == shipped


@pytest.mark.parametrize(("value", "locale"), [
    ("de_DE.UTF-8", "de"), ("de", "de"), ("de-AT", "de"), ("DE_de.utf8", "de"), ("fr_CA.UTF-8@euro", "fr"),
    ("pt_BR.UTF-8", "pt_br"), ("pt_PT", "pt_br"), ("nb_NO.UTF-8", "nb"), ("no_NO", "nb"), ("ja_JP.eucJP", "ja"),
    ("en_US.UTF-8", "en"), ("en_GB", "en"), ("en", "en"),
    ("C", None), ("C.UTF-8", None), ("POSIX", None), ("xx_YY", None), ("", None),
])
def test_a_locale_name_resolves_to_one_pendulum_ships(value, locale):
    assert locales.resolve(value) == locale


@pytest.mark.parametrize(("env", "locale"), [
    ({}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "de"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8", "LC_TIME": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "de_DE.UTF-8", "LC_TIME": "fr_FR.UTF-8", "LC_ALL": "it_IT.UTF-8"}, "it"),
    ({"LANG": "de_DE.UTF-8", "LC_ALL": ""}, "de"),  # set but empty: as if unset
    ({"LANG": "de_DE.UTF-8", "LC_ALL": "C"}, "en"),  # the first one set decides, even one pendulum lacks
    ({"LANG": "xx_YY.UTF-8"}, "en"),
])
def test_the_locale_from_the_environment(env, locale):
    assert locales.from_env(env) == locale


def _config(tmp_path, text: str) -> dict[str, str]:
    folder = tmp_path / "cfg" / "medlog"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "HOME": str(tmp_path), "MEDLOG_TZ": "UTC"}


def test_the_setting_defaults_from_lang(monkeypatch, tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "none"), "HOME": str(tmp_path), "MEDLOG_TZ": "UTC"}
    assert load_settings(env).locale == "en"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_TIME", raising=False)
    assert load_settings(os.environ | env).locale == "de"  # type: ignore[operator]


def test_the_config_file_sets_the_locale_over_the_environment(tmp_path):
    env = _config(tmp_path, 'locale = "fr_FR"\n')
    assert load_settings({**env, "LANG": "de_DE.UTF-8", "LC_ALL": "it_IT.UTF-8"}).locale == "fr"
    assert load_settings({**_config(tmp_path / "b", 'locale = "en_GB"\n'), "LANG": "de_DE.UTF-8"}).locale == "en"


@pytest.mark.parametrize("value", ['"klingon"', '"C"', "3", "true"])
def test_a_locale_pendulum_lacks_in_the_config_is_one_clear_error(tmp_path, value):
    with pytest.raises(InputError) as caught:
        load_settings(_config(tmp_path, f"locale = {value}\n"))
    assert "locale" in str(caught.value) and "de, " in str(caught.value)


DAY = date(2026, 12, 5)  # a Saturday


def test_english_dates_keep_medlogs_layout():
    assert day_text(DAY) == "Sat 05 Dec 2026" == day_text(DAY, "en", "day")
    assert day_text(DAY, "en", "short") == "05 Dec"
    assert span_text(date(2026, 8, 24), DAY) == "24 Aug–05 Dec 2026"
    assert span_text(date(2025, 12, 24), DAY) == "24 Dec 2025–05 Dec 2026"


def test_dates_in_other_locales():
    assert day_text(DAY, "de") == "Sa., 5. Dezember 2026"
    assert day_text(DAY, "fr", "date") == "5 décembre 2026"
    assert day_text(DAY, "de", "month_year") == "Dez. 2026"
    assert span_text(date(2026, 8, 24), DAY, "de") == "24. August 2026 – 5. Dezember 2026"


NOW = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)


@pytest.mark.parametrize(("due", "overdue", "locale", "text"), [
    (NOW - timedelta(hours=12), True, "en", "overdue by 12 hours"),
    (NOW + timedelta(minutes=25), False, "en", "due in 25 minutes"),
    (NOW + timedelta(hours=1, minutes=30), False, "en", "due in 1 hour"),
    (NOW - timedelta(minutes=10), False, "en", "due 10 minutes ago"),
    (NOW + timedelta(seconds=20), False, "en", "due now"),
    (NOW - timedelta(hours=2), True, "de", "overdue by 2 Stunden"),
    (NOW + timedelta(minutes=25), False, "de", "due in 25 Minuten"),
])
def test_what_an_open_dose_says(due, overdue, locale, text):
    assert due_text(due, NOW, overdue, locale) == text


def test_relative_times_and_spans():
    assert relative(NOW - timedelta(days=3), NOW) == "3 days ago"
    assert relative(NOW - timedelta(days=3), NOW, "de") == "vor 3 Tagen"
    assert before(NOW - timedelta(days=3), NOW) == "3 days before"
    assert before(NOW - timedelta(days=3), NOW, "fr") == "3 jours avant"
    assert days_text(5) == "5 days" and days_text(17) == "2 weeks 3 days" and days_text(17, "de") == "2 Wochen 3 Tage"
