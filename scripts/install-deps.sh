#!/usr/bin/env bash
# Installs everything ik needs to build, test and benchmark on Debian 12.
# Idempotent: does nothing (and touches no network) when all is present.
# clang-format and clang-tidy are CI gates (scripts/test.sh); libclang-rt-14-dev
# holds libFuzzer and Clang's sanitizer runtimes, which --no-install-recommends
# would otherwise leave out.
set -euo pipefail

packages=(
  g++ clang cmake ninja-build pkg-config git ca-certificates ccache
  clang-format clang-tidy libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libcurl4-openssl-dev libsqlite3-dev libpq-dev
  libutf8proc-dev libmd4c-dev libfmt-dev libcli11-dev libcpp-httplib-dev libpcre2-dev
  libgtest-dev libgmock-dev libbenchmark-dev libtalloc-dev libunibreak-dev
  bubblewrap libseccomp-dev
  python3
  libgit2-dev
  postgresql valgrind tmux procps locales hyperfine time
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
