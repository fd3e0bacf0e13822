"""One search for every list, pages and API alike: `?q=` matches Chinese names and
titles anywhere in the text (two characters and up).

On PostgreSQL the searched columns carry pg_trgm GIN indexes (see the migrations that
call `trigram_index_operations`), which serve `LIKE '%…%'`. Django's `icontains`
compiles to `UPPER(col) LIKE UPPER(…)`, which those indexes do not serve and which is
slow under a UTF-8 collation, so a query without letters that have a case (Chinese,
digits) uses the case-sensitive `contains` — the same answer, indexed. SQLite has no
trigram indexes: there it is a plain `icontains`.
"""

from django.db import connection
from django.db.models import Q, QuerySet

MAX_LENGTH = 50


def clean_query(text) -> str:
    return (text or "").strip()[:MAX_LENGTH]


def text_lookup(value: str) -> str:
    if connection.vendor == "postgresql" and value.upper() == value.lower():
        return "contains"
    return "icontains"


def text_filter(value: str, fields) -> Q:
    lookup = text_lookup(value)
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__{lookup}": value})
    return condition


def search(queryset: QuerySet, text, fields, extra: Q | None = None) -> QuerySet:
    """Rows whose `fields` contain `text` (or that match `extra`, e.g. a code prefix).
    An empty query returns the queryset unchanged."""
    value = clean_query(text)
    if not value:
        return queryset
    condition = text_filter(value, fields)
    if extra is not None:
        condition |= extra
    return queryset.filter(condition)


def trigram_index_operations(table: str, columns, name_prefix: str):
    """Migration operations: pg_trgm and a GIN trigram index per column on PostgreSQL,
    nothing on SQLite (RunSQL through a vendor check)."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in columns:
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name_prefix}_{column}_trgm" ON "{table}" '
                                  f'USING gin ("{column}" gin_trgm_ops)')

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name_prefix}_{column}_trgm"')

    return [migrations.RunPython(forwards, backwards, elidable=False)]
