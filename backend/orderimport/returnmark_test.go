package orderimport_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/orderimport"
)

// countedWorld is recentWorld's shop of a version, read through a
// transport that counts the reads.
func countedWorld(t *testing.T, version string) (*world, *countingTransport) {
	t.Helper()
	sdb := fixturetest.NewShopDB(t, fixture.Config{Version: version, Prefix: "oc_", Orders: 80, Products: 80, Customers: 60, Seed: 5,
		Base: time.Now().Add(-96 * time.Hour)})
	tr, err := mysql.Open(context.Background(), mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: sdb.Database, User: "root", Prefix: "oc_"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	ct := &countingTransport{Transport: tr}
	w := newWorldOn(t, ct, sdb.DB, sdb.Shop)
	w.returnsInThePast(t)
	return w, ct
}

// returnsInThePast dates the fixture's returns as OpenCart does (NOW() when
// added): none after now. The generator dates them up to 23 days after
// their order, which for a shop of the last four days lies ahead.
func (w *world) returnsInThePast(t *testing.T) {
	t.Helper()
	stamp := time.Now().Add(-2 * time.Hour).In(w.shop.Location).Format("2006-01-02 15:04:05")
	if _, err := w.db.Exec("UPDATE oc_return SET date_added = ?, date_modified = ? WHERE date_modified > ?", stamp, stamp, stamp); err != nil {
		t.Fatal(err)
	}
}

// runCounted is a watermark run (runState) with refunds on or off, and
// the shop reads it made.
func (w *world) runCounted(t *testing.T, ct *countingTransport, refunds bool) (*orderimport.Report, int64) {
	t.Helper()
	s := w.settings()
	s.RefundCredit = refunds
	before := ct.n.Load()
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, State: w.store, Settings: s, PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.State == "failed" || r.State == "held" {
			t.Fatalf("%s %d: %s %+v", r.Kind, r.OrderID, r.State, r.Reason)
		}
	}
	return rep, ct.n.Load() - before
}

// history41 gives an order a sale status as OpenCart 4.1's addHistory
// does: the status and an order_history row dated at, date_modified left
// at its checkout.
func (w *world) history41(t *testing.T, id int, at time.Time) {
	t.Helper()
	if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = ? WHERE order_id = ?", w.fix.SaleStatuses[0], id); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Exec("INSERT INTO oc_order_history (order_id, order_status_id, notify, comment, date_added) VALUES (?, ?, 0, '', ?)",
		id, w.fix.SaleStatuses[0], at.In(w.shop.Location).Format("2006-01-02 15:04:05")); err != nil {
		t.Fatal(err)
	}
}

// ordersRead is how many orders (not credits) a run read.
func ordersRead(rep *orderimport.Report) int {
	n := 0
	for _, r := range rep.Results {
		if r.Kind != "credit" {
			n++
		}
	}
	return n
}

// The steady state of BenchmarkWatermark50k on 3.0 and 4.1, with refunds
// as credit orders off and on: five orders get a sale status after a full
// pass (on 4.1 through the order history, date_modified left at their
// checkout: not a clock set back), and the watermark run that books them
// makes at most watermarkQueries shop reads. OpenCart 4.1 reads its order
// history besides; with refunds on the run reads the returns changed since
// the returns' watermark besides.
func TestWatermarkRunReads(t *testing.T) {
	for _, version := range []string{"3.0", "4.1"} {
		for _, refunds := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s refunds=%v", version, refunds), func(t *testing.T) {
				w, ct := countedWorld(t, version)
				sales := slices.Clone(w.fix.Orders)
				slices.SortFunc(sales, func(a, b opencart.Order) int { return a.ID - b.ID })
				held := sales[len(sales)-5:]
				// As in the benchmark: every other order a sale (none
				// refunded: the refunded orders are read whole each run).
				if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = ? WHERE order_status_id > 0", w.fix.SaleStatuses[0]); err != nil {
					t.Fatal(err)
				}
				for _, o := range held {
					if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = 0 WHERE order_id = ?", o.ID); err != nil {
						t.Fatal(err)
					}
				}
				if rep, _ := w.runCounted(t, ct, refunds); rep.Mode != orderimport.ModeFull {
					t.Fatalf("first run: %s", rep.Mode)
				}
				now := time.Now()
				for _, o := range held {
					if version == "4.1" {
						w.history41(t, o.ID, now)
					} else {
						w.sell(t, o.ID, now, false)
					}
				}
				rep, reads := w.runCounted(t, ct, refunds)
				t.Logf("OpenCart %s, refunds %v: %d shop reads, %d orders read, %v", version, refunds, reads, ordersRead(rep), rep.Counts)
				if rep.Mode != orderimport.ModeIncremental || rep.Counts["created"] != 5 || ordersRead(rep) > len(sales)/4 {
					t.Fatalf("watermark run: %s, %d orders read, %v", rep.Mode, ordersRead(rep), rep.Counts)
				}
				if reads > watermarkQueries {
					t.Errorf("watermark run made %d shop reads, target ≤ %d", reads, watermarkQueries)
				}
				ids := make([]int, len(held))
				for i, o := range held {
					ids[i] = o.ID
				}
				w.bookedOnce(t, ids...)
			})
		}
	}
}

// addReturn adds a return of the order's first line as OpenCart's
// addReturn does (the line's stored name and model, dated NOW() on the
// shop's clock), with this action; it returns the return's id.
func (w *world) addReturn(t *testing.T, orderID, action int) int {
	t.Helper()
	return w.addReturnAt(t, orderID, action, time.Now())
}

// addReturnAt is addReturn with the shop's clock at at.
func (w *world) addReturnAt(t *testing.T, orderID, action int, at time.Time) int {
	t.Helper()
	now := at.In(w.shop.Location).Format("2006-01-02 15:04:05")
	res, err := w.db.Exec(`INSERT INTO oc_return (order_id, product_id, customer_id, firstname, lastname, email, telephone, product, model,
		quantity, opened, return_reason_id, return_action_id, return_status_id, comment, date_ordered, date_added, date_modified)
		SELECT o.order_id, op.product_id, o.customer_id, o.firstname, o.lastname, o.email, o.telephone, op.name, op.model,
		1, 1, 2, ?, 3, '', DATE(o.date_added), ?, ? FROM oc_order o JOIN oc_order_product op ON op.order_id = o.order_id
		WHERE o.order_id = ? ORDER BY op.order_product_id LIMIT 1`, action, now, now, orderID)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return int(id)
}

// creditsOf counts the verkooporders that carry this credit reference.
func (w *world) creditsOf(ref string) int {
	_, n := w.byReference()
	return n[ref]
}

// With refunds as credit orders on, a watermark run reads only what
// changed — refunded returns have a watermark of their own — and still
// credits a return added to an old order booked long before, and a return
// whose action becomes a refund after the watermark; over further runs
// nothing is credited twice.
func TestReturnWatermarkCreditsOldOrders(t *testing.T) {
	w, ct := countedWorld(t, "3.0")
	first, _ := w.runCounted(t, ct, true)
	if first.Mode != orderimport.ModeFull {
		t.Fatalf("first run: %s", first.Mode)
	}
	credits := w.credits()
	returned := map[int]bool{}
	for _, r := range w.fix.Returns {
		returned[r.OrderID] = true
	}
	// Two old orders booked by the first run, without returns.
	var old []int
	for _, o := range w.statusOrders() {
		if len(old) < 2 && !returned[o.ID] && o.StatusID != 11 && o.StatusID != 12 && o.StatusID != 13 && len(o.Lines) > 0 {
			old = append(old, o.ID)
		}
	}
	w.bookedOnce(t, old...)
	steady, steadyReads := w.runCounted(t, ct, true)
	if steady.Mode != orderimport.ModeIncremental || ordersRead(steady) > len(w.fix.Orders)/4 {
		t.Fatalf("second run: %s, %d orders read", steady.Mode, ordersRead(steady))
	}

	// 3.0's return actions: 1 Refunded, 3 Replacement Sent.
	refunded := w.addReturn(t, old[0], 1)
	rep, reads := w.runCounted(t, ct, true)
	t.Logf("steady run %d shop reads; with a return added %d shop reads, %d orders read", steadyReads, reads, ordersRead(rep))
	ref := fmt.Sprintf("%d-C%d", old[0], refunded)
	if rep.Mode != orderimport.ModeIncremental || ordersRead(rep) > len(w.fix.Orders)/4 || rep.Counts["credit_created"] != 1 || w.creditsOf(ref) != 1 {
		t.Fatalf("run after a return of an old order: %s, %d orders read, %v, %d credits %s", rep.Mode, ordersRead(rep), rep.Counts, w.creditsOf(ref), ref)
	}

	// Replacement Sent: nothing to credit; then the admin's editReturn
	// makes it Refunded (date_modified NOW()).
	later := w.addReturn(t, old[1], 3)
	if rep, _ := w.runCounted(t, ct, true); rep.Counts["credit_created"] != 0 {
		t.Fatalf("a replacement credited: %v", rep.Counts)
	}
	stamp := time.Now().In(w.shop.Location).Format("2006-01-02 15:04:05")
	if _, err := w.db.Exec("UPDATE oc_return SET return_action_id = 1, date_modified = ? WHERE return_id = ?", stamp, later); err != nil {
		t.Fatal(err)
	}
	rep, _ = w.runCounted(t, ct, true)
	ref2 := fmt.Sprintf("%d-C%d", old[1], later)
	if rep.Mode != orderimport.ModeIncremental || rep.Counts["credit_created"] != 1 || w.creditsOf(ref2) != 1 {
		t.Fatalf("run after the action became Refunded: %s %v, %d credits %s", rep.Mode, rep.Counts, w.creditsOf(ref2), ref2)
	}

	// Nothing twice: further watermark runs and a full pass.
	for _, full := range []bool{false, true} {
		s := w.settings()
		s.RefundCredit = true
		rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
			Ledger: w.store, State: w.store, Settings: s, PageSize: 10, Full: full})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts["credit_created"] != 0 || w.creditsOf(ref) != 1 || w.creditsOf(ref2) != 1 || w.credits() != credits+2 {
			t.Fatalf("run (full %v): %v; credits %d, want %d", full, rep.Counts, w.credits(), credits+2)
		}
	}
}

// The returns' watermark misses no refunded return, as the orders' one
// misses no order: one added during a full pass to an order whose page was
// already read (and one to an order of a later page, credited by that same
// run), one whose date_modified lies before the changes seen (a late
// commit), and after the shop's clock was set back an hour and a half when
// a return, not an order, was the newest change — the return dated back,
// and one dated on the shop's new clock after. Each is credited once.
func TestReturnWatermarkMissesNoReturn(t *testing.T) {
	w, ct := countedWorld(t, "3.0")
	returned := map[int]bool{}
	for _, r := range w.fix.Returns {
		returned[r.OrderID] = true
	}
	// Booked orders without returns, lowest id first.
	var plain []int
	for _, o := range w.statusOrders() {
		if !returned[o.ID] && o.StatusID != 11 && o.StatusID != 12 && o.StatusID != 13 && len(o.Lines) > 0 {
			plain = append(plain, o.ID)
		}
	}
	sales := w.statusOrders()
	if len(plain) < 6 || plain[0] > sales[9].ID || plain[len(plain)-1] <= sales[len(sales)-10].ID {
		t.Fatalf("the fixture has no booked orders without returns on the first and the last page: %v", plain)
	}
	// The newest order is outside the selection until the clock step.
	newest := slices.MaxFunc(w.fix.Orders, func(a, b opencart.Order) int { return a.ID - b.ID })
	if _, err := w.db.Exec("UPDATE oc_order SET order_status_id = 0 WHERE order_id = ?", newest.ID); err != nil {
		t.Fatal(err)
	}
	w.runCounted(t, ct, true)
	credits := w.credits()
	run := func(full bool, progress func(int)) *orderimport.Report {
		t.Helper()
		s := w.settings()
		s.RefundCredit = true
		rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
			Ledger: w.store, State: w.store, Settings: s, PageSize: 10, Full: full, Progress: progress})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	ref := func(orderID, returnID int) string { return fmt.Sprintf("%d-C%d", orderID, returnID) }

	// During a full pass: A's page is read, B's is still to come.
	a, b := plain[0], plain[len(plain)-1]
	var retA, retB int
	pages := 0
	run(true, func(int) {
		if pages++; pages == 1 {
			retA, retB = w.addReturn(t, a, 1), w.addReturn(t, b, 1)
		}
	})
	if w.creditsOf(ref(b, retB)) != 1 {
		t.Fatalf("the return of order %d, on a later page, was not credited by the run it was added in", b)
	}
	if rep := run(false, nil); rep.Mode != orderimport.ModeIncremental || w.creditsOf(ref(a, retA)) != 1 || w.creditsOf(ref(b, retB)) != 1 {
		t.Fatalf("after the full pass: %s %v; credits %s: %d, %s: %d", rep.Mode, rep.Counts,
			ref(a, retA), w.creditsOf(ref(a, retA)), ref(b, retB), w.creditsOf(ref(b, retB)))
	}

	// Committed late: dated before the changes the run before saw.
	c := plain[1]
	retC := w.addReturnAt(t, c, 1, time.Now().Add(-5*time.Minute))
	if rep := run(false, nil); rep.Mode != orderimport.ModeIncremental || w.creditsOf(ref(c, retC)) != 1 {
		t.Fatalf("late commit: %s %v, %d credits", rep.Mode, rep.Counts, w.creditsOf(ref(c, retC)))
	}

	// The shop's clock goes back 90 minutes. The orders last changed
	// before that, the returns after (C's): a return added now is dated
	// before the newest change seen, a new order too, yet after the
	// orders' watermark (so the step does not show). It is credited.
	back := time.Now().Add(-90 * time.Minute)
	for _, o := range w.fix.Orders {
		if o.Modified.After(back.Add(-orderimport.Overlap)) {
			t.Fatalf("order %d changed at %v, after the clock step's %v", o.ID, o.Modified, back)
		}
	}
	d := plain[2]
	retD := w.addReturnAt(t, d, 1, back)
	w.sell(t, newest.ID, back.Add(time.Second), true)
	if rep := run(false, nil); w.creditsOf(ref(d, retD)) != 1 {
		t.Fatalf("after the clock step: %s %v, %d credits", rep.Mode, rep.Counts, w.creditsOf(ref(d, retD)))
	}
	// From then on the shop's clock is where its changes are: a return
	// added on it is read by a watermark run.
	e := plain[3]
	retE := w.addReturnAt(t, e, 1, back.Add(time.Minute))
	if rep := run(false, nil); rep.Mode != orderimport.ModeIncremental || w.creditsOf(ref(e, retE)) != 1 {
		t.Fatalf("after the step: %s %v, %d credits", rep.Mode, rep.Counts, w.creditsOf(ref(e, retE)))
	}

	// Nothing twice.
	if rep := run(true, nil); rep.Counts["credit_created"] != 0 || w.credits() != credits+5 {
		t.Fatalf("Volledige controle: %v; credits %d, want %d", rep.Counts, w.credits(), credits+5)
	}
}

// olderBridge reports the shop as a bridge placed by an older S-Connect
// does: return.date_modified not allowed.
type olderBridge struct{ opencart.Transport }

func (b olderBridge) Schema(ctx context.Context) (opencart.Schema, error) {
	s, err := b.Transport.Schema(ctx)
	if err != nil {
		return s, err
	}
	cols := map[string][]string{}
	for table, c := range s.Columns {
		cols[table] = c
	}
	cols["return"] = slices.DeleteFunc(slices.Clone(cols["return"]), func(c string) bool { return c == "date_modified" })
	s.Columns = cols
	return s, nil
}

// When the returns cannot be read by date (an older bridge), refunds as
// credit orders make every run a full pass, so a return added to an old
// order is still credited; with refunds off the runs are watermark runs.
func TestReturnsUnreadableByDateMakeFullPasses(t *testing.T) {
	sdb := fixturetest.NewShopDB(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 80, Products: 80, Customers: 60, Seed: 5,
		Base: time.Now().Add(-96 * time.Hour)})
	tr, err := mysql.Open(context.Background(), mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: sdb.Database, User: "root", Prefix: "oc_"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	ct := &countingTransport{Transport: olderBridge{tr}}
	w := newWorldOn(t, ct, sdb.DB, sdb.Shop)
	w.returnsInThePast(t)
	if w.shop.ReturnsWatermarkable() || !w.shop.Schema().HasTable("return") {
		t.Fatal("the older bridge's schema still has return.date_modified")
	}
	w.runCounted(t, ct, false)
	if rep, _ := w.runCounted(t, ct, false); rep.Mode != orderimport.ModeIncremental {
		t.Fatalf("refunds off: %s", rep.Mode)
	}
	returned := map[int]bool{}
	for _, r := range w.fix.Returns {
		returned[r.OrderID] = true
	}
	var old int
	for _, o := range w.statusOrders() {
		if !returned[o.ID] && o.StatusID != 11 && o.StatusID != 12 && o.StatusID != 13 && len(o.Lines) > 0 {
			old = o.ID
			break
		}
	}
	for i := range 2 {
		if rep, _ := w.runCounted(t, ct, true); rep.Mode != orderimport.ModeFull {
			t.Fatalf("refunds on, run %d: %s", i+1, rep.Mode)
		}
	}
	ret := w.addReturn(t, old, 1)
	if rep, _ := w.runCounted(t, ct, true); rep.Mode != orderimport.ModeFull || w.creditsOf(fmt.Sprintf("%d-C%d", old, ret)) != 1 {
		t.Fatalf("a return of an old order: %s %v", rep.Mode, rep.Counts)
	}
	st, err := w.store.OrderState(w.prof)
	if err != nil || !st.ReturnWatermark.IsZero() {
		t.Fatalf("returns' watermark %v %v, want none", st.ReturnWatermark, err)
	}
}
