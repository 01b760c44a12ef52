package app

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/s-connect/s-connect/backend/config"
)

// maxLogSize is when the log file is rotated: the previous one is kept as
// s-connect.log.1, so the log never grows without bound.
const maxLogSize = 5 << 20

// OpenLog opens the program's log in dir, with secrets redacted.
func OpenLog(dir string) (*slog.Logger, io.Closer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, "s-connect.log")
	if fi, err := os.Stat(path); err == nil && fi.Size() > maxLogSize {
		_ = os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, err
	}
	h := slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: config.RedactAttr})
	return slog.New(h), f, nil
}
