import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medlog.domain.errors import InputError
from medlog.domain.names import Candidate, match_name, name_key
from medlog.domain.text import NOTE_MAX, clean_name, clean_note, counted, neutral, plural

CANDIDATES = [
    Candidate("escitalopram", "Escitalopram", "esc"),
    Candidate("lexapro", "Escitalopram", "esc"),
    Candidate("magnesium glycinate", "Magnesium glycinate", "mag-gly"),
    Candidate("magnesium citrate", "Magnesium citrate", "mag-cit"),
    Candidate("gabapentin", "Gabapentin", "gaba"),
    Candidate("neurontin", "Gabapentin", "gaba"),
]


@pytest.mark.parametrize("query, target", [
    ("Escitalopram", "esc"), ("ESCITALOPRAM", "esc"), ("esc", "esc"), ("Lexapro", "esc"), ("lex", "esc"),
    ("magnesium glycinate", "mag-gly"), ("magnesium  GLY", "mag-gly"), ("neur", "gaba"), ("g", "gaba"),
])
def test_matches_by_name_alias_and_unique_prefix(query, target):
    assert match_name(query, CANDIDATES, what="substance") == target


def test_ambiguous_names_list_the_candidates():
    with pytest.raises(InputError, match="could be Magnesium citrate or Magnesium glycinate"):
        match_name("mag", CANDIDATES, what="substance")


def test_unknown_names_suggest_close_ones_or_list_all():
    with pytest.raises(InputError, match="did you mean: Escitalopram"):
        match_name("escitalopam", CANDIDATES, what="substance")
    with pytest.raises(InputError, match="known: Escitalopram, Gabapentin"):
        match_name("zzz", CANDIDATES, what="substance")
    with pytest.raises(InputError, match="there are none yet"):
        match_name("zzz", [], what="substance")


def test_name_key_folds_case_width_and_space():
    assert name_key("  Magnesium   Glycinate ") == "magnesium glycinate"
    assert name_key("ＭＡＧ") == "mag"  # fullwidth letters (NFKC)
    assert name_key("Straße") == "strasse"


def test_names_are_kept_verbatim_apart_from_outer_space():
    assert clean_name("Robert'); DROP TABLE substances;--") == "Robert'); DROP TABLE substances;--"
    assert clean_name("  Vitamin   D3 ") == "Vitamin D3"


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), ("   ", "empty"), ("a\x00b", "control character"), ("a\x1bb", "control character"),
    ("bad \udcff byte", "not valid text"), ("x" * 101, "limit is 100"),
])
def test_bad_names(text, reason):
    with pytest.raises(InputError, match=reason):
        clean_name(text)


def test_notes_keep_lines_and_have_a_cap():
    assert clean_note("line one\nline two\tend") == "line one\nline two\tend"
    assert clean_note("x" * NOTE_MAX) == "x" * NOTE_MAX
    with pytest.raises(InputError, match=f"limit is {NOTE_MAX}"):
        clean_note("x" * (NOTE_MAX + 1))


@given(st.text(max_size=50))
def test_any_text_is_cleaned_or_refused(text):
    try:
        cleaned = clean_note(text)
    except InputError:
        return
    assert cleaned == cleaned.strip() and cleaned
    cleaned.encode("utf-8")


@given(st.text())
def test_shown_text_is_one_line_and_plain_text_is_shown_as_it_is(text):
    from medlog.domain.text import shown

    said = shown(text)
    assert "\n" not in said and "\r" not in said and "\x1b" not in said and len(said.splitlines()) <= 1
    if text.isprintable():
        assert said == text  # a file name with spaces, accents or CJK is shown as typed


# -- neutral: what reaches a terminal ------------------------------------------------------------------------------

def _reaches_raw(ch: str) -> bool:
    """A character that must never reach a terminal as itself: C0 (but line feed and tab), DEL, C1, the line and
    paragraph separators, and Unicode's format characters but the zero-width joiner of emoji sequences."""
    code = ord(ch)
    return ((code < 32 and ch not in "\n\t") or 0x7F <= code < 0xA0 or ch in "\u2028\u2029"
            or (unicodedata.category(ch) == "Cf" and ch != "\u200d"))


@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=200))
def test_neutral_escapes_every_unsafe_character_and_keeps_the_rest(text):
    shown = neutral(text)
    assert not any(_reaches_raw(ch) for ch in shown)
    if not any(_reaches_raw(ch) for ch in text):
        assert shown is text  # unchanged, not even copied (the TUI's line filter relies on it)



@pytest.mark.parametrize(("word", "many"), [("activity", "activities"), ("factor", "factors"), ("day", "days"),
                                            ("device file", "device files"), ("entry", "entries")])
def test_plural_of_medlogs_own_words(word, many):
    assert plural(word) == many


def test_counted_says_one_in_the_singular_and_else_the_plural():
    assert [counted(n, "entry") for n in (0, 1, 2)] == ["0 entries", "1 entry", "2 entries"]
    assert counted(3, "double") == "3 doubles" and counted(2, "person", "people") == "2 people"
