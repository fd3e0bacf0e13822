#!/usr/bin/env bash
# Create, migrate and seed (demo data) the database of one load target, once.
#   prepare.sh <checkout dir> <database url>
# A database that already holds the demo is left as it is.
set -euo pipefail
dir=$1 url=$2
name=${url##*/}
base=${url%/*}
if [[ $url == postgres* ]]; then
  if ! psql "$base/postgres" -Atc "select 1 from pg_database where datname='$name'" | grep -q 1; then
    psql "$base/postgres" -qc "create database \"$name\""
  fi
fi
cd "$dir"
export DATABASE_URL=$url DEBUG=True
.venv/bin/python manage.py migrate --noinput --verbosity 0
if ! .venv/bin/python manage.py shell -c 'from django.contrib.auth import get_user_model as U; import sys; sys.exit(0 if U().objects.filter(username="city_bureau").exists() else 1)'; then
  echo "seeding demo data in $name ($dir)…"
  if [ -n "${SEED_DATE:-}" ]; then
    # An older checkout whose demo only holds on some days (fixed later: the demo now
    # derives every date from today) is seeded as of SEED_DATE.
    .venv/bin/python -c "import django, os, time_machine
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shequ.settings'); django.setup()
from django.core.management import call_command
with time_machine.travel('$SEED_DATE', tick=True):
    call_command('seed_demo')" >/dev/null
  else
    .venv/bin/python manage.py seed_demo >/dev/null
  fi
fi
