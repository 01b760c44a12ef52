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
	srv, err := StartServer(s, ui, addr, token)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "S-Connect: open http://%s/?token=%s\n", srv.Addr, token)
	select {
	case <-ctx.Done():
		srv.Close()
		return nil
	case err := <-srv.done:
		return err
	}
}

// Server is the HTTP API (and browser UI) of `serve` and of the desktop
// program's background process, on a loopback address.
type Server struct {
	Addr string // host:port it listens on
	srv  *http.Server
	done chan error
}

// StartServer listens on addr (loopback only) and serves the bound
// services, their events and the UI behind token.
func StartServer(s *Services, ui fs.FS, addr, token string) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("address %q: serve listens on the loopback interface only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	broker := NewBroker()
	s.SetEmitter(broker)
	srv := &Server{Addr: ln.Addr().String(), done: make(chan error, 1), srv: &http.Server{
		Handler:           NewHTTPHandler(s, HTTPOptions{Token: token, Static: ui, Broker: broker}),
		ReadHeaderTimeout: 10 * time.Second,
	}}
	go func() {
		err := srv.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		srv.done <- err
	}()
	return srv, nil
}

// Close stops the server; event streams end at once.
func (srv *Server) Close() {
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.srv.Shutdown(shut)
	_ = srv.srv.Close() // event streams do not end by themselves
}
