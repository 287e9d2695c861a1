#!/usr/bin/env bash
# Smoke test of the jpackage app-image: its launcher starts the bundled runtime and the CLI.
# Builds the app-image first when it is missing or stale (that takes a minute or two), then checks:
#   bin/quantlens --help      exits 0 and prints the usage with the command list
#   bin/quantlens --version   exits 0 and names quantlens
#   bin/quantlens --no-such   exits 2 (bad usage) with a one-line message
# and, when the image carries the sample models (lib/app/sample-models, copied from sample-models/):
#   bin/quantlens inspect S   exits 0 on the default sample S and reports it supported
#   bin/quantlens app --snapshot DIR   renders the app on the default sample to PNGs (needs a
#                                      display or xvfb-run; this is the check that JavaFX runs on
#                                      the jlink'd runtime)
# Not part of ./mvnw test (it is slow); run it as: installer/smoke-test.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ensure_jar
if app_image_is_stale; then
  "$root/installer/build-app-image.sh" >/dev/null
fi

failures=0
check() {  # check NAME EXPECTED_STATUS PATTERN -- ARGS...: runs the launcher, matches status and output
  local name="$1" want="$2" pattern="$3"; shift 4
  local output status=0
  output="$("$launcher" "$@" 2>&1)" || status=$?
  if [ "$status" -ne "$want" ]; then
    echo "FAIL $name: exit $status, expected $want"; echo "$output" | sed 's/^/    /'; failures=$((failures + 1))
  elif ! grep -qE "$pattern" <<<"$output"; then
    echo "FAIL $name: output lacks /$pattern/"; echo "$output" | sed 's/^/    /'; failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

check "--help prints the usage"            0 '^Usage: quantlens'          -- --help
check "--help lists the commands"          0 '^  inspect '                -- --help
check "--version names the program"        0 '^quantlens '                -- --version
check "an unknown option is a usage error" 2 "Unknown option: '--no-such'" -- --no-such

sample="$app_image/lib/app/sample-models/mobilenet_v1/model.onnx"
if [ -f "$sample" ]; then
  check "inspect runs on the bundled sample" 0 '^supported: +yes' -- inspect "$sample"
  snapshots="$(mktemp -d)"
  if [ -n "${DISPLAY:-}" ]; then
    on_display=()
  elif command -v xvfb-run >/dev/null 2>&1; then
    on_display=(xvfb-run -a)
  else
    on_display=(none)
  fi
  if [ "${on_display[*]-}" = none ]; then
    echo "skip app: no DISPLAY and no xvfb-run (Debian: apt-get install xvfb)"
  else
    status=0
    output="$(cd / && timeout 300 "${on_display[@]}" "$launcher" app --snapshot "$snapshots/out" 2>&1)" || status=$?
    if [ "$status" -eq 0 ] && [ -n "$(ls "$snapshots/out"/*.png 2>/dev/null)" ]; then
      echo "ok   app opens the bundled sample ($(ls "$snapshots/out" | paste -sd " " -))"
    else
      echo "FAIL app --snapshot: exit $status, snapshots: $(ls "$snapshots/out" 2>/dev/null | tr '\n' ' ')"
      echo "$output" | sed 's/^/    /'; failures=$((failures + 1))
    fi
  fi
  rm -rf "$snapshots"
else
  echo "skip inspect and app: the app-image has no sample-models/mobilenet_v1 (none in this checkout)"
fi

if [ "$failures" -ne 0 ]; then
  echo "smoke test: $failures check(s) failed for $launcher"
  exit 1
fi
echo "smoke test: the app-image launcher works ($launcher)"
