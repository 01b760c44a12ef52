package remotefs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/s-connect/s-connect/backend/sshconn"
)

// sftpFS mirrors ftpFS over SFTP.
type sftpFS struct {
	ssh *ssh.Client
	c   *sftp.Client
}

var _ FS = (*sftpFS)(nil)

func dialSFTP(ctx context.Context, cfg Config) (*sftpFS, error) {
	client, err := sshconn.Dial(ctx, sshconn.Config{Host: cfg.Host, Port: cfg.Port, User: cfg.User, Password: cfg.Password,
		PrivateKey: cfg.PrivateKey, HostKey: cfg.HostKey, Timeout: cfg.Timeout})
	if err != nil {
		var oe *net.OpError
		switch {
		case errors.Is(err, sshconn.ErrAuth):
			return nil, fmt.Errorf("%w: %v", ErrAuth, err)
		case errors.As(err, &oe):
			return nil, fmt.Errorf("%w: %v", ErrConnect, err)
		}
		return nil, err // host key: unknown or changed, as sshconn says
	}
	c, err := sftp.NewClient(client)
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("remotefs: sftp subsystem: %w", err)
	}
	return &sftpFS{ssh: client, c: c}, nil
}

func (f *sftpFS) ReadFile(_ context.Context, name string) ([]byte, error) {
	r, err := f.c.Open(clean(name))
	if err != nil {
		return nil, mapNotExist(err, name)
	}
	defer r.Close()
	return io.ReadAll(r)
}

func (f *sftpFS) WriteFile(_ context.Context, name string, data []byte) error {
	w, err := f.c.OpenFile(clean(name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return f.c.Chmod(clean(name), 0o644) // never world-writable
}

func (f *sftpFS) MkdirAll(_ context.Context, dir string) error {
	if err := f.c.MkdirAll(clean(dir)); err != nil {
		return err
	}
	return f.c.Chmod(clean(dir), 0o755)
}

func (f *sftpFS) ReadDir(_ context.Context, dir string) ([]Entry, error) {
	list, err := f.c.ReadDir(clean(dir))
	if err != nil {
		return nil, mapNotExist(err, dir)
	}
	out := make([]Entry, len(list))
	for i, e := range list {
		out[i] = Entry{Name: e.Name(), IsDir: e.IsDir(), Size: e.Size()}
	}
	return out, nil
}

func (f *sftpFS) Remove(_ context.Context, name string) error {
	return mapNotExist(f.c.Remove(clean(name)), name)
}

func (f *sftpFS) RemoveAll(_ context.Context, dir string) error {
	return mapNotExist(f.c.RemoveAll(clean(dir)), dir)
}

func (f *sftpFS) Chmod(_ context.Context, name string, mode fs.FileMode) error {
	return mapNotExist(f.c.Chmod(clean(name), mode), name)
}

func (f *sftpFS) Close() error {
	err := f.c.Close()
	f.ssh.Close()
	return err
}

func mapNotExist(err error, name string) error {
	if err != nil && errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: %w", name, ErrNotExist)
	}
	return err
}
