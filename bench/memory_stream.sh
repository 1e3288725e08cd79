#!/usr/bin/env bash
# Peak memory of `ik -p` against hostile streams from ik-mockllm (issue 10's
# goals, docs/perf.md "Memory bounded by construction"):
#   reply-1mb   a 1 MB reply in one delta                    goal: peak RSS < 24 MiB
#   line-50mb   one 50 MB SSE line that never ends           goal: < 64 MiB, ended (limits.sse_line_kb)
#   endless     tokens forever                               goal: < 64 MiB, ended (limits.reply_mb)
#   comments    SSE comments forever (timeouts.reply_s = 3)  goal: < 64 MiB, ended by the deadline
# and, with heaptrack, the peak heap of a 2,000- and a 20,000-token reply
# (4-byte deltas): goal (peak20k - peak2k) / (72,000 reply bytes) <= 3.
#
#   bench/memory_stream.sh [build-dir]      (default build/release)
# Needs: GNU time (/usr/bin/time), heaptrack (optional: skipped when absent).
set -euo pipefail
build=${1:-build/release}
ik=$build/src/ik
mock=$build/tests/support/ik-mockllm
[ -x "$ik" ] && [ -x "$mock" ] || { echo "build $ik and $mock first" >&2; exit 2; }

work=$(mktemp -d /tmp/ik-membench-XXXXXX)
mock_pid=
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
unset OPENAI_API_KEY GEMINI_API_KEY GOOGLE_API_KEY OPENROUTER_API_KEY IK_MODEL || true
mkdir -p "$work/config/ik"
echo '{"timeouts": {"reply_s": 3}, "http": {"max_retries": 0}}' > "$work/config/ik/config.json"

# start_mock SCRIPT: one mock per case, so each case gets its own responses.
start_mock() {
  [ -n "$mock_pid" ] && { kill "$mock_pid" 2>/dev/null; wait "$mock_pid" 2>/dev/null || true; }
  printf '%s' "$1" > "$work/script.json"
  rm -f "$work/port"
  "$mock" --port 0 --script "$work/script.json" --port-file "$work/port" --max-seconds 120 >/dev/null &
  mock_pid=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
  export ANTHROPIC_BASE_URL=http://127.0.0.1:$(cat "$work/port")/v1 ANTHROPIC_API_KEY=bench
}

# run NAME: ik -p once under GNU time; prints peak RSS, exit status, seconds, bytes out.
run() {
  local name=$1
  /usr/bin/time -f '%M %e' -o "$work/time" "$ik" -p hi --model anthropic/bench >"$work/out" 2>"$work/err" && rc=0 || rc=$?
  read -r kib secs < <(tail -1 "$work/time")  # GNU time writes "Command exited with non-zero status N" first
  printf '%-11s peak RSS %6.1f MiB  exit %d  %5.2f s  %9d bytes out  %s\n' "$name" "$(echo "$kib/1024" | bc -l)" \
    "$rc" "$secs" "$(wc -c < "$work/out")" "$(grep -o 'limits\.[a-z_]*\|timeouts\.reply_s' "$work/err" | head -1)"
}

mb=$(printf 'x%.0s' $(seq 1 1024))   # 1 KiB
start_mock "[{\"steps\": [{\"text\": \"$mb\", \"repeat\": 1024}]}]"
run reply-1mb
start_mock '[{"steps": [{"raw": "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\": \"text_delta\", \"text\": \""}, {"flood": "xxxxxxxxxxxxxxxx", "total_bytes": 52428800}]}]'
run line-50mb
# The endless stream must reach limits.reply_mb however slow the machine is,
# so its deadline is long; the comments case is the one the deadline ends.
echo '{"timeouts": {"reply_s": 120}, "http": {"max_retries": 0}}' > "$work/config/ik/config.json"
start_mock '[{"steps": [{"endless_text": "token "}]}]'
run endless
echo '{"timeouts": {"reply_s": 3}, "http": {"max_retries": 0}}' > "$work/config/ik/config.json"
start_mock '[{"steps": [{"text": "waiting"}, {"comments": "keep-alive", "interval_ms": 50}]}]'
run comments

if command -v heaptrack >/dev/null && command -v heaptrack_print >/dev/null; then
  for n in 2000 20000; do
    start_mock "[{\"steps\": [{\"text\": \"abcd\", \"repeat\": $n, \"chunk\": 4}]}]"
    heaptrack -o "$work/heap-$n" "$ik" -p hi --model anthropic/bench >/dev/null 2>&1 || true
    peak=$(heaptrack_print "$work/heap-$n".zst 2>/dev/null | sed -n 's/^peak heap memory consumption: //p')
    echo "heaptrack $n tokens: peak heap $peak"
  done
  echo "goal: (peak(20000) - peak(2000)) / 72000 reply bytes <= 3"
fi
