// Package license reads and checks S-Connect licence files: a JSON payload
// signed with Ed25519, wrapped in text blocks that survive being mailed and
// copied (docs/licence.md). The public key is built in and can be replaced
// at build time; the private key that issues licences never enters the
// repository.
package license

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// PublicKey is the vendor's Ed25519 public key, base64. Replace it at build
// time with -ldflags "-X github.com/s-connect/s-connect/backend/license.PublicKey=…".
var PublicKey = "vC+qLRscdA6q2vLy3sdyb13uQMgfV/XtIUYlVxL1s6s="

// Modules a licence can hold.
const (
	ModuleOrders   = "orders"   // writing orders to SnelStart
	ModuleVoorraad = "voorraad" // the stock extension (uitbreiding met voorraad)
)

// License is the signed payload.
type License struct {
	Format     int       `json:"format"` // 1
	ID         string    `json:"id"`
	KeyID      string    `json:"keyId"` // which key signed it (KeyID of its public key)
	Licensee   string    `json:"licensee"`
	Email      string    `json:"email"`
	Shops      []string  `json:"shops"` // webshop URLs or host names
	Modules    []string  `json:"modules"`
	ValidFrom  time.Time `json:"validFrom"`
	ValidUntil time.Time `json:"validUntil"`
	Issued     time.Time `json:"issued"`
}

// Has reports whether the licence includes a module.
func (l *License) Has(module string) bool { return slices.Contains(l.Modules, module) }

// Why a file is refused. Each says which, for the user's message.
var (
	ErrEmpty       = errors.New("license: the file is empty")
	ErrTooLarge    = errors.New("license: the file is too large to be a licence")
	ErrMalformed   = errors.New("license: not a licence file")
	ErrOtherKey    = errors.New("license: signed by another key than this program's")
	ErrTampered    = errors.New("license: the signature does not match: the file was changed")
	ErrExpired     = errors.New("license: expired")
	ErrNotYetValid = errors.New("license: not valid yet")
	ErrWrongShop   = errors.New("license: for another shop")
)

// MaxSize bounds a licence file; real ones are about 1 KB.
const MaxSize = 64 << 10

const (
	beginPayload   = "-----BEGIN S-CONNECT LICENSE-----"
	endPayload     = "-----END S-CONNECT LICENSE-----"
	beginSignature = "-----BEGIN S-CONNECT SIGNATURE-----"
	endSignature   = "-----END S-CONNECT SIGNATURE-----"
)

// KeyID names a public key: the first 8 bytes of its SHA-256, hex.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// BuiltInKey returns the program's public key.
func BuiltInKey() (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(PublicKey)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("license: the built-in public key is invalid")
	}
	return ed25519.PublicKey(b), nil
}

// Issue signs a licence (the vendor's tool and the tests use it).
func Issue(l License, priv ed25519.PrivateKey) (string, error) {
	l.Format = 1
	l.KeyID = KeyID(priv.Public().(ed25519.PublicKey))
	payload, err := json.Marshal(l)
	if err != nil {
		return "", err
	}
	sig := ed25519.Sign(priv, payload)
	return block(beginPayload, endPayload, payload) + block(beginSignature, endSignature, sig), nil
}

func block(begin, end string, data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	b.WriteString(begin + "\n")
	for len(enc) > 64 {
		b.WriteString(enc[:64] + "\n")
		enc = enc[64:]
	}
	b.WriteString(enc + "\n" + end + "\n")
	return b.String()
}

var spaceRE = regexp.MustCompile(`[\s>]+`) // mail quoting and line breaks

// between returns the base64 between two markers, whitespace and mail
// quoting ("> ") removed.
func between(text, begin, end string) ([]byte, error) {
	i := strings.Index(text, begin)
	if i < 0 {
		return nil, ErrMalformed
	}
	rest := text[i+len(begin):]
	j := strings.Index(rest, end)
	if j < 0 {
		return nil, ErrMalformed
	}
	raw := spaceRE.ReplaceAllString(rest[:j], "")
	data, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return nil, ErrMalformed
	}
	return data, nil
}

// Parse reads a licence file and checks its signature with pub. It does not
// look at dates or shops; see Check.
func Parse(file []byte, pub ed25519.PublicKey) (*License, error) {
	if len(bytes.TrimSpace(file)) == 0 {
		return nil, ErrEmpty
	}
	if len(file) > MaxSize {
		return nil, ErrTooLarge
	}
	if !utf8.Valid(file) {
		return nil, ErrMalformed
	}
	text := string(file)
	payload, err := between(text, beginPayload, endPayload)
	if err != nil {
		return nil, err
	}
	sig, err := between(text, beginSignature, endSignature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, ErrMalformed
	}
	var l License
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil || l.Format != 1 {
		return nil, ErrMalformed
	}
	if l.KeyID != KeyID(pub) {
		return nil, ErrOtherKey
	}
	if !ed25519.Verify(pub, payload, sig) {
		return nil, ErrTampered
	}
	return &l, nil
}

// Check tells whether the licence is valid at now for the shop at shopURL
// ("" skips the shop check).
func (l *License) Check(now time.Time, shopURL string) error {
	if now.Before(l.ValidFrom) {
		return ErrNotYetValid
	}
	if !now.Before(l.ValidUntil) {
		return ErrExpired
	}
	if shopURL != "" && !l.ForShop(shopURL) {
		return ErrWrongShop
	}
	return nil
}

// ForShop reports whether the licence covers a webshop URL: its host, with
// or without www., matches one of the licence's shops.
func (l *License) ForShop(shopURL string) bool {
	want := host(shopURL)
	for _, s := range l.Shops {
		if host(s) == want && want != "" {
			return true
		}
	}
	return false
}

func host(s string) string {
	s = strings.TrimSpace(strings.ToLower(s))
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// ExpiresSoon reports whether fewer than 30 days are left.
func (l *License) ExpiresSoon(now time.Time) bool {
	return l.ValidUntil.Sub(now) < 30*24*time.Hour
}
