#!/usr/bin/env bash
# Installs every Debian 12 package pprofx's build, tests and benchmarks use.
# Idempotent and quiet when everything is already there. Run as root.
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh --bench  also golang-go (go tool pprof) for bench/
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libprotobuf-dev protobuf-compiler   # schema of record, oracle parser, profile writer
  zlib1g-dev                          # gzip inflate (io)
  libcairo2-dev                       # PNG flame graphs
  libcli11-dev                        # command line
  libfmt-dev                          # formatting
  doctest-dev                         # unit tests
  libre2-dev                          # focus/ignore/hide/show regexes, same RE2 syntax as pprof
  python3                             # test drivers
  chromium chromium-driver python3-selenium  # the SVG flame graph tested in a real browser
  fonts-dejavu-core                   # the monospace font PNG labels are drawn with
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(golang-go gzip time graphviz perl)  # go tool pprof (-svg needs dot), flamegraph.pl
  packages+=(golang-github-google-pprof-dev)      # pprof's profile package for scripts/fold-oracle
fi

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
