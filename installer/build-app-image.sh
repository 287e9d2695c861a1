#!/usr/bin/env bash
# Builds a self-contained app-image with jpackage: target/installer/QuantLens/, launcher bin/quantlens,
# a jlink'd Java 17 runtime (no JDK needed on the target machine), the shaded jar and sample-models/.
# Builds the jar first when it is missing or older than the sources. Prints the app-image path.
# Usage: installer/build-app-image.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

jpackage="$(jdk_tool jpackage)"
jdeps="$(jdk_tool jdeps)"
check_jpackage_jdk "$jpackage"
ensure_jar

# Modules: what jdeps sees in the jar plus the fixed set (see common.sh). If jdeps cannot analyse
# the jar, the fixed set alone still runs the app.
found="$("$jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps \
  --add-modules jdk.incubator.vector "$jar" 2>/dev/null | tail -n 1 || true)"
[ -n "$found" ] || say "jdeps could not list the jar's modules; using the fixed list only"
modules="$(echo "$base_modules,$found" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -)"
say "runtime modules: $modules"

# jpackage copies the whole --input folder into the image's lib/app: give it the jar and the
# sample models (the app's default model), nothing else.
stage="$out/stage"
rm -rf "$stage" "$app_image"
mkdir -p "$stage/input" "$out"
cp "$jar" "$stage/input/"
if [ -d "$root/sample-models" ]; then
  cp -r "$root/sample-models" "$stage/input/"
  # The training script and caches are for developers, not for the installed app.
  find "$stage/input/sample-models" \( -name '*.py' -o -name '__pycache__' \) -prune -exec rm -rf {} +
else
  say "no sample-models/ here: the app-image's 'quantlens app' will ask for a model"
fi

# The launcher is named after --name, so build as "quantlens" and rename the folder to QuantLens;
# the launcher finds its runtime and jar relative to itself, so the folder name is free.
say "jpackage --type app-image ..."
"$jpackage" --type app-image \
  --name quantlens \
  --app-version "$(app_version)" \
  --vendor "QuantLens" \
  --description "Interactive INT8 post-training quantization for ONNX models" \
  --icon "$root/resources/icons/quantlens.png" \
  --input "$stage/input" \
  --main-jar quantlens.jar \
  --main-class org.quantlens.cli.Launcher \
  --add-modules "$modules" \
  --jlink-options "--strip-debug --no-header-files --no-man-pages --strip-native-commands" \
  --java-options "${jvm_options[*]}" \
  --dest "$stage"
mv "$stage/quantlens" "$app_image"
rm -rf "$stage"

say "app-image: $(du -sh "$app_image" | cut -f1) in $app_image"
echo "$app_image"
