package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"time"
)

// NewToken returns a random token for `serve`.
func NewToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b)
}

// Serve runs the browser UI on addr (a loopback address) until ctx ends.
// It writes the URL to open, with its token, to out.
func Serve(ctx context.Context, s *Services, ui fs.FS, addr, token string, out io.Writer) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("address %q: serve listens on the loopback interface only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	broker := NewBroker()
	s.SetEmitter(broker)
	srv := &http.Server{
		Handler:           NewHTTPHandler(s, HTTPOptions{Token: token, Static: ui, Broker: broker}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Fprintf(out, "S-Connect: open http://%s/?token=%s\n", ln.Addr(), token)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
