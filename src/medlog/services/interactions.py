"""Interaction warnings: told once per pair, when both substances are in use, and kept in the journal.

An interaction rule (two substances, no figures) is told the first time both are in use: when the second is
added or started again, or — for a rule that arrived another way (merged, imported, enabled again) — at the
next dose of either. A warning is a row of rule_warning, so "once" survives restarts and devices, and the visit
report lists what fired in its period. Timing rules (a daily maximum, spacing, as-needed limits) are told at each
dose that crosses them, and kept the same way.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from medlog.domain.regimen import regimen_at
from medlog.domain.rules import Rule
from medlog.store import lookup, writes
from medlog.store import rules as rule_store
from medlog.store.changes import Batch
from medlog.store.writes import Stamp

CAUTION = "a caution to raise with your pharmacist or prescriber, not advice to stop or change anything"


def told_line(rule: Rule) -> str:
    return (f"interaction (rule {rule.id}): {rule.substance} with {rule.other} — {rule.source or 'your own rule'}. "
            f"This is {CAUTION}; 'medlog rule disable {rule.id}' turns it off.")


def tell(batch: Batch, substance_id: int, stamp: Stamp, about: list[Rule] | None = None,
         *, dose_id: int | None = None) -> list[str]:
    """Tell the interactions of this substance not told before whose partner is in use now; keep them."""
    rules = about if about is not None else rule_store.rules_about(batch.conn, substance_id)
    waiting = [r for r in rules if r.kind == "interaction" and r.enabled]
    if not waiting:
        return []  # the usual case, at no cost
    told = rule_store.warned_rules(batch.conn, [r.id for r in waiting])
    lines = []
    for rule in waiting:
        partner = rule.other_id if rule.substance_id == substance_id else rule.substance_id
        if rule.id in told or partner is None or not _in_use(batch.conn, partner, stamp.at):
            continue
        line = told_line(rule)
        batch.insert(writes.rule_warning_row(rule_id=rule.id, stamp=stamp, text=line, dose_id=dose_id))
        lines.append(line)
    return lines


def keep(batch: Batch, stamp: Stamp, crossed: list[tuple[Rule, str]], dose_id: int) -> None:
    """Keep the timing rules a dose crossed (the warnings were already said)."""
    for rule, line in crossed:
        batch.insert(writes.rule_warning_row(rule_id=rule.id, stamp=stamp, text=line, dose_id=dose_id))


def _in_use(conn: sqlite3.Connection, substance_id: int, at: datetime) -> bool:
    return regimen_at(lookup.regimen_events(conn, substance_id), at).active
