package stockexport_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/bridge"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/remotefs"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/stockexport"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) {
	if benchChild() {
		return
	}
	testsvc.Main(m)
}

// transports are the two ways to a shop every scenario runs through.
var transports = []string{"mysql", "bridge"}

// everyShop runs a scenario for every schema fixture through both
// transports.
func everyShop(t *testing.T, scenario func(t *testing.T, w *world)) {
	for _, version := range fixture.Versions {
		for _, tr := range transports {
			t.Run(version+"/"+tr, func(t *testing.T) { scenario(t, newWorld(t, version, tr)) })
		}
	}
}

// world is a generated shop (reached through one transport), the
// simulator and the settings database.
type world struct {
	t         *testing.T
	version   string
	db        *sql.DB // root access to the shop's database, for checks and for OpenCart's own writes
	fix       *fixture.Shop
	tr        *hookTransport
	shop      *opencart.Shop
	sim       *sim.Server
	client    *snelstart.Client
	store     *config.Store
	profile   uint
	group     map[string]any
	now       time.Time
	settings  stockexport.Settings
	articleAt time.Time // modifiedOn of the next seeded article
	open      func() opencart.Transport
}

func newWorld(t *testing.T, version, transport string) *world {
	t.Helper()
	w := &world{t: t, version: version, now: time.Now().Add(time.Hour)}
	ctx := context.Background()
	if transport == "bridge" {
		h := fixturetest.NewHosted(t, version, 60)
		w.db, w.fix = h.DB, h.Shop
		// Installed as S-Connect installs it: over explicit FTPS, the
		// server's certificate trusted.
		fsys, err := remotefs.Dial(ctx, remotefs.Config{Protocol: remotefs.FTPSExplicit, Host: "127.0.0.1", Port: h.FTP.Explicit,
			User: h.FTP.User, Password: h.FTP.Password, CertFingerprint: remotefs.CertFingerprint(h.FTP.Cert)})
		if err != nil {
			t.Fatal(err)
		}
		defer fsys.Close()
		inst, _, _, err := bridge.Setup(ctx, fsys, h.Dir, bridge.Config{ShopURL: h.URL, AllowHTTP: true})
		if err != nil {
			t.Fatal(err)
		}
		w.open = func() opencart.Transport {
			c, err := bridge.Open(ctx, bridge.Config{ShopURL: h.URL, Path: inst.Path(), Secret: inst.Secret, AllowHTTP: true})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
	} else {
		sdb := fixturetest.NewShopDB(t, fixture.Config{Version: version, Prefix: "oc_", Orders: 60, Products: 40, Customers: 20, Seed: 9})
		w.db, w.fix = sdb.DB, sdb.Shop
		w.open = func() opencart.Transport {
			m, err := mysql.Open(ctx, mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: sdb.Database, User: "root", Prefix: "oc_"})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m.Close() })
			return m
		}
	}
	w.reopen()
	var err error
	w.sim = sim.New(sim.Options{ClientKeys: map[string][]string{"k": nil}, SubscriptionKeys: []string{"s"}, Strict: true})
	w.sim.SeedDefault()
	for _, g := range w.sim.All("artikelomzetgroepen") {
		if g["omschrijving"] == "Omzet hoog" {
			w.group = sim.Ref(g)
		}
	}
	srv := httptest.NewServer(w.sim)
	t.Cleanup(srv.Close)
	w.client, err = snelstart.NewClient(snelstart.Options{APIBaseURL: srv.URL + "/v2/", AuthBaseURL: srv.URL + "/", ClientKey: "k",
		SubscriptionKey: "s", RequestsPerSecond: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if w.store, err = config.Open(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.store.Close() })
	p, err := w.store.CreateProfile("Winkel")
	if err != nil {
		t.Fatal(err)
	}
	w.profile = p.ID
	// The shipped defaults.
	w.settings = stockexport.SettingsFrom(config.Defaults(time.Now()))
	w.articleAt = time.Now().Add(-72 * time.Hour)
	return w
}

// reopen connects to the shop anew (after its schema changed).
func (w *world) reopen() {
	w.t.Helper()
	w.tr = &hookTransport{Transport: w.open()}
	shop, err := opencart.NewShop(context.Background(), w.tr, opencart.Options{})
	if err != nil {
		w.t.Fatal(err)
	}
	w.shop = shop
}

// article puts an article in SnelStart as it has been there for a while
// (every one a minute apart, the newest well before now).
func (w *world) article(code string, free, technical int) {
	w.articleAt = w.articleAt.Add(time.Minute)
	w.sim.Insert("artikelen", map[string]any{"artikelcode": code, "omschrijving": "Artikel " + code, "artikelOmzetgroep": w.group,
		"isNonActief": false, "voorraadControle": true, "vrijeVoorraad": free, "technischeVoorraad": technical,
		"verkoopprijs": "10.00", "modifiedOn": w.articleAt.Format("2006-01-02T15:04:05")})
}

func (w *world) job() stockexport.Job {
	return stockexport.Job{ProfileID: w.profile, Shop: w.shop, Client: w.client, Store: w.store, Settings: w.settings,
		Since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), Now: func() time.Time { return w.now }}
}

func (w *world) export(preview bool) *stockexport.Report {
	w.t.Helper()
	j := w.job()
	j.Preview = preview
	rep, err := stockexport.Run(context.Background(), j)
	if err != nil {
		w.t.Fatal(err)
	}
	return rep
}

// importJob is the order import as a user sets it up.
func (w *world) importJob(preview bool) orderimport.Job {
	v := config.Defaults(time.Now())
	for k, val := range map[string]string{"sales.template": "Webshop", "sales.shippingArticle": "VERZEND", "sales.discountArticle": "KORTING",
		"sales.paymentFeeArticle": "BETAALKOSTEN", "sales.differenceArticle": "VERSCHIL",
		"articles.revenueGroup": "Omzet hoog"} {
		v[k] = val
	}
	return orderimport.Job{ProfileID: w.profile, Shop: w.shop, Client: w.client, Ledger: w.store, Articles: w.store,
		Settings: orderimport.SettingsFrom(v), Query: opencart.OrderQuery{AddedSince: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}, Preview: preview}
}

// stock reads what the shop holds now: products and option values.
func (w *world) stock() map[string]int {
	w.t.Helper()
	out := map[string]int{}
	rows, err := w.db.Query("SELECT product_id, quantity FROM oc_product")
	if err != nil {
		w.t.Fatal(err)
	}
	for rows.Next() {
		var id, q int
		rows.Scan(&id, &q)
		out[fmt.Sprint(id)] = q
	}
	rows.Close()
	rows, err = w.db.Query("SELECT product_id, product_option_value_id, quantity FROM oc_product_option_value")
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, v, q int
		rows.Scan(&id, &v, &q)
		out[fmt.Sprintf("%d/%d", id, v)] = q
	}
	return out
}

// snelstart is what SnelStart holds that an export or an import could
// change: the articles with their stock and the orders.
func (w *world) snelstart() string {
	var out []string
	for _, a := range w.sim.All("artikelen") {
		out = append(out, fmt.Sprintf("%v=%v/%v@%v", a["artikelcode"], a["vrijeVoorraad"], a["technischeVoorraad"], a["modifiedOn"]))
	}
	return fmt.Sprintf("%d orders; %s", w.sim.Count("verkooporders"), strings.Join(sortStrings(out), " "))
}

// state is what S-Connect remembers for the stock export: the articles it
// created and the export's state.
func (w *world) state() string {
	w.t.Helper()
	created, err := w.store.CreatedArticles(w.profile)
	if err != nil {
		w.t.Fatal(err)
	}
	st, err := w.store.StockState(w.profile)
	if err != nil {
		w.t.Fatal(err)
	}
	at := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.String()
	}
	return fmt.Sprintf("%d created; watermark %s, last full %s, %q, %d/%d, confirmed %s", len(created), st.Watermark,
		at(st.LastFull), st.Fingerprint, st.Managed, st.Total, at(st.ConfirmedAt))
}

// diff lists what changed between two readings of the shop.
func diff(before, after map[string]int) string {
	var out []string
	for k, v := range after {
		if before[k] != v {
			out = append(out, fmt.Sprintf("%s:%d→%d", k, before[k], v))
		}
	}
	return strings.Join(sortStrings(out), " ")
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// hookTransport lets a test act between the export's read and its write,
// as a customer of the shop would.
type hookTransport struct {
	opencart.Transport
	mu     sync.Mutex
	before func(table string) // called once, before the next stock write
}

func (h *hookTransport) UpdateQuantities(ctx context.Context, table string, changes []opencart.QuantityChange) (opencart.StockResult, error) {
	h.mu.Lock()
	f := h.before
	h.before = nil
	h.mu.Unlock()
	if f != nil {
		f(table)
	}
	return h.Transport.UpdateQuantities(ctx, table, changes)
}
