package remotefs

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/textproto"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/jlaffaye/ftp"

	"github.com/s-connect/s-connect/backend/tlspin"
)

// ftpFS is one FTP(S) control connection; calls are serialised on it.
type ftpFS struct {
	mu   sync.Mutex
	c    *ftp.ServerConn
	cfg  Config
	site *siteConn // opened on the first Chmod
}

var _ FS = (*ftpFS)(nil)

// CertFingerprint is the SHA-256 of a certificate, colon-hex like browsers.
func CertFingerprint(cert *x509.Certificate) string { return tlspin.Fingerprint(cert) }

func tlsConfig(cfg Config, certErr *tlspin.Seen) *tls.Config {
	return tlspin.Config(cfg.Host, cfg.CertFingerprint, certErr)
}

func dialFTP(ctx context.Context, cfg Config) (*ftpFS, error) {
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	var certErr tlspin.Seen
	opts := []ftp.DialOption{ftp.DialWithContext(ctx), ftp.DialWithTimeout(cfg.Timeout), ftp.DialWithDisabledEPSV(false)}
	switch cfg.Protocol {
	case FTPSExplicit:
		opts = append(opts, ftp.DialWithExplicitTLS(tlsConfig(cfg, &certErr)))
	case FTPSImplicit:
		opts = append(opts, ftp.DialWithTLS(tlsConfig(cfg, &certErr)))
	}
	c, err := ftp.Dial(addr, opts...)
	if err != nil {
		if err := certErr.Err(); err != nil {
			return nil, err
		}
		var tpe *textproto.Error
		var ne net.Error
		switch {
		case errors.As(err, &tpe) && cfg.Protocol == FTPSExplicit:
			return nil, fmt.Errorf("%w: %v", ErrTLS, err) // AUTH TLS refused
		case errors.As(err, &ne) || isDial(err):
			return nil, fmt.Errorf("%w: %v", ErrConnect, err)
		case cfg.Protocol != FTP:
			return nil, fmt.Errorf("%w: %v", ErrTLS, err)
		}
		return nil, fmt.Errorf("%w: %v", ErrConnect, err)
	}
	if err := c.Login(cfg.User, cfg.Password); err != nil {
		c.Quit()
		if err := certErr.Err(); err != nil { // explicit TLS shakes hands on the first command
			return nil, err
		}
		var tpe *textproto.Error
		if errors.As(err, &tpe) && (tpe.Code == 530 || tpe.Code == 331 || tpe.Code == 332) {
			return nil, fmt.Errorf("%w: %v", ErrAuth, err)
		}
		return nil, fmt.Errorf("%w: %v", ErrAuth, err)
	}
	return &ftpFS{c: c, cfg: cfg}, nil
}

func isDial(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe)
}

// notExist maps FTP's "550 no such file" to ErrNotExist.
func notExist(err error, name string) error {
	var tpe *textproto.Error
	if errors.As(err, &tpe) && tpe.Code == 550 {
		return fmt.Errorf("%s: %w", name, ErrNotExist)
	}
	return err
}

func (f *ftpFS) ReadFile(_ context.Context, name string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, err := f.c.Retr(clean(name))
	if err != nil {
		return nil, notExist(err, name)
	}
	defer r.Close()
	return io.ReadAll(r)
}

func (f *ftpFS) WriteFile(_ context.Context, name string, data []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.c.Stor(clean(name), bytes.NewReader(data))
}

func (f *ftpFS) MkdirAll(_ context.Context, dir string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	dir = clean(dir)
	cur := ""
	if strings.HasPrefix(dir, "/") {
		cur = "/"
	}
	for _, part := range strings.Split(strings.Trim(dir, "/"), "/") {
		if part == "" || part == "." {
			continue
		}
		cur = path.Join(cur, part)
		if err := f.c.MakeDir(cur); err != nil {
			// It may exist: a listing of it proves it.
			if _, lerr := f.c.List(cur); lerr != nil {
				return err
			}
		}
	}
	return nil
}

func (f *ftpFS) ReadDir(_ context.Context, dir string) ([]Entry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	list, err := f.c.List(clean(dir))
	if err != nil {
		return nil, notExist(err, dir)
	}
	if len(list) == 0 {
		// Some servers list a missing folder as empty: look whether it is there.
		cwd, err := f.c.CurrentDir()
		if err != nil {
			return nil, err
		}
		if err := f.c.ChangeDir(clean(dir)); err != nil {
			return nil, notExist(err, dir)
		}
		if err := f.c.ChangeDir(cwd); err != nil {
			return nil, err
		}
	}
	out := make([]Entry, 0, len(list))
	for _, e := range list {
		name := path.Base(e.Name)
		if name == "." || name == ".." {
			continue
		}
		out = append(out, Entry{Name: name, IsDir: e.Type == ftp.EntryTypeFolder, Size: int64(e.Size)})
	}
	return out, nil
}

func (f *ftpFS) Remove(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return notExist(f.c.Delete(clean(name)), name)
}

// RemoveAll deletes a folder with everything in it, hidden files (such as
// .htaccess) included: "LIST -a" shows them on vsftpd, ProFTPD and
// Pure-FTPd, where a plain LIST does not.
func (f *ftpFS) RemoveAll(_ context.Context, dir string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.removeAll(clean(dir))
}

func (f *ftpFS) removeAll(dir string) error {
	list, err := f.c.List("-a " + dir)
	if err != nil {
		if list, err = f.c.List(dir); err != nil {
			return notExist(err, dir)
		}
	}
	for _, e := range list {
		name := path.Base(e.Name)
		if name == "." || name == ".." {
			continue
		}
		p := path.Join(dir, name)
		if e.Type == ftp.EntryTypeFolder {
			if err := f.removeAll(p); err != nil {
				return err
			}
		} else if err := f.c.Delete(p); err != nil {
			return notExist(err, p)
		}
	}
	return notExist(f.c.RemoveDir(dir), dir)
}

func (f *ftpFS) Chmod(ctx context.Context, name string, mode fs.FileMode) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.site == nil {
		s, err := dialSite(ctx, f.cfg)
		if err != nil {
			return err
		}
		f.site = s
	}
	return f.site.chmod(clean(name), mode)
}

func (f *ftpFS) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.site != nil {
		f.site.close()
	}
	return f.c.Quit()
}
