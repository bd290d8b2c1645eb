"""The sentences callers show, no causal wording in any string the package can show, and imports: stdlib and
domain only."""

import ast
import re
import sys
from datetime import date
from pathlib import Path

import pytest

import medlog.analysis
from medlog.analysis.association import Association
from medlog.analysis.before_after import Comparison, Confounder, Window
from medlog.analysis.wording import describe_association, describe_comparison

PACKAGE = Path(medlog.analysis.__file__).parent
CAUSAL = re.compile(r"\b(caus\w*|because|effects?\b|due to|thanks to|led to|leads? to|results? in|made|makes|"
                    r"works?|helps?|helped|improves|worsens|reduces|increases)\b", re.IGNORECASE)

BEFORE = Window(date(2026, 5, 4), date(2026, 5, 31), 28, 27, 27 / 28, 5.1, 5.0)
AFTER = Window(date(2026, 6, 8), date(2026, 7, 5), 28, 26, 26 / 28, 7.0, 7.0)


def comparison(verdict, **changes):
    base = Comparison(date(2026, 6, 1), True, BEFORE, AFTER, 1.6, 0.4, 2.8, 1.6, 0.4, 2.8, (), verdict, raw=1.9,
                      raw_low=1.2, raw_high=2.6, slope_per_week=0.05, slope_low=-0.1, slope_high=0.2, trend_days=84,
                      mdd=1.2)
    return base._replace(**changes)


def test_higher_says_after_and_gives_the_figures_allowing_for_the_trend():
    text = describe_comparison(comparison("higher"), "Sleep quality", "starting Magnesium")
    assert text == ("Sleep quality was higher after starting Magnesium: 5.1 → 7.0; allowing for the trend, +1.6 "
                    "(95% interval +0.4 to +2.8); 27 and 26 of 28 days logged.")


def test_no_clear_difference_states_what_it_could_have_seen_and_confounders():
    result = comparison("no clear difference", difference=0.2, low=-0.4, high=0.8,
                        confounders=(Confounder(date(2026, 6, 4), "Melatonin started"),))
    text = describe_comparison(result, "Mood", "starting Magnesium")
    assert text.startswith("No clear difference in Mood after starting Magnesium: 5.1 → 7.0; allowing for the trend, "
                           "+0.2 (95% interval -0.4 to +0.8);")
    assert "could only show a change of about 1.2 or more" in text
    assert text.endswith("Other changes in these weeks: 2026-06-04 Melatonin started.")


def test_a_level_against_the_raw_means_is_said_against_the_trend_and_a_step_down_only_looked():
    against = comparison("lower", raw=0.3, difference=-1.2, low=-2.0, high=-0.4)
    assert describe_comparison(against, "Mood", "starting Magnesium").startswith(
        "Mood was lower than its earlier trend pointed to after starting Magnesium: 5.1 → 7.0;")
    from medlog.analysis.placebo import Placebo

    usual = comparison("within usual variation", placebo=Placebo(40, 9, 10 / 41))
    assert describe_comparison(usual, "Mood", "starting Magnesium").startswith("Mood looked higher after")


def test_not_enough_data_says_how_many_days_and_shows_no_means():
    result = comparison("not enough data", before=BEFORE._replace(n=3), after=AFTER._replace(n=2))
    text = describe_comparison(result, "Pain", "stopping Ibuprofen")
    assert text == ("Not enough data on Pain around stopping Ibuprofen: 3 of 28 days logged before, 2 of 28 after; "
                    "14 needed in each.")
    assert "5.1" not in text and "→" not in text


def test_each_step_down_is_said_in_the_verdicts_own_sentence():
    from medlog.analysis.bad_spell import BadSpell
    from medlog.analysis.before_after import Missing
    from medlog.analysis.placebo import Placebo

    escitalopram = Confounder(date(2026, 5, 29), "Escitalopram dose 5 mg → 10 mg", "Escitalopram", "dose_change")
    said = {
        "already rising": ("Mood was already rising before starting Magnesium (+0.05 a week over the 12 weeks before",
                           {}),
        "could be a trend": ("a trend as steep as these weeks allow could explain it", {}),
        "cannot be separated": ("but this cannot be separated from Escitalopram dose 5 mg → 10 mg (29 May, 3 days "
                                "before)", {"blocking": (escitalopram,)}),
        "within usual variation": ("a difference this large happened at 9 of 40 dates with no change",
                                   {"placebo": Placebo(40, 9, 10 / 41)}),
        "may be recovery": ("This may be recovery after a bad spell", {"bad_spell": BadSpell(60, 3.0, 2.0, 4.0, 7),
                                                                       "with_bad_spell": "higher"}),
        "depends on unlogged days": ("it depends on the unlogged days", {"missing": Missing(True, 0.6, 0.2, 2.2)}),
    }
    for verdict, (words, extra) in said.items():
        text = describe_comparison(comparison(verdict, **extra), "Mood", "starting Magnesium")
        assert words in text, verdict
        assert "Magnesium improved" not in text and not text.startswith("Mood improved")


def test_as_needed_says_the_dose_follows_the_symptom_and_is_silent_without_enough():
    worse = Association(0, 90, 30, 0.5, 0.3, 0.7, True)
    text = describe_association(worse, "Gabapentin", "Pain", higher_is_better=False)
    assert text.startswith("You take Gabapentin more on days when Pain is worse")
    assert "says nothing about what it does" in text and "higher on days with more" not in text
    better = worse._replace(rho=-0.5, low=-0.7, high=-0.3)
    assert "Pain is better" in describe_association(better, "Gabapentin", "Pain", higher_is_better=False)
    unclear = worse._replace(rho=0.05, low=-0.2, high=0.3)
    assert describe_association(unclear, "Gabapentin", "Mood").startswith("No clear pattern between the days")
    assert describe_association(Association(0, 10, 2, None, None, None, False, "x"), "M", "Mood") is None


@pytest.mark.parametrize("verdict", ["higher", "lower", "no clear difference", "not enough data", "already rising",
                                     "could be a trend", "cannot be separated", "within usual variation"])
def test_sentences_carry_no_causal_words(verdict):
    result = comparison(verdict, confounders=(Confounder(date(2026, 6, 4), "Melatonin started"),))
    assert not CAUSAL.search(describe_comparison(result, "Mood", "starting Magnesium"))


def _strings(tree):
    """Every string constant (f-string parts included) except docstrings: what can reach a user."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_causal_wording_in_any_string_the_package_can_show():
    for path in sorted(PACKAGE.glob("*.py")):
        strings = _strings(ast.parse(path.read_text(encoding="utf-8")))
        hits = [m.group(0) for text in strings for m in CAUSAL.finditer(text)]
        assert not hits, (path.name, hits)


def test_analysis_imports_only_the_standard_library_and_the_domain():
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                allowed = name.startswith(("medlog.domain", "medlog.analysis")) or (
                    top != "medlog" and top in sys.stdlib_module_names) or top == "__future__"
                assert allowed, (path.name, name)
