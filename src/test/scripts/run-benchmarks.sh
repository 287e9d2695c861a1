#!/usr/bin/env bash
# Runs JMH benchmarks from the test classes: src/test/scripts/run-benchmarks.sh [JMH args, e.g. Fp32EngineBenchmark -p model=digits_lenet]
# Results go to stdout; copy the table into BENCHMARKS.md with the machine and date.
set -euo pipefail
cd "$(dirname "$0")/../../.."
./mvnw -B -q -DskipTests test-compile
cp="$(./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
exec java -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -cp "target/test-classes:target/classes:$cp" org.openjdk.jmh.Main "$@"
