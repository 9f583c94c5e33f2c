#!/usr/bin/env bash
# Regenerates the profiles in testdata/ from testdata/workload (needs golang-go).
# The profiles are committed; tests and the README use them as they are.
set -euo pipefail
cd "$(dirname "$0")/../testdata"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd workload && GOFLAGS=-mod=mod GO111MODULE=off go build -o "$tmp/workload" main.go)
"$tmp/workload" -cpu workload.cpu.pb.gz -heap workload.heap.pb.gz -prefix workload -seconds "${SECONDS_TO_RUN:-3}"
ls -l workload.*.pb.gz
