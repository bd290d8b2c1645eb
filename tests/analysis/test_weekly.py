"""Weekly figures and the rolling mean, from the shapes the store hands over."""

from datetime import date, timedelta

from medlog.analysis.changes import changes
from medlog.analysis.weekly import metric_weeks, rolling_mean, symptom_weeks, week_bounds, week_change
from medlog.domain.regimen import RegimenEvent
from medlog.domain.schedule import Schedule

END = date(2026, 11, 21)


def test_week_bounds_count_back_from_the_end_day():
    assert week_bounds(END, 0) == (date(2026, 11, 15), END)
    assert week_bounds(END, 2) == (date(2026, 11, 1), date(2026, 11, 7))


def test_metric_weeks_take_the_median_from_the_values_and_the_change_from_the_week_before():
    rows = [("mood", 0, 3, 5.0, 4.0, 7.0, "4.0,7.0,4.0"), ("mood", 1, 2, 3.5, 3.0, 4.0, "3.0,4.0")]
    weeks = metric_weeks(rows, END)["mood"]
    assert weeks[0].median == 4.0 and weeks[1].median == 3.5 and weeks[0].since == date(2026, 11, 15)
    assert week_change(weeks, 0) == 1.5 and week_change(weeks, 1) is None


def test_symptom_weeks_by_name():
    found = symptom_weeks([("headache", 0, 2, 2, 5.0, 6)])
    assert found["headache"][0].worst == 6


def test_the_rolling_mean_leaves_thin_stretches_empty():
    days = [END - timedelta(days=i) for i in range(9, -1, -1)]
    points = {d: float(i) for i, d in enumerate(days) if i not in (5, 6, 7)}
    means = rolling_mean(points, days)
    assert means[:3] == [None, None, None]  # fewer than 4 logged days in the window yet
    assert means[3] == (0 + 1 + 2 + 3) / 4
    assert means[9] == (3 + 4 + 8 + 9) / 4  # days 3..9 with 5–7 missing


def test_changes_in_a_range_say_what_they_changed_from():
    def at(day, hour=8):
        from datetime import UTC, datetime

        return datetime(2026, 11, day, hour, tzinfo=UTC)

    history = {"Escitalopram": [
        (date(2026, 11, 1), RegimenEvent("start", at(1), None, Schedule(("08:00",)))),
        (date(2026, 11, 10), RegimenEvent("schedule_change", at(10), None, Schedule(("09:00",)))),
    ]}
    [change] = changes(history, date(2026, 11, 5), END)
    assert change.text == "Escitalopram schedule 08:00 → 09:00" and change.day == date(2026, 11, 10)
