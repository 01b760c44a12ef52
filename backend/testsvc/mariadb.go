// Package testsvc starts the real services the integration tests need —
// a private MariaDB and OpenSSH server — on free loopback ports with their own temporary
// folders, and stops them when the tests end. A missing program fails the
// test with what to install; nothing is skipped silently.
package testsvc

import (
	"crypto/x509"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/go-sql-driver/mysql" // the driver the tests connect with
)

// MariaDB is a private mariadbd, shared by the tests of one package. It
// offers TLS with a self-signed certificate (Cert), as many hosting
// companies' database servers do.
type MariaDB struct {
	Port int
	Cert *x509.Certificate
	dir  string
	cmd  *exec.Cmd
	root *sql.DB
	n    atomic.Int64
}

var maria = newShared("MariaDB", startMariaDB)

// StartMariaDB returns the package's MariaDB, starting it on first use.
func StartMariaDB(tb TB) *MariaDB {
	tb.Helper()
	return maria.get(tb)
}

func find(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin", "/usr/local/sbin"} {
		if p := filepath.Join(dir, name); isExec(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found: install Debian's mariadb-server (make deps does)", name)
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode()&0o111 != 0
}

// FreePort returns a loopback port that was free a moment ago.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func startMariaDB() (*MariaDB, error) {
	installDB, err := find("mariadb-install-db")
	if err != nil {
		return nil, err
	}
	mariadbd, err := find("mariadbd")
	if err != nil {
		return nil, err
	}
	// A short path: the socket must stay under ~107 bytes.
	dir, err := os.MkdirTemp("/tmp", "sc-mdb-")
	if err != nil {
		return nil, err
	}
	os.Chmod(dir, 0o711) // PHP running as a shop's user reaches the socket
	user := []string{}
	if os.Geteuid() == 0 {
		user = []string{"--user=root"} // mariadbd refuses to run as root otherwise
	}
	// A tmpdir of its own: bootstraps running side by side (test packages
	// start their servers at once) collide on temporary tables in /tmp.
	if err := os.Mkdir(dir+"/tmp", 0o700); err != nil {
		return nil, err
	}
	args := append([]string{"--no-defaults", "--datadir=" + dir + "/data", "--tmpdir=" + dir + "/tmp", "--auth-root-authentication-method=normal",
		"--skip-test-db", "--skip-name-resolve", "--innodb-log-file-size=8M", "--innodb-buffer-pool-size=16M"}, user...)
	if out, err := exec.Command(installDB, args...).CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("mariadb-install-db: %v\n%s", err, out)
	}
	cert, err := selfSigned(dir)
	if err != nil {
		return nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := FreePort()
		if err != nil {
			return nil, err
		}
		m := &MariaDB{Port: port, Cert: cert, dir: dir}
		m.cmd = exec.Command(mariadbd, append([]string{"--no-defaults", "--datadir=" + dir + "/data", "--tmpdir=" + dir + "/tmp",
			"--socket=" + dir + "/mysqld.sock", "--port=" + strconv.Itoa(port), "--bind-address=127.0.0.1",
			"--pid-file=" + dir + "/mysqld.pid", "--log-error=" + dir + "/mysqld.err", "--skip-log-bin",
			"--skip-name-resolve", "--skip-performance-schema", "--innodb-buffer-pool-size=64M",
			"--innodb-log-file-size=8M", "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
			"--innodb-use-native-aio=0", "--innodb-buffer-pool-dump-at-shutdown=0",
			"--innodb-buffer-pool-load-at-startup=0", "--character-set-server=utf8mb4",
			"--collation-server=utf8mb4_general_ci", "--max-connections=100",
			"--ssl-cert=" + dir + "/cert.pem", "--ssl-key=" + dir + "/key.pem"}, user...)...)
		if err := m.cmd.Start(); err != nil {
			return nil, err
		}
		if lastErr = m.waitReady(30 * time.Second); lastErr == nil {
			return m, nil
		}
		m.stop()
	}
	log, _ := os.ReadFile(filepath.Join(dir, "mysqld.err"))
	os.RemoveAll(dir)
	return nil, fmt.Errorf("mariadbd did not start: %v\n%s", lastErr, log)
}

func (m *MariaDB) waitReady(limit time.Duration) error {
	db, err := sql.Open("mysql", m.DSN(""))
	if err != nil {
		return err
	}
	deadline := time.Now().Add(limit)
	for {
		if err = db.Ping(); err == nil {
			m.root = db
			return nil
		}
		if time.Now().After(deadline) || m.cmd.ProcessState != nil {
			db.Close()
			return err
		}
		time.Sleep(30 * time.Millisecond)
	}
}

func (m *MariaDB) stop() {
	if m.root != nil {
		m.root.Close()
	}
	if m.cmd != nil && m.cmd.Process != nil {
		m.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { m.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			m.cmd.Process.Kill()
		}
	}
	os.RemoveAll(m.dir)
}

// Socket is the server's Unix socket.
func (m *MariaDB) Socket() string { return filepath.Join(m.dir, "mysqld.sock") }

// DSN is the root user's address of database db ("" for none).
func (m *MariaDB) DSN(db string) string {
	return fmt.Sprintf("root@tcp(127.0.0.1:%d)/%s?multiStatements=true", m.Port, db)
}

// NewDatabase creates an empty database for one test and drops it after.
func (m *MariaDB) NewDatabase(tb TB) string {
	tb.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), m.n.Add(1))
	if _, err := m.root.Exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.root.Exec("DROP DATABASE IF EXISTS `" + name + "`") })
	return name
}
