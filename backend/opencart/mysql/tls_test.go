package mysql_test

import (
	"context"
	"errors"
	"testing"

	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/testsvc"
	"github.com/s-connect/s-connect/backend/tlspin"
)

// MySQL over TLS trusts the server's self-signed certificate on first use:
// unknown is reported with its fingerprint, the accepted one connects
// encrypted, another one is refused.
func TestTLSTrustOnFirstUse(t *testing.T) {
	s := newShop(t, "3.0", "oc_", 3)
	m := testsvc.StartMariaDB(t)
	ctx := context.Background()
	cfg := s.cfg
	cfg.TLS = true
	_, err := mysql.Open(ctx, cfg)
	var se *mysql.StepError
	var unknown *tlspin.UnknownError
	if !errors.As(err, &se) || se.Step != mysql.StepTLS || !errors.As(err, &unknown) || unknown.Fingerprint != tlspin.Fingerprint(m.Cert) {
		t.Fatalf("first contact: %v", err)
	}
	accepts := func() int {
		var name string
		var n int
		if err := s.db.QueryRow("SHOW GLOBAL STATUS LIKE 'Ssl_accepts'").Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := accepts()
	cfg.CertFingerprint = unknown.Fingerprint
	tr, shop := open(t, cfg)
	if shop.Name != "Wijnhandel ’t Vaatje" || accepts() <= before {
		t.Fatalf("with the accepted certificate: shop %q, TLS handshakes %d → %d", shop.Name, before, accepts())
	}
	tr.Close()
	cfg.CertFingerprint = "AA:BB"
	if _, err := mysql.Open(ctx, cfg); !errors.As(err, &se) || se.Step != mysql.StepTLS || !errors.Is(err, tlspin.ErrChanged) {
		t.Fatalf("another certificate: %v", err)
	}
	// Settings: TLS unless switched off or through the tunnel.
	for v, want := range map[string]bool{"": true, "true": true, "false": false} {
		db, _, _ := mysql.FromSettings(map[string]string{"shop.db.tls": v})
		tun, _, _ := mysql.FromSettings(map[string]string{"shop.db.tls": v, "shop.db.viaSSH": "true"})
		if db.TLS != want || tun.TLS {
			t.Errorf("shop.db.tls=%q: TLS %v, through the tunnel %v", v, db.TLS, tun.TLS)
		}
	}
}
