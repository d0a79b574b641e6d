#!/usr/bin/env bash
# Measures how long the embedded default (./lethe) takes to serve again after `kill -9`:
# starts the standalone jar on a fresh data folder, files a few requests, kills the JVM with
# SIGKILL, starts it again on the same folder and times, from the restart, the first HTTP answer
# of any kind, the first 202 to a POST, the first 202 to a POST with an Idempotency-Key (which
# needs the ledger to read: see docs/reliability.md) and the first 200 to a GET of a request filed
# before the crash. Repeats the crash ROUNDS times on the same data. Prints one line per round,
# counts the TaskCorruptedException / state wipes the ledger logged, and prints the restart's
# "Lethe started in ..." line (the time of each phase).
#
#   bench/scripts/crash-restart.sh [ROUNDS]       (default 3; builds the jar if missing)
#
# Ports: LETHE_HTTP_PORT (default 18080) and the ones after it. Needs java, curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
jar=${LETHE_JAR:-standalone/target/lethe-standalone.jar}
[ -f "$jar" ] || mvn -B -q -DskipTests package -pl standalone -am
base=${LETHE_HTTP_PORT:-18080}
data=$(mktemp -d /tmp/lethe-crash.XXXXXX)
log="$data/lethe.log"
export LETHE_DATA_DIR="$data/data" LETHE_HTTP_PORT=$base LETHE_REGISTRY_PORT=$((base+1)) \
  LETHE_QUERY_PORT=$((base+2)) LETHE_KAFKA_PORT=$((base+3)) LETHE_KAFKA_CONTROLLER_PORT=$((base+4)) \
  LETHE_S3_PORT=$((base+5))
url=http://127.0.0.1:$base
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; true' EXIT

now_ms() { date +%s%3N; }
start() { java ${LETHE_JAVA_OPTS:-} -jar "$jar" >>"$log" 2>&1 & pid=$!; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }
file_request() {  # NAME [--no-key]
  local key=(-H "Idempotency-Key: crash-$1"); [ "${2:-}" = --no-key ] && key=()
  curl -s --max-time 10 -X POST "$url/v1/erasures" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' "${key[@]}" \
    -d "{\"subject\":{\"namespace\":\"user_id\",\"value\":\"crash-$1\"},\"jurisdiction\":\"GDPR\",\"reason\":\"account_deleted\",\"source\":\"crash-bench\"}" \
    -w ' %{http_code}' || true
}

start
until grep -q 'Lethe is running.' "$log"; do
  kill -0 $pid 2>/dev/null || { echo "Lethe did not start; see $log" >&2; exit 1; }
  sleep 0.5
done
token=$(cat "$LETHE_DATA_DIR/secrets/admin.token")
for i in $(seq 1 20); do file_request "before-$i" >/dev/null; done
first=$(file_request "probe" | sed -E 's/.*"id":"([^"]+)".*/\1/')
until [ "$(code "$url/v1/erasures/$first" -H "Authorization: Bearer $token")" = 200 ]; do sleep 0.2; done

uptime
printf '%-6s %12s %14s %12s %12s %12s %s\n' round first-answer first-503 POST-202 keyed-202 GET-200 \
  "TaskCorrupted/wipes so far"
for round in $(seq 1 "$rounds"); do
  file_request "round-$round" >/dev/null
  kill -9 $pid; wait $pid 2>/dev/null || true
  t0=$(now_ms); start
  answer= unavailable= posted= keyed= read=
  while [ -z "$posted" ] || [ -z "$keyed" ] || [ -z "$read" ]; do
    c=$(code "$url/health")
    [ -z "$answer" ] && [ "$c" != 000 ] && answer=$(( $(now_ms) - t0 ))
    [ -z "$unavailable" ] && [ "$c" = 503 ] && unavailable=$(( $(now_ms) - t0 ))
    if [ "$c" != 000 ]; then
      [ -z "$posted" ] && [ "$(file_request "after-$round" --no-key | awk '{print $NF}')" = 202 ] \
        && posted=$(( $(now_ms) - t0 ))
      [ -z "$keyed" ] && [ "$(file_request "keyed-$round" | awk '{print $NF}')" = 202 ] && keyed=$(( $(now_ms) - t0 ))
      [ -z "$read" ] && [ "$(code "$url/v1/erasures/$first" -H "Authorization: Bearer $token")" = 200 ] \
        && read=$(( $(now_ms) - t0 ))
    fi
    [ $(( $(now_ms) - t0 )) -gt 180000 ] && { echo "round $round: not serving after 180 s; see $log" >&2; exit 1; }
    sleep 0.1
  done
  # let the start finish (executors, "Lethe started in ...") before the next kill
  until [ "$(grep -c 'Lethe started in' "$log")" -gt "$round" ]; do
    [ $(( $(now_ms) - t0 )) -gt 240000 ] && { echo "round $round: start not finished after 240 s; see $log" >&2; exit 1; }
    sleep 0.2
  done
  corrupted=$(grep -c 'TaskCorruptedException' "$log" || true)
  wipes=$(grep -ci 'wiping\|Deleting obsolete state directory\|because it is corrupted' "$log" || true)
  printf '%-6s %10.1f s %12s %10.1f s %10.1f s %10.1f s %s\n' "$round" "$(echo "$answer/1000" | bc -l)" \
    "${unavailable:+$(echo "$unavailable/1000" | bc -l | xargs printf '%.1f s')}" \
    "$(echo "$posted/1000" | bc -l)" "$(echo "$keyed/1000" | bc -l)" "$(echo "$read/1000" | bc -l)" \
    "$corrupted/$wipes"
done
uptime
grep -o 'Lethe started in .*' "$log" | tail -n "$rounds" | sed 's/^/  /' || true
echo "log: $log"
