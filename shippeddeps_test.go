package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestShippedProgramLinksNoTestCode guards against a test helper slipping
// into the program users install: the demo builds its shop with the fixture
// generator, and once that package pulled in backend/testsvc (which starts
// MariaDB, PHP and FTP for tests) and with it the "testing" package. The
// test-only helpers live in backend/opencart/fixture/fixturetest.
func TestShippedProgramLinksNoTestCode(t *testing.T) {
	for _, build := range []struct{ goos, tags string }{
		{"", ""},                              // serve / the program as `go build .` makes it
		{"", "desktop,production,webkit2_41"}, // the Linux desktop build (Makefile DESKTOP_TAGS)
		{"windows", "desktop,production"},     // the Windows installer's program
	} {
		args := []string{"list", "-deps"}
		if build.tags != "" {
			args = append(args, "-tags", build.tags)
		}
		cmd := exec.Command("go", append(args, ".")...)
		cmd.Env = os.Environ()
		if build.goos != "" {
			cmd.Env = append(cmd.Env, "GOOS="+build.goos, "CGO_ENABLED=0")
		}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list (GOOS=%q tags %q): %v", build.goos, build.tags, err)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 50 {
			t.Fatalf("go list (GOOS=%q tags %q) named only %d packages: %v", build.goos, build.tags, len(deps), deps)
		}
		for _, p := range deps {
			if p == "testing" || strings.HasSuffix(p, "/backend/testsvc") || strings.Contains(p, "/backend/testsvc/") || strings.HasSuffix(p, "fixturetest") {
				t.Errorf("the shipped program (GOOS=%q tags %q) depends on %s", build.goos, build.tags, p)
			}
		}
	}
}
