package testsvc

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// SecretService is a private D-Bus session bus with gnome-keyring's Secret
// Service on it, its login keyring unlocked: the credential store of a
// Linux desktop, for the tests of secrets kept there. Tests point
// DBUS_SESSION_BUS_ADDRESS at Address.
type SecretService struct {
	Address string
	dir     string
	bus     *exec.Cmd
	keyring *exec.Cmd
}

var secretService = newShared("Secret Service", startSecretService)

// StartSecretService returns the process's Secret Service, starting it on
// first use. It needs Debian's dbus-daemon and gnome-keyring.
func StartSecretService(tb TB) *SecretService {
	tb.Helper()
	return secretService.get(tb)
}

// busConfig is a session bus that starts nothing by itself (no service
// activation): only what the test starts is on it.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

func startSecretService() (*SecretService, error) {
	busBin, err := exec.LookPath("dbus-daemon")
	if err != nil {
		return nil, fmt.Errorf("dbus-daemon not found: install Debian's dbus-daemon (make deps does)")
	}
	ringBin, err := exec.LookPath("gnome-keyring-daemon")
	if err != nil {
		return nil, fmt.Errorf("gnome-keyring-daemon not found: install Debian's gnome-keyring (make deps does)")
	}
	dir, err := os.MkdirTemp("/tmp", "sc-ss-")
	if err != nil {
		return nil, err
	}
	s := &SecretService{dir: dir, Address: "unix:path=" + filepath.Join(dir, "bus")}
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(busConfig, filepath.Join(dir, "bus"))), 0o600); err != nil {
		return nil, err
	}
	log, _ := os.Create(filepath.Join(dir, "log"))
	s.bus = exec.Command(busBin, "--config-file="+conf, "--nofork", "--nopidfile")
	s.bus.Stdout, s.bus.Stderr = log, log
	if err := s.bus.Start(); err != nil {
		return nil, err
	}
	if !waitFile(filepath.Join(dir, "bus"), 5*time.Second) {
		s.stop()
		return nil, fmt.Errorf("dbus-daemon did not start")
	}
	home := filepath.Join(dir, "home")
	run := filepath.Join(dir, "run")
	os.MkdirAll(home, 0o700)
	os.MkdirAll(run, 0o700)
	s.keyring = exec.Command(ringBin, "--foreground", "--unlock", "--components=secrets")
	s.keyring.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+s.Address, "HOME="+home, "XDG_RUNTIME_DIR="+run,
		"XDG_DATA_HOME="+filepath.Join(home, "data"))
	s.keyring.Stdin = strings.NewReader("sc-test-keyring")
	s.keyring.Stdout, s.keyring.Stderr = log, log
	if err := ownGroup(s.keyring, ""); err != nil {
		s.stop()
		return nil, err
	}
	if err := s.keyring.Start(); err != nil {
		s.stop()
		return nil, err
	}
	// Ready when the service answers on the bus.
	deadline := time.Now().Add(10 * time.Second)
	for {
		probe := exec.Command("dbus-send", "--bus="+s.Address, "--print-reply", "--dest=org.freedesktop.secrets",
			"/org/freedesktop/secrets", "org.freedesktop.DBus.Peer.Ping")
		if probe.Run() == nil {
			return s, nil
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(filepath.Join(dir, "log"))
			s.stop()
			return nil, fmt.Errorf("gnome-keyring did not come up on the test bus:\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func waitFile(path string, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

func (s *SecretService) stop() {
	if s.keyring != nil && s.keyring.Process != nil {
		signalGroup(s.keyring, syscall.SIGTERM)
		s.keyring.Wait()
	}
	if s.bus != nil && s.bus.Process != nil {
		s.bus.Process.Signal(syscall.SIGTERM)
		s.bus.Wait()
	}
	os.RemoveAll(s.dir)
}
