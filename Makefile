# S-Connect — see README.md. The two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT)
DESKTOP_TAGS := desktop,production,webkit2_41
FRONTEND_SRC := $(shell find frontend/src frontend/public frontend/index.html frontend/vite.config.ts -type f 2>/dev/null)
GO_SRC := $(shell find . -name '*.go' -not -path './frontend/node_modules/*') go.mod go.sum

.PHONY: run test deps deps-run build desktop frontend vet go-test fuzz frontend-test e2e screenshot screenshots bench soak license package clean tray-test traybench

## run: build and start S-Connect — the window when there is a display, else the browser UI (serve)
run: deps-run
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(MAKE) --no-print-directory desktop && exec ./bin/s-connect-desktop; \
	else \
		$(MAKE) --no-print-directory build && echo "No display: starting the browser UI. Open the link below." && \
		exec ./bin/s-connect serve --addr $${SCONNECT_ADDR:-127.0.0.1:8484}; \
	fi

## test: install what is missing, then run every test (Go, frontend, end-to-end, desktop build, packages)
test: deps vet go-test fuzz frontend-test build e2e desktop package
	@echo "make test: all passed"

deps:
	@scripts/deps.sh test

deps-run:
	@scripts/deps.sh run

frontend/dist/index.html: $(FRONTEND_SRC) frontend/package-lock.json
	cd frontend && npm run build --silent

frontend: frontend/dist/index.html

PKG_VERSION := $(shell sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
PKG_LDFLAGS := -X main.version=$(PKG_VERSION) -X main.commit=$(COMMIT)

## package: the Windows program and its NSIS installer, cross-built here, and the Linux program
## with its .desktop file and icon, all in build/bin (version from wails.json)
package: deps frontend/dist/index.html
	scripts/wails-cli.sh
	rm -rf build/windows/installer/tmp
	CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
		bin/wails build -platform windows/amd64 -skipbindings -s -nsis -ldflags "$(PKG_LDFLAGS)"
	cd build/windows/installer && makensis -WX -V2 -DARG_WAILS_AMD64_BINARY=../../bin/s-connect.exe project.nsi
	go build -tags $(DESKTOP_TAGS) -ldflags "$(PKG_LDFLAGS)" -o build/bin/s-connect-linux-amd64 .
	rm -rf build/bin/linux && mkdir -p build/bin/linux
	cp build/bin/s-connect-linux-amd64 build/bin/linux/s-connect
	cp build/linux/s-connect.desktop build/bin/linux/ && cp build/appicon.png build/bin/linux/s-connect.png
	tar -czf build/bin/s-connect-$(PKG_VERSION)-linux-amd64.tar.gz -C build/bin/linux .
	scripts/check-package.sh $(PKG_VERSION)

## license: issue a licence with the vendor's key (never commit the key):
##   make license KEY=vendor.key ARGS='-licensee "…" -email … -shop https://… -modules orders,voorraad -until 2027-12-31'
license: bin/licensegen
	@test -n "$(KEY)" || { echo "KEY=path/to/vendor.key is required"; exit 2; }
	bin/licensegen issue -key $(KEY) $(ARGS)

## build: the program without the desktop window (serve, version), for servers and tests
build: bin/s-connect
bin/s-connect: frontend/dist/index.html $(GO_SRC)
	go build -ldflags "$(LDFLAGS)" -o $@ .

## desktop: the program with its window (WebKitGTK 4.1)
desktop: bin/s-connect-desktop
bin/s-connect-desktop: frontend/dist/index.html $(GO_SRC)
	go build -tags $(DESKTOP_TAGS) -ldflags "$(LDFLAGS)" -o $@ .

vet:
	go vet ./...
	go vet -tags soak .
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

go-test: frontend/dist/index.html
	go test -race -count=1 ./...
	go test -tags $(DESKTOP_TAGS) -count=1 -run '^TestTheDesktopProgram' .

## fuzz: each fuzz target briefly (FUZZTIME, default 5s): what comes from outside — the bridge's
## answers, config.php, OData filters, SnelStart's errors, the description template
FUZZTIME ?= 5s
FUZZ := ./backend/opencart/bridge:FuzzDecodeReply ./backend/opencart/bridge:FuzzReadDefines \
	./backend/snelstart:FuzzFilterQuotesEveryValue ./backend/snelstart:FuzzDecodeError ./backend/config:FuzzExpandTemplate
fuzz:
	@for f in $(FUZZ); do \
		go test -run XXX -fuzz "^$${f##*:}\$$" -fuzztime $(FUZZTIME) $${f%%:*} || exit 1; \
	done

frontend-test:
	cd frontend && npx vitest run && npm run check --silent

bin/shopenv: $(GO_SRC)
	go build -o $@ ./backend/testsvc/shopenv

bin/licensegen: $(GO_SRC)
	go build -o $@ ./backend/license/licensegen

# The end-to-end tests issue their own licences: a binary built with a test
# key of their own, never with the vendor's.
bin/e2e-license.key: bin/licensegen
	bin/licensegen keygen -out $@ | sed -n 's/^public key (for the build): //p' > bin/e2e-license.pub

bin/s-connect-e2e: frontend/dist/index.html $(GO_SRC) bin/e2e-license.key
	go build -ldflags "$(LDFLAGS) -X github.com/s-connect/s-connect/backend/license.PublicKey=$$(cat bin/e2e-license.pub)" -o $@ .

e2e: bin/s-connect-e2e bin/shopenv bin/licensegen
	cd frontend && SCONNECT_BIN=$(CURDIR)/bin/s-connect-e2e SHOPENV_BIN=$(CURDIR)/bin/shopenv \
		LICENSEGEN_BIN=$(CURDIR)/bin/licensegen LICENSE_KEY=$(CURDIR)/bin/e2e-license.key \
		node --test --test-concurrency=1 e2e/*.e2e.mjs

## bench: the benchmarks whose figures are in BENCHMARKS.md
bench: deps
	go test -run XXX -bench . -benchtime 3x ./backend/opencart/mysql/
	go test -run XXX -bench 'BenchmarkImport1000|BenchmarkFirstImport2000|BenchmarkWatermark50k' -benchtime 1x -timeout 30m ./backend/orderimport/
	go test -run XXX -bench BenchmarkStockExport20k -benchtime 1x ./backend/stockexport/
	go test -run XXX -bench BenchmarkFirstStartToWorkingDemo -benchtime 5x .

## soak: 10,000 orders through `s-connect run orders` under SnelStart's faults, three kills and
## a MariaDB restart: every order exactly once (not part of `make test`; at most 15 minutes)
soak: deps frontend/dist/index.html
	go test -tags soak -run '^TestSoak$$' -count=1 -timeout 15m -v .

# The desktop build the tray test and benchmark start: it trusts the test
# licence key, like the end-to-end binary.
bin/s-connect-bench: frontend/dist/index.html $(GO_SRC) bin/e2e-license.key
	go build -tags $(DESKTOP_TAGS) -ldflags "$(LDFLAGS) -X github.com/s-connect/s-connect/backend/license.PublicKey=$$(cat bin/e2e-license.pub)" -o $@ .

## tray-test: the desktop program in a tray under Xvfb: closed to the tray, a scheduled run, Openen
tray-test: bin/s-connect-bench
	SCONNECT_DESKTOP_BIN=$(CURDIR)/bin/s-connect-bench LICENSE_KEY=$(CURDIR)/bin/e2e-license.key \
		go test -count=1 -v ./desktop/traytest/

## traybench: memory of all the program's processes, window open and in the tray, and an hour
## of runs every five minutes (figures in BENCHMARKS.md; DURATION=10m for a shorter look); fails
## above 80 MiB PSS in the tray or when goroutines, open files or memory grow over the runs
traybench: bin/s-connect-bench
	go run ./desktop/desktoptest/traybench -bin bin/s-connect-bench -key bin/e2e-license.key -duration $${DURATION:-1h}

## screenshots: the README's pictures of the main tabs and a finished demo run, from the demo
## (serve in Chromium), into docs/screenshots
screenshots: deps bin/s-connect
	cd frontend && SCONNECT_BIN=$(CURDIR)/bin/s-connect node e2e/screenshots.mjs $(CURDIR)/docs/screenshots

## screenshot: the desktop window under Xvfb, for the README
screenshot: bin/s-connect-desktop
	scripts/screenshot.sh bin/s-connect-desktop docs/screenshot.png

clean:
	rm -rf bin build/bin frontend/dist/assets frontend/dist/index.html frontend/dist/icon.png
