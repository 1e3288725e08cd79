#!/usr/bin/env bash
# Whole-process cost of `ik -p` against ik-mockllm streaming a 2000-token
# reply (2000 deltas of 4 characters, no delay), compared with the curl
# command line fetching the same stream from the same server (the floor for
# "one HTTP request, read the whole stream"), and with an empty program
# linked against ik's shared libraries. Reports hyperfine's median wall time
# of each, the ratio ik / curl from paired runs (ik and curl in turn), and
# the peak RSS (GNU time's %M) of each.
#
#   bench/process_headless.sh [build-dir]          (default: build/release)
#   bench/process_headless.sh --tool [build-dir]   one agent tool round trip:
#       the mock first asks for one bash call (`echo hi`, run by ik under
#       --approval yolo), then streams the same 2000-token reply.
#
# Needs: hyperfine, GNU time (/usr/bin/time; Debian package `time`).
set -euo pipefail
tool=0
if [ "${1:-}" = "--tool" ]; then tool=1; shift; fi
build=${1:-build/release}
ik=$build/src/ik
mock=$build/tests/support/ik-mockllm
[ -x "$ik" ] && [ -x "$mock" ] || { echo "build $ik and $mock first (Release)" >&2; exit 2; }

work=$(mktemp -d /tmp/ik-bench-XXXXXX)
mock_pid=
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# One response per run; hyperfine does warmups + runs, so script plenty.
python_free_script() {
  printf '['
  local reply='{"steps": [{"text": "abcd", "repeat": 2000, "chunk": 4}, {"usage": {"input": 10, "output": 2000}}]}'
  printf '%s' "$reply"
  for i in $(seq 1 800); do
    [ "$tool" = 1 ] && printf ',{"steps": [{"tool_calls": [{"id": "t%d", "name": "bash", "arguments": "{\\"command\\":\\"echo hi\\"}"}]}]}' "$i"
    printf ',%s' "$reply"
  done
  printf ']'
}
python_free_script > "$work/script.json"
"$mock" --port 0 --script "$work/script.json" --port-file "$work/port" --max-seconds 900 --max-requests 2000 >/dev/null &
mock_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(cat "$work/port")

export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export ANTHROPIC_BASE_URL=http://127.0.0.1:$port/v1 ANTHROPIC_API_KEY=bench
unset OPENAI_API_KEY GEMINI_API_KEY GOOGLE_API_KEY OPENROUTER_API_KEY IK_MODEL || true
"$ik" -p warmup --model anthropic/bench >/dev/null   # writes the default config
run=("$ik" -p hi --model anthropic/bench --approval yolo)

# The empty program, linked (no --as-needed) against ik's shared libraries
# in ik's load order (the loader's symbol lookups depend on it), and with
# libstdc++ linked in, as ik is.
libpaths=$(ldd "$ik" | awk '/=>/ {print $3}' | grep -v -E 'ld-linux' | tr '\n' ' ')
echo 'int main() { return 0; }' > "$work/empty.cc"
c++ -O2 -static-libstdc++ "$work/empty.cc" -o "$work/empty" -Wl,--no-as-needed $libpaths

# The same request ik makes (a POST to /v1/messages), its stream read to the end.
curl_run=(curl -sS -N -o /dev/null -X POST -H 'content-type: application/json' -H 'x-api-key: bench'
  -H 'anthropic-version: 2023-06-01' --data '{"model":"bench","stream":true,"messages":[]}'
  "http://127.0.0.1:$port/v1/messages")

echo "== wall time (hyperfine, median; each command's runs one after another) =="
hyperfine -N --warmup 5 --runs 100 --export-json "$work/h.json" \
  -n ik "${run[*]}" -n curl "${curl_run[*]}" -n empty "$work/empty" >/dev/null
python3 - "$work/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
for name in ("ik", "curl", "empty"):
    print(f"{name:6} median {r[name]['median'] * 1000:7.2f} ms")
PY

# The ratio from pairs: ik and curl in turn (ik, curl, ik, curl, ...), the
# ratio taken pair by pair and its median reported. hyperfine runs all of one
# command, then all of the next, so a drift of the machine's speed between
# the two blocks (±15% here from minute to minute) moved its ratio by as much.
echo "== ik / curl, paired (200 pairs after 10 warm-up pairs; median, and the middle half) =="
python3 - "$work" "${run[@]}" -- "${curl_run[@]}" <<'PY'
import statistics, subprocess, sys, time
args = sys.argv[2:]
cut = args.index("--")
ik, curl = args[:cut], args[cut + 1:]
def wall(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start
ratios, iks, curls = [], [], []
for i in range(210):
    a, b = wall(ik), wall(curl)
    if i >= 10:
        ratios.append(a / b); iks.append(a); curls.append(b)
q = statistics.quantiles(ratios, n=4)
print(f"ik median {statistics.median(iks) * 1000:.2f} ms, curl median {statistics.median(curls) * 1000:.2f} ms")
print(f"ik / curl = {statistics.median(ratios):.2f} (middle half {q[0]:.2f}-{q[2]:.2f})")
PY

echo "== peak RSS (KiB, max of 10 runs) =="
peak() { local m=0; for _ in $(seq 10); do v=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1); [ "$v" -gt "$m" ] && m=$v; done; echo "$m"; }
echo "ik -p:  $(peak "${run[@]}")"
echo "curl:   $(peak "${curl_run[@]}")"
echo "empty:  $(peak "$work/empty")"
out=$("${run[@]}" 2>/dev/null | wc -c)
echo "bytes of answer: $out (expect 8001)"
