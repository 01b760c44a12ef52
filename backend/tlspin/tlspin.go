// Package tlspin verifies a server's TLS certificate the way S-Connect
// trusts servers: a certificate that verifies against the system's roots is
// accepted; one that does not (self-signed, as many hosting FTP and database
// servers have) is accepted only when its fingerprint is the one the user
// accepted before (trust on first use). A changed certificate is refused.
// FTPS (backend/remotefs) and MySQL over TLS (backend/opencart/mysql) share it.
package tlspin

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// ErrChanged means the server shows another certificate than the accepted
// one: possibly someone in between. Never accepted silently.
var ErrChanged = errors.New("tls: the server's certificate has changed")

// UnknownError is a certificate that does not verify and was not accepted
// before: show Fingerprint; on the user's yes store it.
type UnknownError struct {
	Fingerprint string
	Subject     string
}

func (e *UnknownError) Error() string {
	return "tls: unknown certificate " + e.Fingerprint + " (" + e.Subject + ")"
}

// Fingerprint is the SHA-256 of a certificate, colon-hex like browsers.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// Seen keeps why a handshake refused the server's certificate, because
// the callers' libraries wrap handshake errors in their own. One Config
// serves every connection of a pool, and database/sql opens connections
// in a goroutine of its own, so Seen is written and read under a lock.
type Seen struct {
	mu  sync.Mutex
	err error
}

// Err is why the last refused handshake refused (an *UnknownError or
// ErrChanged), or nil.
func (s *Seen) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *Seen) set(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// Config verifies the server normally and accepts an unverifiable
// certificate only when its fingerprint is accepted. When it refuses, it
// also records why in seen (nil: nowhere).
func Config(host, accepted string, seen *Seen) *tls.Config {
	return &tls.Config{
		ServerName:         host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // replaced by VerifyConnection below
		ClientSessionCache: tls.NewLRUClientSessionCache(8),
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("tls: no certificate")
			}
			leaf := cs.PeerCertificates[0]
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			_, verr := leaf.Verify(x509.VerifyOptions{DNSName: host, Intermediates: inter})
			fp := Fingerprint(leaf)
			var err error
			switch {
			case verr == nil, accepted == fp:
				return nil
			case accepted != "":
				err = fmt.Errorf("%w: server shows %s", ErrChanged, fp)
			default:
				err = &UnknownError{Fingerprint: fp, Subject: leaf.Subject.String()}
			}
			if seen != nil {
				seen.set(err)
			}
			return err
		},
	}
}
