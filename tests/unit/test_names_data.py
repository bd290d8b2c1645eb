"""The shipped name dictionary (medlog/data/names/): every row well-formed, every name pointing to one generic per
region, only the documented class keys, and the brands people type most often landing on the right generic."""

from __future__ import annotations

import csv
import os
import re
import unicodedata

import pytest

from medlog.domain.dictionary import dictionary_key, parse

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "src", "medlog", "data", "names")
REGIONS = {"US", "UK", "EU", "CA", "AU"}
KINDS = {"medication", "supplement"}
TYPES = {"brand", "variant"}
CLASSES = {
    "ssri", "snri", "tca", "maoi", "serotonergic", "serotonergic-supplement", "triptan", "gabapentinoid", "opioid",
    "benzodiazepine", "z-drug", "sedating-antihistamine", "antipsychotic", "barbiturate", "muscle-relaxant",
    "cns-depressant", "antacid", "magnesium", "aluminium", "calcium", "iron", "zinc", "tetracycline", "quinolone",
    "bisphosphonate", "thyroid-hormone", "vitamin-d", "anticoagulant", "antiplatelet", "nsaid", "ppi", "h2-blocker",
    "statin", "ace-inhibitor", "arb", "beta-blocker", "calcium-channel-blocker", "diuretic", "stimulant",
    "anticonvulsant", "mood-stabiliser", "antibiotic", "antiviral", "antifungal", "corticosteroid", "bronchodilator",
    "contraceptive", "sulfonylurea", "biguanide", "sglt2-inhibitor", "glp1-agonist", "dpp4-inhibitor", "insulin",
    "pde5-inhibitor", "alpha-blocker", "5-alpha-reductase-inhibitor", "antiemetic", "laxative", "decongestant",
    "antihistamine",
}


def simple_key(text: str) -> str:
    """Case-insensitive after NFKC, with curly apostrophes read as straight ones (the brief's minimum)."""
    return " ".join(unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
                    .casefold().split())


def read(name: str) -> tuple[list[str], list[list[str]]]:
    path = os.path.join(DATA, name)
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    assert "\r" not in text and text.endswith("\n"), name
    lines = text.split("\n")[:-1]
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    assert all(line.strip() and not line.startswith("#") for line in lines), f"{name}: blank or late comment line"
    rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[0], rows[1:]


GENERICS_HEADER, GENERICS = read("generics.tsv")
NAMES_HEADER, NAMES = read("names.tsv")
BY_GENERIC = {row[0]: row for row in GENERICS}


def meanings(name: str, region: str | None = None) -> set[str]:
    """The generics a typed name means in the data (in a region, or anywhere)."""
    key = dictionary_key(name)
    found = {g for g in BY_GENERIC if dictionary_key(g) == key}
    for n, generic, regions, _ in NAMES:
        if dictionary_key(n) == key and (region is None or not regions or region in regions.split(",")):
            found.add(generic)
    return found


def test_headers_and_column_counts():
    assert GENERICS_HEADER == ["generic", "kind", "ingredients", "classes", "iu_mass"]
    assert NAMES_HEADER == ["name", "generic", "regions", "type"]
    for row in GENERICS:
        assert len(row) == 5, row
    for row in NAMES:
        assert len(row) == 4, row
    for row in GENERICS + NAMES:
        assert all(field == field.strip() for field in row), row
        assert row[0], row


def test_generics_are_well_formed():
    keys = [dictionary_key(row[0]) for row in GENERICS]
    assert len(keys) == len(set(keys)), "a generic is listed twice"
    for generic, kind, ingredients, classes, iu_mass in GENERICS:
        assert kind in KINDS, generic
        parts = ingredients.split(";")
        assert all(p and p == p.strip() and p == p.lower() for p in parts), generic
        assert len(parts) == len(set(parts)), generic
        if classes:
            keys_ = classes.split(",")
            assert set(keys_) <= CLASSES, (generic, set(keys_) - CLASSES)
            assert len(keys_) == len(set(keys_)), generic
        assert iu_mass == "" or re.fullmatch(r"\d+(\.\d+)? (mcg|mg)", iu_mass), generic


def test_names_are_well_formed():
    for name, generic, regions, kind in NAMES:
        assert generic in BY_GENERIC, f"{name!r} names {generic!r}, which generics.tsv does not hold"
        assert kind in TYPES, name
        if kind == "brand":
            listed = regions.split(",")
            assert listed and set(listed) <= REGIONS and len(listed) == len(set(listed)), name
        else:
            assert regions == "", f"variant {name!r} has regions"


def test_no_name_is_a_generics_own_name():
    generic_keys = {dictionary_key(g) for g in BY_GENERIC} | {simple_key(g) for g in BY_GENERIC}
    for name, generic, _, _ in NAMES:
        assert dictionary_key(name) not in generic_keys and simple_key(name) not in generic_keys, (name, generic)


@pytest.mark.parametrize("key", [simple_key, dictionary_key], ids=["nfkc-apostrophes", "loader"])
def test_no_name_means_two_generics_in_one_region(key):
    rows: dict[str, list[tuple[str, str, str]]] = {}
    for name, generic, regions, kind in NAMES:
        rows.setdefault(key(name), []).append((generic, regions, kind))
    for k, found in rows.items():
        assert len({(g, r) for g, r, _ in found}) == len(found), f"{k!r} listed twice"
        if len({g for g, _, _ in found}) == 1:
            continue
        assert all(kind == "brand" for _, _, kind in found), f"variant {k!r} also names another generic: {found}"
        seen: dict[str, str] = {}
        for generic, regions, _ in found:
            for region in regions.split(","):
                assert seen.setdefault(region, generic) == generic, f"{k!r} in {region}: {seen[region]}, {generic}"


def test_enough_entries():
    assert len(GENERICS) >= 250
    assert len(NAMES) >= 600
    assert {row[1] for row in GENERICS} == KINDS


def test_readme_lists_exactly_the_class_keys():
    with open(os.path.join(DATA, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    section = readme.split("## Class keys", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)
    assert len(listed) == len(set(listed))
    assert set(listed) == CLASSES
    assert "not an interaction checker" in readme


def test_the_loader_reads_the_files():
    dictionary = parse(GENERICS, NAMES)
    assert [f.generic.name for f in dictionary.find("St. John\u2019s Wort")] == ["St John's wort"]
    assert [f.generic.name for f in dictionary.find("hypericum perforatum")] == ["St John's wort"]
    assert {f.generic.name for f in dictionary.find("Benadryl")} == {"Diphenhydramine", "Acrivastine"}


@pytest.mark.parametrize("name, region, generic", [
    ("Zoloft", "US", "Sertraline"), ("Lustral", "UK", "Sertraline"),
    ("Lexapro", "US", "Escitalopram"), ("Cipralex", "UK", "Escitalopram"), ("Cipralex", "CA", "Escitalopram"),
    ("Esipram", "AU", "Escitalopram"), ("Celexa", "US", "Citalopram"), ("Cipramil", "UK", "Citalopram"),
    ("Paxil", "US", "Paroxetine"), ("Seroxat", "UK", "Paroxetine"), ("Aropax", "AU", "Paroxetine"),
    ("Prozac", "US", "Fluoxetine"), ("Lovan", "AU", "Fluoxetine"), ("Zispin", "UK", "Mirtazapine"),
    ("Molipaxin", "UK", "Trazodone"), ("Desyrel", "US", "Trazodone"),
    ("Neurontin", "US", "Gabapentin"), ("Neurontin", "UK", "Gabapentin"), ("Lyrica", "UK", "Pregabalin"),
    ("Synthroid", "US", "Levothyroxine"), ("Eltroxin", "UK", "Levothyroxine"), ("Thyroxine", None, "Levothyroxine"),
    ("Tylenol", "US", "Paracetamol"), ("Panadol", "UK", "Paracetamol"), ("Acetaminophen", None, "Paracetamol"),
    ("Calpol", "UK", "Paracetamol"), ("Ventolin", "UK", "Salbutamol"), ("Ventolin", "US", "Salbutamol"),
    ("Albuterol", None, "Salbutamol"), ("Epinephrine", None, "Adrenaline"),
    ("Nitroglycerin", None, "Glyceryl trinitrate"),
    ("Hypericum perforatum", None, "St John's wort"), ("St. John's Wort", None, "St John's wort"),
    ("St John\u2019s wort", None, "St John's wort"), ("St Johns wort", None, "St John's wort"),
    ("ademetionine", None, "SAMe"), ("S-adenosylmethionine", None, "SAMe"),
    ("5-hydroxytryptophan", None, "5-HTP"), ("Griffonia simplicifolia", None, "5-HTP"),
    ("Tryptophan", None, "L-tryptophan"), ("Cholecalciferol", None, "Vitamin D3"),
    ("Ergocalciferol", None, "Vitamin D2"), ("Magnesium bisglycinate", None, "Magnesium glycinate"),
    ("Magnesium sulphate", None, "Magnesium sulfate"), ("Ferrous sulphate", None, "Ferrous sulfate"),
    ("Withania somnifera", None, "Ashwagandha"), ("Cannabidiol", None, "CBD"),
    ("OxyContin", "US", "Oxycodone"), ("Ultram", "US", "Tramadol"), ("Zydol", "UK", "Tramadol"),
    ("Milk of Magnesia", "US", "Magnesium hydroxide"), ("Milk of Magnesia", "UK", "Magnesium hydroxide"),
    ("Tums", "US", "Calcium carbonate"),
    ("Rennie", "UK", "Calcium carbonate and magnesium carbonate"),
    ("Benadryl", "US", "Diphenhydramine"), ("Benadryl", "UK", "Acrivastine"),
])
def test_spot_checks(name, region, generic):
    assert meanings(name, region) == {generic}


def classes_of(generic: str) -> set[str]:
    return set(filter(None, BY_GENERIC[generic][3].split(",")))


def test_gaviscon_is_aluminium_and_magnesium_in_the_us_and_calcium_in_the_uk():
    (us,) = meanings("Gaviscon", "US")
    (uk,) = meanings("Gaviscon", "UK")
    assert {"antacid", "aluminium", "magnesium"} <= classes_of(us)
    assert "calcium" in classes_of(uk) and "aluminium" not in classes_of(uk)


@pytest.mark.parametrize("brand", ["Maalox", "Mylanta"])
def test_maalox_and_mylanta_contain_aluminium_and_magnesium(brand):
    (generic,) = meanings(brand, "US")
    assert {"antacid", "aluminium", "magnesium"} <= classes_of(generic)
    assert {"aluminium hydroxide", "magnesium hydroxide"} <= set(BY_GENERIC[generic][2].split(";"))


def test_the_generics_the_starter_rules_and_the_cli_tests_rely_on():
    assert BY_GENERIC["Escitalopram"][2:4] == ["escitalopram", "ssri"]
    assert BY_GENERIC["Sertraline"][2:4] == ["sertraline", "ssri"]
    for generic, ingredient in [("St John's wort", "st john's wort"), ("5-HTP", "5-hydroxytryptophan"),
                                ("L-tryptophan", "l-tryptophan"), ("SAMe", "s-adenosylmethionine")]:
        assert BY_GENERIC[generic][2] == ingredient and "serotonergic-supplement" in classes_of(generic)
    assert {"opioid", "serotonergic"} <= classes_of("Tramadol")
    assert "gabapentinoid" in classes_of("Gabapentin") and "opioid" in classes_of("Oxycodone")
    assert "thyroid-hormone" in classes_of("Levothyroxine") and "calcium" in classes_of("Calcium carbonate")
    assert BY_GENERIC["Vitamin D3"][4] == "0.025 mcg" and "vitamin-d" in classes_of("Vitamin D3")
    for salt in ["glycinate", "citrate", "oxide", "malate", "L-threonate", "taurate", "chloride", "sulfate"]:
        row = BY_GENERIC[f"Magnesium {salt}"]
        assert row[1] == "supplement" and row[2] == "magnesium" and "magnesium" in classes_of(row[0])
    for tetracycline in ["Doxycycline", "Minocycline", "Tetracycline", "Oxytetracycline", "Demeclocycline",
                         "Lymecycline"]:
        assert "tetracycline" in classes_of(tetracycline)
    for quinolone in ["Ciprofloxacin", "Levofloxacin", "Moxifloxacin", "Ofloxacin", "Norfloxacin"]:
        assert "quinolone" in classes_of(quinolone)
