package mysql_test

import (
	"context"
	"errors"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/sshconn"
	"github.com/s-connect/s-connect/backend/testsvc"
)

// The database reached through the shop's SSH login: the host key is
// trusted on first use, a changed key is refused.
func TestThroughAnSSHTunnel(t *testing.T) {
	s := newShop(t, "4.0", "oc_", 20)
	sshd := testsvc.StartSSHD(t)
	ctx := context.Background()
	login := sshconn.Config{Host: "127.0.0.1", Port: sshd.Port, User: sshd.User, Password: sshd.Password}

	// First contact: the key is reported, not accepted.
	_, err := sshconn.Dial(ctx, login)
	var unknown *sshconn.UnknownHostKeyError
	if !errors.As(err, &unknown) || unknown.Key != sshd.HostKey {
		t.Fatalf("first connection: %v", err)
	}
	if fp, _ := sshconn.Fingerprint(sshd.HostKey); fp != unknown.Fingerprint {
		t.Fatalf("fingerprint %s, want %s", unknown.Fingerprint, fp)
	}

	// Accepted: with the password, and with the key.
	for name, cfg := range map[string]sshconn.Config{
		"password": {Host: "127.0.0.1", Port: sshd.Port, User: sshd.User, Password: sshd.Password, HostKey: unknown.Key},
		"key":      {Host: "127.0.0.1", Port: sshd.Port, User: sshd.User, PrivateKey: sshd.ClientKey, HostKey: unknown.Key},
	} {
		client, err := sshconn.Dial(ctx, cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		dbcfg := s.cfg
		dbcfg.Dial = sshconn.Forward(client)
		tr, err := mysql.Open(ctx, dbcfg)
		if err != nil {
			t.Fatalf("%s: database through the tunnel: %v", name, err)
		}
		shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
		if err != nil {
			t.Fatal(err)
		}
		orders, _, err := shop.Orders(ctx, opencart.OrderQuery{Limit: 100})
		if err != nil || len(orders) == 0 {
			t.Fatalf("%s: orders through the tunnel: %d %v", name, len(orders), err)
		}
		tr.Close()
		client.Close()
	}

	// Wrong password.
	bad := login
	bad.HostKey, bad.Password = unknown.Key, "fout"
	if _, err := sshconn.Dial(ctx, bad); !errors.Is(err, sshconn.ErrAuth) {
		t.Fatalf("wrong password: %v", err)
	}
	// Another server key than the accepted one: refused, never accepted silently.
	other := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
	changed := login
	changed.HostKey = other
	if _, err := sshconn.Dial(ctx, changed); !errors.Is(err, sshconn.ErrHostKeyChanged) {
		t.Fatalf("changed host key: %v", err)
	}
}

// A closed transport over a tunnel leaves nothing behind: no dialer in the
// driver's global registry keeps the SSH client alive after the run. (The
// object the dial function holds must be collected once both are closed.)
func TestAClosedTunnelIsReleased(t *testing.T) {
	s := newShop(t, "3.0", "oc_", 1)
	released := make(chan struct{})
	func() {
		holder := &struct{ buf [1 << 16]byte }{} // stands for the SSH client
		runtime.AddCleanup(holder, func(ch chan struct{}) { close(ch) }, released)
		dbcfg := s.cfg
		dbcfg.Dial = func(ctx context.Context, addr string) (net.Conn, error) {
			_ = holder.buf[0]
			var d net.Dialer
			return d.DialContext(ctx, "tcp", addr)
		}
		tr, err := mysql.Open(context.Background(), dbcfg)
		if err != nil {
			t.Fatal(err)
		}
		tr.Close()
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		select {
		case <-released:
			return
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the dial function of a closed transport is still referenced (a dialer registered globally?)")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
