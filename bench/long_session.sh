#!/usr/bin/env bash
# A long session: ik -p in a loop of N tool rounds (default 600), each a bash
# call printing 2000 fresh bytes, against ik-mockllm playing a model with a
# 16k-token window (declared in the config). Reports the exit status, the
# context-length errors, compactions, tool results in the store, peak RSS
# (GNU time's %M) and CPU time per round (user+sys of ik and the bash commands
# it waited for; the commands cost the same every round) for the whole run and
# for a run of N/6 rounds, so a cost that grows with the session shows as a
# higher per-round figure for the long run.
#
#   bench/long_session.sh [build-dir] [rounds]     (default: build/release 600)
#
# Needs: GNU time (/usr/bin/time; Debian package `time`).
set -euo pipefail
build=${1:-build/release}
rounds=${2:-600}
ik=$(realpath "$build/src/ik")
mock=$(realpath "$build/tests/support/ik-mockllm")
[ -x "$ik" ] && [ -x "$mock" ] || { echo "build $ik and $mock first" >&2; exit 2; }

work=$(mktemp -d /tmp/ik-long-XXXXXX)
mock_pid=
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

run() { # run N: one session of N rounds; prints "rss_kib cpu_s errors compactions results exit"
  local n=$1 dir=$work/run$1
  mkdir -p "$dir/config/ik" "$dir/home" "$dir/data" "$dir/proj"
  printf '{"models": {"anthropic/claude-bench": {"context_window": 16000, "max_output": 4096}}}' \
    > "$dir/config/ik/config.json"
  printf '{"window": 16000, "max_requests": 100000, "responses": [
    {"match": "You compact the conversation", "steps": [{"text": "Goals: loop. Files: none. Open tasks: continue."}]},
    {"times": %d, "steps": [{"tool_calls": [{"name": "bash", "arguments": "{\\"command\\":\\"head -c 1500 /dev/urandom | base64 -w0\\"}"}]}]},
    {"steps": [{"text": "done"}]}]}' "$n" > "$dir/script.json"
  "$mock" --port 0 --script "$dir/script.json" --port-file "$dir/port" --max-seconds 3600 >/dev/null &
  mock_pid=$!
  for _ in $(seq 200); do [ -s "$dir/port" ] && break; sleep 0.05; done
  local status=0
  (cd "$dir/proj" && env -i PATH="$PATH" HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data" \
    ANTHROPIC_BASE_URL="http://127.0.0.1:$(cat "$dir/port")/v1" ANTHROPIC_API_KEY=bench OLLAMA_HOST=127.0.0.1:9 \
    /usr/bin/time -f '%M %U %S' -o "$dir/time" "$ik" --model anthropic/claude-bench --approval yolo \
      --max-tool-turns $((n + 5)) -p loop > "$dir/out" 2> "$dir/err") || status=$?
  kill "$mock_pid" 2>/dev/null; wait "$mock_pid" 2>/dev/null || true; mock_pid=
  local id results
  id=$(cd "$dir/proj" && env -i PATH="$PATH" HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" \
    XDG_DATA_HOME="$dir/data" "$ik" sessions | awk 'NR==2 {print $1}')
  results=$(cd "$dir/proj" && env -i PATH="$PATH" HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" \
    XDG_DATA_HOME="$dir/data" "$ik" sessions export "$id" --format jsonl | grep -c '"kind":"tool_result"' || true)
  read -r rss user sys < "$dir/time"
  echo "$rss $(echo "$user + $sys" | bc) $(grep -c 'compacting and retrying' "$dir/err" || true) \
$(grep -c 'compacted the context' "$dir/err" || true) $results $status"
}

small=$((rounds / 6))
read -r rss_s cpu_s err_s comp_s res_s exit_s <<< "$(run "$small")"
read -r rss_l cpu_l err_l comp_l res_l exit_l <<< "$(run "$rounds")"
printf '%-8s %6s %10s %12s %8s %12s %10s %14s\n' rounds exit "peak RSS" "ctx errors" compact "results" "CPU s" "CPU ms/round"
printf '%-8s %6s %8s KiB %12s %8s %12s %10s %14.1f\n' "$small" "$exit_s" "$rss_s" "$err_s" "$comp_s" "$res_s" "$cpu_s" \
  "$(echo "1000 * $cpu_s / $small" | bc -l)"
printf '%-8s %6s %8s KiB %12s %8s %12s %10s %14.1f\n' "$rounds" "$exit_l" "$rss_l" "$err_l" "$comp_l" "$res_l" "$cpu_l" \
  "$(echo "1000 * $cpu_l / $rounds" | bc -l)"
