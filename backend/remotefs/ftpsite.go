package remotefs

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/textproto"
	"strconv"
	"time"

	"github.com/s-connect/s-connect/backend/tlspin"
)

// siteConn is a second FTP control connection for SITE commands, which the
// FTP library does not send: logged in like the first, over the same TLS,
// never with a data connection.
type siteConn struct {
	conn net.Conn
	tp   *textproto.Conn
}

func dialSite(ctx context.Context, cfg Config) (*siteConn, error) {
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	d := net.Dialer{Timeout: cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConnect, err)
	}
	conn.SetDeadline(time.Now().Add(cfg.Timeout))
	var certErr tlspin.Seen
	if cfg.Protocol == FTPSImplicit {
		conn = tls.Client(conn, tlsConfig(cfg, &certErr))
	}
	s := &siteConn{conn: conn, tp: textproto.NewConn(conn)}
	fail := func(err error) (*siteConn, error) {
		s.tp.Close()
		if cerr := certErr.Err(); cerr != nil {
			return nil, cerr
		}
		return nil, err
	}
	if _, _, err := s.tp.ReadResponse(220); err != nil {
		return fail(err)
	}
	if cfg.Protocol == FTPSExplicit {
		if _, err := s.cmd(234, "AUTH TLS"); err != nil {
			return fail(fmt.Errorf("%w: %v", ErrTLS, err))
		}
		tc := tls.Client(conn, tlsConfig(cfg, &certErr))
		if err := tc.HandshakeContext(ctx); err != nil {
			return fail(fmt.Errorf("%w: %v", ErrTLS, err))
		}
		s.conn, s.tp = tc, textproto.NewConn(tc)
	}
	code, err := s.cmd(-1, "USER %s", cfg.User)
	if err == nil && code == 331 {
		code, err = s.cmd(230, "PASS %s", cfg.Password)
	}
	if err != nil || (code != 230 && code != 331) {
		return fail(fmt.Errorf("%w: %v", ErrAuth, err))
	}
	return s, nil
}

// cmd sends a command and reads the answer; expect -1 takes any code.
func (s *siteConn) cmd(expect int, format string, args ...any) (int, error) {
	id, err := s.tp.Cmd(format, args...)
	if err != nil {
		return 0, err
	}
	s.tp.StartResponse(id)
	defer s.tp.EndResponse(id)
	code, _, err := s.tp.ReadResponse(expect)
	return code, err
}

// chmod sets permissions with SITE CHMOD (octal, as every FTP server that
// has it reads them).
func (s *siteConn) chmod(name string, mode fs.FileMode) error {
	s.conn.SetDeadline(time.Now().Add(20 * time.Second))
	_, err := s.cmd(200, "SITE CHMOD %o %s", mode.Perm(), name)
	var tpe *textproto.Error
	if errors.As(err, &tpe) {
		switch tpe.Code {
		case 500, 501, 502, 504:
			return fmt.Errorf("%w: %v", ErrChmodUnsupported, err)
		case 550:
			return notExist(err, name)
		}
	}
	return err
}

func (s *siteConn) close() {
	s.cmd(-1, "QUIT")
	s.tp.Close()
}
