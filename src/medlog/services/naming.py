"""What a substance is called and what it is: the name dictionary applied where names enter and are looked up.

* `substance add Lexapro` adds Escitalopram with the alias Lexapro (`--as-typed` keeps Lexapro as the name), and
  takes its ingredients and classes from the dictionary, which the starter rules match.
* A brand or variant of a substance the journal already has is refused, with the way to add it as an alias
  (`--separate` insists).
* A name the journal does not know (`take cipralex` when the journal says Escitalopram) is looked up in the
  dictionary before it is refused: its generic may be in the journal under another of its names.
"""

from __future__ import annotations

import sqlite3

from medlog.domain.dictionary import Generic
from medlog.domain.errors import InputError
from medlog.domain.names import Candidate, Unknown, match_name, name_key
from medlog.domain.record import record
from medlog.domain.text import clean_name
from medlog.domain.units import Amount, parse_iu_mass
from medlog.store import lookup
from medlog.store.records import SubstanceRef


@record
class Naming:
    """A new substance's name, aliases and make-up, and what the dictionary said of it."""

    name: str
    aliases: tuple[str, ...]
    classes: tuple[str, ...]
    ingredients: tuple[str, ...]
    iu_mass: Amount | None
    generic: Generic | None  # the dictionary's generic, when the name was found
    notes: tuple[str, ...]


def name_new(typed: str, *, as_typed: bool, aliases: tuple[str, ...], classes: tuple[str, ...] | None,
             ingredients: tuple[str, ...] | None, iu_mass: Amount | None, region: str | None = None) -> Naming:
    """The name a new substance is added under, resolved through the dictionary (read here: `substance add`)."""
    from medlog.services import dictionary

    found = dictionary.find(typed)
    notes: list[str] = []
    if len(found) > 1 and region is not None:
        mine = [f for f in found if region in f.regions]
        if len(mine) == 1:
            notes.append(f"{typed} is sold in {region} as {mine[0].generic.name.lower()} (your locale's country; "
                         "elsewhere it is another product)")
            found = mine
    if len(found) > 1:
        # The same brand, different products by country, and no way to tell which: the name stays as typed, and
        # it takes the classes of every meaning, so the safety rules of each apply (a warning too many, not one
        # too few); --class and --ingredient set them exactly.
        meanings = "; ".join(f"{', '.join(f.regions) or 'elsewhere'}: {f.generic.name.lower()}" for f in found)
        union = tuple(dict.fromkeys(c for f in found for c in f.generic.classes))
        notes.append(f"{typed} is a different product in different countries ({meanings}): kept as {typed}, with "
                     "the classes of each for the safety rules; --class and --ingredient say exactly what it is")
        return Naming(typed, aliases, tuple(classes) if classes is not None else union, tuple(ingredients or ()),
                      iu_mass, None, tuple(notes))
    generic = found[0].generic if found else None
    name, names = typed, list(aliases)
    if found:
        one = found[0]
        combination = len(one.generic.ingredients) > 1 and one.relation == "brand"
        if combination and not as_typed:  # "Aluminium hydroxide and magnesium carbonate" names no one's bottle
            notes.append(f"{one.describe()} ({', '.join(one.generic.ingredients)}): kept as {typed}, with its "
                         "ingredients and classes for the safety rules")
        elif one.renamed and not as_typed:
            name = one.generic.name
            if name_key(typed) != name_key(name):  # a brand or another spelling: kept as an alias, and said
                if name_key(typed) not in {name_key(a) for a in names}:
                    names.insert(0, typed)
                notes.append(f"{one.describe()}: added as {name}, with {typed} as an alias "
                             "(--as-typed keeps the name as typed)")
    else:
        close = dictionary.nearest(typed)
        hint = f" (nearest: {', '.join(close)})" if close else ""
        notes.append(f"{typed} is not in the name dictionary; check the spelling{hint}. Kept as typed.")
    made_of = tuple(ingredients) if ingredients is not None else (generic.ingredients if generic else ())
    kinds = tuple(classes) if classes is not None else (generic.classes if generic else ())
    if iu_mass is None and generic is not None and generic.iu_mass:
        iu_mass = parse_iu_mass(f"1 IU = {generic.iu_mass}")
    return Naming(name, tuple(names), kinds, made_of, iu_mass, generic, tuple(notes))


def check_not_twice(conn: sqlite3.Connection, typed: str, naming: Naming, *, separate: bool) -> None:
    """Refuse a substance the journal already has under another name (a brand, a spelling), unless `separate`."""
    if separate or naming.generic is None:
        return
    from medlog.services import dictionary

    same = naming.generic.name
    for substance, keys in lookup.by_substance(lookup.substance_candidates(conn)).values():
        generic = dictionary.dictionary().generic_of(keys)
        if generic is not None and generic.name == same:
            have = substance.name
            raise InputError(f"{typed} is {same.lower()}, already in your journal as {have}: to log it under this "
                             f"name too, add an alias (medlog substance alias {_quoted(have)} {_quoted(typed)}); "
                             "to keep it apart anyway, add it with --separate")


def _quoted(name: str) -> str:
    return f"'{name}'" if " " in name else name


def find_substance(conn: sqlite3.Connection, query: str, *, what: str = "substance") -> SubstanceRef:
    """match_name over the journal's substances; a name it does not know is looked up in the dictionary, and
    found when exactly one of the journal's substances is that generic under another name."""
    candidates = lookup.substance_candidates(conn)
    try:
        named: SubstanceRef = match_name(query, candidates, what=what)
        return named
    except Unknown as unknown:
        found = _by_generic(query, candidates)
        if found is None:
            raise unknown from None
        return found


def _by_generic(query: str, candidates: list[Candidate]) -> SubstanceRef | None:
    from medlog.services import dictionary

    meant = {f.generic.name for f in dictionary.find(query)}
    if not meant:
        return None
    book = dictionary.dictionary()
    hits = [substance for substance, keys in lookup.by_substance(candidates).values()
            if (g := book.generic_of(keys)) is not None and g.name in meant]
    return hits[0] if len(hits) == 1 else None


def class_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Class keys as the user gives them: lower-case words joined by hyphens ('ssri', 'antacid')."""
    import re

    cleaned = tuple(dict.fromkeys(k.strip().lower() for k in keys if k.strip()))
    for key in cleaned:
        if not re.fullmatch(r"[a-z][a-z0-9-]{0,39}", key):
            raise InputError(f"class {key!r}: give a class key like ssri, snri, opioid or antacid (lower-case "
                             "letters, digits and hyphens; the dictionary's are listed in its README)")
    return cleaned


def ingredient_names(names: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(name_key(clean_name(n, what="ingredient")) for n in names if n.strip()))
    for ingredient in cleaned:
        if "," in ingredient:
            raise InputError(f"ingredient {ingredient!r}: give one ingredient at a time, without commas")
    return cleaned
