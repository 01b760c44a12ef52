package testsvc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// FTPServers are three vsftpd instances on one folder: plain FTP, explicit
// FTPS (AUTH TLS) and implicit FTPS, with a self-signed certificate.
type FTPServers struct {
	Plain, Explicit, Implicit int // ports
	User, Password            string
	Root                      string // the user's folder (the FTP "/")
	Cert                      *x509.Certificate
	dir                       string
	cmds                      []*exec.Cmd
}

const ftpPassword = "scftp-pw-7"

// ftpUser is the throwaway login of this test process: test packages (and
// worktrees) run side by side, each with its own vsftpd and home folder.
var ftpUser = processUser("scftp")

var ftpServers = newShared("vsftpd", startFTP)

// StartFTP returns the package's FTP servers, starting them on first use.
// It needs root (a system user for vsftpd's PAM login) and Debian's vsftpd.
func StartFTP(tb TB) *FTPServers {
	tb.Helper()
	return ftpServers.get(tb)
}

func selfSigned(dir string) (*x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(48 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(filepath.Join(dir, "cert.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return x509.ParseCertificate(der)
}

func startFTP() (*FTPServers, error) {
	bin, err := exec.LookPath("vsftpd")
	if err != nil {
		if isExec("/usr/sbin/vsftpd") {
			bin = "/usr/sbin/vsftpd"
		} else {
			return nil, fmt.Errorf("vsftpd not found: install Debian's vsftpd (make deps does)")
		}
	}
	if os.Geteuid() != 0 {
		return nil, fmt.Errorf("the FTP tests create a user and need root")
	}
	dir, err := os.MkdirTemp("/tmp", "sc-ftp-")
	if err != nil {
		return nil, err
	}
	os.Chmod(dir, 0o711) // the FTP user must traverse it
	s := &FTPServers{User: ftpUser, Password: ftpPassword, Root: filepath.Join(dir, "root"), dir: dir}
	if err := os.Mkdir(s.Root, 0o755); err != nil {
		return nil, err
	}
	if err := systemUser(ftpUser, ftpPassword, s.Root); err != nil {
		return nil, err
	}
	os.MkdirAll("/var/run/vsftpd/empty", 0o755)
	if s.Cert, err = selfSigned(dir); err != nil {
		return nil, err
	}
	base := fmt.Sprintf(`listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
local_root=%[1]s
chroot_local_user=YES
allow_writeable_chroot=YES
pasv_enable=YES
pasv_address=127.0.0.1
connect_from_port_20=NO
seccomp_sandbox=NO
isolate_network=NO
pam_service_name=vsftpd
secure_chroot_dir=/var/run/vsftpd/empty
xferlog_enable=NO
delay_failed_login=0
`, s.Root)
	tlsConf := fmt.Sprintf(`ssl_enable=YES
rsa_cert_file=%[1]s/cert.pem
rsa_private_key_file=%[1]s/key.pem
force_local_logins_ssl=YES
force_local_data_ssl=YES
require_ssl_reuse=NO
ssl_ciphers=HIGH
`, dir)
	confs := map[string]string{"plain": base, "explicit": base + tlsConf, "implicit": base + tlsConf + "implicit_ssl=YES\n"}
	for _, kind := range []string{"plain", "explicit", "implicit"} {
		conf := filepath.Join(dir, kind+".conf")
		if err := os.WriteFile(conf, []byte(confs[kind]), 0o600); err != nil {
			return nil, err
		}
		var port int
		var started bool
		for attempt := 0; attempt < 3 && !started; attempt++ {
			if port, err = FreePort(); err != nil {
				return nil, err
			}
			pasvLo, err := freeRange(5) // a small passive range per instance
			if err != nil {
				return nil, err
			}
			// vsftpd reports start-up errors on fd 0: give it a file to write to.
			log, _ := os.OpenFile(filepath.Join(dir, kind+".err"), os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
			cmd := exec.Command(bin, conf, "-olisten_port="+strconv.Itoa(port),
				"-opasv_min_port="+strconv.Itoa(pasvLo), "-opasv_max_port="+strconv.Itoa(pasvLo+4))
			cmd.Stdin, cmd.Stdout, cmd.Stderr = log, log, log
			if err := ownGroup(cmd, ""); err != nil {
				return nil, err
			}
			if err := cmd.Start(); err != nil {
				return nil, err
			}
			if waitTCP(port, 5*time.Second) == nil {
				s.cmds = append(s.cmds, cmd)
				started = true
			} else {
				signalGroup(cmd, syscall.SIGKILL)
				cmd.Wait()
			}
		}
		if !started {
			out, _ := os.ReadFile(filepath.Join(dir, kind+".err"))
			return nil, fmt.Errorf("vsftpd (%s) did not start: %s", kind, out)
		}
		switch kind {
		case "plain":
			s.Plain = port
		case "explicit":
			s.Explicit = port
		default:
			s.Implicit = port
		}
	}
	return s, nil
}

func (s *FTPServers) stop() {
	for _, c := range s.cmds {
		signalGroup(c, syscall.SIGTERM)
		c.Wait()
	}
	removeUser(s.User)
	os.RemoveAll(s.dir)
}

// freeRange finds n consecutive loopback ports that are free now (test
// packages run in parallel processes, each with its own vsftpd).
func freeRange(n int) (int, error) {
	for try := 0; try < 50; try++ {
		base := 40000 + mrand.IntN(20000)
		ok := true
		for p := base; p < base+n && ok; p++ {
			ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
			if err != nil {
				ok = false
				break
			}
			ln.Close()
		}
		if ok {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no %d free ports in a row", n)
}
