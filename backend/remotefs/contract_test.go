package remotefs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/s-connect/s-connect/backend/remotefs"
	"github.com/s-connect/s-connect/backend/sshconn"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

var seq atomic.Int32

// servers returns a login for every protocol, with the keys and
// certificate already accepted.
func servers(t *testing.T) map[string]remotefs.Config {
	ftp := testsvc.StartFTP(t)
	sshd := testsvc.StartSSHD(t)
	fp := remotefs.CertFingerprint(ftp.Cert)
	base := remotefs.Config{Host: "127.0.0.1", User: ftp.User, Password: ftp.Password}
	plain, explicit, implicit := base, base, base
	plain.Protocol, plain.Port, plain.AllowPlain = remotefs.FTP, ftp.Plain, true
	explicit.Protocol, explicit.Port, explicit.CertFingerprint = remotefs.FTPSExplicit, ftp.Explicit, fp
	implicit.Protocol, implicit.Port, implicit.CertFingerprint = remotefs.FTPSImplicit, ftp.Implicit, fp
	return map[string]remotefs.Config{
		"ftp": plain, "ftps-explicit": explicit, "ftps-implicit": implicit,
		"sftp-password": {Protocol: remotefs.SFTP, Host: "127.0.0.1", Port: sshd.Port, User: sshd.User, Password: sshd.Password, HostKey: sshd.HostKey},
		"sftp-key":      {Protocol: remotefs.SFTP, Host: "127.0.0.1", Port: sshd.Port, User: sshd.User, PrivateKey: sshd.ClientKey, HostKey: sshd.HostKey},
	}
}

// The contract every implementation keeps.
func TestContract(t *testing.T) {
	ctx := context.Background()
	for name, cfg := range servers(t) {
		t.Run(name, func(t *testing.T) {
			fsys, err := remotefs.Dial(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			dir := fmt.Sprintf("contract-%d/a/b", seq.Add(1))
			if err := fsys.MkdirAll(ctx, dir); err != nil {
				t.Fatal(err)
			}
			if err := fsys.MkdirAll(ctx, dir); err != nil { // again: it exists
				t.Fatalf("MkdirAll of an existing folder: %v", err)
			}
			data := bytes.Repeat([]byte("<?php // é ’\n"), 5000)
			if err := fsys.WriteFile(ctx, dir+"/x.php", data); err != nil {
				t.Fatal(err)
			}
			if err := fsys.WriteFile(ctx, dir+"/y.txt", []byte("y")); err != nil {
				t.Fatal(err)
			}
			got, err := fsys.ReadFile(ctx, dir+"/x.php")
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("read back %d bytes, %v", len(got), err)
			}
			entries, err := fsys.ReadDir(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range entries {
				names = append(names, fmt.Sprintf("%s %v", e.Name, e.IsDir))
			}
			sort.Strings(names)
			if fmt.Sprint(names) != "[x.php false y.txt false]" {
				t.Fatalf("listing %v", names)
			}
			parent, _ := fsys.ReadDir(ctx, dir[:len(dir)-2])
			if len(parent) != 1 || parent[0].Name != "b" || !parent[0].IsDir {
				t.Fatalf("parent listing %+v", parent)
			}
			// Permissions: the owner alone, and back.
			if err := fsys.Chmod(ctx, dir+"/x.php", 0o600); err != nil {
				t.Fatalf("chmod file: %v", err)
			}
			if err := fsys.Chmod(ctx, dir, 0o700); err != nil {
				t.Fatalf("chmod folder: %v", err)
			}
			if err := fsys.Chmod(ctx, dir+"/nergens.php", 0o600); !errors.Is(err, remotefs.ErrNotExist) {
				t.Fatalf("chmod of a missing file: %v", err)
			}
			if err := fsys.Remove(ctx, dir+"/y.txt"); err != nil {
				t.Fatal(err)
			}
			if _, err := fsys.ReadFile(ctx, dir+"/y.txt"); !errors.Is(err, remotefs.ErrNotExist) {
				t.Fatalf("read removed file: %v", err)
			}
			top := dir[:len(dir)-4]
			if err := fsys.RemoveAll(ctx, top); err != nil {
				t.Fatal(err)
			}
			if _, err := fsys.ReadDir(ctx, top); err == nil {
				t.Fatal("folder still there after RemoveAll")
			}
		})
	}
}

// The permissions Chmod set, as the server's disk shows them.
func TestChmodOnDisk(t *testing.T) {
	ctx := context.Background()
	ftp := testsvc.StartFTP(t)
	sshd := testsvc.StartSSHD(t)
	for name, cfg := range servers(t) {
		t.Run(name, func(t *testing.T) {
			root := ftp.Root
			if cfg.Protocol == remotefs.SFTP {
				root = sshd.Root
			}
			fsys, err := remotefs.Dial(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			dir := fmt.Sprintf("chmod-%d", seq.Add(1))
			fsys.MkdirAll(ctx, dir)
			defer fsys.RemoveAll(ctx, dir)
			fsys.WriteFile(ctx, dir+"/s.php", []byte("<?php"))
			for _, m := range []os.FileMode{0o600, 0o640} {
				if err := fsys.Chmod(ctx, dir+"/s.php", m); err != nil {
					t.Fatal(err)
				}
				fi, err := os.Stat(filepath.Join(root, dir, "s.php"))
				if err != nil || fi.Mode().Perm() != m {
					t.Fatalf("mode %v, want %v (%v)", fi.Mode().Perm(), m, err)
				}
			}
			if err := fsys.Chmod(ctx, dir, 0o750); err != nil {
				t.Fatal(err)
			}
			if fi, _ := os.Stat(filepath.Join(root, dir)); fi.Mode().Perm() != 0o750 {
				t.Fatalf("folder mode %v", fi.Mode().Perm())
			}
		})
	}
}

// Plain FTP is refused unless chosen, before a byte goes out: the password
// would cross the network readable.
func TestPlainFTPOnlyWhenChosen(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	cfg := remotefs.Config{Protocol: remotefs.FTP, Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, User: "u", Password: "geheim"}
	if _, err := remotefs.Dial(context.Background(), cfg); !errors.Is(err, remotefs.ErrPlain) {
		t.Fatalf("plain FTP not chosen: %v", err)
	}
	if accepted.Load() != 0 {
		t.Fatal("a connection was made")
	}
	// With no protocol set, the default is explicit FTPS: the real server
	// then wants the certificate trusted, it does not fall back to plain.
	ftp := testsvc.StartFTP(t)
	def, _ := remotefs.FromSettings(map[string]string{"shop.ftp.host": "127.0.0.1", "shop.ftp.port": strconv.Itoa(ftp.Explicit),
		"shop.ftp.user": ftp.User, "shop.ftp.password": ftp.Password})
	var unknown *remotefs.UnknownCertError
	if _, err := remotefs.Dial(context.Background(), def); def.Protocol != remotefs.FTPSExplicit || !errors.As(err, &unknown) {
		t.Fatalf("default protocol %q: %v", def.Protocol, err)
	}
	if c, _ := remotefs.FromSettings(map[string]string{"shop.ftp.protocol": "ftp"}); c.AllowPlain {
		t.Fatal("plain allowed without shop.ftp.plainOK")
	}
}

func TestLoginRefused(t *testing.T) {
	ctx := context.Background()
	for name, cfg := range servers(t) {
		if name == "sftp-key" {
			continue
		}
		cfg.Password = "fout"
		if _, err := remotefs.Dial(ctx, cfg); !errors.Is(err, remotefs.ErrAuth) {
			t.Errorf("%s wrong password: %v", name, err)
		}
	}
	// Plain FTP on the FTPS-only server is refused at login (vsftpd wants TLS).
	cfgs := servers(t)
	plainOnTLS := cfgs["ftp"]
	plainOnTLS.Port = cfgs["ftps-explicit"].Port
	if _, err := remotefs.Dial(ctx, plainOnTLS); !errors.Is(err, remotefs.ErrAuth) {
		t.Errorf("plain login on an FTPS-only server: %v", err)
	}
	// Nobody listening.
	closed := cfgs["ftp"]
	closed.Port = 1
	if _, err := remotefs.Dial(ctx, closed); !errors.Is(err, remotefs.ErrConnect) {
		t.Errorf("closed port: %v", err)
	}
}

func TestCertificatesTrustedByFingerprintOnly(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"ftps-explicit", "ftps-implicit"} {
		cfg := servers(t)[name]
		want := cfg.CertFingerprint
		cfg.CertFingerprint = ""
		_, err := remotefs.Dial(ctx, cfg)
		var unknown *remotefs.UnknownCertError
		if !errors.As(err, &unknown) || unknown.Fingerprint != want {
			t.Fatalf("%s first contact: %v", name, err)
		}
		cfg.CertFingerprint = "AA:BB"
		if _, err := remotefs.Dial(ctx, cfg); !errors.Is(err, remotefs.ErrCertChanged) {
			t.Fatalf("%s other certificate: %v", name, err)
		}
	}
}

func TestSFTPHostKey(t *testing.T) {
	ctx := context.Background()
	cfg := servers(t)["sftp-password"]
	want := cfg.HostKey
	cfg.HostKey = ""
	_, err := remotefs.Dial(ctx, cfg)
	var unknown *sshconn.UnknownHostKeyError
	if !errors.As(err, &unknown) || unknown.Key != want {
		t.Fatalf("first contact: %v", err)
	}
	cfg.HostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
	if _, err := remotefs.Dial(ctx, cfg); !errors.Is(err, sshconn.ErrHostKeyChanged) {
		t.Fatalf("changed key: %v", err)
	}
}
