#!/usr/bin/env bash
# A long session (issue 11's goal): ik -p in a loop of N tool rounds (default
# 600), each a bash call printing 2000 fresh bytes (≈ 300k tokens in all),
# against ik-mockllm playing a model with a 16k-token window, twice: with the
# window declared in config.json, and undeclared (ik starts from its 16,384
# default and learns 16,000 from the first context-length error).
#
# For each run it reports: ik's exit status; the context-length errors (each
# is followed by a compaction and a retry: "compacting and retrying" on
# stderr) and the compactions; the tool results in the store (`ik sessions
# export`: every round's output must be there); ik's peak RSS (VmHWM of the
# ik process itself); and ik's own CPU time per round (utime+stime of the ik
# process, which excludes the bash commands it runs) over rounds 10-60 and over
# the last 50 rounds (50-round spans: a compaction every ~11 rounds and 10 ms
# clock ticks make shorter spans noisy), so a cost that grows with the session
# shows as a higher figure at the end.
#
#   bench/long_session.sh [build-dir] [rounds]     (default: build/release 600)
#
# Needs python3 (the per-round analysis).
set -euo pipefail
build=${1:-build/release}
rounds=${2:-600}
[ "$rounds" -ge 110 ] || { echo "rounds must be at least 110" >&2; exit 2; }
ik=$(realpath "$build/src/ik")
mock=$(realpath "$build/tests/support/ik-mockllm")
[ -x "$ik" ] && [ -x "$mock" ] || { echo "build $ik and $mock first" >&2; exit 2; }
hz=$(getconf CLK_TCK)

work=$(mktemp -d /tmp/ik-long-XXXXXX)
mock_pid=
ik_pid=
cleanup() {
  [ -n "$ik_pid" ] && kill "$ik_pid" 2>/dev/null
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# run NAME CONFIG: one session of $rounds rounds; prints one result line.
run() {
  local name=$1 config=$2 dir=$work/$1
  mkdir -p "$dir/config/ik" "$dir/home" "$dir/data" "$dir/proj"
  printf '%s' "$config" > "$dir/config/ik/config.json"
  printf '{"window": 16000, "max_requests": 100000, "responses": [
    {"match": "You compact the conversation", "steps": [{"text": "Goals: loop. Files: none. Open tasks: continue."}]},
    {"times": %d, "steps": [{"tool_calls": [{"name": "bash", "arguments": "{\\"command\\":\\"head -c 1500 /dev/urandom | base64 -w0\\"}"}]}]},
    {"steps": [{"text": "done"}]}]}' "$rounds" > "$dir/script.json"
  "$mock" --port 0 --script "$dir/script.json" --port-file "$dir/port" --max-seconds 7200 >/dev/null &
  mock_pid=$!
  for _ in $(seq 200); do [ -s "$dir/port" ] && break; sleep 0.05; done
  local envs=(env -i PATH="$PATH" HOME="$dir/home" XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data")
  (cd "$dir/proj" && exec "${envs[@]}" ANTHROPIC_BASE_URL="http://127.0.0.1:$(cat "$dir/port")/v1" \
    ANTHROPIC_API_KEY=bench OLLAMA_HOST=127.0.0.1:9 \
    "$ik" --model anthropic/claude-bench --approval yolo --max-tool-turns $((rounds + 5)) -p loop \
    > "$dir/out" 2> "$dir/err") &
  ik_pid=$!
  # Every 50 ms: wall ms, ik's own utime+stime (ticks), VmHWM (KiB).
  while [ -r "/proc/$ik_pid/stat" ]; do
    { read -r -a st < "/proc/$ik_pid/stat" && hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$ik_pid/status") \
      && echo "$(date +%s%3N) $((st[13] + st[14])) $hwm"; } >> "$dir/samples" 2>/dev/null || true
    sleep 0.05
  done
  local status=0
  wait "$ik_pid" || status=$?
  ik_pid=
  kill "$mock_pid" 2>/dev/null; wait "$mock_pid" 2>/dev/null || true; mock_pid=
  local id
  id=$(cd "$dir/proj" && "${envs[@]}" "$ik" sessions | awk 'NR==2 {print $1}')
  (cd "$dir/proj" && "${envs[@]}" "$ik" sessions export "$id" --format jsonl) > "$dir/events.jsonl"
  python3 - "$name" "$status" "$dir" "$hz" "$rounds" <<'PY'
import json, sys
name, status, d, hz, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
samples = [tuple(map(int, l.split())) for l in open(f"{d}/samples") if len(l.split()) == 3]
ends = []
for line in open(f"{d}/events.jsonl"):
    e = json.loads(line)
    if e.get("kind") == "tool_result":
        ends.append(e["created_at"])
err = open(f"{d}/err").read()
def cpu_at(ms):  # ik's CPU seconds at wall time ms, interpolated between samples
    prev = samples[0]
    for s in samples:
        if s[0] >= ms:
            if s[0] == prev[0]:
                return s[1] / hz
            f = (ms - prev[0]) / (s[0] - prev[0])
            return (prev[1] + f * (s[1] - prev[1])) / hz
        prev = s
    return samples[-1][1] / hz
def per_round(a, b):  # ms of ik CPU per round between the ends of rounds a and b (1-based)
    if len(ends) < b:
        return float("nan")
    return 1000 * (cpu_at(ends[b - 1]) - cpu_at(ends[a - 1])) / (b - a)
print(f"{name:<11} {status:>4} {max(s[2] for s in samples) / 1024:>8.1f} MiB {err.count('compacting and retrying'):>10} "
      f"{err.count('compacted the context'):>8} {len(ends):>5}/{rounds:<5} {samples[-1][1] / hz:>7.2f} s "
      f"{per_round(10, 60):>10.2f} {per_round(rounds - 50, rounds):>10.2f}")
PY
}

printf '%-11s %4s %12s %10s %8s %11s %9s %10s %10s\n' run exit "peak RSS" "ctx errors" compact results "ik CPU" \
  "ms/round@10" "ms/round@$rounds"
run declared '{"models": {"anthropic/claude-bench": {"context_window": 16000, "max_output": 4096}}}'
run undeclared '{}'
