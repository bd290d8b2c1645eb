"""What a substance is made of and belongs to, after it was added: shown, or set by the user (their word wins over
the dictionary's), with the starter rules the new classes bring adopted and their interactions told."""

from __future__ import annotations

from medlog.domain.record import record
from medlog.domain.text import clean_name
from medlog.services import interactions
from medlog.services.context import Journal, Logged, logged
from medlog.services.naming import class_keys, find_substance, ingredient_names
from medlog.services.rules import adopt_starter_rules


@record
class MakeUp:
    name: str
    classes: tuple[str, ...]
    ingredients: tuple[str, ...]
    suggested: tuple[tuple[str, ...], tuple[str, ...]] | None  # the dictionary's (classes, ingredients), if any


def make_up(journal: Journal, name: str) -> MakeUp:
    from medlog.services import dictionary
    from medlog.store import lookup

    with journal.reading() as conn:
        substance = find_substance(conn, clean_name(name, what="substance name"))
        _, keys = lookup.by_substance(lookup.substance_candidates(conn))[substance.id]
    generic = dictionary.dictionary().generic_of(keys)
    return MakeUp(substance.name, substance.classes, substance.ingredients,
                  (generic.classes, generic.ingredients) if generic else None)


def set_make_up(journal: Journal, name: str, *, classes: tuple[str, ...] | None,
                ingredients: tuple[str, ...] | None) -> Logged:
    """Set a substance's classes and/or ingredients (an empty tuple clears them); undo restores them."""
    new_classes = class_keys(classes) if classes is not None else None
    new_ingredients = ingredient_names(ingredients) if ingredients is not None else None
    with journal.writing(create=False) as batch:
        substance = find_substance(batch.conn, clean_name(name, what="substance name"))
        changes: dict[str, object] = {}
        if new_classes is not None:
            changes["classes"] = ",".join(new_classes) or None
        if new_ingredients is not None:
            changes["ingredients"] = ",".join(new_ingredients) or None
        said = "; ".join(f"{k} {v or 'none'}" for k, v in changes.items())
        batch.summary = f"set what {substance.name} is: {said}"
        batch.update("substance", substance.uuid, changes)
        notes = adopt_starter_rules(batch, journal, substance.id)
        told = interactions.tell(batch, substance.id, journal.stamp(batch.now))
    return logged(batch.summary, journal.stamp(batch.now), *notes, warnings=told)
