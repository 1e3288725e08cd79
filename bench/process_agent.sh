#!/usr/bin/env bash
# Whole-process cost of one agent tool round trip: ik -p against ik-mockllm
# answering first with one bash call (`echo hi`, run by ik), then with a
# 2000-token reply (4-character deltas, no delay) — the comparison point of
# issue 4. Otherwise as bench/process_headless.sh.
#
#   bench/process_agent.sh [build-dir]      (default: build/release)
#
# Needs: hyperfine, GNU time (/usr/bin/time; Debian package `time`).
set -euo pipefail
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
  printf '{"steps": [{"text": "warm"}]}'
  for i in $(seq 1 300); do
    printf ',{"steps": [{"tool_calls": [{"id": "t%d", "name": "bash", "arguments": "{\\"command\\":\\"echo hi\\"}"}]}]}' "$i"
    printf ',{"steps": [{"text": "abcd", "repeat": 2000, "chunk": 4}, {"usage": {"input": 10, "output": 2000}}]}'
  done
  printf ']'
}
python_free_script > "$work/script.json"
"$mock" --port 0 --script "$work/script.json" --port-file "$work/port" --max-seconds 300 --max-requests 1000 >/dev/null &
mock_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(cat "$work/port")

export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export ANTHROPIC_BASE_URL=http://127.0.0.1:$port/v1 ANTHROPIC_API_KEY=bench
unset OPENAI_API_KEY GEMINI_API_KEY GOOGLE_API_KEY OPENROUTER_API_KEY IK_MODEL || true
"$ik" -p warmup --model anthropic/bench >/dev/null   # writes the default config

# The empty program, linked (no --as-needed) against ik's shared libraries.
libs=$(ldd "$ik" | awk '/=>/ {print $3}' | grep -v -E 'libc\.so|ld-linux|libm\.so|libgcc_s|libstdc\+\+' | sed 's|.*/lib\([^/]*\)\.so.*|-l:lib\1.so|' | sort -u)
libpaths=$(ldd "$ik" | awk '/=>/ {print $3}' | grep -v -E 'libc\.so|ld-linux|libm\.so|libgcc_s|libstdc\+\+' | tr '\n' ' ')
echo 'int main() { return 0; }' > "$work/empty.cc"
c++ -O2 "$work/empty.cc" -o "$work/empty" -Wl,--no-as-needed $libpaths

echo "== wall time (hyperfine, median) =="
hyperfine -N --warmup 3 --runs 60 --export-json "$work/h.json" \
  "$ik -p hi --model anthropic/bench --approval yolo" "$work/empty" >/dev/null
grep -E '"command"|"median"' "$work/h.json" | paste - - | sed 's/[",]//g; s/ \+/ /g'

echo "== peak RSS (KiB, max of 10 runs) =="
peak() { local m=0; for _ in $(seq 10); do v=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1); [ "$v" -gt "$m" ] && m=$v; done; echo "$m"; }
echo "ik -p:  $(peak "$ik" -p hi --model anthropic/bench --approval yolo)"
echo "empty:  $(peak "$work/empty")"
out=$("$ik" -p hi --model anthropic/bench --approval yolo 2>/dev/null | wc -c)
echo "bytes of answer: $out (expect 8001)"
