package orderimport_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/orderimport"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

func (w *world) runWith(t testing.TB, s orderimport.Settings, l orderimport.Ledger) *orderimport.Report {
	t.Helper()
	if l == nil {
		l = w.store
	}
	rep, err := orderimport.Run(context.Background(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: l, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// statusOrders are the orders that must reach SnelStart (a sale status), in order.
func (w *world) statusOrders() []opencart.Order {
	out := w.fix.Sales()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (w *world) relatie(t testing.TB, match func(map[string]any) bool) map[string]any {
	t.Helper()
	for _, r := range w.sim.All("relaties") {
		if match(r) {
			return r
		}
	}
	t.Fatal("no such relatie")
	return nil
}

// Aanmaken en bijwerken: ten orders of a known customer, each with another
// telephone and street, update the card ten times — and the IBAN and every
// other field the bookkeeper filled in stay as they were.
func TestCustomerCardKeepsItsFieldsThroughTenUpdates(t *testing.T) {
	w := newWorld(t, "3.0", 60, sim.Faults{})
	jansen := w.relatie(t, func(r map[string]any) bool { return r["naam"] == "Jansen B.V." })
	w.sim.Patch("relaties", jansen["id"].(string), map[string]any{"toekomstigVeld": "van een latere API-versie"})
	jansen = w.relatie(t, func(r map[string]any) bool { return r["naam"] == "Jansen B.V." })
	ten := w.statusOrders()[:10]
	for _, o := range ten {
		if _, err := w.db.Exec("UPDATE oc_order SET email = 'info@jansen.nl', telephone = ?, payment_address_1 = ? WHERE order_id = ?",
			fmt.Sprintf("030-%07d", o.ID), fmt.Sprintf("Nieuweweg %d", o.ID), o.ID); err != nil {
			t.Fatal(err)
		}
	}
	s := w.settings()
	s.CustomerProcessing = "aanmaken-bijwerken"
	rep := w.runWith(t, s, nil)
	if rep.Counts["created"] != len(w.statusOrders()) {
		t.Fatalf("run: %v", rep.Counts)
	}
	after := w.relatie(t, func(r map[string]any) bool { return r["id"] == jansen["id"] })
	for k, v := range jansen {
		switch k {
		case "telefoon", "vestigingsAdres", "modifiedOn":
			continue
		}
		a, _ := json.Marshal(after[k])
		b, _ := json.Marshal(v)
		if string(a) != string(b) {
			t.Errorf("%s: %s after ten orders, was %s", k, a, b)
		}
	}
	last := ten[len(ten)-1].ID
	addr := after["vestigingsAdres"].(map[string]any)
	if after["telefoon"] != fmt.Sprintf("030-%07d", last) || addr["straat"] != fmt.Sprintf("Nieuweweg %d", last) {
		t.Fatalf("the card has %v, %v; want the last order's telephone and street", after["telefoon"], addr["straat"])
	}
	on := 0
	for _, vo := range w.sim.All("verkooporders") {
		if vo["relatie"].(map[string]any)["id"] == jansen["id"] {
			on++
		}
	}
	if on != 10 {
		t.Fatalf("%d verkooporders on the card, want 10", on)
	}
}

// Herkenning op klantnummer: customer 7 is not found on the card of 71 nor
// in a sentence that mentions it; customer 12 is found on a line among the
// bookkeeper's notes.
func TestKlantnummerMatchesAWholeMemoLine(t *testing.T) {
	w := newWorld(t, "3.0", 120, sim.Faults{})
	klant := []string{"Klant"}
	k71 := w.sim.Insert("relaties", map[string]any{"relatiesoort": klant, "relatiecode": 7100, "naam": "Klant 71", "memo": "OpenCart-klantnummer: 71"})
	zin := w.sim.Insert("relaties", map[string]any{"relatiesoort": klant, "relatiecode": 7101, "naam": "Oude kaart",
		"memo": "Was vroeger OpenCart-klantnummer: 7 maar is verhuisd"})
	k12 := w.sim.Insert("relaties", map[string]any{"relatiesoort": klant, "relatiecode": 7102, "naam": "Klant 12",
		"memo": "Belt graag eerst.\r\nOpenCart-klantnummer: 12\r\nBetaalt op rekening."})
	var seven, twelve []int
	for _, o := range w.statusOrders() {
		switch {
		case len(seven) < 3 && o.CustomerID > 0:
			seven = append(seven, o.ID)
		case len(twelve) < 3 && o.CustomerID > 0:
			twelve = append(twelve, o.ID)
		}
	}
	for id, ids := range map[int][]int{7: seven, 12: twelve} {
		for _, o := range ids {
			if _, err := w.db.Exec("UPDATE oc_order SET customer_id = ? WHERE order_id = ?", id, o); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := w.db.Exec("UPDATE oc_order SET customer_id = 0 WHERE customer_id IN (7, 12) AND order_id NOT IN (?, ?, ?, ?, ?, ?)",
		seven[0], seven[1], seven[2], twelve[0], twelve[1], twelve[2]); err != nil {
		t.Fatal(err)
	}
	s := w.settings()
	s.MatchBy = "klantnummer"
	rep := w.runWith(t, s, nil)
	if rep.Counts["created"] != len(w.statusOrders()) {
		t.Fatalf("run: %v", rep.Counts)
	}
	relatieOf := map[string]string{} // betalingskenmerk → relatie id
	for _, vo := range w.sim.All("verkooporders") {
		relatieOf[vo["betalingskenmerk"].(string)] = vo["relatie"].(map[string]any)["id"].(string)
	}
	var card7 string
	for _, id := range seven {
		got := relatieOf[fmt.Sprint(id)]
		if got == k71["id"] || got == zin["id"] || card7 != "" && got != card7 {
			t.Fatalf("order %d of customer 7 on relatie %s (71: %s, sentence: %s, first: %s)", id, got, k71["id"], zin["id"], card7)
		}
		card7 = got
	}
	made := w.relatie(t, func(r map[string]any) bool { return r["id"] == card7 })
	if made["memo"] != "OpenCart-klantnummer: 7" {
		t.Fatalf("the new card of customer 7 has memo %q", made["memo"])
	}
	for _, id := range twelve {
		if got := relatieOf[fmt.Sprint(id)]; got != k12["id"] {
			t.Fatalf("order %d of customer 12 on %s, want the card with the line among notes %s", id, got, k12["id"])
		}
	}
}

// agedLedger is the ledger an hour later: its entries were written by a
// run that ended long ago.
type agedLedger struct{ *config.Store }

func (a agedLedger) Ledger(profileID uint, ids []int) (map[int]config.LedgerEntry, error) {
	m, err := a.Store.Ledger(profileID, ids)
	for id, e := range m {
		e.UpdatedAt = e.UpdatedAt.Add(-time.Hour)
		m[id] = e
	}
	return m, err
}

// Without Betalingskenmerk an order that may be in SnelStart — left in
// "sending" by a crash, or "uncertain" — cannot be looked up: it is held
// with what to search for by hand, run after run, and never sent again.
func TestOrderThatMayBeInSnelStartIsHeldWithoutAReference(t *testing.T) {
	w := newWorld(t, "3.0", 60, sim.Faults{})
	orders := w.statusOrders()
	for i, o := range orders[:5] {
		state := config.LedgerSending
		if i >= 3 {
			state = config.LedgerUncertain
		}
		if err := w.store.PutLedger(config.LedgerEntry{ProfileID: w.prof, OrderID: o.ID, State: state, Customer: "Anna de Vries",
			Relatiecode: 1002, Total: o.Total.StringFixed(2), Attempts: 1}); err != nil {
			t.Fatal(err)
		}
	}
	s := w.settings()
	s.PaymentReference = false
	for run := 0; run < 2; run++ {
		rep := w.runWith(t, s, agedLedger{w.store})
		if rep.Counts["held"] != 5 || w.sim.Count("verkooporders") != len(orders)-5 {
			t.Fatalf("run %d: %v, %d verkooporders for %d orders", run+1, rep.Counts, w.sim.Count("verkooporders"), len(orders))
		}
		for _, r := range rep.Results[:5] {
			want := "Anna de Vries · 1002 · " + orders[0].Added.Format("02-01-2006")
			if r.OrderID == orders[0].ID && (r.State != "held" || r.Reason.Code != "uncertain_no_reference" || !strings.HasPrefix(r.Reason.Arg, want)) {
				t.Fatalf("order %d: %s %+v", r.OrderID, r.State, r.Reason)
			}
		}
	}
	entries, _ := w.store.Ledger(w.prof, []int{orders[0].ID, orders[4].ID})
	for _, e := range entries {
		if e.State != config.LedgerUncertain {
			t.Fatalf("order %d: ledger %s", e.OrderID, e.State)
		}
	}
}

// With Betalingskenmerk an order left in "sending" is looked up: found
// (with its customer and total) it is confirmed, proven absent it is sent
// — once either way.
func TestOrderLeftSendingIsLookedUpBeforeItIsSent(t *testing.T) {
	w := newWorld(t, "3.0", 60, sim.Faults{})
	orders := w.statusOrders()
	for _, o := range orders[:3] { // the crash came before the create left
		w.store.PutLedger(config.LedgerEntry{ProfileID: w.prof, OrderID: o.ID, State: config.LedgerSending, Reference: fmt.Sprint(o.ID), Attempts: 1})
	}
	first := w.runWith(t, w.settings(), agedLedger{w.store})
	if first.Counts["created"] != len(orders) {
		t.Fatalf("first run: %v", first.Counts)
	}
	w.checkSnelStart(t)
	// The crash came after the create, before "confirmed" was written.
	entries, _ := w.store.Ledger(w.prof, []int{orders[3].ID, orders[4].ID})
	for _, e := range entries {
		e.State, e.VerkooporderID = config.LedgerSending, ""
		w.store.PutLedger(e)
	}
	second := w.runWith(t, w.settings(), agedLedger{w.store})
	if second.Counts["exists"] != 2 || second.Counts["skipped"] != len(orders)-2 {
		t.Fatalf("second run: %v", second.Counts)
	}
	w.checkSnelStart(t)
}

// SnelStart stores every create and loses every answer, and shows each
// verkooporder only after 1.4 × Settle: the first lookup misses it, the
// second finds it, and none is booked twice.
func TestCreateThatShowsLateIsBookedOnce(t *testing.T) {
	w := knownWorld(t, 40)
	w.sim.SetFaults(sim.Faults{CommitThenFail: 1, DelayedVisible: 1, VisibleAfter: orderimport.DefaultSettle * 14 / 10})
	rep := w.runWith(t, w.settings(), nil)
	w.sim.SetFaults(sim.Faults{})
	if rep.Counts["created"] != len(w.shopOrders()) {
		for _, r := range rep.Results {
			if r.Reason != nil {
				t.Log(r.OrderID, r.State, r.Reason)
			}
		}
		t.Fatalf("run: %v", rep.Counts)
	}
	w.checkSnelStart(t)
	ids := []int{}
	for _, o := range w.statusOrders() {
		ids = append(ids, o.ID)
	}
	entries, _ := w.store.Ledger(w.prof, ids)
	for _, e := range entries {
		if e.State != config.LedgerConfirmed || e.Attempts != 1 {
			t.Fatalf("order %d: %s after %d sends", e.OrderID, e.State, e.Attempts)
		}
	}
}

// droppingLedger loses every "confirmed": the program was killed after
// SnelStart took the create and before the ledger heard of it.
type droppingLedger struct{ *config.Store }

func (d droppingLedger) PutLedger(e config.LedgerEntry) error {
	if e.State == config.LedgerConfirmed {
		return nil
	}
	return d.Store.PutLedger(e)
}

// A killed program left orders in "sending", written long before their
// creates went out (they waited for the limiter or a Retry-After), and
// SnelStart shows those creates late. The lookups count from this run's
// start — the earliest moment the killed program is known to be gone —
// not from when "sending" was written: they find every order, and none is
// booked twice.
func TestLateSendOfAKilledRunIsFoundNotSentAgain(t *testing.T) {
	w := knownWorld(t, 20)
	w.sim.SetFaults(sim.Faults{DelayedVisible: 1, VisibleAfter: orderimport.DefaultSettle * 14 / 10})
	first := w.runWith(t, w.settings(), droppingLedger{w.store})
	w.sim.SetFaults(sim.Faults{}) // what the first run made stays hidden until its time
	n := len(w.shopOrders())
	if first.Counts["created"] != n {
		t.Fatalf("first run: %v", first.Counts)
	}
	second := w.runWith(t, w.settings(), agedLedger{w.store})
	if second.Counts["exists"] != n {
		t.Fatalf("second run: %v, want all %d found", second.Counts, n)
	}
	w.checkSnelStart(t)
}

// knownWorld is a shop whose customers and articles SnelStart all has, so
// that only verkooporders are created.
func knownWorld(t testing.TB, orders int) *world {
	w := newWorldSized(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: orders, Products: 30, Customers: 20, GuestPercent: -1, Seed: 8})
	w.knowAll()
	return w
}

// knowAll gives SnelStart every customer and article of the shop.
func (w *world) knowAll() {
	seen := map[string]bool{}
	for i, o := range w.fix.Orders {
		if e := strings.ToLower(o.Email); !seen[e] {
			seen[e] = true
			w.sim.Insert("relaties", map[string]any{"relatiesoort": []string{"Klant"}, "relatiecode": 5000 + i, "naam": o.FirstName, "email": o.Email})
		}
	}
	groups := map[string]map[string]any{}
	for _, g := range w.sim.All("artikelomzetgroepen") {
		groups[g["verkoopNederlandBtwSoort"].(string)] = sim.Ref(g)
	}
	soorten := map[string]string{"21": "Hoog", "9": "Laag", "0": "Geen"}
	for _, p := range w.fix.Products {
		soort := soorten[w.fix.Rates[p.ID].String()]
		w.sim.Insert("artikelen", map[string]any{"artikelcode": p.Model, "omschrijving": p.Name, "artikelOmzetgroep": groups[soort],
			"verkoopprijs": p.Price.StringFixed(2), "voorraadControle": true, "vrijeVoorraad": 100, "technischeVoorraad": 100})
	}
}

// Two shops book into one administration with the same order numbers.
// With a reference prefix each their own; without, the second shop's
// orders are never taken for the first shop's: they are held.
func TestTwoShopsInOneAdministration(t *testing.T) {
	a := newWorld(t, "3.0", 60, sim.Faults{})
	b := secondShop(t, a, 77)
	sa, sb := a.settings(), b.settings()
	sa.ReferencePrefix, sb.ReferencePrefix = "A-", "B-"
	ra, rb := a.runWith(t, sa, nil), b.runWith(t, sb, nil)
	if ra.Counts["created"] != len(a.statusOrders()) || rb.Counts["created"] != len(b.statusOrders()) {
		t.Fatalf("with prefixes: %v %v", ra.Counts, rb.Counts)
	}
	refs := map[string]bool{}
	for _, vo := range a.sim.All("verkooporders") {
		ref := vo["betalingskenmerk"].(string)
		if refs[ref] || !strings.HasPrefix(ref, "A-") && !strings.HasPrefix(ref, "B-") || vo["orderreferentie"] != ref {
			t.Fatalf("reference %q (twice: %v)", ref, refs[ref])
		}
		refs[ref] = true
	}
	if len(refs) != len(a.statusOrders())+len(b.statusOrders()) {
		t.Fatalf("%d verkooporders for %d + %d orders", len(refs), len(a.statusOrders()), len(b.statusOrders()))
	}

	// Without prefixes, in a fresh administration.
	c := newWorld(t, "3.0", 60, sim.Faults{})
	d := secondShop(t, c, 77)
	c.runWith(t, c.settings(), nil)
	rd := d.runWith(t, d.settings(), nil)
	inC := map[int]bool{}
	for _, o := range c.statusOrders() {
		inC[o.ID] = true
	}
	if rd.Counts["exists"] != 0 {
		t.Fatalf("shop B took shop A's orders for its own: %v", rd.Counts)
	}
	for _, r := range rd.Results {
		switch {
		case r.State == "skipped":
		case inC[r.OrderID] && (r.State != "held" || r.Reason.Code != "reference_taken"):
			t.Fatalf("order %d of shop B, also in shop A: %s %+v", r.OrderID, r.State, r.Reason)
		case !inC[r.OrderID] && r.State != "created" && r.OrderID <= 60:
			t.Fatalf("order %d of shop B only: %s %+v", r.OrderID, r.State, r.Reason)
		}
	}
}

// secondShop is another shop (another seed, the same order numbers) with
// its own profile, booking into w's administration.
func secondShop(t testing.TB, w *world, seed uint64) *world {
	sdb := fixturetest.NewShopDB(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 60, Products: 80, Customers: 60, Seed: seed})
	tr, err := mysql.Open(context.Background(), mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: sdb.Database, User: "root", Prefix: "oc_"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	shop, err := opencart.NewShop(context.Background(), tr, opencart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.store.CreateProfile(fmt.Sprint("Winkel ", seed))
	if err != nil {
		t.Fatal(err)
	}
	b := *w
	b.db, b.shop, b.fix, b.prof = sdb.DB, shop, sdb.Shop, p.ID
	return &b
}

// A koppeling without the right to write orders: every order says so in a
// message of the program's own (Koppeling SnelStart), not with the text of
// a Go error.
func TestOrderWithoutWriteRightsSaysSoInWords(t *testing.T) {
	var scopes []string
	for _, s := range sim.AllScopes {
		if s != "orders:write" {
			scopes = append(scopes, s)
		}
	}
	w := newWorldSized(t, fixture.Config{Version: "3.0", Prefix: "oc_", Orders: 20, Products: 30, Customers: 20, Seed: 6},
		func(o *sim.Options) { o.ClientKeys = map[string][]string{"k": scopes} })
	rep := w.runWith(t, w.settings(), nil)
	if rep.Counts["failed"] == 0 || rep.Counts["created"] != 0 {
		t.Fatalf("run: %v", rep.Counts)
	}
	for _, r := range rep.Results {
		if r.State == "failed" && (r.Reason == nil || r.Reason.Code != "snelstart_access" || r.Reason.Arg != "") {
			t.Fatalf("order %d: %+v", r.OrderID, r.Reason)
		}
	}
}
