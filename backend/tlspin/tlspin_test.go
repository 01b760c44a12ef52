package tlspin

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http/httptest"
	"sync"
	"testing"
)

// A pool (database/sql opens up to four MySQL connections at once) shakes
// hands on several connections at the same time with one Config: what it
// records must be safe to write from all of them and to read after.
func TestConcurrentHandshakesRecordWhyTheyFailed(t *testing.T) {
	srv := httptest.NewTLSServer(nil) // a self-signed certificate, as many hosts have
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	var seen Seen
	cfg := Config("example.com", "", &seen)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			if err := tls.Client(conn, cfg).Handshake(); err == nil {
				t.Error("an unknown certificate was accepted")
			}
		}()
	}
	wg.Wait()
	var unknown *UnknownError
	if !errors.As(seen.Err(), &unknown) || unknown.Fingerprint != Fingerprint(srv.Certificate()) {
		t.Fatalf("recorded %v, want the unknown certificate %s", seen.Err(), Fingerprint(srv.Certificate()))
	}
}
