// Package remotefs reaches a shop's files over FTP, FTPS (explicit and
// implicit) and SFTP behind one small interface. Every step has a time-out;
// TLS certificates are verified, and a self-signed one is trusted only by
// the fingerprint the user accepted; SSH host keys likewise (trust on first
// use, a change is refused).
package remotefs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/tlspin"
)

// FS is a remote file system. Paths are absolute ("/public_html/x.php")
// as the server shows them after login.
type FS interface {
	ReadFile(ctx context.Context, name string) ([]byte, error)
	WriteFile(ctx context.Context, name string, data []byte) error
	MkdirAll(ctx context.Context, dir string) error
	ReadDir(ctx context.Context, dir string) ([]Entry, error)
	Remove(ctx context.Context, name string) error
	RemoveAll(ctx context.Context, dir string) error
	// Chmod sets a file's or folder's permission bits (FTP: SITE CHMOD);
	// ErrChmodUnsupported when the server does not allow it.
	Chmod(ctx context.Context, name string, mode fs.FileMode) error
	Close() error
}

// Entry is a directory entry.
type Entry struct {
	Name  string
	IsDir bool
	Size  int64
}

// Protocols, as the setting shop.ftp.protocol names them. Default is
// explicit FTPS: plain FTP needs Config.AllowPlain.
const (
	FTP          = "ftp"
	FTPSExplicit = "ftps-explicit"
	FTPSImplicit = "ftps-implicit"
	SFTP         = "sftp"
)

// Config says how to reach the server.
type Config struct {
	Protocol   string
	Host       string
	Port       int
	User       string
	Password   string
	PrivateKey string // SFTP
	HostKey    string // SFTP: accepted server key (authorized_keys form)
	// CertFingerprint is the accepted certificate of an FTPS server whose
	// certificate does not verify (self-signed): SHA-256, colon-hex.
	CertFingerprint string
	// AllowPlain is the user's explicit choice of plain FTP, knowing that
	// the password and the files cross the network readable.
	AllowPlain bool
	Timeout    time.Duration // per step; default 20 s
}

// Default is the protocol when none is set.
const Default = FTPSExplicit

// Errors, per step of a connection, that the UI turns into advice.
var (
	ErrConnect     = errors.New("remotefs: cannot connect")
	ErrTLS         = errors.New("remotefs: TLS failed")
	ErrAuth        = errors.New("remotefs: login refused")
	ErrCertChanged = tlspin.ErrChanged
	ErrNotExist    = fs.ErrNotExist
	// ErrPlain means plain FTP was asked for without the user's explicit
	// choice: the password (and later the bridge's secret) would cross the
	// network readable. Nothing was sent.
	ErrPlain = errors.New("remotefs: plain FTP without encryption was not chosen")
	// ErrChmodUnsupported means the server does not let files' permissions
	// be set (no SITE CHMOD).
	ErrChmodUnsupported = errors.New("remotefs: the server cannot set permissions")
)

// UnknownCertError is an FTPS certificate that does not verify and was not
// accepted before: show Fingerprint; on the user's yes store it.
type UnknownCertError = tlspin.UnknownError

// Dial connects and logs in.
func Dial(ctx context.Context, cfg Config) (FS, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.Protocol == "" {
		cfg.Protocol = Default
	}
	if cfg.Protocol == FTP && !cfg.AllowPlain {
		return nil, ErrPlain
	}
	switch cfg.Protocol {
	case FTP, FTPSExplicit, FTPSImplicit:
		if cfg.Port == 0 {
			cfg.Port = 21
			if cfg.Protocol == FTPSImplicit {
				cfg.Port = 990
			}
		}
		return dialFTP(ctx, cfg)
	case SFTP:
		if cfg.Port == 0 {
			cfg.Port = 22
		}
		return dialSFTP(ctx, cfg)
	}
	return nil, fmt.Errorf("remotefs: unknown protocol %q", cfg.Protocol)
}

// clean tidies a remote path. A relative path is relative to the folder
// the login starts in (for SFTP that is not "/").
func clean(p string) string {
	p = strings.TrimSpace(p)
	if p == "" {
		return "."
	}
	return path.Clean(p)
}
