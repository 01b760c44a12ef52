package desktoptest

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/license"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/testsvc"
)

// ShopURL is the test shop's address as the licence names it: the one the
// generated shop's orders carry (a direct database profile's licence is
// checked against the shop the run reaches).
const ShopURL = "https://winkel.example.nl/"

// Shop is a generated OpenCart shop whose database the program reaches
// through the SSH login of the shop's server (direct MySQL over a tunnel),
// and a SnelStart simulator. With release > 0 the shop's orders come in
// over time: release every interval.
type Shop struct {
	Settings map[string]string // the profile's settings for both
	HostKey  string            // the SSH server's key, to trust
	DB       *sql.DB           // the shop's database (root), to change orders
}

// StartShop starts MariaDB with a shop, sshd and the simulator.
func StartShop(tb testsvc.TB, ctx context.Context, release int, every time.Duration) *Shop {
	tb.Helper()
	orders := 25
	if release > 0 {
		orders = 400
	}
	sdb := fixturetest.NewShopDB(tb, fixture.Config{Version: "4.0", Prefix: "oc_", Orders: orders, Products: 40, Customers: 60, Seed: 9})
	if release > 0 {
		if err := fixture.ReleaseOrders(ctx, sdb.DB, "oc_", release, every); err != nil {
			tb.Fatal(err)
		}
	}
	sshd := testsvc.StartSSHD(tb)
	s := sim.New(sim.Options{ClientKeys: map[string][]string{"bench-koppelsleutel": nil}, SubscriptionKeys: []string{"bench-abonnement"}, Seed: 7})
	s.SeedDefault()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String() + "/"
	return &Shop{HostKey: sshd.HostKey, DB: sdb.DB, Settings: map[string]string{
		"snelstart.type": "online", "snelstart.clientKey": "bench-koppelsleutel", "snelstart.subscriptionKey": "bench-abonnement",
		"snelstart.apiBaseURL": base + "v2/", "snelstart.authBaseURL": base,
		"shop.transport": "mysql", "shop.since": "2020-01-01T00:00", "shop.url": ShopURL,
		"shop.db.host": "127.0.0.1", "shop.db.port": strconv.Itoa(sdb.Port), "shop.db.name": sdb.Database,
		"shop.db.user": "root", "shop.db.viaSSH": "true",
		"shop.ftp.protocol": "sftp", "shop.ftp.host": "127.0.0.1", "shop.ftp.port": strconv.Itoa(sshd.Port),
		"shop.ftp.user": sshd.User, "shop.ftp.password": sshd.Password,
		"sales.template": "Webshop", "sales.shippingArticle": "VERZEND", "sales.discountArticle": "KORTING",
		"sales.discountArticleByVat": "9=KORTING-LAAG\n0=KORTING-GEEN", "sales.voucherArticle": "CADEAUBON",
		"sales.paymentFeeArticle": "BETAALKOSTEN", "sales.differenceArticle": "VERSCHIL",
		"articles.revenueGroup": "Omzet hoog", "articles.revenueGroupByVat": "9=Omzet laag\n0=Omzet vrijgesteld",
	}}
}

// HoldAnOrder makes one order of the shop wait for the user: its total is
// €10 more than its lines and fees add up to (as a plug-in's surcharge
// would make it), more than the difference S-Connect books by itself.
func (sh *Shop) HoldAnOrder() error {
	_, err := sh.DB.Exec("UPDATE oc_order SET total = total + 10 WHERE order_status_id > 0 ORDER BY order_id LIMIT 1")
	return err
}

// Configure gives the program's first profile the shop, the simulator, a
// licence signed with keyFile (the key the binary was built to trust) and
// more; it returns the profile's id.
func (sh *Shop) Configure(p *Program, keyFile string, more map[string]string) (uint, error) {
	raw, err := p.Call("Profiles.List")
	if err != nil {
		return 0, err
	}
	var ps []struct{ ID uint }
	if err := json.Unmarshal(raw, &ps); err != nil || len(ps) == 0 {
		return 0, fmt.Errorf("profiles %s: %v", raw, err)
	}
	id := ps[0].ID
	vals := map[string]string{}
	for k, v := range sh.Settings {
		vals[k] = v
	}
	for k, v := range more {
		vals[k] = v
	}
	if _, err := p.Call("Settings.Save", id, vals, []string{}); err != nil {
		return 0, err
	}
	if _, err := p.Call("Connections.Trust", id, "ssh", sh.HostKey); err != nil {
		return 0, err
	}
	lic, err := IssueLicence(keyFile)
	if err != nil {
		return 0, err
	}
	if _, err := p.Call("License.Import", id, lic); err != nil {
		return 0, err
	}
	return id, nil
}

// IssueLicence signs a licence for the test shop with the key in keyFile
// (licensegen's keygen format: the private key, base64).
func IssueLicence(keyFile string) (string, error) {
	data, err := os.ReadFile(keyFile)
	if err != nil {
		return "", err
	}
	priv, err := parseKey(strings.TrimSpace(string(data)))
	if err != nil {
		return "", err
	}
	now := time.Now()
	return license.Issue(license.License{ID: "bench", Licensee: "Testwinkel", Email: "test@winkel.test",
		Shops: []string{ShopURL}, Modules: []string{license.ModuleOrders, license.ModuleVoorraad},
		ValidFrom: now.Add(-time.Hour), ValidUntil: now.AddDate(1, 0, 0), Issued: now}, priv)
}

func parseKey(s string) (ed25519.PrivateKey, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("not a private key file (licensegen keygen)")
	}
	return ed25519.PrivateKey(b), nil
}
