package reconcile_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/reconcile"
	"github.com/s-connect/s-connect/backend/reference"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

// world is a fixture shop whose orders the real import booked in the
// simulator, under a ledger.
type world struct {
	db       *sql.DB
	shop     *opencart.Shop
	fix      *fixture.Shop
	sim      *sim.Server
	client   *snelstart.Client
	store    *config.Store
	prof     uint
	settings orderimport.Settings
	filters  *filterLog
}

// filterLog keeps the $filter of every call SnelStart got.
type filterLog struct {
	mu   sync.Mutex
	list []string
}

func (l *filterLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.list
	l.list = nil
	return out
}

var base = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, version string) *world { return newWorldOf(t, version, 40) }

func newWorldOf(t *testing.T, version string, orders int) *world {
	t.Helper()
	sdb := fixture.NewShopDB(t, fixture.Config{Version: version, Prefix: "oc_", Orders: orders, Products: 60, Customers: 30, Seed: 11, Base: base})
	ctx := context.Background()
	tr, err := mysql.Open(ctx, mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: sdb.Database, User: "root", Prefix: "oc_"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := sim.New(sim.Options{ClientKeys: map[string][]string{"k": nil}, SubscriptionKeys: []string{"s"}, Strict: true, Seed: 3})
	s.SeedDefault()
	filters := &filterLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if f := r.URL.Query().Get("$filter"); f != "" {
			filters.mu.Lock()
			filters.list = append(filters.list, f)
			filters.mu.Unlock()
		}
		s.ServeHTTP(rw, r)
	}))
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
	st := orderimport.SettingsFrom(config.Defaults(time.Now()))
	st.Template, st.ShippingArticle, st.DiscountArticle, st.PaymentFeeArticle = "Webshop", "VERZEND", "KORTING", "BETAALKOSTEN"
	st.DiscountArticleByVat = map[string]string{"9": "KORTING-LAAG", "0": "KORTING-GEEN"}
	st.VoucherArticle, st.DifferenceArticle, st.RevenueGroup = "CADEAUBON", "VERSCHIL", "Omzet hoog"
	st.RevenueGroupByVat = map[string]string{"9": "Omzet laag", "0": "Omzet vrijgesteld"}
	st.PaymentReference, st.ReferencePrefix = true, "WS"
	return &world{db: sdb.DB, shop: shop, fix: sdb.Shop, sim: s, client: client, store: store, prof: p.ID, settings: st, filters: filters}
}

// book imports the sale orders, all but skip, with the real import.
func (w *world) book(t *testing.T, skip int) {
	t.Helper()
	var ids []int
	sales := 0 // with refunds credited, an order in a refund status is no sale
	for _, o := range w.fix.Sales() {
		if o.ID != skip {
			ids = append(ids, o.ID)
			if !w.settings.RefundCredit || !slices.Contains(w.settings.RefundStatuses, o.StatusID) {
				sales++
			}
		}
	}
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, Settings: w.settings, Query: opencart.OrderQuery{IDs: ids}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts["created"] != sales {
		t.Fatalf("the import booked %v of %d orders", rep.Counts, sales)
	}
}

// period covers every order of the fixture.
func (w *world) period() (time.Time, time.Time) {
	from, to := base, time.Time{}
	for _, o := range w.fix.Orders {
		d := o.Added.In(orderimport.BookingZone())
		day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		if day.Before(from) {
			from = day
		}
		if day.After(to) {
			to = day
		}
	}
	return from, to
}

func (w *world) check(t *testing.T, ledger reconcile.Ledger) *reconcile.Report {
	t.Helper()
	from, to := w.period()
	w.filters.take()
	calls := w.sim.Calls()
	rep, err := reconcile.Run(context.Background(), reconcile.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: ledger, Settings: w.settings, From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if n := w.sim.Calls() - calls; rep.Calls != n {
		t.Errorf("the report says %d SnelStart calls, SnelStart got %d", rep.Calls, n)
	}
	documented(t, w.filters.take())
	return rep
}

// Operators SnelStart's documentation names for $filter are eq ne gt lt and
// or (ge, le and not are standard OData but not documented): the check must
// work against the real API unchanged, whatever the simulator accepts.
var (
	literalRE    = regexp.MustCompile(`'(?:[^']|'')*'`)
	undocumented = regexp.MustCompile(`\b(ge|le|not)\b`)
)

func documented(t *testing.T, filters []string) {
	t.Helper()
	if len(filters) == 0 {
		t.Error("the check sent no $filter")
	}
	for _, f := range filters {
		if op := undocumented.FindString(literalRE.ReplaceAllString(f, "''")); op != "" {
			t.Errorf("$filter uses %q, which SnelStart does not document: %s", op, f)
		}
	}
}

// order is the simulator's verkooporder with this reference.
func (w *world) order(t *testing.T, ref string) map[string]any {
	t.Helper()
	for _, o := range w.sim.All("verkooporders") {
		if o["betalingskenmerk"] == ref {
			return o
		}
	}
	t.Fatalf("no verkooporder %s", ref)
	return nil
}

// checksums are MariaDB's checksums of every shop table.
func checksums(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query("SHOW TABLES")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, "`"+n+"`")
	}
	rows.Close()
	out := map[string]string{}
	crows, err := db.Query("CHECKSUM TABLE " + strings.Join(tables, ", ") + " EXTENDED")
	if err != nil {
		t.Fatal(err)
	}
	defer crows.Close()
	for crows.Next() {
		var name string
		var sum sql.NullString
		if err := crows.Scan(&name, &sum); err != nil {
			t.Fatal(err)
		}
		out[name] = sum.String
	}
	return out
}

func kinds(rep *reconcile.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, fmt.Sprintf("%s %s", f.Kind, f.Reference))
	}
	sort.Strings(out)
	return out
}

// mess makes the three differences: A missing (never booked), B in
// SnelStart twice, C's first line changed in SnelStart by hand.
func (w *world) mess(t *testing.T) (a, b, c int) {
	t.Helper()
	sales := w.fix.Sales()
	if len(sales) < 10 {
		t.Fatalf("only %d sale orders", len(sales))
	}
	a, b, c = sales[2].ID, sales[5].ID, sales[8].ID
	w.book(t, a)
	dup := w.order(t, reference.Order("WS", b))
	delete(dup, "id")
	delete(dup, "uri")
	dup["nummer"] = 90001
	w.sim.Insert("verkooporders", dup)
	changed := w.order(t, reference.Order("WS", c))
	regels := changed["regels"].([]any)
	first := regels[0].(map[string]any)
	price, _ := decimal.NewFromString(fmt.Sprint(first["stuksprijs"]))
	qty, _ := decimal.NewFromString(fmt.Sprint(first["aantal"]))
	first["stuksprijs"] = price.Add(decimal.NewFromInt(10)).String()
	first["totaal"] = price.Add(decimal.NewFromInt(10)).Mul(qty).StringFixed(2)
	w.sim.Patch("verkooporders", changed["id"].(string), map[string]any{"regels": regels})
	// SnelStart's totals follow its lines.
	var sum, vat decimal.Decimal
	for _, r := range regels {
		v, _ := decimal.NewFromString(fmt.Sprint(r.(map[string]any)["totaal"]))
		sum = sum.Add(v)
	}
	for _, v := range w.sim.VATPerRate(w.order(t, reference.Order("WS", c))) {
		vat = vat.Add(v)
	}
	incl, excl := sum, sum.Sub(vat)
	if changed["verkooporderBtwIngaveModel"] == snelstart.BtwExclusief {
		incl, excl = sum.Add(vat), sum
	}
	w.sim.Patch("verkooporders", changed["id"].(string), map[string]any{"totaalInclusiefBtw": incl.String(), "totaalExclusiefBtw": excl.String()})
	return a, b, c
}

func TestCheckFindsMissingDoubleChanged(t *testing.T) {
	w := newWorld(t, "3.0")
	a, b, c := w.mess(t)
	sums, writes := checksums(t, w.db), w.sim.Writes()

	rep := w.check(t, w.store)
	want := []string{"amount WS" + fmt.Sprint(c), "double WS" + fmt.Sprint(b), "missing WS" + fmt.Sprint(a)}
	sort.Strings(want)
	if got := kinds(rep); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("findings %v, want exactly %v", got, want)
	}
	if rep.Differences != 3 || rep.Orders != len(w.fix.Sales()) || !rep.WithLedger {
		t.Errorf("differences %d, orders %d of %d, ledger %v", rep.Differences, rep.Orders, len(w.fix.Sales()), rep.WithLedger)
	}
	for _, f := range rep.Findings {
		if f.Kind == reconcile.Amount {
			if f.Shop == nil || f.SnelStart == nil || f.SnelStart.Total.Sub(f.Shop.Total).LessThan(decimal.NewFromInt(10)) {
				t.Errorf("the changed order shows both figures, SnelStart's higher by at least the € 10 a unit added: %+v / %+v", f.Shop, f.SnelStart)
			}
		}
		if f.Kind == reconcile.Double && len(f.Nummers) != 2 {
			t.Errorf("the double order names both verkoopordernummers: %v", f.Nummers)
		}
	}
	// Few SnelStart calls: the lists, a date-range list, the articles and
	// the lookups of a page, not one call per order.
	if rep.Calls > 20 {
		t.Errorf("%d SnelStart calls for %d orders", rep.Calls, rep.Orders)
	}
	if w.sim.Writes() != writes {
		t.Errorf("the check wrote to SnelStart: %d writes", w.sim.Writes()-writes)
	}
	if after := checksums(t, w.db); fmt.Sprint(after) != fmt.Sprint(sums) {
		t.Error("the check changed the shop's database")
	}

	// Without a ledger (another PC) the same differences are found.
	bare := w.check(t, nil)
	if got := kinds(bare); strings.Join(got, "|") != strings.Join(want, "|") || bare.WithLedger {
		t.Fatalf("without a ledger: %v, want %v", got, want)
	}

	// A held order is reported as still open, not as missing.
	if err := w.store.PutLedger(config.LedgerEntry{ProfileID: w.prof, OrderID: a, State: config.LedgerHeld, Reason: "article_unknown(X1)"}); err != nil {
		t.Fatal(err)
	}
	held := w.check(t, w.store)
	want[len(want)-1] = "open WS" + fmt.Sprint(a)
	sort.Strings(want)
	if got := kinds(held); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("with the missing order held: %v, want %v", got, want)
	}

	// The bookkeeper moved an order to another relatie: the ledger knows
	// whom it was sent for. Without the ledger nobody knows.
	e := w.fix.Sales()[11].ID
	vo := w.order(t, reference.Order("WS", e))
	var other map[string]any
	for _, r := range w.sim.All("relaties") {
		if r["id"] != vo["relatie"].(map[string]any)["id"] {
			other = r
		}
	}
	w.sim.Patch("verkooporders", vo["id"].(string), map[string]any{"relatie": map[string]any{"id": other["id"]}})
	moved := w.check(t, w.store)
	want = append(want, "customer WS"+fmt.Sprint(e))
	sort.Strings(want)
	if got := kinds(moved); strings.Join(got, "|") != strings.Join(want, "|") || moved.Differences != len(want) {
		t.Fatalf("with a relatie changed: %v (differences %d), want %v", got, moved.Differences, want)
	}
	for _, f := range moved.Findings {
		if f.Kind == reconcile.Customer && !strings.HasPrefix(f.Detail, fmt.Sprint(other["naam"])+" (") {
			t.Errorf("the customer finding names SnelStart's relatie %v: %q", other["naam"], f.Detail)
		}
	}
	if got := kinds(w.check(t, nil)); strings.Contains(strings.Join(got, "|"), "customer") {
		t.Errorf("without a ledger a customer cannot differ from it: %v", got)
	}
}

func TestCheckVATTotalsAreTheOrdersSums(t *testing.T) {
	w := newWorld(t, "4.0")
	w.mess(t)
	rep := w.check(t, w.store)

	// SnelStart's side: the simulator's own VAT of every verkooporder.
	ssVAT := map[string]decimal.Decimal{}
	for _, o := range w.sim.All("verkooporders") {
		for rate, vat := range w.sim.VATPerRate(o) {
			ssVAT[rate] = ssVAT[rate].Add(vat)
		}
	}
	// The shop's side: the tax rows of every sale order (the plan may be a
	// cent off per rate, as the import allows).
	shopVAT := map[string]decimal.Decimal{}
	for _, o := range w.fix.Sales() {
		for _, t := range o.Totals {
			if t.Code == "tax" && t.Rate != nil {
				shopVAT[t.Rate.String()] = shopVAT[t.Rate.String()].Add(t.Value)
			}
		}
	}
	slack := decimal.New(int64(len(w.fix.Sales())), -2)
	seen := 0
	for _, r := range rep.Totals {
		if !r.SnelStartVAT.Equal(ssVAT[r.Rate.String()]) {
			t.Errorf("%s%%: SnelStart's VAT %s, the sum of its orders %s", r.Rate, r.SnelStartVAT, ssVAT[r.Rate.String()])
		}
		if r.ShopVAT.Sub(shopVAT[r.Rate.String()]).Abs().GreaterThan(slack) {
			t.Errorf("%s%%: the shop's VAT %s, its tax rows %s", r.Rate, r.ShopVAT, shopVAT[r.Rate.String()])
		}
		if r.Rate.IsPositive() {
			seen++
		}
	}
	if seen < 2 {
		t.Fatalf("the fixture should have orders at two VAT rates: %+v", rep.Totals)
	}
	// The turnover excl. VAT (the other figure a VAT return needs), summed
	// over the rates: SnelStart's against the simulator's own totals, the
	// shop's against OpenCart's order totals less its tax rows.
	var ssExcl, ocExcl, repSS, repShop decimal.Decimal
	for _, o := range w.sim.All("verkooporders") {
		ssExcl = ssExcl.Add(decimal.RequireFromString(fmt.Sprint(o["totaalExclusiefBtw"])))
	}
	for _, o := range w.fix.Sales() {
		ocExcl = ocExcl.Add(o.Total)
		for _, t := range o.Totals {
			if t.Code == "tax" {
				ocExcl = ocExcl.Sub(t.Value)
			}
		}
	}
	for _, r := range rep.Totals {
		repSS, repShop = repSS.Add(r.SnelStartExcl), repShop.Add(r.ShopExcl)
	}
	if !repSS.Equal(ssExcl) {
		t.Errorf("SnelStart's turnover excl. VAT %s, the sum of its orders %s", repSS, ssExcl)
	}
	if repShop.Sub(ocExcl).Abs().GreaterThan(slack) {
		t.Errorf("the shop's turnover excl. VAT %s, OpenCart's totals less tax %s", repShop, ocExcl)
	}
	// Read in pages of 10, with progress: the same report.
	from, to := w.period()
	var steps []reconcile.Progress
	paged, err := reconcile.Run(context.Background(), reconcile.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, Settings: w.settings, From: from, To: to, PageSize: 10, Progress: func(p reconcile.Progress) { steps = append(steps, p) }})
	if err != nil {
		t.Fatal(err)
	}
	paged.Calls = rep.Calls
	a, _ := json.Marshal(paged)
	b, _ := json.Marshal(rep)
	if string(a) != string(b) {
		t.Errorf("read in pages of 10 the report differs:\n%s\n%s", a, b)
	}
	if len(steps) < 3 || steps[len(steps)-1].Orders != rep.Orders {
		t.Errorf("progress %+v for %d orders in pages of 10", steps, rep.Orders)
	}
	for i := 1; i < len(steps); i++ {
		if steps[i].Orders <= steps[i-1].Orders || steps[i].Percent < steps[i-1].Percent || steps[i].Percent > 99 {
			t.Errorf("progress goes forward and stays below 100 until the end: %+v", steps)
		}
	}

	var ssTotal decimal.Decimal
	for _, o := range w.sim.All("verkooporders") {
		ssTotal = ssTotal.Add(decimal.RequireFromString(fmt.Sprint(o["totaalInclusiefBtw"])))
	}
	if !rep.SnelStartTotal.Equal(ssTotal) {
		t.Errorf("SnelStart total %s, the sum of its orders %s", rep.SnelStartTotal, ssTotal)
	}
}

// A credit order that refunds a whole order (reference -C, the lines with
// negative quantities) nets against it: no difference, reported as credited,
// and both sides' totals leave the order out.
func TestCheckCreditOrdersNet(t *testing.T) {
	w := newWorld(t, "3.0")
	w.book(t, 0)
	before := w.check(t, w.store)
	if len(before.Findings) != 0 {
		t.Fatalf("a clean period has findings: %v", kinds(before))
	}
	d := w.fix.Sales()[3].ID
	credit := w.order(t, reference.Order("WS", d))
	delete(credit, "id")
	delete(credit, "uri")
	credit["nummer"] = 90002
	credit["betalingskenmerk"] = reference.Credit(reference.Order("WS", d))
	for _, r := range credit["regels"].([]any) {
		m := r.(map[string]any)
		for _, f := range []string{"aantal", "totaal"} {
			v, _ := decimal.NewFromString(fmt.Sprint(m[f]))
			m[f] = v.Neg().String()
		}
	}
	for _, f := range []string{"totaalExclusiefBtw", "totaalInclusiefBtw"} {
		v, _ := decimal.NewFromString(fmt.Sprint(credit[f]))
		credit[f] = v.Neg().String()
	}
	w.sim.Insert("verkooporders", credit)

	rep := w.check(t, w.store)
	if got := kinds(rep); len(got) != 1 || got[0] != "credited WS"+fmt.Sprint(d) || rep.Differences != 0 {
		t.Fatalf("findings %v (differences %d), want only the credited order", got, rep.Differences)
	}
	if f := rep.Findings[0]; !f.Info || f.SnelStart == nil || !f.SnelStart.Total.IsZero() {
		t.Errorf("the credited order nets to zero: %+v", f)
	}
	// What the credit takes off, in SnelStart's own figure (the simulator's
	// total of the order), not the plan the check computes.
	sold := w.total(t, d)
	if sold.IsZero() {
		t.Fatal("the credited order has no total in SnelStart")
	}
	for _, side := range [][2]decimal.Decimal{{before.ShopTotal, rep.ShopTotal}, {before.SnelStartTotal, rep.SnelStartTotal}} {
		if !side[0].Sub(sold).Equal(side[1]) {
			t.Errorf("total %s before the credit, %s after: the credit of %s should come off", side[0], side[1], sold)
		}
	}

	// A credit that does not undo the order is a difference.
	w.sim.Patch("verkooporders", w.order(t, credit["betalingskenmerk"].(string))["id"].(string), map[string]any{"regels": credit["regels"].([]any)[:1]})
	off := w.check(t, w.store)
	found := false
	for _, f := range off.Findings {
		found = found || f.Kind == reconcile.CreditAmount
	}
	if !found || off.Differences == 0 {
		t.Errorf("a credit of one line of a full credit reference is a difference: %v", kinds(off))
	}

	// An order SnelStart has under our prefix that the shop has not is
	// reported; another shop's (another prefix) is none of ours.
	for _, ref := range []string{"WS99999", "AB" + fmt.Sprint(d)} {
		stray := w.order(t, reference.Order("WS", d))
		delete(stray, "id")
		delete(stray, "uri")
		stray["betalingskenmerk"], stray["nummer"] = ref, 90003
		w.sim.Insert("verkooporders", stray)
	}
	stray := w.check(t, w.store)
	n := 0
	for _, f := range stray.Findings {
		if f.Kind == reconcile.Unknown {
			n++
			if f.Reference != "WS99999" || f.SnelStart == nil || f.SnelStart.Total.IsZero() {
				t.Errorf("unknown order: %+v", f)
			}
		}
	}
	if n != 1 || stray.SnelStartOrders != off.SnelStartOrders+1 || stray.Differences != off.Differences+1 {
		t.Errorf("%d unknown orders, %d verkooporders (was %d): %v", n, stray.SnelStartOrders, off.SnelStartOrders, kinds(stray))
	}
}

func TestPeriod(t *testing.T) {
	if _, _, err := reconcile.Period("2026-03-01", "2026-02-01"); err == nil || !strings.Contains(err.Error(), "order") {
		t.Errorf("to before from: %v", err)
	}
	if _, _, err := reconcile.Period("2025-01-01", "2026-01-02"); err == nil || !strings.Contains(err.Error(), "long") {
		t.Errorf("a year and a day: %v", err)
	}
	if _, _, err := reconcile.Period("2026-13-01", "2026-12-31"); err == nil || !strings.Contains(err.Error(), "date") {
		t.Errorf("month 13: %v", err)
	}
	if _, _, err := reconcile.Period("", "2026-12-31"); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("no from: %v", err)
	}
	if f, to, err := reconcile.Period("2025-01-01", "2025-12-31"); err != nil || to.Sub(f) != 364*24*time.Hour {
		t.Errorf("a calendar year: %v %v %v", f, to, err)
	}
}

// The import's own refunds (Terugbetalingen als creditorder): an order
// moved to Refunded is credited by the import (its credit dated the day of
// the refund). Checked for the period of the sale, it is a sale refunded
// later — no difference, both sides count the sale; checked up to the day of
// the refund, order and credit net to zero on both sides.
func TestCheckRefundsOfTheImportNet(t *testing.T) {
	w := newWorld(t, "4.0")
	w.settings.RefundCredit = true
	w.settings.RefundStatuses = []int{11, 12, 13}
	w.book(t, 0)
	clean := w.check(t, w.store)
	if len(clean.Findings) != 0 {
		t.Fatalf("a clean period has findings: %v", kinds(clean))
	}
	var d int
	for _, o := range w.fix.Sales() {
		if !slices.Contains(w.settings.RefundStatuses, o.StatusID) && d == 0 {
			d = o.ID
		}
	}
	if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = 11, date_modified = NOW() WHERE order_id = ?", d); err != nil {
		t.Fatal(err)
	}
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, Settings: w.settings, Query: opencart.OrderQuery{}})
	if err != nil {
		t.Fatal(err)
	}
	credit := reference.Credit(reference.Order("WS", d))
	w.order(t, credit) // the import made it
	t.Logf("import: %v", rep.Counts)

	// The period of the sale: the refund is in another period.
	sale := w.check(t, w.store)
	if got := kinds(sale); len(got) != 1 || got[0] != "credited WS"+fmt.Sprint(d) || sale.Differences != 0 {
		t.Fatalf("findings %v (differences %d), want only the credited order", got, sale.Differences)
	}
	if sale.Findings[0].DetailCode != "credit_date" {
		t.Errorf("the credit's date is named: %+v", sale.Findings[0])
	}
	a, _ := json.Marshal(sale.Totals)
	b, _ := json.Marshal(clean.Totals)
	if string(a) != string(b) || sale.Orders != clean.Orders-1 {
		t.Errorf("the sale's period keeps its totals:\n%s\n%s (orders %d, were %d)", a, b, sale.Orders, clean.Orders)
	}

	// Up to the day of the refund: order and credit net to zero.
	from, _ := w.period()
	now := time.Now().In(orderimport.BookingZone())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if today.Sub(from).Hours()/24 >= reconcile.MaxDays {
		from = today.AddDate(0, 0, -reconcile.MaxDays+1)
	}
	both, err := reconcile.Run(context.Background(), reconcile.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, Settings: w.settings, From: from, To: today})
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(both); len(got) != 1 || got[0] != "credited WS"+fmt.Sprint(d) || both.Differences != 0 || both.Findings[0].DetailCode != "" {
		t.Fatalf("with the credit in the period: %v (differences %d)", got, both.Differences)
	}
	for _, r := range both.Totals {
		if !r.ShopExcl.Equal(r.SnelStartExcl) || !r.ShopVAT.Equal(r.SnelStartVAT) {
			t.Errorf("%s%%: shop %s + %s, SnelStart %s + %s", r.Rate, r.ShopExcl, r.ShopVAT, r.SnelStartExcl, r.SnelStartVAT)
		}
	}
	if !both.ShopTotal.Equal(both.SnelStartTotal) || !both.SnelStartTotal.Equal(clean.SnelStartTotal.Sub(w.total(t, d))) {
		t.Errorf("totals: shop %s, SnelStart %s, before the refund %s", both.ShopTotal, both.SnelStartTotal, clean.SnelStartTotal)
	}
}

// total is SnelStart's total of an order's verkooporder.
func (w *world) total(t *testing.T, orderID int) decimal.Decimal {
	return decimal.RequireFromString(fmt.Sprint(w.order(t, reference.Order("WS", orderID))["totaalInclusiefBtw"]))
}

// Few SnelStart calls per 100 orders: the lists once, the period's
// verkooporders in pages of 500, the articles of each page of orders in
// batches — not a call per order.
func TestCheckReadsInBatches(t *testing.T) {
	w := newWorldOf(t, "4.1", 320)
	w.book(t, 0)
	rep := w.check(t, w.store)
	if rep.Orders < 200 || rep.Differences != 0 {
		t.Fatalf("%d orders, %v", rep.Orders, kinds(rep))
	}
	if perHundred := float64(rep.Calls) * 100 / float64(rep.Orders); perHundred > 10 {
		t.Errorf("%d SnelStart calls for %d orders: %.1f per 100", rep.Calls, rep.Orders, perHundred)
	}
	t.Logf("%d SnelStart calls for %d orders", rep.Calls, rep.Orders)

	// 100 verkooporders dated outside the period are looked up by
	// reference in batches too, not one call each.
	from, _ := w.period()
	moved := 0
	for _, o := range w.sim.All("verkooporders") {
		if moved < 100 {
			w.sim.Patch("verkooporders", o["id"].(string), map[string]any{"datum": from.AddDate(0, -2, 0).Format("2006-01-02T15:04:05")})
			moved++
		}
	}
	off := w.check(t, w.store)
	if got := differences(off); got[reconcile.OtherPeriod] != 100 || off.Differences != 100 {
		t.Fatalf("differences %v, want 100 in another period", got)
	}
	if perHundred := float64(off.Calls) * 100 / float64(off.Orders); perHundred > 10 {
		t.Errorf("with 100 orders dated elsewhere: %d SnelStart calls for %d orders: %.1f per 100", off.Calls, off.Orders, perHundred)
	}
	t.Logf("%d SnelStart calls for %d orders, 100 of them dated outside the period", off.Calls, off.Orders)
}
