#!/usr/bin/env bash
# Histogram collection, ours (JMH) and numpy's, on the same array in one run.
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -B -q -DskipTests test-compile
cp="$(./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
java --add-modules jdk.incubator.vector -cp "target/test-classes:target/classes:$cp" \
  org.quantlens.bench.HistogramCollectionBenchmark 2>/dev/null
python3 src/test/scripts/bench-numpy-histogram.py target/bench/histogram-input.npy
java --add-modules jdk.incubator.vector -cp "target/test-classes:target/classes:$cp" org.openjdk.jmh.Main \
  HistogramCollectionBenchmark "$@"
