#!/usr/bin/env bash
# Builds the Wails v2 CLI into bin/wails (for `make package`).
# `go install github.com/wailsapp/wails/v2/cmd/wails@v2.9.2` fails on Go 1.26:
# the CLI pins golang.org/x/tools v0.17.0, which no longer compiles. A helper
# module that requires a current x/tools builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/bin/wails"
[ -x "$out" ] && exit 0
mkdir -p bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/go.mod" <<'MOD'
module wailscli

go 1.26
MOD
cat > "$tmp/tools.go" <<'SRC'
//go:build tools

package tools

import _ "github.com/wailsapp/wails/v2/cmd/wails"
SRC
cd "$tmp"
go get github.com/wailsapp/wails/v2@v2.9.2 golang.org/x/tools@v0.52.0 >/dev/null
go mod tidy >/dev/null
go build -o "$out" github.com/wailsapp/wails/v2/cmd/wails
echo "built $out"
