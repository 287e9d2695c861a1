#!/usr/bin/env bash
# Builds a Debian package with jpackage: target/installer/quantlens_<version>-1_amd64.deb.
# It installs the app-image under /opt/quantlens, a menu entry (resources/quantlens.desktop, with
# absolute paths) with the icon from resources/icons, and a /usr/bin/quantlens link.
# Builds the app-image (and the jar) first when they are missing or stale. Prints the .deb path.
# Usage: installer/build-deb.sh        then: sudo apt-get install ./target/installer/quantlens_*.deb
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

# --resource-dir overrides jpackage's templates by file name: the menu entry is <launcher>.desktop
# (jpackage installs it as <package>-<launcher>.desktop); postinst/prerm add the /usr/bin link.
# The menu entry is resources/quantlens.desktop with Exec and Icon made absolute, because
# /opt/quantlens/bin is not on PATH and the icon is not in an icon theme.
res="$out/deb-resources"
rm -rf "$res"
mkdir -p "$res"
sed -e 's|^Exec=quantlens|Exec=/opt/quantlens/bin/quantlens|' \
    -e 's|^Icon=quantlens$|Icon=/opt/quantlens/lib/quantlens.png|' \
    "$root/resources/quantlens.desktop" > "$res/quantlens.desktop"
cp "$root/installer/deb/postinst" "$root/installer/deb/prerm" "$res/"

version="$(app_version)"
deb="$out/quantlens_${version}-1_amd64.deb"
rm -f "$deb"
say "jpackage --type deb (compressing ~80 MB takes a few minutes) ..."
# JavaFX's natives sit inside the jar, where jpackage's ldd scan cannot see them: declare GTK and XTest.
"$jpackage" --type deb \
  --app-image "$app_image" \
  --name quantlens \
  --app-version "$version" \
  --vendor "QuantLens" \
  --description "Interactive INT8 post-training quantization for ONNX models" \
  --icon "$root/resources/icons/quantlens.png" \
  --resource-dir "$res" \
  --linux-package-name quantlens \
  --linux-app-category science \
  --linux-menu-group "Development;Science;" \
  --linux-shortcut \
  --linux-package-deps "libgtk-3-0, libxtst6" \
  --dest "$out"
rm -rf "$res"
[ -f "$deb" ] || die "jpackage finished but $deb is missing (found: $(ls "$out"/*.deb 2>/dev/null | tr '\n' ' '))"

say ".deb: $(du -h "$deb" | cut -f1) in $deb"
echo "$deb"
