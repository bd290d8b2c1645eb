"""One column of the journal as store/catalogue.py states it (that file is generated from store/schema.py)."""

from __future__ import annotations

from medlog.domain.record import record


@record
class Column:
    name: str
    type: str  # as SQLite reports it for a medlog file: INTEGER, FLOAT, VARCHAR, BOOLEAN, DATE, DATETIME
    not_null: bool = False
    primary_key: bool = False
    unique: bool = False
    references: str | None = None  # the table whose `id` it holds
    default: object = None  # the value the file gives a row that does not name it (None: NULL)
    form: str = "text"  # the form of its values: a key of store/forms.py's FORMS
