package connect

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/testsvc"
	"github.com/s-connect/s-connect/backend/tlspin"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

func simSettings(t *testing.T) map[string]string {
	sm := sim.New(sim.Options{ClientKeys: map[string][]string{"sleutel": nil}, SubscriptionKeys: []string{"abo"}})
	sm.SeedDefault()
	srv := httptest.NewServer(sm)
	t.Cleanup(srv.Close)
	return map[string]string{"snelstart.clientKey": "sleutel", "snelstart.subscriptionKey": "abo",
		"snelstart.apiBaseURL": srv.URL + "/v2/", "snelstart.authBaseURL": srv.URL + "/"}
}

func TestOpenNeedsSettings(t *testing.T) {
	_, err := Open(context.Background(), map[string]string{"snelstart.apiBaseURL": "https://x/", "snelstart.authBaseURL": "https://y/"})
	var ne *NeedsSettingsError
	if !errors.As(err, &ne) || !reflect.DeepEqual(ne.Keys, []string{"snelstart.clientKey", "snelstart.subscriptionKey"}) {
		t.Fatalf("err %v", err)
	}
	v := simSettings(t)
	v["shop.transport"] = "mysql"
	if _, err := Open(context.Background(), v); !errors.As(err, &ne) || ne.Keys[0] != "shop.db.host" {
		t.Fatalf("mysql without a host: %v", err)
	}
	v["shop.transport"] = "bridge"
	if _, err := Open(context.Background(), v); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("bridge not installed: %v", err)
	}
}

// A direct database profile opens the shop and SnelStart, and Close lets go
// of the database.
func TestOpenDirect(t *testing.T) {
	sdb := fixturetest.NewShopDB(t, fixture.Config{Version: "4.0", Prefix: "oc_", Orders: 5, Products: 5, Customers: 2, Seed: 3})
	v := simSettings(t)
	// Over TLS (the default), the test server's certificate accepted.
	for k, val := range map[string]string{"shop.transport": "mysql", "shop.db.host": "127.0.0.1", "shop.db.port": strconv.Itoa(sdb.Port),
		"shop.db.name": sdb.Database, "shop.db.user": "root", "shop.db.certFingerprint": tlspin.Fingerprint(testsvc.StartMariaDB(t).Cert)} {
		v[k] = val
	}
	ctx := context.Background()
	c, err := Open(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	if c.Shop.Version() == "" || c.Shop.Name != "Wijnhandel ’t Vaatje" {
		t.Fatalf("shop %q %q", c.Shop.Version(), c.Shop.Name)
	}
	if _, err := c.SnelStart.CompanyInfo(ctx); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, _, err := c.Shop.Orders(ctx, Selection(v)); err == nil {
		t.Fatal("the shop still answers after Close")
	}
}

func TestSelection(t *testing.T) {
	q := Selection(map[string]string{"shop.since": "2026-03-01T08:30", "shop.orderStatuses": "2, 5,x", "shop.storeIDs": ""})
	if want := time.Date(2026, 3, 1, 8, 30, 0, 0, time.Local); !q.AddedSince.Equal(want) {
		t.Fatalf("since %v", q.AddedSince)
	}
	if !reflect.DeepEqual(q.Statuses, []int{2, 5}) || q.StoreIDs != nil {
		t.Fatalf("query %+v", q)
	}
}

// The demo is a kind of connection like the others: the profile's values
// name it, the settings folder locates it, and nothing else is needed.
func TestDemoConnection(t *testing.T) {
	v := map[string]string{"shop.transport": "demo", "snelstart.type": "demo"}
	if !IsDemo(v) {
		t.Fatal("not a demo profile")
	}
	if _, err := Open(context.Background(), v); err == nil {
		t.Fatal("opened the demo without the settings folder")
	}
	v[FolderKey] = t.TempDir()
	c, err := Open(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ci, err := c.SnelStart.CompanyInfo(context.Background())
	if err != nil || ci.AdministratieNaam == "" {
		t.Fatalf("demo administration: %+v %v", ci, err)
	}
	orders, _, err := c.Shop.Orders(context.Background(), Selection(v))
	if err != nil || c.Shop.Version() != "4.1" || len(orders) == 0 {
		t.Fatalf("demo shop %s: %d orders, %v", c.Shop.Version(), len(orders), err)
	}
	// Half a demo is no demo: a real administration needs its keys.
	v["snelstart.type"] = "online"
	var ne *NeedsSettingsError
	if IsDemo(v) {
		t.Fatal("still a demo with a real administration")
	}
	if _, err := SnelStart(v); !errors.As(err, &ne) {
		t.Fatalf("a real administration without keys: %v", err)
	}
	// Nor does a run take one: the demo shop's made-up orders would be
	// booked into a real administration, even one with its keys filled in;
	// and a real shop would get the demo administration's stock.
	v["snelstart.clientKey"], v["snelstart.subscriptionKey"] = "a-real-key", "a-real-subscription"
	if _, err := Open(context.Background(), v); !errors.Is(err, ErrHalfDemo) {
		t.Fatalf("the demo shop with a real administration: %v", err)
	}
	real := map[string]string{"shop.transport": "mysql", "shop.db.host": "127.0.0.1", "shop.db.name": "shop",
		"shop.db.user": "u", "snelstart.type": "demo", FolderKey: v[FolderKey]}
	if _, err := Open(context.Background(), real); !errors.Is(err, ErrHalfDemo) {
		t.Fatalf("a real shop with the demo administration: %v", err)
	}
	// Each side alone can still be tested while the demo is moved over.
	shop, err := OpenShop(context.Background(), v)
	if err != nil {
		t.Fatalf("the demo shop alone: %v", err)
	}
	shop.Close()
	if _, err := SnelStart(real); err != nil {
		t.Fatalf("the demo administration alone: %v", err)
	}
}

// A demo profile runs without a licence, so whatever else it carries — a
// profile edited by hand, or imported, with a real shop's and a real
// administration's values next to "demo" — it reaches only the demo's own
// SQLite shop and the simulator in this process.
func TestDemoReachesOnlyTheDemo(t *testing.T) {
	v := map[string]string{"shop.transport": "demo", "snelstart.type": "demo", FolderKey: t.TempDir(),
		"shop.url": "https://www.example.nl", "shop.db.host": "192.0.2.1", "shop.db.name": "shop", "shop.db.user": "u",
		"shop.bridge.path": "sconnect.php", "shop.bridge.secret": "s",
		"snelstart.apiBaseURL": "https://b2bapi.example.nl/v2/", "snelstart.authBaseURL": "https://auth.example.nl/",
		"snelstart.clientKey": "a-real-key", "snelstart.subscriptionKey": "a-real-subscription"}
	c, err := Open(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ci, err := c.SnelStart.CompanyInfo(context.Background())
	if err != nil || !strings.HasPrefix(ci.AdministratieNaam, "Demo") {
		t.Fatalf("the administration reached: %+v %v", ci, err)
	}
	if _, _, err := c.Shop.Orders(context.Background(), Selection(v)); err != nil || c.Shop.Version() != "4.1" {
		t.Fatalf("the shop reached: %s %v", c.Shop.Version(), err)
	}
	if _, err := os.Stat(filepath.Join(v[FolderKey], "demo", "webshop.sqlite")); err != nil {
		t.Fatalf("the demo shop's file: %v", err)
	}
	if v["snelstart.apiBaseURL"] != "https://b2bapi.example.nl/v2/" {
		t.Fatal("Open changed the caller's values")
	}
}
