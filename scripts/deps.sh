#!/usr/bin/env bash
# Installs what building and testing S-Connect needs, when it is missing, on
# Debian/Ubuntu: Debian packages, then the npm modules and Go modules.
#   scripts/deps.sh run    what `make run` needs
#   scripts/deps.sh test   what `make test` needs (a superset)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-test}

# The desktop build (WebKitGTK 4.1) and cgo for SQLite.
pkgs=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev)
if [ "$what" = test ]; then
  # Browser tests, the desktop window under Xvfb and its screenshot.
  pkgs+=(chromium xvfb xauth x11-utils imagemagick xdotool dbus-x11 fonts-dejavu-core)
  # The tray test: a window manager (closing the window as a user does), a
  # StatusNotifier watcher and a tray panel that draws the icon and menu.
  pkgs+=(openbox wmctrl haskell-status-notifier-item-utils haskell-gtk-sni-tray-utils)
  # Real servers the integration tests start on loopback: MariaDB for the
  # OpenCart schemas, OpenSSH for SFTP and the database tunnel.
  pkgs+=(mariadb-server openssh-server vsftpd php8.2-cli php8.2-mysql)
  # A desktop's credential store for the tests of secrets kept there: a
  # private session bus with gnome-keyring's Secret Service on it.
  pkgs+=(dbus-daemon dbus-bin gnome-keyring libsecret-tools)
  # make package: the Windows build (cgo for SQLite) and its installer.
  pkgs+=(nsis gcc-mingw-w64-x86-64 file)
  # The demo's end-to-end test reads the demo shop's SQLite file.
  pkgs+=(sqlite3)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Toolchains: Go from go.mod's version on, Node 20.19 or newer (Vite 8).
need_go=$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.mod)
command -v go >/dev/null || { echo "deps: Go $need_go or newer is needed (https://go.dev/dl/)" >&2; exit 1; }
command -v node >/dev/null || { echo "deps: Node.js 20.19 or newer is needed" >&2; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  { echo "deps: Node.js 20.19 or newer is needed (found $(node --version))" >&2; exit 1; }

if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  echo "deps: installing npm modules"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
fi
go mod download
