"""The name dictionary as pure functions: the folded key, what a name means, regions, nearest names."""

from __future__ import annotations

import pytest

from medlog.domain.dictionary import dictionary_key, parse, region_of

GENERICS = [
    ["Escitalopram", "medication", "escitalopram", "ssri", ""],
    ["St John's wort", "supplement", "st john's wort", "serotonergic-supplement", ""],
    ["Vitamin D3", "supplement", "cholecalciferol", "vitamin-d", "0.025 mcg"],
    ["Aluminium hydroxide and magnesium carbonate", "medication", "aluminium hydroxide;magnesium carbonate",
     "antacid,aluminium,magnesium", ""],
    ["Sodium alginate, sodium bicarbonate and calcium carbonate", "medication",
     "sodium alginate;sodium bicarbonate;calcium carbonate", "antacid,calcium", ""],
]
NAMES = [
    ["Lexapro", "Escitalopram", "US,CA,AU", "brand"],
    ["Cipralex", "Escitalopram", "UK,EU,CA", "brand"],
    ["Hypericum perforatum", "St John's wort", "", "variant"],
    ["Gaviscon", "Aluminium hydroxide and magnesium carbonate", "US", "brand"],
    ["Gaviscon", "Sodium alginate, sodium bicarbonate and calcium carbonate", "UK", "brand"],
    ["Cholecalciferol", "Vitamin D3", "", "variant"],
]


@pytest.fixture
def book():
    return parse(GENERICS, NAMES)


@pytest.mark.parametrize("typed", ["St. John’s Wort", "st john's wort", "ST JOHN`S WORT", "St-John's  wort",
                                   "ＳＴ John's wort"])
def test_spellings_fold_to_one_key(typed):
    assert dictionary_key(typed) == "st john's wort"


def test_letters_are_never_folded():
    assert dictionary_key("St Johns wort") != dictionary_key("St John's wort")


def test_a_generic_a_brand_and_a_variant(book):
    assert [(f.generic.name, f.relation, f.renamed) for f in book.find("escitalopram")] == [
        ("Escitalopram", "generic", True)]  # typed in lower case: the generic's own writing is taken
    assert [(f.generic.name, f.relation, f.regions) for f in book.find("CIPRALEX")] == [
        ("Escitalopram", "brand", ("UK", "EU", "CA"))]
    assert [f.generic.name for f in book.find("hypericum perforatum")] == ["St John's wort"]
    assert book.find("Zoloft") == []


def test_a_brand_that_is_different_products_by_country_has_every_meaning(book):
    found = book.find("gaviscon")
    assert {f.generic.name for f in found} == {"Aluminium hydroxide and magnesium carbonate",
                                               "Sodium alginate, sodium bicarbonate and calcium carbonate"}
    assert {r for f in found for r in f.regions} == {"US", "UK"}


def test_generic_of_a_substances_names_needs_one_answer(book):
    assert book.generic_of(["lexapro", "escitalopram"]).name == "Escitalopram"
    assert book.generic_of(["gaviscon"]) is None  # two products
    assert book.generic_of(["lexapro", "hypericum perforatum"]) is None  # two generics: not one substance
    assert book.generic_of(["my own mix"]) is None


def test_nearest_names_for_a_misspelling(book):
    assert "Lexapro (escitalopram)" in book.nearest("Lexaprro")
    assert book.nearest("qqqqqq") == []


def test_iu_mass_and_ingredients_are_read(book):
    d3 = book.find("cholecalciferol")[0].generic
    assert d3.iu_mass == "0.025 mcg" and d3.ingredients == ("cholecalciferol",) and d3.classes == ("vitamin-d",)


def test_a_name_that_points_nowhere_is_the_datas_bug():
    with pytest.raises(ValueError, match="Nowhere"):
        parse(GENERICS, [["Brand", "Nowhere", "US", "brand"]])


@pytest.mark.parametrize(("locale", "region"), [("en_GB", "UK"), ("en_US", "US"), ("fr_CA", "CA"), ("en_AU", "AU"),
                                                ("de_DE", "EU"), ("de", "EU"), ("en", None), ("C", None),
                                                ("pt_BR", None), ("pt_PT", "EU"), ("ja_JP", None)])
def test_region_of_a_locale(locale, region):
    assert region_of(locale) == region
