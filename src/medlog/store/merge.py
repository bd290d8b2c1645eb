"""Merging two journals (issue 19), the SQL of the merged state (docs/architecture.md, "Merging two journals"):
worked out in set-based SQL over the journal and OTHER's rows staged beside it (store/merge_stage.py), then written
by store/merge_write.py as one change-log batch.

`merge_w_T` holds the merged state — every row of either side, by UUID, as it will be. The merged
state is a function of the two sides alone, never of which one is the journal nor of the time of the merge, so
A into B and B into A end with the same rows, and a second merge finds nothing to do:

1. each UUID takes the later version by `updated_at` (a deletion is a change like any other: an undone deletion,
   being later, wins over the tombstone); at equal times a tombstone wins, then the greater content, so the
   choice never depends on the direction. A tombstone that is the undoing of a merge's insert loses to a live
   version on the other side: taking back a merge is not deleting the other device's entries;
2. live substances (metrics) of the same name (key) become one: the earliest created, then the smaller UUID,
   stays; the others become tombstones and every live row that refers to a tombstone with a live namesake is
   re-pointed to it;
3. what the unique indexes allow once: an alias naming a live substance or another live alias, a second live
   rating of a metric on one journal day (the later recorded stays);
4. doubles: a live dose only one side holds and a live dose only the other holds, of the same substance, status
   and amount, at most 60 s apart, are kept once (the earlier), and so are two identical rules (a starter rule
   adopted on both devices).

A row a rule sets aside keeps its own `updated_at` (`deleted_at` = it), so the result does not depend on when
the merge ran: merged again with either side, the tombstone wins the tie and the rule finds nothing new.
"""

from __future__ import annotations

import sqlite3

from medlog.domain.errors import InputError
from medlog.domain.numbers import format_decimal
from medlog.domain.record import record
from medlog.domain.text import shown
from medlog.store.catalogue import TABLES
from medlog.store.changes import json_object
from medlog.store.exchange import ORDER, columns_of, file_key
from medlog.store.merge_stage import KEYS

# (table, key, referenced table) for every reference column
REFS = [(table, file_key(c), c.references) for table in ORDER for c in columns_of(table) if c.references]
# Tables whose live rows a unique index holds to one per key: the columns (export keys) of that key
LIVE_UNIQUE = {"substance": ("name_key",), "substance_alias": ("alias_key",), "metric": ("key",),
               "observation": ("metric_uuid", "journal_day")}
FIRST = "created_at, uuid"  # which of several rows stays: the first made
REPOINTED, SET_ASIDE = 1, 2  # what the rules did to a row (merge_w_T.ruled): only those columns are written
WINDOW_SECONDS = 60  # a dose on both devices: at most this far apart


def _cols(table: str, prefix: str = "") -> str:
    return ", ".join(prefix + k for k in KEYS[table])


def _content(table: str, prefix: str) -> str:
    """A row's every value but its integer id, as one text: equal rows give equal texts on either side."""
    return f"json_array({_cols(table, prefix)})"


@record
class Plan:
    """What the merge would change in the journal (counted before anything is written)."""

    added: int  # OTHER's rows new to the journal, live once merged
    updated: int  # the journal's rows that take OTHER's later version (an edit, a deletion or a revival)
    doubles: int  # a dose (or rule) on both sides, a day rated on both: kept once
    joined: int  # substances of the same name made one
    metrics_joined: int
    kept: int  # rows both sides edited where the journal's later edit stays: OTHER's goes into the change log
    writes: int  # rows that change at all (re-pointed ones too); 0: nothing new


def resolve(conn: sqlite3.Connection, where: str) -> Plan:
    """The merged state of the journal and the staged OTHER (merge_w_*), and what writing it would change."""
    for table in ORDER:
        _both_sides(conn, table)
    _check_references(conn, where)
    for table, key in (("substance", "name_key"), ("metric", "key")):
        _set_aside(conn, table, "deleted_at IS NULL", key, FIRST, "joined", skip_first=True)
        conn.execute(f"INSERT INTO merge_moved SELECT '{table}', d.uuid, l.uuid FROM merge_w_{table} AS d "
                     f"JOIN merge_w_{table} AS l ON l.{key} = d.{key} AND l.deleted_at IS NULL "
                     "WHERE d.deleted_at IS NOT NULL")
    _check_scales(conn, where)
    for table, key, parent in REFS:
        if parent in ("substance", "metric"):
            conn.execute(f"UPDATE merge_w_{table} SET {key} = (SELECT new FROM merge_moved WHERE tbl = '{parent}' "
                         f"AND old = merge_w_{table}.{key}), ruled = ruled | {REPOINTED} "
                         f"WHERE deleted_at IS NULL AND {key} IN "
                         f"(SELECT old FROM merge_moved WHERE tbl = '{parent}')")
    _set_aside(conn, "substance_alias", "deleted_at IS NULL AND alias_key IN (SELECT name_key FROM "
               "merge_w_substance WHERE deleted_at IS NULL)", "uuid", FIRST, "named")
    _set_aside(conn, "substance_alias", "deleted_at IS NULL", "alias_key", FIRST, "named", skip_first=True)
    _set_aside(conn, "observation", "deleted_at IS NULL", "metric_uuid, journal_day",
               "recorded_at DESC, updated_at DESC, uuid DESC", "double", skip_first=True)
    _doubles(conn)
    return _plan(conn)


def _check_scales(conn: sqlite3.Connection, where: str) -> None:
    """Two metrics of one key become one only on the same scale: a 4 on 1–5 is not a 4 on 0–10, and moving
    ratings onto another scale would be a guess (import's linear rule is for another app's labels, said in its
    plan). InputError when ratings would move between scales."""
    found = conn.execute(
        "SELECT n.key, o.min_value, o.max_value, n.min_value, n.max_value FROM merge_moved AS m "
        "JOIN merge_w_metric AS o ON o.uuid = m.old JOIN merge_w_metric AS n ON n.uuid = m.new "
        "WHERE m.tbl = 'metric' AND (o.min_value, o.max_value, o.whole_numbers, o.higher_is_better) IS NOT "
        "(n.min_value, n.max_value, n.whole_numbers, n.higher_is_better) AND EXISTS (SELECT 1 FROM "
        "merge_w_observation AS r WHERE r.metric_uuid = m.old AND r.deleted_at IS NULL) LIMIT 1").fetchone()
    if found:
        key, *scales = (format_decimal(v) if isinstance(v, float) else v for v in found)
        raise InputError(f"the metric {shown(str(key))} is on one scale in {where} and on another in the journal "
                         f"({scales[0]}–{scales[1]} and {scales[2]}–{scales[3]}, or one counts up where the other "
                         "counts down): their ratings cannot be made one; nothing was merged")


def _both_sides(conn: sqlite3.Connection, table: str) -> None:
    """merge_w_T: the journal's rows, then OTHER's later versions and new rows (rule 1)."""
    keys = _cols(table)
    exported = ", ".join(f"{value} AS {key}" for key, value in zip(KEYS[table], _exported(table, "t"), strict=True))
    conn.execute(f"INSERT INTO merge_w_{table} ({keys}, here, there, here_live, there_live, from_there) "
                 f"SELECT {keys}, 1, 0, deleted_at IS NULL, 0, 0 FROM (SELECT {exported} FROM main.{table} AS t) "
                 "ORDER BY uuid")
    conn.execute(f"UPDATE merge_w_{table} AS w SET there = 1, there_live = i.deleted_at IS NULL "
                 f"FROM merge_in_{table} AS i WHERE i.uuid = +w.uuid")
    gone_here, gone_there = _gone("here", table, "w"), _gone("there", table, "i")
    later = (f"CASE WHEN {gone_here} AND NOT {gone_there} THEN 1 WHEN {gone_there} AND NOT {gone_here} THEN 0 "
             "ELSE i.updated_at > w.updated_at OR (i.updated_at = w.updated_at AND ("
             "(i.deleted_at IS NOT NULL) > (w.deleted_at IS NOT NULL) OR ((i.deleted_at IS NOT NULL) = "
             f"(w.deleted_at IS NOT NULL) AND {_content(table, 'i.')} > {_content(table, 'w.')}))) END")
    conn.execute(f"UPDATE merge_w_{table} AS w SET {', '.join(f'{k} = i.{k}' for k in KEYS[table])}, "
                 f"from_there = 1 FROM merge_in_{table} AS i WHERE i.uuid = +w.uuid AND {later}")
    conn.execute(f"INSERT INTO merge_w_{table} ({keys}, here, there, here_live, there_live, from_there) "
                 f"SELECT {keys}, 0, 1, 0, deleted_at IS NULL, 1 FROM merge_in_{table} AS i "
                 f"WHERE NOT EXISTS (SELECT 1 FROM merge_w_{table} AS w WHERE w.uuid = i.uuid) ORDER BY i.uuid")


def _exported(table: str, row: str) -> list[str]:
    """The values of main row `row` (an alias) in the export's form, in KEYS order: a reference as the UUID of the
    row it names."""
    return [f"(SELECT uuid FROM main.{c.references} WHERE id = {row}.{c.name})" if c.references else f"{row}.{c.name}"
            for c in columns_of(table)]


def _differs(table: str, row: str, main_row: str, *, moved: bool = False) -> str:
    """Whether merge row `row` (export form) differs in any value from the journal's row `main_row`. `moved`: a
    reference to a substance or metric that rule 2 joined into another counts as one to that other."""
    def value(key: str, parent: str | None) -> str:
        if moved and parent in ("substance", "metric"):
            return (f"coalesce((SELECT new FROM merge_moved WHERE tbl = '{parent}' AND old = {row}.{key}), "
                    f"{row}.{key})")
        return f"{row}.{key}"

    parents = {c.name: c.references for c in columns_of(table)}
    return "(" + " OR ".join(f"{value(key, parents[c])} IS NOT {here}" for key, c, here in
                             zip(KEYS[table], parents, _exported(table, main_row), strict=True)) + ")"


def _gone(side: str, table: str, row: str) -> str:
    """Whether `row` (an alias) is, as that side holds it, a tombstone left by undoing a merge's insert."""
    return (f"({row}.deleted_at IS NOT NULL AND EXISTS (SELECT 1 FROM merge_gone AS g WHERE g.side = '{side}' "
            f"AND g.tbl = '{table}' AND g.uuid = {row}.uuid AND g.at = {row}.updated_at))")


def _check_references(conn: sqlite3.Connection, where: str) -> None:
    """Every reference of a row OTHER brings names a row one of the two sides holds (the import's rule)."""
    for table, key, parent in REFS:
        found = conn.execute(f"SELECT w.uuid, w.{key} FROM merge_w_{table} AS w WHERE w.from_there = 1 AND "
                             f"w.{key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM merge_w_{parent} AS p "
                             f"WHERE p.uuid = w.{key}) LIMIT 1").fetchone()
        if found:
            raise InputError(f"{where}'s {table} row {shown(found[0])} refers to {shown(found[1])}, which is in "
                             f"neither {where} nor the journal; nothing was merged")


def _set_aside(conn: sqlite3.Connection, table: str, which: str, group: str, order: str, why: str, *,
               skip_first: bool = False) -> None:
    """Tombstone the rows of merge_w_T that `which` selects, each keeping its own updated_at — with
    `skip_first`, all but the first of each group (`group` columns, `order` within it)."""
    rank = f"row_number() OVER (PARTITION BY {group} ORDER BY {order})"
    keep = "n > 1" if skip_first else "1"
    conn.execute(f"INSERT OR IGNORE INTO merge_lost SELECT '{table}', uuid, '{why}' FROM "
                 f"(SELECT uuid, {rank} AS n FROM merge_w_{table} WHERE {which}) WHERE {keep}")
    _tombstone_lost(conn, table)


def _tombstone_lost(conn: sqlite3.Connection, table: str) -> None:
    conn.execute(f"UPDATE merge_w_{table} SET deleted_at = updated_at, ruled = ruled | {SET_ASIDE} "
                 f"WHERE deleted_at IS NULL AND uuid IN (SELECT uuid FROM merge_lost WHERE tbl = '{table}')")


# A live row only one side holds (live) and a live row only the other holds (rule 4). `apart`: how far apart in
# seconds (0 for rules); `rank`: which of the pair stays (the smaller).
_CROSS = ("x.deleted_at IS NULL AND y.deleted_at IS NULL AND x.here_live AND NOT x.there_live "
          "AND y.there_live AND NOT y.here_live")
_DOUBLE_DOSES = (
    "SELECT x.uuid, y.uuid, abs(julianday(x.occurred_at) - julianday(y.occurred_at)) * 86400.0 AS apart, "
    "x.occurred_at || x.created_at || x.uuid, y.occurred_at || y.created_at || y.uuid "
    "FROM merge_w_dose AS x JOIN merge_w_dose AS y ON y.substance_uuid = x.substance_uuid AND y.status = x.status "
    "AND y.occurred_at BETWEEN datetime(x.occurred_at, '-62 seconds') AND datetime(x.occurred_at, '+62 seconds') "
    f"WHERE {_CROSS} AND x.amount_value IS y.amount_value AND x.amount_unit IS y.amount_unit "
    f"AND apart <= {WINDOW_SECONDS}")
_SAME_RULE = ("kind", "substance_uuid", "other_substance_uuid", "amount_value", "amount_unit", "hours", "max_per_day",
              "min_interval_hours", "source_text", "enabled")
_DOUBLE_RULES = (
    "SELECT x.uuid, y.uuid, 0, x.created_at || x.uuid, y.created_at || y.uuid FROM merge_w_rule AS x "
    f"JOIN merge_w_rule AS y ON {' AND '.join(f'y.{c} IS x.{c}' for c in _SAME_RULE)} WHERE {_CROSS}")


def _doubles(conn: sqlite3.Connection) -> None:
    """Rule 4: pairs matched one to one, the closest first (ties by their UUIDs, so either direction matches the
    same pairs); of each pair the smaller rank stays."""
    conn.execute("CREATE INDEX temp.merge_w_dose_near ON merge_w_dose (substance_uuid, status, occurred_at)")
    for table, query in (("dose", _DOUBLE_DOSES), ("rule", _DOUBLE_RULES)):
        pairs = sorted(conn.execute(query), key=lambda p: (p[2], min(p[0], p[1]), max(p[0], p[1])))
        used: set[str] = set()
        lost = []
        for x, y, _, x_rank, y_rank in pairs:
            if x not in used and y not in used:
                used.update((x, y))
                lost.append((table, y if x_rank < y_rank else x))
        conn.executemany("INSERT OR IGNORE INTO merge_lost VALUES (?, ?, 'double')", lost)
        _tombstone_lost(conn, table)


def writes(table: str) -> dict[str, str]:
    """Which rows of merge_w_T (`w`) the merge writes, and how: new to the journal, set aside (a live row becomes a
    tombstone), changed otherwise. A row whose version OTHER's replaced differs from the journal's (it won by
    being later, or by a greater content at the same time), and so does one a rule changed; only one both did can
    be back where it was, and only that one is compared with the journal's."""
    # CASE, not AND: SQLite computes both sides of an AND that is a value (the counts), and this one looks the
    # journal's row up
    back = (f"CASE WHEN w.from_there AND w.ruled THEN NOT EXISTS (SELECT 1 FROM main.{table} AS t WHERE "
            f"t.uuid = w.uuid AND {_differs(table, 'w', 't')}) ELSE 0 END")
    changed = f"w.here = 1 AND (w.from_there OR w.ruled) AND NOT {back}"
    dying = "w.here_live AND w.deleted_at IS NOT NULL"
    return {"insert": "w.here = 0", "delete": f"{changed} AND {dying}", "update": f"{changed} AND NOT ({dying})"}


def _plan(conn: sqlite3.Connection) -> Plan:
    added = updated = written = kept = 0
    for table in ORDER:
        how = writes(table)
        a, u, w = conn.execute(
            f"SELECT total({how['insert']} AND w.deleted_at IS NULL), total(w.from_there AND (w.here_live OR "
            f"w.deleted_at IS NULL) AND ({how['delete']} OR {how['update']})), "
            f"total({how['insert']} OR {how['delete']} OR {how['update']}) "
            f"FROM merge_w_{table} AS w").fetchone()
        added, updated, written = added + int(a), updated + int(u), written + int(w)
        kept += conn.execute(f"INSERT INTO merge_kept SELECT '{table}', * FROM ({_kept(table)})").rowcount
    lost = dict(conn.execute("SELECT why || ' ' || tbl, count(*) FROM merge_lost GROUP BY why, tbl").fetchall())
    doubles = sum(n for k, n in lost.items() if k.startswith("double "))
    return Plan(added, updated, doubles, lost.get("joined substance", 0), lost.get("joined metric", 0), kept, written)


def _kept(table: str) -> str:
    """Rows both sides hold live, each in its own version, where the journal's is the later and stays: OTHER's
    version (`snap`, as a snapshot with this journal's ids) and the row's (`cur`). Left out: a version the
    journal's change log already holds (an older state of its own, or recorded by an earlier merge), and one
    whose unique key differs (undo could not put it back beside the other rows)."""
    mapped = {c.name: f"coalesce((SELECT id FROM main.{c.references} WHERE uuid = i.{file_key(c)}), t.{c.name})"
              if c.references else f"i.{c.name}" for c in columns_of(table)}
    snapshot = "json_object(" + ", ".join(f"'{c.name}', {'t.id' if c.primary_key else mapped[c.name]}"
                                          for c in TABLES[table]) + ")"
    here = dict(zip(KEYS[table], _exported(table, "t"), strict=True))
    same_key = "".join(f" AND i.{k} IS {here[k]}" for k in LIVE_UNIQUE.get(table, ()))
    return (f"SELECT u, snap, cur FROM (SELECT t.uuid AS u, {snapshot} AS snap, "
            f"(SELECT {json_object(table)} FROM main.{table} AS s WHERE s.uuid = t.uuid) AS cur "
            f"FROM merge_w_{table} AS w JOIN merge_in_{table} AS i ON i.uuid = +w.uuid "
            f"JOIN main.{table} AS t ON t.uuid = w.uuid WHERE w.here = 1 AND w.from_there = 0 AND w.here_live "
            f"AND w.there_live AND {_differs(table, 'i', 't', moved=True)}{same_key}) "
            "WHERE NOT EXISTS (SELECT 1 FROM main.change_log AS c WHERE c.row_uuid = u AND (c.before = snap OR "
            "c.after = snap))")
