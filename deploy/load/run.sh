#!/usr/bin/env bash
# `make load`: the working-morning Locust scenario (locustfile.py), headless and bounded,
# against this checkout and a baseline commit, one after the other, each served by
# gunicorn with production settings on a loopback port. Results: var/load/ (Locust CSVs,
# gunicorn logs) and the table between the load markers in docs/benchmarks.md.
#
#   make load                        # 100 users, 75 s each, then 20 users with no think time for 45 s; baseline 3407fe5
#   make load BASELINE=<commit> LOAD_USERS=50 LOAD_TIME=60s LOAD_SAT_USERS=0 (no saturation phase)
#
# PostgreSQL and Redis as for `make serve` (LOAD_PG, LOAD_REDIS_URL); each target gets its
# own database (LOAD_DB_NEW / LOAD_DB_BASE), seeded with the demo once. No Celery worker
# runs: report requests queue, so the numbers are the web tier's. LOAD_COLLECTSTATIC=0
# skips collectstatic when both checkouts' static files are already collected.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${BIN:-.venv/bin}
HOST=127.0.0.1
BASELINE=${BASELINE:-3407fe5}
USERS=${LOAD_USERS:-100}
SPAWN=${LOAD_SPAWN_RATE:-10}
RUN_TIME=${LOAD_TIME:-75s}
SAT_USERS=${LOAD_SAT_USERS:-20}
SAT_TIME=${LOAD_SAT_TIME:-45s}
PG=${LOAD_PG:-postgres://postgres@127.0.0.1:5432}
DB_NEW=${LOAD_DB_NEW:-shequ_load_new}
DB_BASE=${LOAD_DB_BASE:-shequ_load_base}
REDIS=${LOAD_REDIS_URL:-redis://127.0.0.1:6379/3}
PORT_NEW=${LOAD_PORT_NEW:-8101}
PORT_BASE=${LOAD_PORT_BASE:-8102}
OUT=$ROOT/var/load
mkdir -p "$OUT"

case "$PG$REDIS" in
  *127.0.0.1*) ;;
  *) echo "load: databases must be on 127.0.0.1" >&2; exit 2 ;;
esac

base_dir=/tmp/shequ-baseline-$BASELINE
if [ ! -d "$base_dir" ]; then
  git worktree add --detach "$base_dir" "$BASELINE" >/dev/null
fi
[ -e "$base_dir/.venv" ] || ln -s "$ROOT/.venv" "$base_dir/.venv"

SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY

SERVER_PID=
stop_server() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi; }
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

prod_env() {  # the production settings of `make serve`, for one target
  export DEBUG=False ALLOWED_HOSTS=127.0.0.1,localhost SHEQU_HTTPS=False SECURE_SSL_REDIRECT=False
  export DATABASE_URL=$1 REDIS_URL=$REDIS HOST=$HOST PORT=$2
}

run_target() {  # run_target <label> <dir> <port> <db name> [seed date]
  local label=$1 dir=$2 port=$3 url=$PG/$4
  echo "== $label ($dir) on http://$HOST:$port"
  SEED_DATE=$5 bash "$ROOT/deploy/load/prepare.sh" "$dir" "$url"
  "$BIN/python" -c "import redis; redis.Redis.from_url('$REDIS').flushdb()"
  # Static files first (minutes on a busy machine), so the server is up when timing starts.
  if [ "${LOAD_COLLECTSTATIC:-1}" = 1 ]; then
    (cd "$dir" && prod_env "$url" "$port" && "$ROOT/$BIN/python" manage.py collectstatic --noinput --verbosity 0)
  fi
  (cd "$dir" && prod_env "$url" "$port" &&
   exec "$ROOT/$BIN/gunicorn" --config "$ROOT/deploy/gunicorn.conf.py" shequ.wsgi:application) \
    >"$OUT/$label-gunicorn.log" 2>&1 &
  local pid=$!
  SERVER_PID=$pid
  local up=0
  for _ in $(seq 300); do
    if curl -sf -o /dev/null "http://$HOST:$port/accounts/login/"; then up=1; break; fi
    sleep 1
  done
  if [ "$up" != 1 ]; then
    echo "load: $label did not answer on port $port; see $OUT/$label-gunicorn.log" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  uptime | sed 's/^/load average before: /' > "$OUT/$label-machine.txt"
  # A working morning: USERS people with 1–3 s between requests (errors, latency).
  "$BIN/locust" -f deploy/load/locustfile.py --headless --host "http://$HOST:$port" \
    --users "$USERS" --spawn-rate "$SPAWN" --run-time "$RUN_TIME" --stop-timeout 10 \
    --csv "$OUT/$label" --only-summary >"$OUT/$label-locust.log" 2>&1 || true
  # Saturation: SAT_USERS people with no think time, so requests/s is what the server
  # can serve (with think time, 100 users ask for only ~45 requests/s).
  if [ "$SAT_USERS" != 0 ]; then
    LOAD_WAIT=0 "$BIN/locust" -f deploy/load/locustfile.py --headless --host "http://$HOST:$port" \
      --users "$SAT_USERS" --spawn-rate "$SAT_USERS" --run-time "$SAT_TIME" --stop-timeout 10 \
      --csv "$OUT/$label-saturation" --only-summary >"$OUT/$label-saturation-locust.log" 2>&1 || true
  fi
  uptime | sed 's/^/load average after: /' >> "$OUT/$label-machine.txt"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  "$BIN/python" -c "import redis; redis.Redis.from_url('$REDIS').flushdb()"
}

TARGETS=${LOAD_TARGETS:-base new}
[[ " $TARGETS " == *" base "* ]] && run_target base "$base_dir" "$PORT_BASE" "$DB_BASE" "${BASELINE_SEED_DATE:-$(git log -1 --format=%cs "$BASELINE")}"
[[ " $TARGETS " == *" new "* ]] && run_target new "$ROOT" "$PORT_NEW" "$DB_NEW" ""
"$BIN/python" deploy/load/summarize.py --out "$OUT" --baseline "$BASELINE" \
  --current "$(git rev-parse --short HEAD)" --users "$USERS" --run-time "$RUN_TIME" \
  --saturation "$SAT_USERS users, $SAT_TIME, no think time" --docs docs/benchmarks.md
