#!/usr/bin/env bash
# Takes a screenshot of the desktop window under Xvfb for the README:
#   scripts/screenshot.sh [binary] [output.png]
# Needs: xvfb xauth imagemagick xdotool dbus-x11 (make deps installs them).
set -euo pipefail
bin=${1:-bin/s-connect-desktop}
out=${2:-docs/screenshot.png}
[ -x "$bin" ] || { echo "no desktop binary at $bin: run 'make desktop' first" >&2; exit 1; }
for t in Xvfb xdotool import dbus-launch; do
  command -v "$t" >/dev/null || { echo "missing $t: run 'make deps'" >&2; exit 1; }
done
work=$(mktemp -d)
display=:$((90 + RANDOM % 9))
cleanup() { kill "${app:-}" "${xvfb:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
Xvfb "$display" -screen 0 1280x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
export DISPLAY=$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done 2>/dev/null || sleep 1
# WebKitGTK wants a session bus; the demo profile fills the window.
dbus-launch --exit-with-session "$bin" --config-dir "$work/config" >"$work/app.log" 2>&1 &
app=$!
win=""
for _ in $(seq 100); do
  win=$(xdotool search --name '^S-Connect$' 2>/dev/null | head -1 || true)
  [ -n "$win" ] && break
  sleep 0.2
done
[ -n "$win" ] || { echo "the window did not appear" >&2; cat "$work/app.log" >&2; exit 1; }
xdotool windowmove "$win" 0 0 windowsize "$win" 1180 820
sleep 4 # let WebKit render the first tab
mkdir -p "$(dirname "$out")"
import -window root -crop 1180x820+0+0 +repage "$out"
echo "wrote $out"
