#!/usr/bin/env bash
# Builds a Debian package with jpackage: target/installer/quantlens_<version>-1_amd64.deb.
# It installs the app-image under /opt/quantlens, the menu entry resources/quantlens.desktop (with
# absolute paths) and its icon from resources/icons, and a /usr/bin/quantlens link.
# Builds the app-image (and the jar) first when they are missing or stale. Prints the .deb path.
# Usage: installer/build-deb.sh     then: sudo dpkg -i target/installer/quantlens_*.deb
#                                   (or sudo apt-get install ./target/installer/quantlens_*.deb,
#                                    which also fetches missing dependencies such as libgtk-3-0)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

jpackage="$(jdk_tool jpackage)"
check_jpackage_jdk "$jpackage"

# jpackage runs these for a .deb and fails with a stack trace when one is missing; say so up front.
missing=()
for tool in dpkg dpkg-deb fakeroot; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  die "missing ${missing[*]}: a .deb needs dpkg, dpkg-deb and fakeroot (Debian/Ubuntu: apt-get install -y fakeroot dpkg)"
fi

ensure_jar
if app_image_is_stale; then
  "$root/installer/build-app-image.sh" >/dev/null
fi

# The package's files: a copy of the app-image plus the menu entry in lib/. The entry is
# resources/quantlens.desktop with Exec and Icon made absolute, so it works whatever PATH and
# icon theme the desktop has (lib/quantlens.png is the icon jpackage put in the app-image).
# jpackage's --linux-shortcut is not used: it makes the package depend on xdg-utils and its
# xdg-desktop-menu call fails on machines without a desktop menu; installer/deb/postinst does it.
stage="$out/deb-stage"
rm -rf "$stage"
mkdir -p "$stage/resources"
cp -a "$app_image" "$stage/quantlens"
sed -e 's|^Exec=quantlens|Exec=/opt/quantlens/bin/quantlens|' \
    -e 's|^Icon=quantlens$|Icon=/opt/quantlens/lib/quantlens.png|' \
    "$root/resources/quantlens.desktop" > "$stage/quantlens/lib/quantlens.desktop"
[ -f "$stage/quantlens/lib/quantlens.png" ] || cp "$root/resources/icons/quantlens.png" "$stage/quantlens/lib/"
# --resource-dir replaces jpackage's maintainer-script templates by file name.
cp "$root/installer/deb/postinst" "$root/installer/deb/prerm" "$stage/resources/"

version="$(app_version)"
deb="$out/quantlens_${version}-1_amd64.deb"
rm -f "$deb"
say "jpackage --type deb (compressing ~90 MB takes a few minutes) ..."
# JavaFX's natives sit inside the jar, where jpackage's ldd scan cannot see them: declare GTK and XTest.
"$jpackage" --type deb \
  --app-image "$stage/quantlens" \
  --name quantlens \
  --app-version "$version" \
  --vendor "QuantLens" \
  --description "Interactive INT8 post-training quantization for ONNX models" \
  --resource-dir "$stage/resources" \
  --linux-package-name quantlens \
  --linux-app-category science \
  --linux-package-deps "libgtk-3-0, libxtst6" \
  --dest "$out"
rm -rf "$stage"
[ -f "$deb" ] || die "jpackage finished but $deb is missing (found: $(ls "$out"/*.deb 2>/dev/null | tr '\n' ' '))"

say ".deb: $(du -h "$deb" | cut -f1) in $deb"
echo "$deb"
