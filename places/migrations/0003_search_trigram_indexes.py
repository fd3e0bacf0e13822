"""pg_trgm GIN indexes for `?q=` search on names and titles (web.search); nothing on SQLite."""

from django.db import migrations

from web.search import trigram_index_operations

INDEXES = [("places_community", ["name", "official_name"], "community")]


class Migration(migrations.Migration):
    dependencies = [("places", "0002_residentgroup_household_and_more")]
    operations = [operation for table, columns, prefix in INDEXES
                  for operation in trigram_index_operations(table, columns, prefix)]
