package testsvc

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// TB is what the service starters need of a test: *testing.T and
// *testing.B have it, and so has Env, for the end-to-end environment.
type TB interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

var _ TB = (testing.TB)(nil)

// Main runs the tests of a package and stops the services they started.
// Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	StopAll()
	os.Exit(code)
}

// StopAll stops every service this process started.
func StopAll() {
	if maria != nil {
		maria.stop()
		os.RemoveAll(maria.dir)
	}
	if sshd != nil {
		sshd.stop()
	}
	if ftpSrv != nil {
		ftpSrv.stop()
	}
}

// Env is a TB for a program that sets up services outside a test (the
// end-to-end environment): Fatal panics, cleanups run at Close.
type Env struct {
	mu       sync.Mutex
	cleanups []func()
}

func (e *Env) Helper()                   {}
func (e *Env) Fatal(args ...any)         { panic(fmt.Sprint(args...)) }
func (e *Env) Fatalf(f string, a ...any) { panic(fmt.Sprintf(f, a...)) }

// Cleanup registers f to run at Close, last registered first.
func (e *Env) Cleanup(f func()) {
	e.mu.Lock()
	e.cleanups = append(e.cleanups, f)
	e.mu.Unlock()
}

// Close runs the cleanups and stops the services.
func (e *Env) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
	StopAll()
}
