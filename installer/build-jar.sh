#!/usr/bin/env bash
# Builds the shaded, runnable jar (target/quantlens.jar) from the sources and prints its path.
# Usage: installer/build-jar.sh [extra Maven arguments, e.g. -o]
# Maven's own log goes to stderr; stdout carries only the jar path, for use in other scripts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

cd "$root"
say "building the shaded jar (./mvnw -B -DskipTests package) ..."
./mvnw -B -DskipTests package "$@" >&2
[ -f "$jar" ] || die "the build finished but $jar is missing"
echo "$jar"
