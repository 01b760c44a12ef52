package config

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// secretBox encrypts secret settings before they reach the database, so that
// a copied settings.db (a backup, a support request) holds no passwords. The
// key sits beside the database in a file only the user can read.
//
// This protects against the database travelling alone, not against someone
// who can read the user's whole configuration folder; an OS keyring (DPAPI on
// Windows) would be the next step and fits behind the same two methods.
type secretBox struct{ aead cipher.AEAD }

const secretPrefix = "v1:"

func openSecretBox(dir string) (*secretBox, error) {
	path := filepath.Join(dir, "secret.key")
	key, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("make secret key: %w", err)
		}
		if err := os.WriteFile(path, key, 0o600); err != nil {
			return nil, fmt.Errorf("write secret key: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("read secret key: %w", err)
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("secret key %s: %d bytes, want 32", path, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &secretBox{aead: aead}, nil
}

// seal encrypts plain with the setting's key as associated data, so a value
// moved to another setting does not decrypt.
func (b *secretBox) seal(key, plain string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := b.aead.Seal(nonce, nonce, []byte(plain), []byte(key))
	return secretPrefix + base64.StdEncoding.EncodeToString(ct), nil
}

// ErrSecretUnreadable means a stored secret cannot be decrypted: the key file
// was replaced or lost. The user must enter the secret again.
var ErrSecretUnreadable = errors.New("stored secret cannot be decrypted")

func (b *secretBox) open(key, sealed string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, secretPrefix))
	if err != nil || !strings.HasPrefix(sealed, secretPrefix) || len(raw) < b.aead.NonceSize() {
		return "", fmt.Errorf("%s: %w", key, ErrSecretUnreadable)
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(key))
	if err != nil {
		return "", fmt.Errorf("%s: %w", key, ErrSecretUnreadable)
	}
	return string(plain), nil
}
