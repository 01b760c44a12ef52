package config

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

// withKeyring points this test at the private Secret Service.
func withKeyring(t *testing.T) *testsvc.SecretService {
	t.Helper()
	ss := testsvc.StartSecretService(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", ss.Address)
	t.Setenv("SCONNECT_SECRETS", "")
	return ss
}

// keyringItems lists S-Connect's items in the Secret Service: their
// account names and values.
func keyringItems(t *testing.T, ss *testsvc.SecretService, s *Store) map[string]string {
	t.Helper()
	cmd := exec.Command("secret-tool", "search", "--all", "--unlock", "service", keyringService)
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+ss.Address)
	out, err := cmd.CombinedOutput()
	if err != nil && len(out) > 0 && !bytes.Contains(out, []byte("No matching")) {
		t.Fatalf("secret-tool: %v %s", err, out)
	}
	items := map[string]string{}
	for _, block := range strings.Split(string(out), "\n[") {
		var user, secret string
		for _, line := range strings.Split(block, "\n") {
			if v, ok := strings.CutPrefix(line, "attribute.username = "); ok {
				user = v
			}
			if v, ok := strings.CutPrefix(line, "secret = "); ok {
				secret = v
			}
		}
		if strings.HasPrefix(user, s.sec.store+"/") {
			items[user] = secret
		}
	}
	return items
}

// rsaKey is an RSA 3072 private key in OpenSSH's format, as ssh-keygen
// writes it by default for RSA: about 2,600 bytes.
func rsaKey(t *testing.T) string {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 3072)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(block))
}

// onDisk is every file of the settings folder, to look for secrets in.
func onDisk(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			b, _ := os.ReadFile(p)
			all = append(all, b...)
		}
		return nil
	})
	return all
}

func TestSecretsInTheKeyring(t *testing.T) {
	ss := withKeyring(t)
	s, dir := openTest(t)
	if s.SecretStore() != SecretsKeyring {
		t.Fatalf("secrets go to %q with a Secret Service", s.SecretStore())
	}
	a, _ := s.CreateProfile("A")
	if _, err := s.Save(a.ID, map[string]string{"shop.ftp.password": "ftp-geheim-A", "snelstart.clientKey": "koppel-geheim-A"}, nil); err != nil {
		t.Fatal(err)
	}
	s.SetSecret(a.ID, "shop.bridge.secret", "bridge-geheim-A")
	items := keyringItems(t, ss, s)
	values := strings.Join(func() []string {
		var v []string
		for _, x := range items {
			v = append(v, x)
		}
		return v
	}(), " ")
	for _, secret := range []string{"ftp-geheim-A", "koppel-geheim-A", "bridge-geheim-A"} {
		if !strings.Contains(values, secret) {
			t.Errorf("%s is not in the Secret Service (%d items)", secret, len(items))
		}
		if bytes.Contains(onDisk(t, dir), []byte(secret)) {
			t.Errorf("%s is in the settings folder", secret)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "secret.key")); !os.IsNotExist(err) {
		t.Error("a key file was made while the credential store is used")
	}
	// An SSH key larger than Windows' Credential Manager takes (2,560
	// bytes) is sealed in the file instead, here as there.
	big := rsaKey(t)
	if len(big) <= maxKeyringValue {
		t.Fatalf("the test key has %d bytes: not larger than the limit", len(big))
	}
	if _, err := s.Save(a.ID, map[string]string{"shop.ftp.protocol": "sftp", "shop.ssh.privateKey": big}, nil); err != nil {
		t.Fatalf("save a large SSH key: %v", err)
	}
	if v, err := s.Values(a.ID); err != nil || v["shop.ssh.privateKey"] != big {
		t.Fatalf("the large key read back: %v", err)
	}
	var sealed int64
	s.db.Model(&setting{}).Where("key = 'shop.ssh.privateKey' AND value LIKE 'v1:%'").Count(&sealed)
	if fi, err := os.Stat(filepath.Join(dir, "secret.key")); sealed != 1 || err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the large key: %d sealed rows, key file %v", sealed, err)
	}
	if bytes.Contains(onDisk(t, dir), []byte(big[40:100])) {
		t.Error("the large key is readable in the settings folder")
	}
	s.Save(a.ID, nil, []string{"shop.ssh.privateKey"})
	// A copy has its own items: changing its password leaves the original's.
	b, err := s.CopyProfile(a.ID, "B")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(b.ID, map[string]string{"shop.ftp.password": "ftp-geheim-B"}, nil); err != nil {
		t.Fatal(err)
	}
	va, _ := s.Values(a.ID)
	vb, _ := s.Values(b.ID)
	if va["shop.ftp.password"] != "ftp-geheim-A" || vb["shop.ftp.password"] != "ftp-geheim-B" || vb["snelstart.clientKey"] != "koppel-geheim-A" {
		t.Fatalf("after changing the copy: A %q, B %q %q", va["shop.ftp.password"], vb["shop.ftp.password"], vb["snelstart.clientKey"])
	}
	// The replaced value, a cleared one, a forgotten bridge and a deleted
	// profile leave nothing in the store.
	s.Save(a.ID, nil, []string{"snelstart.clientKey"})
	s.Forget(a.ID, "shop.bridge.secret")
	if err := s.DeleteProfile(b.ID); err != nil {
		t.Fatal(err)
	}
	left := keyringItems(t, ss, s)
	if len(left) != 1 {
		t.Fatalf("items left: %v", left)
	}
	for _, v := range left {
		if v != "ftp-geheim-A" {
			t.Fatalf("the item left is %q", v)
		}
	}
}

// Secrets kept in the file by an earlier version (or without a credential
// store) move into the store when there is one; the file keeps nothing.
func TestSecretsMoveToTheKeyring(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("SCONNECT_SECRETS", "file")
	old, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := old.CreateProfile("Oud")
	old.Save(p.ID, map[string]string{"shop.ftp.password": "ftp-oud", "shop.db.password": "db-oud"}, nil)
	if old.SecretStore() != SecretsFile {
		t.Fatal("SCONNECT_SECRETS=file does not choose the file")
	}
	old.Close()
	ss := withKeyring(t)
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, err := s.Values(p.ID)
	if err != nil || v["shop.ftp.password"] != "ftp-oud" || v["shop.db.password"] != "db-oud" {
		t.Fatalf("after the move: %v %v", v, err)
	}
	var inFile int64
	s.db.Model(&setting{}).Where("secret AND value LIKE 'v1:%'").Count(&inFile)
	if inFile != 0 || len(keyringItems(t, ss, s)) != 2 {
		t.Fatalf("%d secrets still in the file", inFile)
	}
	s.Close()
	// Without the credential store, those secrets cannot be read: said so.
	t.Setenv("SCONNECT_SECRETS", "file")
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.Values(p.ID); !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("without the credential store: %v", err)
	}
}

// Without a credential store (a headless server) the secrets are sealed
// in settings.db with a key beside it that only the user can read.
func TestSecretsInTheFileWithoutAKeyring(t *testing.T) {
	t.Setenv("SCONNECT_SECRETS", "")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	s, dir := openTest(t)
	if s.SecretStore() != SecretsFile {
		t.Fatalf("no session bus, yet secrets go to %q", s.SecretStore())
	}
	p, _ := s.CreateProfile("P")
	s.Save(p.ID, map[string]string{"shop.ftp.password": "ftp-bestand"}, nil)
	if v, _ := s.Values(p.ID); v["shop.ftp.password"] != "ftp-bestand" {
		t.Fatal("secret not read back")
	}
	if bytes.Contains(onDisk(t, dir), []byte("ftp-bestand")) {
		t.Fatal("the secret is readable in the settings folder")
	}
	for _, f := range []string{"secret.key", "settings.db"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", f, fi.Mode(), err)
		}
	}
}
