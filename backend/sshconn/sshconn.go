// Package sshconn opens SSH connections to a shop's server, for SFTP and for
// the tunnel to its database, with the server's host key trusted on first
// use: the first connection reports the key for the user to accept, later
// connections must present exactly that key.
package sshconn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// Config says how to log in.
type Config struct {
	Host       string
	Port       int // default 22
	User       string
	Password   string
	PrivateKey string // PEM or OpenSSH, without passphrase
	// HostKey is the accepted server key in authorized_keys form
	// ("ssh-ed25519 AAAA…"), as stored in shop.ssh.hostKey. Empty: the
	// first connection fails with *UnknownHostKeyError carrying the key.
	HostKey string
	Timeout time.Duration // default 15 s
}

// UnknownHostKeyError is the first connection to a server: show the
// fingerprint, and on the user's yes store Key as Config.HostKey.
type UnknownHostKeyError struct {
	Key         string // authorized_keys form
	Fingerprint string // SHA256:…
}

func (e *UnknownHostKeyError) Error() string {
	return "ssh: unknown host key " + e.Fingerprint
}

// ErrHostKeyChanged means the server presented another key than the one
// accepted before: possibly someone in between. Never accepted silently.
var ErrHostKeyChanged = errors.New("ssh: the server's host key has changed")

// HostKeyChangedError carries the new key's fingerprint.
type HostKeyChangedError struct{ Fingerprint, Expected string }

func (e *HostKeyChangedError) Error() string {
	return fmt.Sprintf("ssh: host key changed: server shows %s, accepted was %s", e.Fingerprint, e.Expected)
}
func (e *HostKeyChangedError) Is(target error) bool { return target == ErrHostKeyChanged }

// ErrAuth means the user name, password or key was refused.
var ErrAuth = errors.New("ssh: login refused")

// Fingerprint returns the SHA256 fingerprint of an authorized_keys line.
func Fingerprint(authorizedKey string) (string, error) {
	k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(authorizedKey))
	if err != nil {
		return "", err
	}
	return ssh.FingerprintSHA256(k), nil
}

// Dial connects and logs in.
func Dial(ctx context.Context, cfg Config) (*ssh.Client, error) {
	if cfg.Port == 0 {
		cfg.Port = 22
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 15 * time.Second
	}
	var auth []ssh.AuthMethod
	if strings.TrimSpace(cfg.PrivateKey) != "" {
		signer, err := ssh.ParsePrivateKey([]byte(cfg.PrivateKey))
		if err != nil {
			return nil, fmt.Errorf("ssh: private key: %w", err)
		}
		auth = append(auth, ssh.PublicKeys(signer))
	}
	if cfg.Password != "" {
		auth = append(auth, ssh.Password(cfg.Password))
	}
	var accepted ssh.PublicKey
	if cfg.HostKey != "" {
		k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(cfg.HostKey))
		if err != nil {
			return nil, fmt.Errorf("ssh: stored host key: %w", err)
		}
		accepted = k
	}
	var hostErr error
	check := func(_ string, _ net.Addr, key ssh.PublicKey) error {
		switch {
		case accepted == nil:
			hostErr = &UnknownHostKeyError{Key: strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key))), Fingerprint: ssh.FingerprintSHA256(key)}
		case !bytes.Equal(accepted.Marshal(), key.Marshal()):
			hostErr = &HostKeyChangedError{Fingerprint: ssh.FingerprintSHA256(key), Expected: ssh.FingerprintSHA256(accepted)}
		default:
			return nil
		}
		return hostErr
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	d := net.Dialer{Timeout: cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	} else {
		conn.SetDeadline(time.Now().Add(cfg.Timeout))
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, &ssh.ClientConfig{User: cfg.User, Auth: auth,
		HostKeyCallback: check, Timeout: cfg.Timeout})
	if err != nil {
		conn.Close()
		if hostErr != nil {
			return nil, hostErr
		}
		if strings.Contains(err.Error(), "unable to authenticate") {
			return nil, fmt.Errorf("%w: %v", ErrAuth, err)
		}
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	return ssh.NewClient(c, chans, reqs), nil
}

// Forward returns a dial function that opens connections through the SSH
// connection, for a database driver. SSH channels have no deadlines; the
// driver's are ignored there, and its context and the server's time-outs
// still end a stuck call.
func Forward(c *ssh.Client) func(ctx context.Context, addr string) (net.Conn, error) {
	return func(ctx context.Context, addr string) (net.Conn, error) {
		conn, err := c.DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, err
		}
		return noDeadline{conn}, nil
	}
}

type noDeadline struct{ net.Conn }

func (noDeadline) SetDeadline(time.Time) error      { return nil }
func (noDeadline) SetReadDeadline(time.Time) error  { return nil }
func (noDeadline) SetWriteDeadline(time.Time) error { return nil }
