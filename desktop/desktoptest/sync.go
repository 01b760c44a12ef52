package desktoptest

import (
	"bytes"
	"sync"
)

var outMu sync.Mutex

// syncWriter lets a process's stdout and stderr share one buffer.
type syncWriter struct{ b *bytes.Buffer }

func (w syncWriter) Write(p []byte) (int, error) {
	outMu.Lock()
	defer outMu.Unlock()
	return w.b.Write(p)
}

// String reads a buffer written by syncWriters.
func String(b *bytes.Buffer) string {
	outMu.Lock()
	defer outMu.Unlock()
	return b.String()
}
