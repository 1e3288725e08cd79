#!/usr/bin/env bash
# Runs the unit test programs of a build dir under valgrind memcheck, then
# the real ik binary itself under memcheck against ik-mockllm (a streamed
# answer, and an agent round trip with a tool call). Any memcheck error or
# definite/indirect/possible leak fails. (The integration test programs keep
# their tight timeouts, too tight for valgrind's slowdown; the ik runs here
# are the integration paths they exercise.)
set -uo pipefail
dir=$(cd "${1:-build/valgrind}" && pwd)
export IK_UNDER_VALGRIND=1
# Forked children (death tests, kill -9 tests, pty tests) end by _exit or a
# signal on purpose: only the test process itself is judged. Mismatched
# new/free reports are off because a test that counts allocations replaces
# operator new in its own binary while shared libraries keep the library's;
# ASan's alloc-dealloc-mismatch check covers real mismatches in the dev run.
vg_flags=(--quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
  --errors-for-leak-kinds=definite,indirect,possible --track-origins=no --trace-children=no
  --child-silent-after-fork=yes --show-mismatched-frees=no)
status=0
ran=0
# One test program under memcheck; its verdict goes to stderr. Two run at
# once through xargs (valgrind runs a program on one core at a time, and CI
# has two); xargs exits non-zero when any of them failed.
vg_unit() {
  local exe=$1 log
  read -r -a flags <<<"$IK_VG_FLAGS"
  log=$(mktemp)
  if valgrind "${flags[@]}" --log-file="$log" "$exe" --gtest_brief=1 >/dev/null 2>&1; then
    echo "valgrind: $(basename "$exe"): clean" >&2
    rm -f "$log"
    return 0
  fi
  { echo "valgrind: $(basename "$exe"): FAILED"; cat "$log"; "$exe" --gtest_brief=1 2>&1 | tail -20; } >&2
  rm -f "$log"
  return 1
}
export -f vg_unit
export IK_VG_FLAGS="${vg_flags[*]}"
units=()
for exe in "$dir"/tests/ik_unit_*; do
  [ -x "$exe" ] && units+=("$exe")
done
ran=$((ran + ${#units[@]}))
if [ ${#units[@]} -gt 0 ]; then
  printf '%s\n' "${units[@]}" | xargs -P 2 -I{} bash -c 'vg_unit "$1"' _ {} || status=1
fi
# The ik binary under memcheck, headless against the mock server.
ik=$dir/src/ik
mock=$dir/tests/support/ik-mockllm
if [ -x "$ik" ] && [ -x "$mock" ]; then
  work=$(mktemp -d /tmp/ik-valgrind-XXXXXX)
  cat > "$work/script.json" <<'JSON'
[{"steps": [{"thinking": "Thinking it over.", "chunk": 5}, {"text": "Hello from the mock, in small pieces.", "chunk": 3},
            {"usage": {"input": 12, "output": 9}}]},
 {"steps": [{"tool_calls": [{"id": "t1", "name": "bash", "arguments": "{\"command\":\"echo hi\"}"},
                            {"id": "t2", "name": "read_file", "arguments": "{\"path\":\"missing.txt\"}"}]}]},
 {"steps": [{"text": "Done."}]}]
JSON
  "$mock" --port 0 --script "$work/script.json" --port-file "$work/port" --max-seconds 300 >/dev/null 2>&1 &
  mock_pid=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  port=$(cat "$work/port" 2>/dev/null)
  mkdir -p "$work/home" "$work/project"
  vg_ik() {
    local name=$1; shift
    ran=$((ran + 1))
    if (cd "$work/project" && HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share \
        ANTHROPIC_BASE_URL=http://127.0.0.1:$port/v1 ANTHROPIC_API_KEY=test OLLAMA_HOST=127.0.0.1:9 \
        valgrind "${vg_flags[@]}" --log-file="$work/vg.log" "$ik" --model anthropic/test "$@" >"$work/out" 2>"$work/err"); then
      echo "valgrind: ik $name: clean" >&2
    else
      echo "valgrind: ik $name: FAILED" >&2
      cat "$work/vg.log" "$work/err" >&2
      status=1
    fi
  }
  vg_ik "-p (streamed answer)" -p hello --output-format json
  vg_ik "-p (tool round trip)" -p "run it" --approval yolo
  vg_ik "sessions" sessions
  kill "$mock_pid" 2>/dev/null
  wait "$mock_pid" 2>/dev/null
  rm -rf "$work"
fi

# No test program at all means the build failed: never pass vacuously.
if [ "$ran" -eq 0 ]; then
  echo "valgrind: no test programs in $dir/tests" >&2
  status=1
fi
exit $status
