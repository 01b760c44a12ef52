#!/usr/bin/env bash
# Checks what `make package` made, as far as it can be checked on Linux: the
# files are the executables they should be and carry the version.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?version}
fail() { echo "check-package: $*" >&2; exit 1; }
exe=build/bin/s-connect.exe
installer=build/bin/s-connect-amd64-installer.exe
linux=build/bin/s-connect-linux-amd64
file "$exe" | grep -q 'PE32+ executable (GUI) x86-64' || fail "$exe is not a Windows GUI program: $(file "$exe")"
file "$installer" | grep -q 'PE32 executable' || fail "$installer is not a Windows program: $(file "$installer")"
grep -aq 'Nullsoft' "$installer" || fail "$installer is not an NSIS installer"
go version -m "$exe" | grep -q -- "-X main.version=$version" || fail "$exe does not carry version $version"
[ "$("$linux" version | cut -d' ' -f2)" = "$version" ] || fail "$linux says $("$linux" version)"
tar -tzf "build/bin/s-connect-$version-linux-amd64.tar.gz" | grep -c 's-connect.desktop' >/dev/null || fail "the Linux archive lacks the .desktop file"
# The installer stays small enough to mail and download quickly (B12: the
# demo is inside it): at most 20 MB.
size=$(stat -c %s "$installer")
max=$((20 * 1000 * 1000))
[ "$size" -le "$max" ] || fail "$installer is $size bytes, more than $max"
echo "check-package: $exe, $installer and $linux are version $version; the installer is $size bytes (at most $max)"
