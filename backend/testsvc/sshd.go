package testsvc

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
)

// SSHD is a private OpenSSH server on loopback with a test user who may log
// in with a password or a key; SFTP serves Root.
type SSHD struct {
	Port      int
	User      string
	Password  string
	ClientKey string // private key (OpenSSH PEM) of the user
	HostKey   string // the server's public key, authorized_keys form
	Root      string // the folder SFTP starts in
	dir       string
	cmd       *exec.Cmd
}

const sshPassword = "sctest-pw-9"

// sshUser is this test process's own login (see ftpUser).
var sshUser = processUser("sctest")

var sshd = newShared("sshd", startSSHD)

// StartSSHD returns the package's sshd, starting it on first use. It needs
// root (to create the test user) and Debian's openssh-server.
func StartSSHD(tb TB) *SSHD {
	tb.Helper()
	return sshd.get(tb)
}

func keyPair() (privPEM string, pub ssh.PublicKey, err error) {
	pubKey, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		return "", nil, err
	}
	pub, err = ssh.NewPublicKey(pubKey)
	return string(pem.EncodeToMemory(block)), pub, err
}

func startSSHD() (*SSHD, error) {
	bin := "/usr/sbin/sshd" // sshd re-executes itself and needs an absolute path
	if !isExec(bin) {
		return nil, fmt.Errorf("%s not found: install Debian's openssh-server (make deps does)", bin)
	}
	if os.Geteuid() != 0 {
		return nil, fmt.Errorf("sshd tests create a user and need root")
	}
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("/tmp", "sc-sshd-")
	if err != nil {
		return nil, err
	}
	os.Chmod(dir, 0o755)
	s := &SSHD{User: sshUser, Password: sshPassword, dir: dir, Root: filepath.Join(dir, "data")}
	if err := os.MkdirAll(s.Root, 0o777); err != nil {
		return nil, err
	}
	if err := systemUser(sshUser, sshPassword, s.Root); err != nil {
		return nil, err
	}
	hostPriv, hostPub, err := keyPair()
	if err != nil {
		return nil, err
	}
	clientPriv, clientPub, err := keyPair()
	if err != nil {
		return nil, err
	}
	s.ClientKey = clientPriv
	s.HostKey = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(hostPub)))
	write := func(name, data string, mode os.FileMode) error {
		return os.WriteFile(filepath.Join(dir, name), []byte(data), mode)
	}
	if err := write("host_ed25519", hostPriv, 0o600); err != nil {
		return nil, err
	}
	write("authorized_keys_"+sshUser, string(ssh.MarshalAuthorizedKey(clientPub)), 0o644)
	conf := fmt.Sprintf(`ListenAddress 127.0.0.1
HostKey %[1]s/host_ed25519
PidFile %[1]s/sshd.pid
AuthorizedKeysFile %[1]s/authorized_keys_%%u
StrictModes no
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowUsers %[2]s
AllowTcpForwarding yes
Subsystem sftp internal-sftp -d %[3]s
LogLevel VERBOSE
`, dir, sshUser, s.Root)
	if err := write("sshd_config", conf, 0o600); err != nil {
		return nil, err
	}
	for attempt := 0; attempt < 3; attempt++ {
		port, err := FreePort()
		if err != nil {
			return nil, err
		}
		s.Port = port
		s.cmd = exec.Command(bin, "-D", "-e", "-f", filepath.Join(dir, "sshd_config"), "-o", "Port="+strconv.Itoa(port))
		log, _ := os.Create(filepath.Join(dir, "sshd.log"))
		s.cmd.Stdout, s.cmd.Stderr = log, log
		if err := s.cmd.Start(); err != nil {
			return nil, err
		}
		if waitTCP(port, 10*time.Second) == nil {
			return s, nil
		}
		s.cmd.Process.Kill()
		s.cmd.Wait()
	}
	out, _ := os.ReadFile(filepath.Join(dir, "sshd.log"))
	return nil, fmt.Errorf("sshd did not start:\n%s", out)
}

func waitTCP(port int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(30 * time.Millisecond)
	}
}

func (s *SSHD) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		s.cmd.Wait()
	}
	removeUser(s.User)
	os.RemoveAll(s.dir)
}
