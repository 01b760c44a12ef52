package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestVersionCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	version, commit = "1.2.3", "abc1234"
	if code := run([]string{"version"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if got := out.String(); got != "S-Connect 1.2.3 abc1234\n" {
		t.Fatalf("version printed %q", got)
	}
}

func TestUnknownCommandAndFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"frobnicate"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "unknown command") {
		t.Fatalf("unknown command: exit %d, %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"serve", "--nope"}, &out, &errOut); code != 2 {
		t.Fatalf("unknown flag: exit %d", code)
	}
}

func TestServeRefusesAPublicAddress(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"serve", "--config-dir", t.TempDir(), "--addr", "0.0.0.0:0"}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "loopback") {
		t.Fatalf("serve on 0.0.0.0: exit %d, %q", code, errOut.String())
	}
}
