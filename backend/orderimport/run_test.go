package orderimport_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

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
	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) {
	if benchChild() { // a benchmark's import in a process of its own
		return
	}
	testsvc.Main(m)
}

type world struct {
	db              *sql.DB
	shop            *opencart.Shop
	fix             *fixture.Shop
	sim             *sim.Server
	client          *snelstart.Client
	store           *config.Store
	prof            uint
	apiURL, authURL string
}

func newWorld(t testing.TB, version string, orders int, faults sim.Faults) *world {
	w := newWorldSized(t, fixture.Config{Version: version, Prefix: "oc_", Orders: orders, Products: 80, Customers: 60, Seed: 5})
	w.sim.SetFaults(faults)
	return w
}

func newWorldSized(t testing.TB, fc fixture.Config, simOpts ...func(*sim.Options)) *world {
	t.Helper()
	sdb := fixturetest.NewShopDB(t, fc)
	ctx := context.Background()
	tr, err := mysql.Open(ctx, mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: sdb.Database, User: "root", Prefix: "oc_"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	return newWorldOn(t, tr, sdb.DB, sdb.Shop, simOpts...)
}

// newBridgeWorld reads the shop through the PHP bridge, installed over FTP
// into a shop folder served by PHP, as on a hosting account.
func newBridgeWorld(t testing.TB, version string, orders int) *world {
	t.Helper()
	h := fixturetest.NewHosted(t, version, orders)
	ctx := context.Background()
	fsys, err := remotefs.Dial(ctx, remotefs.Config{Protocol: remotefs.FTPSExplicit, Host: "127.0.0.1", Port: h.FTP.Explicit,
		User: h.FTP.User, Password: h.FTP.Password, CertFingerprint: remotefs.CertFingerprint(h.FTP.Cert)})
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	_, client, _, err := bridge.Setup(ctx, fsys, h.Dir, bridge.Config{ShopURL: h.URL, AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return newWorldOn(t, client, h.DB, h.Shop)
}

func newWorldOn(t testing.TB, tr opencart.Transport, db *sql.DB, fix *fixture.Shop, simOpts ...func(*sim.Options)) *world {
	t.Helper()
	shop, err := opencart.NewShop(context.Background(), tr, opencart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts := sim.Options{ClientKeys: map[string][]string{"k": nil}, SubscriptionKeys: []string{"s"}, Strict: true, Seed: 3}
	for _, f := range simOpts {
		f(&opts)
	}
	s := sim.New(opts)
	s.SeedDefault()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	client, err := snelstart.NewClient(snelstart.Options{APIBaseURL: srv.URL + "/v2/", AuthBaseURL: srv.URL + "/", ClientKey: "k",
		SubscriptionKey: "s", RequestsPerSecond: 1000, BackoffBase: 5 * time.Millisecond, BackoffCap: 50 * time.Millisecond, MaxRetries: 6})
	if err != nil {
		t.Fatal(err)
	}
	store, err := config.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	p, _ := store.CreateProfile("Test")
	return &world{db: db, shop: shop, fix: fix, sim: s, client: client, store: store, prof: p.ID, apiURL: srv.URL + "/v2/", authURL: srv.URL + "/"}
}

// settings are a configured profile, with the shipped defaults for the
// rest (the difference threshold of € 0,05 among them).
func (w *world) settings() orderimport.Settings { return configured() }

// configured are the settings of a configured profile (world.settings).
func configured() orderimport.Settings {
	s := orderimport.SettingsFrom(config.Defaults(time.Now()))
	s.Template, s.ShippingArticle, s.DiscountArticle, s.PaymentFeeArticle = "Webshop", "VERZEND", "KORTING", "BETAALKOSTEN"
	s.DiscountArticleByVat = map[string]string{"9": "KORTING-LAAG", "0": "KORTING-GEEN"}
	s.VoucherArticle, s.DifferenceArticle, s.RevenueGroup = "CADEAUBON", "VERSCHIL", "Omzet hoog"
	s.RevenueGroupByVat = map[string]string{"9": "Omzet laag", "0": "Omzet vrijgesteld"}
	return s
}

func (w *world) run(t testing.TB, preview bool) *orderimport.Report {
	t.Helper()
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, Settings: w.settings(), Preview: preview, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// shopOrders are the orders that must reach SnelStart: those in a sale
// status (never status 0, never a cancelled one).
func (w *world) shopOrders() map[string]opencart.Order {
	out := map[string]opencart.Order{}
	for _, o := range w.fix.Sales() {
		out[jsonInt(o.ID)] = o
	}
	return out
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

// checkSnelStart: exactly one verkooporder per shop order, each with the
// shop's total to the cent.
func (w *world) checkSnelStart(t *testing.T) {
	t.Helper()
	want := w.shopOrders()
	seen := map[string]bool{}
	for _, vo := range w.sim.All("verkooporders") {
		ref, _ := vo["betalingskenmerk"].(string)
		if seen[ref] {
			t.Fatalf("order %s booked twice", ref)
		}
		seen[ref] = true
		o, ok := want[ref]
		if !ok {
			t.Fatalf("verkooporder for unknown, status-0 or cancelled order %q", ref)
		}
		total, _ := vo["totaalInclusiefBtw"].(json.Number)
		if string(total) != o.Total.StringFixed(2) && string(total) != o.Total.Round(2).String() {
			t.Fatalf("order %s: SnelStart total %s, shop %s", ref, total, o.Total.StringFixed(2))
		}
	}
	if len(seen) != len(want) {
		t.Fatalf("%d verkooporders for %d orders", len(seen), len(want))
	}
}

// entity is an HTML character reference: none may reach SnelStart.
var entity = regexp.MustCompile(`&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});`)

// checkMoney checks what SnelStart booked against the shop, order by
// order: VAT per rate within a cent of the shop's tax rows, every
// difference line at most two cents (listed), and no HTML entity in any
// text the simulator received. It returns the difference lines.
func (w *world) checkMoney(t *testing.T) []string {
	t.Helper()
	want := w.shopOrders()
	var verschil string
	for _, a := range w.sim.All("artikelen") {
		if a["artikelcode"] == "VERSCHIL" {
			verschil = a["id"].(string)
		}
	}
	var differences []string
	checkedRates := map[string]int{}
	for _, vo := range w.sim.All("verkooporders") {
		ref, _ := vo["betalingskenmerk"].(string)
		o := want[ref]
		shop := map[string]decimal.Decimal{}
		for _, tr := range o.Totals {
			if tr.Code == "tax" {
				shop[tr.Rate.String()] = shop[tr.Rate.String()].Add(tr.Value)
			}
		}
		booked := w.sim.VATPerRate(vo)
		for _, rate := range []string{"21", "9"} {
			if shop[rate].Sub(booked[rate]).Abs().GreaterThan(decimal.RequireFromString("0.01")) {
				t.Errorf("order %s: VAT %s%%: shop %s, SnelStart %s", ref, rate, shop[rate].StringFixed(4), booked[rate])
			}
			if !shop[rate].IsZero() {
				checkedRates[rate]++
			}
		}
		for _, r := range vo["regels"].([]any) {
			regel := r.(map[string]any)
			if art, _ := regel["artikel"].(map[string]any); art["id"] == verschil {
				amount, _ := decimal.NewFromString(string(regel["totaal"].(json.Number)))
				differences = append(differences, "order "+ref+": "+amount.StringFixed(2))
				if amount.Abs().GreaterThan(decimal.RequireFromString("0.02")) {
					t.Errorf("order %s: difference line %s", ref, amount)
				}
			}
		}
	}
	if checkedRates["21"] < 100 || checkedRates["9"] < 100 {
		t.Fatalf("too few orders with VAT to compare: %v", checkedRates)
	}
	// Every text sent: relaties, articles and verkooporders.
	special := map[string]int{}
	for _, coll := range []string{"relaties", "artikelen", "verkooporders"} {
		for _, obj := range w.sim.All(coll) {
			walkStrings(obj, func(s string) {
				if m := entity.FindString(s); m != "" {
					t.Errorf("%s: HTML entity %q in %q", coll, m, s)
				}
				for _, c := range []string{"&", `"`, "<", "'"} {
					if strings.Contains(s, c) {
						special[c]++
					}
				}
			})
		}
	}
	if len(special) < 4 {
		t.Fatalf("the shop's & \" < ' never reached SnelStart: %v", special)
	}
	return differences
}

func walkStrings(v any, f func(string)) {
	switch x := v.(type) {
	case string:
		f(x)
	case map[string]any:
		for _, e := range x {
			walkStrings(e, f)
		}
	case []any:
		for _, e := range x {
			walkStrings(e, f)
		}
	}
}

// Every schema, both transports, about 500 orders each made as OpenCart's
// checkout makes them (coupons, reward points, vouchers, store credit,
// fees, escaped text), at the default difference threshold: every order
// booked once, with the shop's total and VAT per rate.
func TestImportEveryOrderOnceToTheCent(t *testing.T) {
	for _, version := range fixture.Versions {
		for _, transport := range []string{"mysql", "bridge"} {
			t.Run(version+"/"+transport, func(t *testing.T) {
				var w *world
				if transport == "bridge" {
					w = newBridgeWorld(t, version, 700)
				} else {
					w = newWorld(t, version, 700, sim.Faults{})
				}
				if len(w.shopOrders()) < 500 {
					t.Fatalf("only %d orders in a sale status", len(w.shopOrders()))
				}
				preview := w.run(t, true)
				if w.sim.Count("verkooporders") != 0 || preview.Counts["planned"] != len(w.shopOrders()) {
					t.Fatalf("a preview wrote something or did not plan every order: %v", preview.Counts)
				}
				rep := w.run(t, false)
				for _, r := range rep.Results {
					if r.State != "created" {
						t.Errorf("order %d %s: %v", r.OrderID, r.State, r.Reason)
					}
				}
				if rep.Counts["created"] != len(w.shopOrders()) || rep.Counts["failed"]+rep.Counts["held"] != 0 {
					t.Fatalf("first run: %v", rep.Counts)
				}
				if len(rep.Warnings) != 0 { // SnelStart's totals are the ones the plans checked
					t.Fatalf("warnings %v", rep.Warnings)
				}
				w.checkSnelStart(t)
				differences := w.checkMoney(t)
				rounding := 0
				for _, vo := range w.sim.All("verkooporders") {
					for _, r := range vo["regels"].([]any) {
						if d, _ := r.(map[string]any)["omschrijving"].(string); strings.HasPrefix(d, "Afronding ") {
							rounding++
						}
					}
				}
				t.Logf("%d orders, 0 held, %d rounding lines per rate, %d difference lines (each ≤ € 0,02): %s", rep.Counts["created"], rounding,
					len(differences), strings.Join(differences, ", "))
				if transport == "bridge" {
					return // the rest is about the ledger, not the transport
				}
				// One create per order, per new customer and per new article, and a
				// few batched lookups: no call per order for lookups.
				creates := len(w.shopOrders()) + (w.sim.Count("relaties") - 3) + (w.sim.Count("artikelen") - seededArticles)
				pages := (len(w.fix.Orders) + 99) / 100
				if rep.Calls > int64(creates+10+8*pages) {
					t.Fatalf("%d API calls for %d creates in %d pages", rep.Calls, creates, pages)
				}
				again := w.run(t, false)
				if again.Counts["created"] != 0 || again.Counts["skipped"] != len(w.shopOrders()) {
					t.Fatalf("second run: %v", again.Counts)
				}
				w.checkSnelStart(t)
				// An order changed in the shop after it was booked is reported, not booked again.
				if _, err := w.db.Exec("UPDATE oc_order SET date_modified = '2030-01-01 00:00:00' WHERE order_id = (SELECT MIN(order_id) FROM (SELECT order_id FROM oc_order WHERE order_status_id = 5) x)"); err != nil {
					t.Fatal(err)
				}
				changed := w.run(t, false)
				if changed.Counts["changed"] != 1 || changed.Counts["created"] != 0 {
					t.Fatalf("after a change in the shop: %v", changed.Counts)
				}
				w.checkSnelStart(t)
				// A fresh ledger (another PC): the orders are found in SnelStart, none booked again.
				fresh, _ := config.Open(t.TempDir())
				defer fresh.Close()
				p, _ := fresh.CreateProfile("Andere pc")
				w.store, w.prof = fresh, p.ID
				third := w.run(t, false)
				if third.Counts["exists"] != len(w.shopOrders()) || third.Counts["created"] != 0 {
					t.Fatalf("without the ledger: %v", third.Counts)
				}
				w.checkSnelStart(t)
			})
		}
	}
}

// seededArticles is how many articles sim.SeedDefault makes.
const seededArticles = 13

func TestHeldOrdersGoOnceTheCauseIsFixed(t *testing.T) {
	w := newWorld(t, "3.0", 60, sim.Faults{})
	s := w.settings()
	s.ShippingArticle = "" // orders with shipping need it
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client, Ledger: w.store, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	held := rep.Counts["held"]
	if held == 0 || rep.Counts["created"] == 0 {
		t.Fatalf("first run: %v", rep.Counts)
	}
	for _, r := range rep.Results {
		if r.State == "held" && (r.Reason == nil || r.Reason.Code != "shipping_article_missing" || r.Reason.Arg != "Verzending (PostNL)") {
			t.Fatalf("reason %+v", r.Reason)
		}
	}
	fixed := w.run(t, false) // the shipping article is set again
	if fixed.Counts["created"] != held || fixed.Counts["held"] != 0 {
		t.Fatalf("after the fix: %v (held before %d)", fixed.Counts, held)
	}
	w.checkSnelStart(t)
}

func TestImportWithFaultsBooksNothingTwice(t *testing.T) {
	w := newWorld(t, "3.0", 545, sim.Faults{Share429: 0.10, Share500: 0.05, CommitThenFail: 0.05, RetryAfter: -1})
	for run := 0; run < 3; run++ {
		rep := w.run(t, false)
		t.Logf("run %d: %v", run+1, rep.Counts)
	}
	w.sim.SetFaults(sim.Faults{})
	w.checkSnelStart(t)
	ids := make([]int, 0)
	for _, o := range w.shopOrders() {
		ids = append(ids, o.ID)
	}
	entries, _ := w.store.Ledger(w.prof, ids)
	for id, e := range entries {
		if e.State != config.LedgerConfirmed || e.Nummer == 0 {
			t.Fatalf("order %d: ledger %s %q", id, e.State, e.Reason)
		}
	}
	if len(entries) != len(ids) {
		t.Fatalf("%d ledger entries for %d orders", len(entries), len(ids))
	}
}

// A shop whose default currency is the dollar: every amount is in dollars,
// so nothing is booked, and each order says why.
func TestAShopInDollarsIsHeld(t *testing.T) {
	w := newWorldSized(t, fixture.Config{Version: "4.0", Prefix: "oc_", Orders: 40, Products: 10, Customers: 5, Seed: 8, Currency: "USD"})
	rep := w.run(t, false)
	if rep.Counts["held"] != len(w.shopOrders()) || rep.Counts["created"] != 0 || w.sim.Count("verkooporders") != 0 {
		t.Fatalf("counts %v", rep.Counts)
	}
	for _, r := range rep.Results {
		if r.Reason == nil || r.Reason.Code != "currency" || r.Reason.Arg != "USD" {
			t.Fatalf("order %d: %+v", r.OrderID, r.Reason)
		}
	}
	if len(rep.Warnings) != 1 || rep.Warnings[0].Code != "currency" {
		t.Fatalf("warnings %v", rep.Warnings)
	}
}

// SnelStart does not document whether it rounds the VAT once per rate (what
// the plan checks against, and the simulator does) or per line. Rounded per
// line, the totals incl. VAT stay the shop's (prices incl. VAT), each rate's
// VAT moves by up to half a cent a line, and the run names the orders whose
// totals SnelStart computed otherwise: exactly those whose total excl. VAT
// is not what rounding once per rate gives.
func TestVATRoundedPerLineIsNoticed(t *testing.T) {
	w := newWorldSized(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 300, Products: 80, Customers: 60, Seed: 5},
		func(o *sim.Options) { o.VATPerLine = true })
	rep := w.run(t, false)
	if rep.Counts["created"] != len(w.shopOrders()) || rep.Counts["held"]+rep.Counts["failed"] != 0 {
		t.Fatalf("counts %v", rep.Counts)
	}
	w.checkSnelStart(t) // every total incl. VAT to the cent
	percent := map[string]decimal.Decimal{"Hoog": decimal.NewFromInt(21), "Laag": decimal.NewFromInt(9)}
	groupRate := map[string]decimal.Decimal{}
	for _, g := range w.sim.All("artikelomzetgroepen") {
		groupRate[g["id"].(string)] = percent[g["verkoopNederlandBtwSoort"].(string)]
	}
	articleRate := map[string]decimal.Decimal{}
	for _, a := range w.sim.All("artikelen") {
		articleRate[a["id"].(string)] = groupRate[a["artikelOmzetgroep"].(map[string]any)["id"].(string)]
	}
	want := map[int]bool{}
	shop := w.shopOrders()
	offByMore := 0
	for _, vo := range w.sim.All("verkooporders") {
		ref := vo["betalingskenmerk"].(string)
		sums, perLine := map[string]decimal.Decimal{}, decimal.Zero
		rates := map[string]decimal.Decimal{}
		for _, r := range vo["regels"].([]any) {
			regel := r.(map[string]any)
			rate := articleRate[regel["artikel"].(map[string]any)["id"].(string)]
			amount := decimal.RequireFromString(string(regel["totaal"].(json.Number)))
			sums[rate.String()], rates[rate.String()] = sums[rate.String()].Add(amount), rate
			perLine = perLine.Add(amount.Mul(rate).Div(rate.Add(decimal.NewFromInt(100))).Round(2))
		}
		perRate := decimal.Zero
		for k, sum := range sums {
			perRate = perRate.Add(sum.Mul(rates[k]).Div(rates[k].Add(decimal.NewFromInt(100))).Round(2))
		}
		id, _ := strconv.Atoi(ref)
		if !perLine.Equal(perRate) {
			want[id] = true
		}
		booked := w.sim.VATPerRate(vo)
		for _, tr := range shop[ref].Totals {
			if tr.Code == "tax" && tr.Value.Sub(booked[tr.Rate.String()]).Abs().GreaterThan(decimal.RequireFromString("0.01")) {
				offByMore++
				if !want[id] {
					t.Errorf("order %s: VAT %s%% %s in the shop, %s in SnelStart, and no warning", ref, tr.Rate, tr.Value, booked[tr.Rate.String()])
				}
			}
		}
	}
	var named []string
	for _, n := range rep.Warnings {
		if n.Code == "vat_rounding" {
			named = strings.Split(n.Arg, ", ")
		}
	}
	got := map[int]bool{}
	for _, s := range named {
		id, _ := strconv.Atoi(s)
		got[id] = true
	}
	if len(want) == 0 || len(got) != len(want) || len(named) != len(want) {
		t.Fatalf("warned of %d orders, %d computed otherwise: %v", len(named), len(want), rep.Warnings)
	}
	for id := range want {
		if !got[id] {
			t.Fatalf("order %d computed otherwise, not named: %v", id, rep.Warnings)
		}
	}
	t.Logf("%d orders: %d with another VAT rounded per line, %d rates more than a cent off the shop's; all named", len(shop), len(want), offByMore)
}
