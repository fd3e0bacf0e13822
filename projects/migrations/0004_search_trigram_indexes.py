"""pg_trgm GIN indexes for `?q=` search on names and titles (web.search); nothing on SQLite."""

from django.db import migrations

from web.search import trigram_index_operations

INDEXES = [("projects_application", ["title"], "application"), ("projects_project", ["title"], "project")]


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_list_order_indexes")]
    operations = [operation for table, columns, prefix in INDEXES
                  for operation in trigram_index_operations(table, columns, prefix)]
