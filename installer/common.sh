# Shared definitions for the installer scripts; sourced, not run.
# Everything is relative to the project root, so the scripts work from any current directory.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/quantlens.jar"
out="$root/target/installer"
app_image="$out/QuantLens"
launcher="$app_image/bin/quantlens"

# JVM options baked into the jpackage launcher; the same as ./quantlens passes to java.
# The Vector API is an incubator module on Java 17 and must be added explicitly; the deep
# stack matches the ./quantlens script. quantlens.home is where `quantlens app` looks for
# sample-models/: the launcher expands $APPDIR to the image's lib/app, where the samples are copied.
jvm_options=(--add-modules jdk.incubator.vector -Xss8m '-Dquantlens.home=$APPDIR')

# Modules the runtime image always carries, on top of what jdeps finds in the jar. jdeps cannot
# see reflective or service use, and JavaFX (shaded into the jar, run from the class path) needs
# java.desktop, jdk.unsupported, jdk.unsupported.desktop, java.scripting/java.xml (FXML),
# jdk.jsobject/jdk.xml.dom (WebView); java.prefs is where an app keeps its settings.
base_modules="java.base,java.desktop,java.logging,java.prefs,java.xml,java.sql,java.scripting,\
jdk.unsupported,jdk.unsupported.desktop,jdk.jsobject,jdk.xml.dom,jdk.incubator.vector"

say() { echo "installer: $*" >&2; }
die() { echo "installer: $*" >&2; exit 2; }

# Locates a JDK tool: $JAVA_HOME/bin first, then PATH. jpackage and jlink need JDK 17+ with jmods.
jdk_tool() {
  local name="$1"
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/$name" ]; then
    echo "$JAVA_HOME/bin/$name"
  elif command -v "$name" >/dev/null 2>&1; then
    command -v "$name"
  else
    die "$name not found: install a full JDK 17 (Debian: apt-get install openjdk-17-jdk) or set JAVA_HOME"
  fi
}

# Fails with a plain message unless the JDK that owns jpackage is 17 or newer and has jmods to jlink from.
check_jpackage_jdk() {
  local jpackage="$1" home version
  home="$(cd "$(dirname "$(readlink -f "$jpackage")")/.." && pwd)"
  [ -d "$home/jmods" ] || die "$home has no jmods/ folder, so jpackage cannot build a runtime (Debian: apt-get install openjdk-17-jdk)"
  version="$("$jpackage" --version 2>/dev/null | head -n 1)"
  case "$version" in
    1[7-9]*|[2-9][0-9]*) ;;
    *) die "jpackage $version is too old; JDK 17 or newer is needed" ;;
  esac
}

# The project version from the pom, without -SNAPSHOT: jpackage and dpkg want plain numbers (0.1.0).
app_version() {
  local v
  v="$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -n 1)"
  v="${v%-SNAPSHOT}"
  [[ "$v" =~ ^[0-9]+(\.[0-9]+){0,2}$ ]] || die "pom.xml: cannot read a numeric project version (got '$v')"
  echo "$v"
}

# True when the shaded jar is missing or older than any source, resource or the pom.
jar_is_stale() {
  [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]
}

ensure_jar() {
  if jar_is_stale; then
    "$root/installer/build-jar.sh" >/dev/null
  fi
}

# True when the app-image is missing or older than the jar or the sample models it was made from.
app_image_is_stale() {
  [ ! -x "$launcher" ] || [ "$jar" -nt "$launcher" ] \
    || [ -n "$(find "$root/sample-models" -newer "$launcher" -print -quit 2>/dev/null)" ]
}
