#!/usr/bin/env bash
# Installs every Debian 12 package pprofx's build, tests and benchmarks use.
# Idempotent and quiet when everything is already there. Run as root.
#   scripts/install-deps.sh           what building pprofx needs
#   scripts/install-deps.sh --tests   also what the tests need (a browser, ...)
#   scripts/install-deps.sh --bench   also go tool pprof, graphviz, perl for bench/
#   scripts/install-deps.sh --fleet   Dask distributed for scripts/fleet-merge (also in --tests)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tests=0

packages=(
  build-essential cmake pkg-config
  libprotobuf-dev protobuf-compiler   # schema of record, oracle parser, profile writer
  zlib1g-dev                          # gzip output, and the inflate reference in the unit tests (io)
  libisal-dev                         # ISA-L igzip: inflate, 2.4x zlib (io/inflater.cc; bench/bench_inflate.py)
  libcairo2-dev                       # PNG flame graphs
  libcli11-dev                        # command line
  libfmt-dev                          # formatting
  doctest-dev                         # unit tests (found by CMake even when tests are not run)
  libre2-dev                          # focus/ignore/hide/show regexes, same RE2 syntax as pprof
  python3                             # test drivers (CMake looks for it)
  fonts-dejavu-core                   # the monospace font PNG labels are drawn with
  libdw-dev                           # elfutils: in-process symbolization (ELF symbols, DWARF lines, inlines)
  libiberty-dev                       # GNU demangler (C++ and Rust), the one behind c++filt and addr2line -C
  libcurl4-openssl-dev                # fetching profiles from http(s)://host/debug/pprof/...
  nlohmann-json3-dev                  # JSON strings written by a well-kept writer (valid for any input)
  libcpp-httplib-dev                  # pprofx web --http: the page served on a local port (cpp-httplib)
)
for arg in "$@"; do
  case "$arg" in
    --tests)
      packages+=(chromium chromium-driver python3-selenium)  # the SVG flame graph tested in a real browser
      packages+=(firefox-esr python3-websocket)  # the web page tested in Firefox too, driven over WebDriver BiDi
      packages+=(nodejs)  # the web page's modules tested with node --test (tests/web)
      packages+=(libgoogle-perftools-dev binutils golang-go golang-github-google-pprof-dev)  # real gperftools profiles; pprof + binutils as the reference
      packages+=(python3-jsonschema)  # speedscope's file-format schema (tests/convert)
      packages+=(libxml2-utils)  # xmllint: JUnit reports of hostile names checked by a strict XML parser
      packages+=(cmark-gfm)      # GitHub's Markdown renderer: check's PR comment is tested as GitHub renders it
      packages+=(graphviz)       # pprofx dot -o x.svg draws with Graphviz's dot; tests parse pprofx's DOT with it
      packages+=(man-db zsh bash-completion)  # the installed man page rendered by man; completion scripts loaded by the shells
      packages+=(python3-distributed python3-dask)  # scripts/fleet-merge on a real local Dask cluster (tests/fleet)
      tests=1
      ;;
    --fleet)
      packages+=(python3-distributed python3-dask)  # scripts/fleet-merge: merges over a Dask cluster
      ;;
    --bench)
      packages+=(golang-go gzip time graphviz perl binutils)  # go tool pprof (-svg needs dot), flamegraph.pl; bench_symbolize: readelf, nm, addr2line
      packages+=(golang-github-google-pprof-dev)      # pprof's profile package for scripts/fold-oracle
      packages+=(python3-matplotlib)                  # bench/plot_scale.py
      packages+=(libdeflate-dev)                      # bench/bench_inflate.py: libdeflate beside zlib and ISA-L
      ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ((tests)); then
  # Go 1.23 from Debian 12's official backports, beside the default Go 1.19 (which stays `go`):
  # 1.19 has no `go build -pgo`, and only a 1.20+ binary has the 1.20 pclntab layout
  # (tests/cli/pgo_test.py and tests/symbolize/symbolize_go_test.py use /usr/lib/go-1.23/bin/go).
  backports=/etc/apt/sources.list.d/bookworm-backports.list
  if ! grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo 'deb http://deb.debian.org/debian bookworm-backports main' >"$backports"
  fi
  if ! dpkg-query -W -f='${Status}' golang-1.23-go 2>/dev/null | grep -q "install ok installed"; then
    echo "install-deps: installing golang-1.23-go from bookworm-backports" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends -t bookworm-backports golang-1.23-go >/dev/null
  fi
  # speedscope itself (its app and file-format schema), pinned in
  # tests/convert/package-lock.json, from the npm registry.
  if ! command -v npm >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  if [[ ! -f "$repo/tests/convert/node_modules/speedscope/dist/release/index.html" ]]; then
    echo "install-deps: npm ci in tests/convert (speedscope)" >&2
    npm ci --prefix "$repo/tests/convert" --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi
