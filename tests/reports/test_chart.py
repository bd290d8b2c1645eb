"""The chart layout shared by the PDF and SVG renderers: where the change letters go."""

from medlog.reports.chart import spread


def test_letters_of_nearby_changes_are_pushed_apart_and_others_stay_on_their_mark():
    assert spread([], 4) == []
    assert spread([10.0, 50.0], 4) == [10.0, 50.0]
    assert spread([10.0, 11.0, 12.0, 30.0], 4) == [10.0, 14.0, 18.0, 30.0]
    assert spread([10.0, 10.0, 15.0], 4) == [10.0, 14.0, 18.0]
