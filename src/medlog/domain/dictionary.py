"""The name dictionary: which generic a brand or a variant spelling names, and what that generic is made of.

Pure: services/dictionary.py reads the shipped files (medlog/data/names/) into a Dictionary once, only when a
name must be resolved (`substance add`, a name `take` does not find), never on the quick-log path.

Names are compared in `dictionary_key`'s form: the journal's own name key (NFKC, case-folded, single spaces)
with the punctuation one name is commonly written with folded together: curly and straight apostrophes, and a
hyphen or a full stop read as a space ("St. John’s Wort" is "St John's wort", "Co codamol" is "Co-codamol").
Letters are never folded: "St Johns wort" is a variant the data must list.
"""

from __future__ import annotations

from medlog.domain.names import name_key
from medlog.domain.record import record

_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'", "-": " ", ".": " ",
                       "\u2010": " ", "\u2011": " ", "\u2013": " "})
REGIONS = ("US", "UK", "EU", "CA", "AU")


_EU_COUNTRIES = frozenset("at be bg cy cz de dk ee es fi fr gr hr hu ie it lt lu lv mt nl pl pt ro se si sk".split())
_EU_LANGUAGES = frozenset("de fr it es nl pt pl sv da fi cs sk hu ro bg el hr sl et lv lt ga mt".split())
_COUNTRIES = {"gb": "UK", "uk": "UK", "us": "US", "ca": "CA", "au": "AU", "nz": "AU"}


def region_of(locale: str) -> str | None:
    """The country (as the dictionary's regions name it) a locale says the user is in: en_GB is UK, de_AT is EU;
    a language alone says EU only for the EU's own languages (de, fr…); plain English or C says nothing."""
    language, _, country = locale.lower().replace("-", "_").partition("_")
    if country:
        return _COUNTRIES.get(country) or ("EU" if country in _EU_COUNTRIES else None)
    return "EU" if language in _EU_LANGUAGES else None


def dictionary_key(text: str) -> str:
    """The form the dictionary compares names in: name_key with apostrophes, hyphens and full stops folded."""
    return " ".join(name_key(text).translate(_FOLD).split())


@record
class Generic:
    """A generic (or a supplement's common name), as the dictionary knows it."""

    name: str  # canonical, as a person writes it: "Escitalopram", "St John's wort"
    kind: str  # medication | supplement
    ingredients: tuple[str, ...]  # lower-case ingredient names
    classes: tuple[str, ...]  # class keys (data/names/README.md)
    iu_mass: str | None = None  # the mass of one IU, where there is one standard factor ("0.025 mcg")


@record
class Found:
    """What a typed name is in the dictionary: its generic, and how the name relates to it."""

    generic: Generic
    typed: str  # the name as it was typed
    relation: str  # "generic" (the name itself), "brand" or "variant" (another spelling, a Latin name, an INN)
    regions: tuple[str, ...] = ()  # where a brand is sold under that name

    @property
    def renamed(self) -> bool:
        """Whether the typed name is not the generic's own name (a brand or another spelling)."""
        return self.relation != "generic" or self.typed != self.generic.name

    def describe(self) -> str:
        if self.relation == "brand":
            where = f" ({', '.join(self.regions)})" if self.regions else ""
            return f"{self.typed} is a brand{where} of {self.generic.name.lower()}"
        if self.relation == "variant":
            return f"{self.typed} is another name for {self.generic.name}"
        return f"{self.typed} is written {self.generic.name} in the dictionary"


@record
class Dictionary:
    generics: dict[str, Generic]  # by dictionary_key of the generic's name
    names: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]]  # key -> ((generic key, relation, regions), …)
    labels: dict[str, str]  # key -> the name as the data writes it ("Zoloft")

    def find(self, typed: str) -> list[Found]:
        """Every generic the typed name can mean: none, one, or (a brand that names different products in
        different regions) several."""
        key = dictionary_key(typed)
        if key in self.generics:
            return [Found(self.generics[key], typed, "generic")]
        return [Found(self.generics[g], typed, relation, regions) for g, relation, regions in self.names.get(key, ())]

    def nearest(self, typed: str, n: int = 3) -> list[str]:
        """The closest known names (generics and brands), for 'check the spelling'."""
        import difflib  # only when a name is not found

        key = dictionary_key(typed)
        keys = list(self.generics) + list(self.names)
        labels = {k: g.name for k, g in self.generics.items()}
        close = difflib.get_close_matches(key, keys, n=n, cutoff=0.75)
        return [labels.get(k) or self._label(k) for k in close]

    def _label(self, key: str) -> str:
        generic, _, _ = self.names[key][0]
        return f"{self.labels.get(key, key)} ({self.generics[generic].name.lower()})"

    def generic_of(self, names: list[str]) -> Generic | None:
        """The one generic a substance's names (its name and aliases) point to, if they point to exactly one."""
        found = {f.generic.name for name in names for f in self.find(name)}
        if len(found) != 1:
            return None
        return self.generics[dictionary_key(found.pop())]


def parse(generics_rows: list[list[str]], names_rows: list[list[str]]) -> Dictionary:
    """The dictionary from the rows of generics.tsv (generic, kind, ingredients, classes, iu_mass) and names.tsv
    (name, generic, regions, type), headers removed. Rows that disagree with each other are the data's bug:
    a ValueError names the row (the shipped files are held to this by tests/unit/test_names_data.py)."""
    generics: dict[str, Generic] = {}
    for row in generics_rows:
        name, kind, ingredients, classes, iu_mass = (row + [""] * 5)[:5]
        generics[dictionary_key(name)] = Generic(
            name=name, kind=kind, ingredients=tuple(i.strip() for i in ingredients.split(";") if i.strip()),
            classes=tuple(c.strip() for c in classes.split(",") if c.strip()), iu_mass=iu_mass.strip() or None)
    names: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
    labels: dict[str, str] = {}
    for row in names_rows:
        name, generic, regions, relation = (row + [""] * 4)[:4]
        generic_key = dictionary_key(generic)
        if generic_key not in generics:
            raise ValueError(f"names.tsv: {name!r} names {generic!r}, which generics.tsv does not hold")
        key = dictionary_key(name)
        if key in generics:
            continue  # a generic's own name always means that generic
        labels.setdefault(key, name)
        entry = (generic_key, relation or "variant", tuple(r.strip() for r in regions.split(",") if r.strip()))
        if all(e[0] != generic_key for e in names.get(key, [])):
            names.setdefault(key, []).append(entry)
    return Dictionary(generics, {k: tuple(v) for k, v in names.items()}, labels)
