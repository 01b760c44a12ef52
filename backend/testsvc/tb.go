package testsvc

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
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
// Call it from TestMain. Secrets go to the encrypted file unless a test
// starts the private Secret Service: no test touches the credential store
// of the desktop it runs on.
func Main(m *testing.M) {
	os.Setenv("SCONNECT_SECRETS", "file")
	code := m.Run()
	StopAll()
	os.Exit(code)
}

// StopAll stops every service this process started.
func StopAll() {
	for _, stop := range []func(){maria.stop, sshd.stop, ftpServers.stop, secretService.stop} {
		stop()
	}
}

// shared is a server that the tests of one process share: started on first
// use, stopped by StopAll. A failed start fails every test that needs it.
type shared[T interface{ stop() }] struct {
	name  string
	start func() (T, error)
	once  sync.Once
	srv   T
	err   error
	up    bool
}

func newShared[T interface{ stop() }](name string, start func() (T, error)) *shared[T] {
	return &shared[T]{name: name, start: start}
}

func (s *shared[T]) get(tb TB) T {
	tb.Helper()
	s.once.Do(func() {
		s.srv, s.err = s.start()
		s.up = s.err == nil
	})
	if s.err != nil {
		tb.Fatalf("%s for the tests: %v", s.name, s.err)
	}
	return s.srv
}

func (s *shared[T]) stop() {
	if s.up {
		s.srv.stop()
		s.up = false
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

// processUser is a login name of this process: prefix + pid. Logins left
// by a process that was killed are removed first.
func processUser(prefix string) string {
	if raw, err := os.ReadFile("/etc/passwd"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			name, _, _ := strings.Cut(line, ":")
			pid, err := strconv.Atoi(strings.TrimPrefix(name, prefix))
			if err != nil || !strings.HasPrefix(name, prefix) || pid == os.Getpid() {
				continue
			}
			if !running(pid) {
				removeUser(name)
			}
		}
	}
	return prefix + strconv.Itoa(os.Getpid())
}

// removeUser deletes a throwaway login.
func removeUser(name string) {
	if name != "" {
		exec.Command("userdel", "-f", name).Run()
	}
}

// systemUser makes (or reuses) a throwaway login with a password, its home
// folder home and owning it: vsftpd's PAM and sshd's password login need a
// real user. vsftpd changes into the home folder before local_root, so it
// must be the folder of this run.
func systemUser(name, password, home string) error {
	if _, err := exec.Command("id", name).CombinedOutput(); err == nil {
		if out, err := exec.Command("usermod", "-d", home, name).CombinedOutput(); err != nil {
			return fmt.Errorf("usermod: %v %s", err, out)
		}
	} else if out, err := exec.Command("useradd", "-M", "-d", home, "-s", "/bin/bash", name).CombinedOutput(); err != nil {
		return fmt.Errorf("useradd: %v %s", err, out)
	}
	chpasswd := exec.Command("chpasswd")
	chpasswd.Stdin = strings.NewReader(name + ":" + password + "\n")
	if out, err := chpasswd.CombinedOutput(); err != nil {
		return fmt.Errorf("chpasswd: %v %s", err, out)
	}
	if out, err := exec.Command("chown", name+":", home).CombinedOutput(); err != nil {
		return fmt.Errorf("chown: %v %s", err, out)
	}
	return nil
}
