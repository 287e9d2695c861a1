#!/usr/bin/env bash
# Full calibration of the default sample, as a user runs it: `./quantlens calibrate` on the bundled MobileNetV1 and its
# calibration set (128 samples, minmax, batches of 16, histograms collected), against `./quantlens --version` (JVM
# start, class loading of the launcher path, no work) in the same run. Prints the median wall time of each over
# RUNS runs (default 7) and their difference, the time after JVM start. Then the same calibration in a 32 MiB heap,
# which shows the memory bound: bins x tensors of histograms plus one batch's activations.
# Usage: src/test/scripts/bench-calibration.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs="${1:-7}"
sample=sample-models/mobilenet_v1
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
./quantlens --version >/dev/null # builds the jar and its class-data archive when needed

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() { # wall seconds of one command, its output discarded
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
: >"$out/version"
: >"$out/calibrate"
for _ in $(seq "$runs"); do
  wall ./quantlens --version >>"$out/version"
  wall ./quantlens calibrate "$sample/model.onnx" --data "$sample/calib.npy" --out "$out/table.json" >>"$out/calibrate"
done
v=$(median <"$out/version")
c=$(median <"$out/calibrate")
printf 'machine: %s cores, load average %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'quantlens --version   median %.3f s of %d runs\n' "$v" "$runs"
printf 'quantlens calibrate   median %.3f s of %d runs\n' "$c" "$runs"
printf 'after JVM start       %.3f s\n' "$(echo "$c - $v" | bc -l)"
if JAVA_TOOL_OPTIONS=-Xmx32m ./quantlens calibrate "$sample/model.onnx" --data "$sample/calib.npy" \
    --out "$out/small-heap.json" >/dev/null 2>&1 && cmp -s "$out/table.json" "$out/small-heap.json"; then
  echo "with -Xmx32m: same table"
else
  echo "with -Xmx32m: FAILED or a different table"
  exit 1
fi
