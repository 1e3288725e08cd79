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
  libssl-dev
  libgumbo-dev
  libsource-highlight4v5
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

# GNU Source-highlight (syntax highlighting of fenced code). Its -dev package depends on
# libboost-regex-dev, which on Debian 12 is Boost 1.74 and conflicts with the Boost 1.81 headers ik
# builds with. The library itself (libsource-highlight4v5, above) installs beside them, and ik's
# wrapper (tui/internal/source_highlight_module.cc, the ik_highlight.so module) uses only headers
# that need boost/shared_ptr.hpp; so when the -dev package cannot be installed, its headers are
# unpacked under /usr/local with a .pc file that links the library alone (not Boost.Regex 1.81
# next to the library's own 1.74).
if ! pkg-config --exists source-highlight; then
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq --no-install-recommends libsource-highlight-dev >/dev/null 2>&1; then
    echo "unpacking libsource-highlight-dev's headers under /usr/local" >&2
    multiarch=$(gcc -print-multiarch)
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -qq libsource-highlight-dev 2>/dev/null)
    dpkg-deb -x "$tmp"/libsource-highlight-dev_*.deb "$tmp/x"
    mkdir -p /usr/local/include /usr/local/lib/pkgconfig
    rm -rf /usr/local/include/srchilite
    cp -r "$tmp/x/usr/include/srchilite" /usr/local/include/
    ln -sf "/usr/lib/$multiarch/libsource-highlight.so.4" /usr/local/lib/libsource-highlight.so
    version=$(dpkg-query -W -f='${Version}' libsource-highlight4v5 | cut -d- -f1)
    cat >/usr/local/lib/pkgconfig/source-highlight.pc <<PC
prefix=/usr/local
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: libsource-highlight
Description: GNU Source-highlight library (headers unpacked by ik's install-deps.sh)
Version: $version
Libs: -L\${libdir} -lsource-highlight
Cflags: -I\${includedir}
PC
    rm -rf "$tmp"
  fi
fi
