package app

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/s-connect/s-connect/backend/config"
)

// maxLogSize is when the log file is rotated: the previous one is kept as
// s-connect.log.1, so the log never grows without bound, also in a program
// that runs for months in the tray.
const maxLogSize = 5 << 20

// LogFile is where the program's log is, in the configuration folder dir.
func LogFile(dir string) string { return filepath.Join(dir, "s-connect.log") }

// OpenLog opens the program's log in dir, with secrets redacted.
func OpenLog(dir string) (*slog.Logger, io.Closer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	f, err := openRotating(LogFile(dir), maxLogSize)
	if err != nil {
		return nil, nil, err
	}
	h := slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: config.RedactAttr})
	return slog.New(h), f, nil
}

// rotatingFile is a log file that moves itself to path.1 once it holds
// max bytes, and starts anew.
type rotatingFile struct {
	mu   sync.Mutex
	path string
	max  int64
	f    *os.File
	size int64
}

func openRotating(path string, max int64) (*rotatingFile, error) {
	r := &rotatingFile{path: path, max: max}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *rotatingFile) open() error {
	f, err := os.OpenFile(r.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	r.f, r.size = f, fi.Size()
	return nil
}

// Write writes one record; a record never straddles two files.
func (r *rotatingFile) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.size > 0 && r.size+int64(len(p)) > r.max {
		r.f.Close()
		_ = os.Rename(r.path, r.path+".1")
		if err := r.open(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

// Close closes the file.
func (r *rotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Close()
}

// LogView is *Logbestand openen*: where the log is and its last lines.
type LogView struct {
	Path string `json:"path"`
	Tail string `json:"tail"`
}

// logTailBytes is how much of the log's end the window shows.
const logTailBytes = 16 << 10

// Log shows where the log file is and its last lines (secrets are never
// written to it).
func (p *Program) Log() (LogView, error) {
	path := LogFile(p.s.dir)
	v := LogView{Path: path}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return v, nil
	}
	if err != nil {
		return v, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return v, err
	}
	start := max(fi.Size()-logTailBytes, 0)
	buf := make([]byte, fi.Size()-start)
	if _, err := f.ReadAt(buf, start); err != nil && err != io.EOF {
		return v, err
	}
	if start > 0 { // begin at a whole line
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			buf = buf[i+1:]
		}
	}
	v.Tail = string(buf)
	return v, nil
}
