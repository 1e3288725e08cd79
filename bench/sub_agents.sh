#!/usr/bin/env bash
# Ten concurrent sub-agents in one `ik -p` process (issue 16's goal,
# docs/perf.md "Sub-agents"): the mock answers the parent with ten `task`
# calls in one reply; each sub-agent's request gets a 2000-token reply (2000
# deltas of 4 bytes, paced so that all ten stream at the same time); then the
# parent's final answer. Reports, over RUNS runs (default 5):
#   - peak RSS of the whole process (GNU time's %M)          goal: < 32 MiB
#   - the same for one sub-agent and for no sub-agent at all, the baselines;
#   - how many sub-agents streamed at once (the mock's concurrent requests);
#   - the memory report printed at the end of the run (IK_MEM_REPORT=1):
#     no sub-agent node is left in the tree, and the session's subtree is back
#     to the size of a run without tasks plus the ten results it keeps.
#
#   bench/sub_agents.sh [build-dir] [runs]     (default build/release, 5)
# Needs: GNU time (/usr/bin/time).
set -euo pipefail
build=${1:-build/release}
runs=${2:-5}
ik=$build/src/ik
mock=$build/tests/support/ik-mockllm
[ -x "$ik" ] && [ -x "$mock" ] || { echo "build $ik and $mock first (Release)" >&2; exit 2; }

work=$(mktemp -d /tmp/ik-subbench-XXXXXX)
mock_pid=
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
unset OPENAI_API_KEY GEMINI_API_KEY GOOGLE_API_KEY OPENROUTER_API_KEY IK_MODEL || true

# A 2000-token reply in 20 bursts of 100 deltas, 15 ms apart (~0.3 s), so
# that the ten replies overlap instead of finishing one by one.
reply() {
  printf '{"steps": ['
  for i in $(seq 1 20); do
    [ "$i" -gt 1 ] && printf ', {"delay_ms": 15}, '
    printf '{"text": "abcd", "repeat": 100, "chunk": 4}'
  done
  printf ', {"usage": {"input": 50, "output": 2000}}]}'
}
# script N: the parent asks for N tasks in one reply, N sub-agent replies, the
# parent's final answer. The model is a catalog one (200k window) so that the
# ten results (80 KB) do not make the parent compact its window.
script() {
  local n=$1
  printf '['
  if [ "$n" -gt 0 ]; then
    printf '{"steps": [{"tool_calls": ['
    for i in $(seq 1 "$n"); do
      [ "$i" -gt 1 ] && printf ', '
      printf '{"id": "t%d", "name": "task", "arguments": "{\\"prompt\\": \\"part %d of the survey\\", \\"description\\": \\"part %d\\"}"}' "$i" "$i" "$i"
    done
    printf ']}]}, '
    for i in $(seq 1 "$n"); do printf '%s, ' "$(reply)"; done
  fi
  printf '{"steps": [{"text": "all parts done"}]}]'
}

start_mock() {
  [ -n "$mock_pid" ] && { kill "$mock_pid" 2>/dev/null; wait "$mock_pid" 2>/dev/null || true; }
  script "$1" > "$work/script.json"
  rm -f "$work/port"
  rm -f "$work/mock.jsonl"
  "$mock" --port 0 --script "$work/script.json" --port-file "$work/port" --max-seconds 300 --log "$work/mock.jsonl" \
    >/dev/null 2>&1 &
  mock_pid=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
  export ANTHROPIC_BASE_URL=http://127.0.0.1:$(cat "$work/port")/v1 ANTHROPIC_API_KEY=bench
}

# measure N: RUNS runs with N tasks; prints the median peak RSS (KiB).
measure() {
  local n=$1 rsses=()
  for _ in $(seq 1 "$runs"); do
    start_mock "$n"
    rm -rf "$work/data"
    IK_MEM_REPORT=1 /usr/bin/time -f '%M' -o "$work/time" "$ik" -p "survey the tree" --model anthropic/claude-haiku-4-5 \
      >"$work/out" 2>"$work/err" || { echo "ik failed with $n tasks:" >&2; cat "$work/err" >&2; exit 1; }
    grep -q 'all parts done' "$work/out" || { echo "no final answer with $n tasks" >&2; exit 1; }
    rsses+=("$(tail -1 "$work/time")")
  done
  printf '%s\n' "${rsses[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

echo "ik: $ik   runs: $runs   machine load: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in 0 1 10; do
  kib=$(measure "$n")
  printf '%2d sub-agents: peak RSS %5.1f MiB (median of %d)\n' "$n" "$(echo "$kib/1024" | bc -l)" "$runs"
  cp "$work/err" "$work/report-$n"
done
# The mock logs how many requests it was answering when each one came in.
echo "most streams in flight at once (last 10-task run): $(
  grep -o '"in_flight":[0-9]*' "$work/mock.jsonl" | cut -d: -f2 | sort -n | tail -1)"
left=$(grep -c '^ *sub-agent:' "$work/report-10" || true)
echo "memory report at the end of the 10-task run: $left sub-agent nodes left (goal 0)"
for n in 0 10; do
  echo "  $n tasks: $(grep -m1 -o 'session: .*' "$work/report-$n" | sed 's/; cap.*//')"
done
