package orderimport_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/orderimport"
)

// refundSettings: Terugbetalingen als creditorder on, with the shipped
// refund statuses (Refunded, Reversed, Chargeback).
func (w *world) refundSettings() orderimport.Settings {
	s := w.settings()
	s.RefundCredit = true
	return s
}

// byReference is every verkooporder in the simulator by betalingskenmerk,
// with how many carry it.
func (w *world) byReference() (map[string]map[string]any, map[string]int) {
	one, n := map[string]map[string]any{}, map[string]int{}
	for _, vo := range w.sim.All("verkooporders") {
		ref, _ := vo["betalingskenmerk"].(string)
		one[ref] = vo
		n[ref]++
	}
	return one, n
}

func (w *world) credits() int {
	_, n := w.byReference()
	c := 0
	for ref, k := range n {
		if strings.Contains(ref, "-C") {
			c += k
		}
	}
	return c
}

func regels(vo map[string]any) []map[string]any {
	var out []map[string]any
	for _, r := range vo["regels"].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

func num(v any) decimal.Decimal { return decimal.RequireFromString(fmt.Sprint(v)) }

func (w *world) setStatus(t testing.TB, orderID, status int) {
	t.Helper()
	if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = ?, date_modified = NOW() WHERE order_id = ?", status, orderID); err != nil {
		t.Fatal(err)
	}
}

// stock is every article's vrijeVoorraad by id.
func (w *world) stock() map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{}
	for _, a := range w.sim.All("artikelen") {
		out[a["id"].(string)] = num(a["vrijeVoorraad"])
	}
	return out
}

// A fully refunded order and the shop's refunded returns each become one
// credit verkooporder — the original's lines negated, for its customer,
// referencing it — and stay one over further runs; an order refunded that
// was never booked is said to be so, once, and not credited; the stock of
// every credited line is back.
func TestRefundsAreCreditedOnce(t *testing.T) {
	w := knownWorld(t, 60)
	s := w.refundSettings()
	sales := map[int]bool{} // with refunds on, a sale in a refund status is not booked
	for _, o := range w.statusOrders() {
		if o.StatusID != 12 {
			sales[o.ID] = true
		}
	}
	var returns []opencart.Return
	for _, r := range w.fix.Returns {
		if sales[r.OrderID] {
			returns = append(returns, r)
		}
	}
	neverBooked := 0
	for _, o := range w.fix.Orders {
		if o.StatusID == 11 || o.StatusID == 12 || o.StatusID == 13 {
			neverBooked++
		}
	}
	noProduct := 0 // made in the shop's return form: matched by model
	for _, r := range returns {
		if r.ProductID == 0 {
			noProduct++
		}
	}
	if len(returns) == 0 || neverBooked == 0 || noProduct == 0 {
		t.Fatalf("the fixture has %d refunded returns of sales (%d without product id) and %d refunded orders: the test needs all",
			len(returns), noProduct, neverBooked)
	}

	first := w.runWith(t, s, nil)
	if first.Counts["created"] != len(sales) || first.Counts["credit_created"] != len(returns) || first.Counts["credit_not_booked"] != neverBooked {
		t.Fatalf("first run: %v; want %d orders, %d return credits, %d not booked", first.Counts, len(sales), len(returns), neverBooked)
	}
	for _, r := range first.Results {
		if r.Kind == "credit" && r.State == "not_booked" && (r.Reason == nil || r.Reason.Code != "not_booked") {
			t.Fatalf("not booked without its reason: %+v", r)
		}
	}
	discounted := map[int]bool{} // orders with a coupon or reward points
	rewardOnly := map[int]bool{} // orders with reward points and no coupon
	for _, o := range w.fix.Orders {
		coupon := false
		for _, t := range o.Totals {
			discounted[o.ID] = discounted[o.ID] || (t.Code == "coupon" || t.Code == "reward") && !t.Value.IsZero()
			rewardOnly[o.ID] = rewardOnly[o.ID] || t.Code == "reward" && !t.Value.IsZero()
			coupon = coupon || t.Code == "coupon" && !t.Value.IsZero()
		}
		rewardOnly[o.ID] = rewardOnly[o.ID] && !coupon
	}
	points := func(productID int) int {
		var p int
		if err := w.db.QueryRow("SELECT points FROM oc_product WHERE product_id = ?", productID).Scan(&p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	shared := 0   // return credits of such an order with their share of its discount
	noPoints := 0 // return credits of a product without points, of an order with only reward points: no share
	vos, n := w.byReference()
	for _, ret := range returns {
		ref := orderimport.CreditReference(fmt.Sprint(ret.OrderID), ret.ID)
		credit, orig := vos[ref], vos[fmt.Sprint(ret.OrderID)]
		if n[ref] != 1 {
			t.Fatalf("return %d: %d credit orders %q", ret.ID, n[ref], ref)
		}
		if credit["relatie"].(map[string]any)["id"] != orig["relatie"].(map[string]any)["id"] ||
			!strings.Contains(credit["omschrijving"].(string), fmt.Sprint(ret.OrderID)) || credit["orderreferentie"] != ref {
			t.Fatalf("return %d: credit %v for the customer of %v", ret.ID, credit["omschrijving"], orig["relatie"])
		}
		// Only the returned product, at the original's price, its quantity
		// negative; then its share of the original's discount, on the
		// original's discount article, given back less.
		lines := regels(credit)
		if len(lines) == 0 || !num(lines[0]["aantal"]).Equal(decimal.NewFromInt(int64(-ret.Quantity))) {
			t.Fatalf("return %d of %d: credit lines %v", ret.ID, ret.Quantity, lines)
		}
		for _, l := range lines[1:] {
			onOriginal := false
			for _, ol := range regels(orig) {
				onOriginal = onOriginal || ol["artikel"].(map[string]any)["id"] == l["artikel"].(map[string]any)["id"] && num(ol["totaal"]).IsNegative()
			}
			if !onOriginal || !num(l["totaal"]).IsPositive() {
				t.Fatalf("return %d: credit line %v is no discount of the original %v", ret.ID, l, regels(orig))
			}
		}
		switch {
		case rewardOnly[ret.OrderID] && ret.ProductID > 0 && points(ret.ProductID) == 0:
			// OpenCart took the points off the products with points alone.
			if len(lines) > 1 {
				t.Fatalf("return %d of a product without points: a share of the reward points %v", ret.ID, lines)
			}
			noPoints++
		case len(lines) > 1 && discounted[ret.OrderID]:
			shared++
		}
		found := false
		for _, l := range regels(orig) {
			if l["artikel"].(map[string]any)["id"] == lines[0]["artikel"].(map[string]any)["id"] && num(l["stuksprijs"]).Equal(num(lines[0]["stuksprijs"])) {
				found = true
			}
		}
		if !found || !num(credit["totaalInclusiefBtw"]).IsNegative() {
			t.Fatalf("return %d: %v is no line of the original %v", ret.ID, lines[0], regels(orig))
		}
	}

	// (Not every one: reward points, say, may have been on the order's other
	// products only, at another rate.)
	if shared+noPoints == 0 {
		t.Fatal("no return of an order with a discount was credited with its share of it, nor one without points left without")
	}

	// A booked order without a return is refunded in full.
	var full opencart.Order
	returned := w.returnedOrders()
	for _, o := range w.statusOrders() {
		if sales[o.ID] && !returned[o.ID] && len(o.Lines) > 1 {
			full = o
			break
		}
	}
	w.setStatus(t, full.ID, 11)
	// The preview shows the credit with its negative lines and writes nothing.
	count := w.sim.Count("verkooporders")
	preview, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, Settings: s, Preview: true})
	if err != nil || preview.Counts["credit_planned"] != 1 || w.sim.Count("verkooporders") != count {
		t.Fatalf("preview: %v %v", preview.Counts, err)
	}
	for _, r := range preview.Results {
		if r.Kind == "credit" && r.State == "planned" && (r.Plan == nil || r.Reference != fmt.Sprint(full.ID)+"-C" || !r.Plan.Lines[0].Quantity.IsNegative()) {
			t.Fatalf("planned credit %+v", r)
		}
	}
	before := w.stock()
	second := w.runWith(t, s, nil)
	if second.Counts["credit_created"] != 1 || second.Counts["created"] != 0 || second.Counts["credit_not_booked"] != 0 {
		t.Fatalf("second run: %v", second.Counts)
	}
	vos, n = w.byReference()
	ref := orderimport.CreditReference(fmt.Sprint(full.ID), 0)
	credit, orig := vos[ref], vos[fmt.Sprint(full.ID)]
	if n[ref] != 1 || !num(credit["totaalInclusiefBtw"]).Equal(num(orig["totaalInclusiefBtw"]).Neg()) {
		t.Fatalf("full refund: %d credits %q, total %v for %v", n[ref], ref, credit["totaalInclusiefBtw"], orig["totaalInclusiefBtw"])
	}
	want := fmt.Sprintf("Credit webshop order %d (verkooporder %v)", full.ID, orig["nummer"])
	if credit["omschrijving"] != want {
		t.Fatalf("omschrijving %q, want %q", credit["omschrijving"], want)
	}
	a, b := regels(orig), regels(credit)
	if len(a) != len(b) {
		t.Fatalf("credit has %d lines, the original %d", len(b), len(a))
	}
	after := w.stock()
	raised := 0
	for i := range a {
		if a[i]["artikel"].(map[string]any)["id"] != b[i]["artikel"].(map[string]any)["id"] ||
			!num(a[i]["stuksprijs"]).Equal(num(b[i]["stuksprijs"])) || !num(a[i]["aantal"]).Neg().Equal(num(b[i]["aantal"])) {
			t.Fatalf("line %d: %v credits %v", i, b[i], a[i])
		}
		// Stock follows: the credited quantity is back.
		id := b[i]["artikel"].(map[string]any)["id"].(string)
		if code := w.article(id); code != "" && a[i]["aantal"] != nil && !num(a[i]["aantal"]).IsZero() {
			if !after[id].Sub(before[id]).Equal(num(a[i]["aantal"])) {
				t.Fatalf("article %s: stock %v → %v after crediting %v", code, before[id], after[id], a[i]["aantal"])
			}
			raised++
		}
	}
	if raised == 0 {
		t.Fatal("no stock-controlled article on the credited order")
	}

	third := w.runWith(t, s, nil)
	if third.Counts["credit_created"] != 0 || third.Counts["credit_exists"] != 0 || third.Counts["credit_not_booked"] != 0 ||
		third.Counts["credit_skipped"] != len(returns)+1+neverBooked || w.credits() != len(returns)+1 {
		t.Fatalf("third run: %v, %d credit orders", third.Counts, w.credits())
	}
}

// article is the code of a stock-controlled article, "" for another.
func (w *world) article(id string) string {
	for _, a := range w.sim.All("artikelen") {
		if a["id"] == id && a["voorraadControle"] == true {
			return a["artikelcode"].(string)
		}
	}
	return ""
}

// Off by default: refunds and returns stay out of SnelStart.
func TestRefundsAreNotCreditedByDefault(t *testing.T) {
	w := knownWorld(t, 40)
	if w.settings().RefundCredit {
		t.Fatal("Terugbetalingen als creditorder is on by default")
	}
	w.runWith(t, w.settings(), nil)
	w.setStatus(t, w.statusOrders()[0].ID, 11)
	rep := w.runWith(t, w.settings(), nil)
	if w.credits() != 0 || len(w.fix.Returns) == 0 {
		t.Fatalf("%d credit orders with the setting off (%v)", w.credits(), rep.Counts)
	}
	for k := range rep.Counts {
		if strings.HasPrefix(k, "credit_") {
			t.Fatalf("credits counted with the setting off: %v", rep.Counts)
		}
	}
}

// agedCredits is the credit ledger an hour later.
type agedCredits struct{ *config.Store }

func (a agedCredits) Credits(profileID uint, ids []int) (map[string]config.CreditEntry, error) {
	m, err := a.Store.Credits(profileID, ids)
	for ref, e := range m {
		e.UpdatedAt = e.UpdatedAt.Add(-time.Hour)
		m[ref] = e
	}
	return m, err
}

// crashAfterCreate is the ledger of a program that dies right after
// SnelStart created a credit order: its "confirmed" is never written.
type crashAfterCreate struct{ *config.Store }

func (c crashAfterCreate) PutCredit(e config.CreditEntry) error {
	if e.State == config.LedgerConfirmed {
		return errors.New("the program stopped")
	}
	return c.Store.PutCredit(e)
}

// A crash between the create and the ledger's "confirmed" leaves the credit
// in "sending": the next run finds it by its reference and does not create
// it again. A crash before the create left: not to be seen, it waits until
// SnelStart would show it, then goes — once.
func TestCreditAfterACrashIsBookedOnce(t *testing.T) {
	w := knownWorld(t, 40)
	s := w.refundSettings()
	w.runWith(t, s, nil)
	var booked []opencart.Order
	for _, o := range w.statusOrders() {
		if o.StatusID != 12 { // a refund status: not booked with refunds on
			booked = append(booked, o)
		}
	}
	o := booked[0]
	w.setStatus(t, o.ID, 13)
	// The crash: the credit order is created, the ledger's "confirmed" is
	// never written.
	if rep := w.runWith(t, s, crashAfterCreate{w.store}); rep.Counts["credit_failed"] != 1 {
		t.Fatalf("refund run: %v", rep.Counts)
	}
	ref := orderimport.CreditReference(fmt.Sprint(o.ID), 0)
	entries, _ := w.store.Credits(w.prof, []int{o.ID})
	if _, n := w.byReference(); n[ref] != 1 || entries[ref].State != config.LedgerSending {
		t.Fatalf("after the crash: %d credit orders, entry %+v", n[ref], entries[ref])
	}
	// The next run, long after: found by its reference, not created again.
	rep := w.runWith(t, s, agedCredits{w.store})
	_, n := w.byReference()
	if rep.Counts["credit_exists"] != 1 || n[ref] != 1 {
		t.Fatalf("after the crash: %v, %d credit orders", rep.Counts, n[ref])
	}
	entries, _ = w.store.Credits(w.prof, []int{o.ID})
	if entries[ref].State != config.LedgerConfirmed || entries[ref].Nummer == 0 {
		t.Fatalf("not confirmed after the lookup: %+v", entries[ref])
	}

	// The crash before the create left: another order, in "sending".
	o2 := booked[1]
	ref2 := orderimport.CreditReference(fmt.Sprint(o2.ID), 0)
	w.store.PutCredit(config.CreditEntry{ProfileID: w.prof, Reference: ref2, OrderID: o2.ID, State: config.LedgerSending, Attempts: 1})
	w.setStatus(t, o2.ID, 11)
	rep = w.runWith(t, s, nil)
	if _, n = w.byReference(); n[ref2] != 0 || rep.Counts["credit_failed"] != 1 {
		t.Fatalf("sent while it may still show: %v, %d", rep.Counts, n[ref2])
	}
	for run := 0; run < 2; run++ {
		rep = w.runWith(t, s, agedCredits{w.store})
	}
	if _, n = w.byReference(); n[ref2] != 1 {
		t.Fatalf("after the wait: %v, %d credit orders", rep.Counts, n[ref2])
	}
}

// oldBridge is a transport whose whitelist predates the returns: a bridge
// placed by an older S-Connect.
type oldBridge struct{ opencart.Transport }

func (o oldBridge) Schema(ctx context.Context) (opencart.Schema, error) {
	s, err := o.Transport.Schema(ctx)
	delete(s.Columns, "return")
	delete(s.Columns, "return_action")
	return s, err
}

// Returns that cannot be read are said in the run, not skipped in silence;
// refunded orders are credited all the same.
func TestUnreadableReturnsAreSaid(t *testing.T) {
	sdb := fixturetest.NewShopDB(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 30, Products: 30, Customers: 20, GuestPercent: -1, Seed: 8})
	tr, err := mysql.Open(context.Background(), mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: sdb.Database, User: "root", Prefix: "oc_"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	w := newWorldOn(t, oldBridge{tr}, sdb.DB, sdb.Shop)
	rep := w.runWith(t, w.refundSettings(), nil)
	said := false
	for _, n := range rep.Warnings {
		said = said || n.Code == "returns_unreadable"
	}
	if !said || len(w.fix.Returns) == 0 || rep.Counts["credit_created"] != 0 {
		t.Fatalf("warnings %v, counts %v", rep.Warnings, rep.Counts)
	}
	if rep := w.runWith(t, w.settings(), nil); len(rep.Warnings) != 0 {
		t.Fatalf("warned with refunds off: %v", rep.Warnings)
	}
}

// A verkooporder that already carries the credit's reference but for
// another customer (another shop in the same administration) is not taken
// for the credit: the credit is held, and none is created, run after run.
func TestCreditReferenceTakenIsHeld(t *testing.T) {
	w := knownWorld(t, 40)
	s := w.refundSettings()
	w.runWith(t, s, nil)
	o := w.unreturnedOrder(t)
	vos, _ := w.byReference()
	own := vos[fmt.Sprint(o.ID)]["relatie"].(map[string]any)["id"]
	other := w.relatie(t, func(r map[string]any) bool { return r["id"] != own })
	ref := orderimport.CreditReference(fmt.Sprint(o.ID), 0)
	w.sim.Insert("verkooporders", map[string]any{"relatie": map[string]any{"id": other["id"]}, "betalingskenmerk": ref,
		"omschrijving": "andere winkel", "regels": []any{}, "nummer": 9001, "totaalInclusiefBtw": -10})
	w.setStatus(t, o.ID, 11)
	for run := 0; run < 2; run++ {
		rep := w.runWith(t, s, agedCredits{w.store})
		held := false
		for _, r := range rep.Results {
			held = held || r.Kind == "credit" && r.Reference == ref && r.State == "held" && r.Reason != nil && r.Reason.Code == "reference_taken"
		}
		if _, n := w.byReference(); !held || n[ref] != 1 || rep.Counts["credit_created"] != 0 {
			t.Fatalf("run %d: %v, %d verkooporders %s", run, rep.Counts, n[ref], ref)
		}
		// The second run on another PC: a ledger that found the orders in
		// SnelStart and never sent them knows their customer from there.
		fresh, err := config.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { fresh.Close() })
		p, _ := fresh.CreateProfile("Andere pc")
		w.store, w.prof = fresh, p.ID
	}
}

// An order booked on another PC (or before the ledger was lost) and
// refunded since is found in SnelStart by its reference and credited once —
// not called "never booked" because this ledger does not know it.
func TestRefundOfAnOrderBookedElsewhere(t *testing.T) {
	w := knownWorld(t, 40)
	s := w.refundSettings()
	w.runWith(t, s, nil)
	o := w.unreturnedOrder(t)
	w.setStatus(t, o.ID, 11)
	fresh, err := config.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fresh.Close() })
	p, _ := fresh.CreateProfile("Andere pc")
	w.store, w.prof = fresh, p.ID
	ref := orderimport.CreditReference(fmt.Sprint(o.ID), 0)
	for run := 0; run < 2; run++ {
		w.runWith(t, s, nil)
		vos, n := w.byReference()
		if n[ref] != 1 || !num(vos[ref]["totaalInclusiefBtw"]).Equal(num(vos[fmt.Sprint(o.ID)]["totaalInclusiefBtw"]).Neg()) {
			t.Fatalf("run %d: %d credit orders %s", run, n[ref], ref)
		}
	}
	entries, _ := w.store.Credits(w.prof, []int{o.ID})
	if entries[ref].State != config.LedgerConfirmed {
		t.Fatalf("credit entry %+v", entries[ref])
	}
}

// A shop whose return actions have names S-Connect does not know (renamed
// in OpenCart) cannot tell a refunded return from another: said in the
// run, nothing credited.
func TestUnknownReturnActionsAreSaid(t *testing.T) {
	w := knownWorld(t, 30)
	if _, err := w.db.Exec("UPDATE oc_return_action SET name = CONCAT('Actie ', return_action_id)"); err != nil {
		t.Fatal(err)
	}
	rep := w.runWith(t, w.refundSettings(), nil)
	said := false
	for _, n := range rep.Warnings {
		said = said || n.Code == "return_actions_unknown"
	}
	if !said || len(w.fix.Returns) == 0 || rep.Counts["credit_created"] != 0 {
		t.Fatalf("warnings %v, counts %v", rep.Warnings, rep.Counts)
	}
}

// Returns of one order line never credit more than was ordered: a second
// return of the whole line credits only what the first left, or is held
// when nothing is left.
func TestReturnsCreditNoMoreThanOrdered(t *testing.T) {
	w := knownWorld(t, 60)
	s := w.refundSettings()
	var first opencart.Return
	var line opencart.Line
	for _, r := range w.fix.Returns {
		for _, o := range w.statusOrders() {
			if o.ID == r.OrderID && o.StatusID != 12 && r.ProductID > 0 {
				for _, l := range o.Lines {
					if l.ProductID == r.ProductID {
						first, line = r, l
					}
				}
			}
		}
	}
	if first.ID == 0 {
		t.Fatal("no refunded return of a sale with a product id in the fixture")
	}
	res, err := w.db.Exec(`INSERT INTO oc_return (order_id, product_id, customer_id, firstname, lastname, email, telephone, product, model,
		quantity, opened, return_reason_id, return_action_id, return_status_id, comment, date_ordered, date_added, date_modified)
		VALUES (?, ?, 0, 'A', 'B', 'a@b.nl', '', ?, ?, ?, 1, 1, 1, 3, '', '2024-01-01', NOW(), NOW())`,
		first.OrderID, first.ProductID, line.Name, line.Model, line.Quantity)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := res.LastInsertId()
	rep := w.runWith(t, s, nil)
	ref := orderimport.CreditReference(fmt.Sprint(first.OrderID), int(second))
	vos, n := w.byReference()
	left := line.Quantity - first.Quantity
	if left == 0 {
		held := false
		for _, r := range rep.Results {
			held = held || r.Reference == ref && r.State == "held" && r.Reason != nil && r.Reason.Code == "return_exceeds_order"
		}
		if !held || n[ref] != 0 {
			t.Fatalf("second return of a whole line: %d credits, counts %v", n[ref], rep.Counts)
		}
		return
	}
	if n[ref] != 1 || !num(regels(vos[ref])[0]["aantal"]).Equal(decimal.NewFromInt(int64(-left))) {
		t.Fatalf("second return: %d credits %v, want %d back", n[ref], vos[ref]["regels"], left)
	}
}

// couponReads is a transport that notes the orders whose coupon is read
// (the coupon_history read of opencart.ReadDiscounts).
type couponReads struct {
	opencart.Transport
	mu     sync.Mutex
	orders map[int]bool
}

func (c *couponReads) Select(ctx context.Context, q opencart.Query) ([]opencart.Row, error) {
	if q.Table == "coupon_history" {
		c.mu.Lock()
		for _, w := range q.Where {
			for _, v := range w.Values {
				if w.Column == "order_id" {
					c.orders[int(reflect.ValueOf(v).Int())] = true
				}
			}
		}
		c.mu.Unlock()
	}
	return c.Transport.Select(ctx, q)
}

// read returns the orders whose coupon was read since the last call.
func (c *couponReads) read() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := slices.Sorted(maps.Keys(c.orders))
	clear(c.orders)
	return out
}

// The coupon of an order is read for the credits of its returns still to
// be booked — on the first run, and again for a credit that failed — and
// not for returns credited before; the credit booked again is the one
// booked first, its share of the coupon included.
func TestReturnDiscountsAreReadForTheCreditsToBook(t *testing.T) {
	sdb := fixturetest.NewShopDB(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 60, Products: 30, Customers: 20, GuestPercent: -1, Seed: 8})
	tr, err := mysql.Open(context.Background(), mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: sdb.Database, User: "root", Prefix: "oc_"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	reads := &couponReads{Transport: tr, orders: map[int]bool{}}
	w := newWorldOn(t, reads, sdb.DB, sdb.Shop)
	w.knowAll()
	s := w.refundSettings()
	coupon := map[int]bool{}
	for _, o := range w.fix.Orders {
		for _, t := range o.Totals {
			coupon[o.ID] = coupon[o.ID] || t.Code == "coupon" && !t.Value.IsZero()
		}
	}
	// A refunded return of every booked order with a coupon besides the
	// fixture's.
	returned := w.returnedOrders()
	for _, o := range w.statusOrders() {
		if coupon[o.ID] && o.StatusID != 12 && !returned[o.ID] {
			w.addReturn(t, o.ID, 1)
		}
	}
	reads.read() // the shop's set-up

	first := w.runWith(t, s, nil)
	var want []int
	var credited []orderimport.Result // the created return credits of orders with a coupon
	for _, r := range first.Results {
		if r.Kind == "credit" && r.State == "created" && coupon[r.OrderID] && !strings.HasSuffix(r.Reference, "-C") {
			want = append(want, r.OrderID)
			credited = append(credited, r)
		}
	}
	want = slices.Compact(slices.Sorted(slices.Values(want)))
	if got := reads.read(); len(want) < 3 || !slices.Equal(got, want) {
		t.Fatalf("first run: the coupons of orders %v read, the return credits of coupon orders %v created (the test needs three)", got, want)
	}

	// Those credits failed but the last order's: no longer in SnelStart,
	// their entries failed. Planned again without their order's coupon
	// read, a credit of a coupon for some products or with free shipping
	// would be booked with another share of it.
	kept := want[len(want)-1]
	firstVOs, _ := w.byReference()
	var again []orderimport.Result
	for _, r := range credited {
		if r.OrderID == kept {
			continue
		}
		again = append(again, r)
		w.sim.Patch("verkooporders", firstVOs[r.Reference]["id"].(string), map[string]any{"betalingskenmerk": "weg", "orderreferentie": "weg"})
		entries, err := w.store.Credits(w.prof, []int{r.OrderID})
		if err != nil {
			t.Fatal(err)
		}
		e := entries[r.Reference]
		e.State, e.VerkooporderID, e.Nummer = config.LedgerFailed, "", 0
		if err := w.store.PutCredit(e); err != nil {
			t.Fatal(err)
		}
	}

	second := w.runWith(t, s, nil)
	if got := reads.read(); second.Counts["credit_created"] != len(again) || !slices.Equal(got, want[:len(want)-1]) {
		t.Fatalf("second run: %v; the coupons of orders %v read, want %v's (not %d's: credited before)", second.Counts, got, want[:len(want)-1], kept)
	}
	vos, n := w.byReference()
	for _, r := range again {
		before, after := firstVOs[r.Reference], vos[r.Reference]
		if n[r.Reference] != 1 || !num(after["totaalInclusiefBtw"]).Equal(num(before["totaalInclusiefBtw"])) ||
			len(regels(after)) != len(regels(before)) {
			t.Fatalf("credit %s booked again: %v, %v; first %v, %v", r.Reference, after["totaalInclusiefBtw"], regels(after),
				before["totaalInclusiefBtw"], regels(before))
		}
		for i, l := range regels(before) {
			m := regels(after)[i]
			if m["artikel"].(map[string]any)["id"] != l["artikel"].(map[string]any)["id"] || !num(m["totaal"]).Equal(num(l["totaal"])) {
				t.Fatalf("credit %s line %d booked again %v, first %v", r.Reference, i, m, l)
			}
		}
	}

	// Nothing left to credit: no coupon read.
	if third := w.runWith(t, s, nil); third.Counts["credit_created"] != 0 || len(reads.read()) != 0 {
		t.Fatalf("third run: %v", third.Counts)
	}
}

// returnedOrders are the orders the fixture has returns of.
func (w *world) returnedOrders() map[int]bool {
	returned := map[int]bool{}
	for _, r := range w.fix.Returns {
		returned[r.OrderID] = true
	}
	return returned
}

// unreturnedOrder is an order in a sale status (not 12) without a return.
func (w *world) unreturnedOrder(t *testing.T) opencart.Order {
	t.Helper()
	returned := w.returnedOrders()
	for _, o := range w.statusOrders() {
		if o.StatusID != 12 && !returned[o.ID] {
			return o
		}
	}
	t.Fatal("the fixture has no order in a sale status without a return")
	return opencart.Order{}
}
