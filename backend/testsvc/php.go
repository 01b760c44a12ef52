package testsvc

import (
	"fmt"
	"net/http"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// PHP is PHP's built-in web server serving a folder, for the bridge.
type PHP struct {
	Port int
	URL  string // http://127.0.0.1:port
}

// StartPHP serves docroot until the test ends. It needs Debian's php8.2-cli
// and php8.2-mysql.
func StartPHP(tb TB, docroot string) *PHP {
	tb.Helper()
	return StartPHPAs(tb, docroot, "")
}

// StartPHPAs serves docroot with PHP running as login (its user and
// groups), as a hosting company runs a site's PHP: "" runs it as this
// process's user.
func StartPHPAs(tb TB, docroot, login string) *PHP {
	tb.Helper()
	bin, err := exec.LookPath("php")
	if err != nil {
		tb.Fatalf("php not found: install Debian's php8.2-cli and php8.2-mysql (make deps does)")
	}
	if out, err := exec.Command(bin, "-r", "exit(class_exists('mysqli') ? 0 : 1);").CombinedOutput(); err != nil {
		tb.Fatalf("PHP has no mysqli: install Debian's php8.2-mysql (make deps does) %s", out)
	}
	for attempt := 0; attempt < 3; attempt++ {
		port, err := FreePort()
		if err != nil {
			tb.Fatal(err)
		}
		cmd := exec.Command(bin, "-S", "127.0.0.1:"+strconv.Itoa(port), "-t", docroot)
		cmd.Stdout, cmd.Stderr = nil, nil
		if err := ownGroup(cmd, login); err != nil {
			tb.Fatalf("PHP as %q: %v", login, err)
		}
		if err := cmd.Start(); err != nil {
			tb.Fatal(err)
		}
		p := &PHP{Port: port, URL: fmt.Sprintf("http://127.0.0.1:%d", port)}
		if waitHTTP(p.URL, 10*time.Second) == nil {
			tb.Cleanup(func() {
				signalGroup(cmd, syscall.SIGTERM)
				cmd.Wait()
			})
			return p
		}
		signalGroup(cmd, syscall.SIGKILL)
		cmd.Wait()
	}
	tb.Fatalf("php -S did not start")
	return nil
}

// WebUser returns a throwaway login in group (the FTP user's group, say),
// as the account a web server runs under; cleanup removes it.
func WebUser(tb TB, prefix, group string) string {
	tb.Helper()
	name := processUser(prefix)
	removeUser(name)
	args := []string{"-M", "-N", "-s", "/usr/sbin/nologin", name}
	if group != "" {
		args = append([]string{"-g", group}, args...)
	}
	if out, err := exec.Command("useradd", args...).CombinedOutput(); err != nil {
		tb.Fatalf("useradd %s: %v %s", name, err, out)
	}
	tb.Cleanup(func() { removeUser(name) })
	return name
}

func waitHTTP(url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		resp, err := http.Get(url + "/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(30 * time.Millisecond)
	}
}
