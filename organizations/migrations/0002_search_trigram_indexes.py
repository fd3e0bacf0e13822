"""pg_trgm GIN indexes for `?q=` search on names and titles (web.search); nothing on SQLite."""

from django.db import migrations

from web.search import trigram_index_operations

INDEXES = [("organizations_organization", ["name"], "organization")]


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [operation for table, columns, prefix in INDEXES
                  for operation in trigram_index_operations(table, columns, prefix)]
