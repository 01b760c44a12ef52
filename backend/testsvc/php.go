package testsvc

import (
	"fmt"
	"net/http"
	"os/exec"
	"os/user"
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
	var cred *syscall.Credential
	if login != "" {
		var err error
		if cred, err = credential(login); err != nil {
			tb.Fatalf("PHP as %s: %v", login, err)
		}
	}
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
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: cred}
		if err := cmd.Start(); err != nil {
			tb.Fatal(err)
		}
		p := &PHP{Port: port, URL: fmt.Sprintf("http://127.0.0.1:%d", port)}
		if waitHTTP(p.URL, 10*time.Second) == nil {
			tb.Cleanup(func() {
				syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
				cmd.Wait()
			})
			return p
		}
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	}
	tb.Fatalf("php -S did not start")
	return nil
}

// credential is login's user, primary group and other groups.
func credential(login string) (*syscall.Credential, error) {
	u, err := user.Lookup(login)
	if err != nil {
		return nil, err
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	c := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	groups, _ := u.GroupIds()
	for _, g := range groups {
		n, _ := strconv.Atoi(g)
		c.Groups = append(c.Groups, uint32(n))
	}
	return c, nil
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
