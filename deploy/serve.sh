#!/usr/bin/env bash
# `make serve`: the production stack on this machine — DEBUG=False, static files
# collected, migrations applied, gunicorn (2 × cores + 1 workers, capped) plus a Celery
# worker and beat. PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, SQLite
# and the filesystem broker otherwise. Plain HTTP on 127.0.0.1 unless told otherwise:
# behind a TLS proxy set SHEQU_HTTPS=True (the default of the settings themselves).
# Ctrl-C (or TERM) stops all three; if one dies, the others are stopped too.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
export SHEQU_VAR_DIR=${SHEQU_VAR_DIR:-$PWD/var}
mkdir -p "$SHEQU_VAR_DIR"

export DEBUG=False
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SHEQU_HTTPS=${SHEQU_HTTPS:-False}
if [ -z "${SECRET_KEY:-}" ]; then
  # Generated once and kept: sessions survive a restart.
  key_file="$SHEQU_VAR_DIR/secret_key"
  if [ ! -s "$key_file" ]; then
    (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$key_file")
  fi
  SECRET_KEY=$(cat "$key_file")
  export SECRET_KEY
fi

"$BIN/python" manage.py collectstatic --noinput --verbosity 0
"$BIN/python" manage.py migrate --noinput --verbosity 0

# Stopping: each process is asked (TERM) and gets SHEQU_STOP_GRACE seconds to finish
# the request or task in hand; what still runs then is killed, as a service manager
# would. Not only for stuck tasks: a Celery worker told to stop while still starting
# can hang at exit waiting for its pool's timeout thread (billiard), and a stop must
# not leave it behind.
stop() {
  local status=$1
  trap - INT TERM EXIT
  kill -TERM $(jobs -p) 2>/dev/null || true
  local ticks=$(( ${SHEQU_STOP_GRACE:-10} * 10 ))
  while [ -n "$(jobs -rp)" ] && [ "$ticks" -gt 0 ]; do
    sleep 0.1
    ticks=$(( ticks - 1 ))
  done
  if [ -n "$(jobs -rp)" ]; then
    echo "shequ: still running after ${SHEQU_STOP_GRACE:-10} s, killed: $(jobs -rp | tr '\n' ' ')" >&2
    kill -KILL 0
  fi
  exit "$status"
}
# Asked to stop: a clean exit. One of the three ended by itself: its status.
trap 'stop 0' INT TERM
trap 'stop $?' EXIT
if [ "${SHEQU_SERVE_CELERY:-1}" = 1 ]; then
  "$BIN/celery" -A shequ worker --loglevel=INFO --concurrency="${CELERY_CONCURRENCY:-2}" &
  "$BIN/celery" -A shequ beat --loglevel=INFO &
fi
"$BIN/gunicorn" --config deploy/gunicorn.conf.py shequ.wsgi:application &
echo "shequ (production settings): http://${HOST:-127.0.0.1}:${PORT:-8000}/  health: /healthz /readyz"
wait -n
