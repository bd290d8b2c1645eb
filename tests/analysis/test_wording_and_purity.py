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
    base = Comparison(date(2026, 6, 1), True, BEFORE, AFTER, 1.9, 1.2, 2.6, 1.9, 1.2, 2.6, (), verdict)
    return base._replace(**changes)


def test_improved_says_after_and_gives_the_figures():
    text = describe_comparison(comparison("improved"), "Sleep quality", "starting Magnesium")
    assert text == ("Sleep quality improved after starting Magnesium: mean 5.1 → 7.0 (+1.9; 95% interval +1.2 to "
                    "+2.6; 27 and 26 of 28 days logged).")


def test_no_clear_change_and_confounders():
    result = comparison("no clear change", difference=0.2, low=-0.4, high=0.8,
                        confounders=(Confounder(date(2026, 6, 4), "Melatonin started"),))
    text = describe_comparison(result, "Mood", "starting Magnesium")
    assert text.startswith("No clear change in Mood after starting Magnesium: mean 5.1 → 7.0 (+0.2; 95% interval "
                           "-0.4 to +0.8;")
    assert text.endswith("Other changes in these weeks: 2026-06-04 Melatonin started.")


def test_not_enough_data_says_how_many_days():
    result = comparison("not enough data", before=BEFORE._replace(n=3), after=AFTER._replace(n=2))
    assert describe_comparison(result, "Pain", "stopping Ibuprofen") == (
        "Not enough data on Pain around stopping Ibuprofen: 3 of 28 days logged before, 2 of 28 after; "
        "14 needed in each.")


def test_association_sentences_and_silence_when_not_enough():
    clear = Association(1, 90, 30, 0.45, 0.21, 0.63, True)
    assert describe_association(clear, "Magnesium", "Sleep quality") == (
        "Sleep quality was higher on days after more Magnesium (Spearman ρ 0.45, 95% interval 0.21 to 0.63; "
        "90 days); an association only.")
    unclear = clear._replace(lag=0, rho=0.05, low=-0.2, high=0.3)
    assert describe_association(unclear, "Magnesium", "Mood").startswith(
        "No clear association between Magnesium and Mood the same day")
    assert describe_association(Association(0, 10, 2, None, None, None, False, "x"), "M", "Mood") is None


@pytest.mark.parametrize("verdict", ["improved", "worsened", "no clear change", "not enough data"])
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
