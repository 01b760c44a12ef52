package testsvc_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/testsvc"
)

const childEnv = "TESTSVC_CHILD_TEST"

type job struct{ N int }

func TestMain(m *testing.M) {
	if testsvc.AsChild(childEnv, func(j job) (int, error) {
		if j.N < 0 {
			return 0, errors.New("negative job")
		}
		return 2 * j.N, nil
	}) {
		return
	}
	os.Exit(m.Run())
}

// fatalTB records a fatal failure instead of stopping the test.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper()                   {}
func (f *fatalTB) Fatal(args ...any)         { f.msg = fmt.Sprint(args...) }
func (f *fatalTB) Fatalf(s string, a ...any) { f.msg = fmt.Sprintf(s, a...) }

// The job reaches the child, its result and peak resident set come back,
// and a child's error fails the caller.
func TestChildRoundTrip(t *testing.T) {
	got, rss := testsvc.StartChild[int](t, childEnv, job{N: 21})
	if got != 42 || rss <= 0 {
		t.Fatalf("child: %d, %.1f MB", got, rss)
	}
	tb := &fatalTB{TB: t}
	testsvc.StartChild[int](tb, childEnv, job{N: -1})
	if !strings.Contains(tb.msg, "negative job") {
		t.Fatalf("a failing child: %q", tb.msg)
	}
}
