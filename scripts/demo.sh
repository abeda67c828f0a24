#!/bin/sh
# make demo: what unbrick does today, on the shipped profiles and a sample
# image. (When the virtual board lands, this runs the restore against it.)
set -e
ub=${1:-./unbrick}
export UNBRICK_BOARDS="${UNBRICK_BOARDS:-$(dirname "$0")/../boards}"
sample="$(dirname "$0")/../tests/data/sample.hex"
run() {
	printf '\n$ unbrick %s\n' "$*"
	"$ub" "$@"
}
run --version
run boards
run boards spark-core
run wiring -B spark-core
run wiring -B dso-quad
run -B spark-core image info "$sample"
run image info --json "$sample"
