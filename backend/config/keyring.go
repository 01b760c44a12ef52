package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
	"gorm.io/gorm"
)

// Where secrets are kept, as the Instellingen tab names it.
const (
	SecretsKeyring = "keyring" // the OS credential store (Windows Credential Manager, Secret Service)
	SecretsFile    = "file"    // encrypted in settings.db with secret.key beside it
)

// keyringService is the service name of S-Connect's items in the
// credential store.
const keyringService = "S-Connect"

// keyringPrefix marks a setting row whose secret is in the credential
// store; the rest of the value names the item.
const keyringPrefix = "kr:"

// ErrKeyringUnavailable means a secret is in the OS credential store and
// that store cannot be reached now (locked, or no desktop session).
var ErrKeyringUnavailable = errors.New("the system's credential store is not available")

// osKeyring is the credential store through go-keyring, each call bounded
// in time: a locked store may wait for a password prompt nobody answers.
type osKeyring struct{ timeout time.Duration }

func (k osKeyring) do(f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(k.timeout):
		return fmt.Errorf("%w: no answer in %v", ErrKeyringUnavailable, k.timeout)
	}
}

func (k osKeyring) set(item, value string) error {
	return k.do(func() error { return keyring.Set(keyringService, item, value) })
}

func (k osKeyring) get(item string) (string, error) {
	var v string
	err := k.do(func() (err error) { v, err = keyring.Get(keyringService, item); return err })
	return v, err
}

func (k osKeyring) delete(item string) error {
	err := k.do(func() error { return keyring.Delete(keyringService, item) })
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

// openKeyring returns the credential store when there is one that works:
// Windows always has one; on Linux only a desktop session's Secret Service
// (a session bus that is already there: none is started for it). The
// environment variable SCONNECT_SECRETS=file chooses the file.
func openKeyring() *osKeyring {
	if os.Getenv("SCONNECT_SECRETS") == SecretsFile {
		return nil
	}
	if runtime.GOOS == "linux" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		bus := filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "bus")
		if _, err := os.Stat(bus); os.Getenv("XDG_RUNTIME_DIR") == "" || err != nil {
			return nil
		}
	}
	k := &osKeyring{timeout: 5 * time.Second}
	probe := "probe-" + randomHex(8)
	if k.set(probe, "probe") != nil {
		return nil
	}
	v, err := k.get(probe)
	k.delete(probe)
	if err != nil || v != "probe" {
		return nil
	}
	return k
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b)
}

// maxKeyringValue is the largest value kept in the credential store.
// Windows' Credential Manager refuses more than 2,560 bytes, which an SSH
// private key in OpenSSH format (RSA 3072 or 4096) exceeds; such a value
// is sealed in the file instead, on every system alike.
const maxKeyringValue = 2560

// secrets keeps the values of secret settings: in the credential store when
// there is one, else encrypted in the row. A row's value says which.
type secrets struct {
	store string // this settings folder's id, part of every item's name
	dir   string // the settings folder, where secret.key is
	ring  *osKeyring
	mu    sync.Mutex // box is made on first use when the store is used
	box   *secretBox
}

// Kind says where new secrets go.
func (s *secrets) Kind() string {
	if s.ring != nil {
		return SecretsKeyring
	}
	return SecretsFile
}

// put keeps a secret and returns what the row stores.
func (s *secrets) put(profile uint, key, value string) (string, error) {
	if s.ring == nil || len(value) > maxKeyringValue {
		return s.sealInFile(key, value)
	}
	// A new item per value: a save that fails afterwards leaves the row
	// pointing at the old one.
	item := fmt.Sprintf("%s/%d/%s/%s", s.store, profile, key, randomHex(8))
	if err := s.ring.set(item, value); errors.Is(err, keyring.ErrSetDataTooBig) {
		return s.sealInFile(key, value)
	} else if err != nil {
		return "", err
	}
	return keyringPrefix + item, nil
}

// sealInFile seals a secret for its row, making secret.key when the
// credential store has been used alone so far.
func (s *secrets) sealInFile(key, value string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.box == nil {
		box, err := openSecretBox(s.dir)
		if err != nil {
			return "", err
		}
		s.box = box
	}
	return s.box.seal(key, value)
}

// fileBox is the file's key, nil when there is none.
func (s *secrets) fileBox() *secretBox {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.box
}

// get reads a secret from its row's value.
func (s *secrets) get(key, stored string) (string, error) {
	item, inRing := strings.CutPrefix(stored, keyringPrefix)
	if !inRing {
		box := s.fileBox()
		if box == nil {
			return "", fmt.Errorf("%s: %w", key, ErrSecretUnreadable)
		}
		return box.open(key, stored)
	}
	if s.ring == nil {
		return "", fmt.Errorf("%s: %w", key, ErrKeyringUnavailable)
	}
	v, err := s.ring.get(item)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", fmt.Errorf("%s: %w", key, ErrSecretUnreadable)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w: %v", key, ErrKeyringUnavailable, err)
	}
	return v, nil
}

// drop deletes what a row's value kept in the credential store.
func (s *secrets) drop(stored string) {
	if item, ok := strings.CutPrefix(stored, keyringPrefix); ok && s.ring != nil {
		s.ring.delete(item)
	}
}

// openSecrets finds where this settings folder keeps secrets. The key file
// is made only when secrets go to the file, and opened when one exists (the
// secrets of before the credential store, and its backups, need it).
func openSecrets(db *gorm.DB, dir string) (*secrets, error) {
	sec := &secrets{dir: dir}
	// A store opened at a version before its identity (tests of old
	// versions) keeps secrets in the file.
	if db.Raw("SELECT value FROM store_meta WHERE key = 'id'").Scan(&sec.store).Error == nil && sec.store != "" {
		sec.ring = openKeyring()
	}
	_, err := os.Stat(filepath.Join(dir, "secret.key"))
	if sec.ring == nil || err == nil {
		if sec.box, err = openSecretBox(dir); err != nil {
			return nil, err
		}
	}
	return sec, nil
}

// SecretStore says where new secrets are kept: SecretsKeyring or SecretsFile.
func (s *Store) SecretStore() string { return s.sec.Kind() }

// moveSecretsToKeyring moves secrets kept in the file into the credential
// store, when there is one: each row in its own step, so that an
// interruption leaves every secret readable where its row says.
func (s *Store) moveSecretsToKeyring() error {
	if s.sec.ring == nil || s.sec.box == nil {
		return nil
	}
	var rows []setting
	if err := s.db.Where("secret AND value NOT LIKE ?", keyringPrefix+"%").Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		plain, err := s.sec.box.open(r.Key, r.Value)
		if err != nil || len(plain) > maxKeyringValue {
			continue // unreadable already (entered again), or too large for the store
		}
		stored, err := s.sec.put(r.ProfileID, r.Key, plain)
		if err != nil {
			return nil // the store stopped answering: the rest stays in the file
		}
		res := s.db.Model(&setting{}).Where("profile_id = ? AND key = ? AND value = ?", r.ProfileID, r.Key, r.Value).Update("value", stored)
		if res.Error != nil || res.RowsAffected != 1 {
			s.sec.drop(stored)
			return res.Error
		}
	}
	return nil
}
