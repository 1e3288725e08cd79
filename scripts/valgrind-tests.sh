#!/usr/bin/env bash
# Runs the unit and integration test programs of a build dir under valgrind
# memcheck. Any memcheck error or definite/indirect/possible leak fails.
set -uo pipefail
dir=${1:-build/valgrind}
export IK_UNDER_VALGRIND=1
status=0
ran=0
for exe in "$dir"/tests/ik_unit_* "$dir"/tests/integration/ik_integration_*; do
  [ -x "$exe" ] || continue
  ran=$((ran + 1))
  log=$(mktemp)
  if valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
      --errors-for-leak-kinds=definite,indirect,possible --track-origins=no --trace-children=no \
      --log-file="$log" "$exe" --gtest_brief=1 >/dev/null 2>&1; then
    echo "valgrind: $(basename "$exe"): clean" >&2
  else
    echo "valgrind: $(basename "$exe"): FAILED" >&2
    cat "$log" >&2
    "$exe" --gtest_brief=1 2>&1 | tail -20 >&2
    status=1
  fi
  rm -f "$log"
done
# No test program at all means the build failed: never pass vacuously.
if [ "$ran" -eq 0 ]; then
  echo "valgrind: no test programs in $dir/tests" >&2
  status=1
fi
exit $status
