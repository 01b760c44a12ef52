package app

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/config"
)

// Held orders: the run says so, one is tried again after the fix, one is
// handled by hand and one ignored — those two never go to SnelStart.
func TestHeldOrdersCanBeActedOn(t *testing.T) {
	s := newTestServices(t)
	id, _ := shopProfile(t, s)
	_, sm := simProfile(t, s, nil)
	noShipping := map[string]string{"shop.url": "https://www.voorbeeldwinkel.nl/"}
	for k, v := range mapping {
		noShipping[k] = v
	}
	noShipping["sales.shippingArticle"] = ""
	if _, err := s.store.Save(id, noShipping, nil); err != nil {
		t.Fatal(err)
	}
	licensed(t, s, id, "https://winkel.example.nl") // the address the shop's orders carry

	res, err := s.Tasks.RunNow(id, config.TaskOrders)
	if err != nil {
		t.Fatal(err)
	}
	held := res.Counts["held"]
	if held < 3 || res.Run.State != config.RunHeld || res.Run.Held != held || res.Run.Message != "Geslaagd, "+strconv.Itoa(held)+" vastgehouden" {
		t.Fatalf("run %+v counts %v", res.Run, res.Counts)
	}
	open, err := s.Tasks.Orders(id, config.OrderFilter{State: "open"})
	if err != nil || int(open.Total) != held {
		t.Fatalf("open orders %d of %d: %v", open.Total, held, err)
	}
	a, b, c := open.Orders[0], open.Orders[1], open.Orders[2]
	if !strings.HasPrefix(a.Reason, "shipping_article_missing(") || a.ShopAdded.IsZero() {
		t.Fatalf("held order %+v", a)
	}

	// Fixed, and tried again now: only that order goes.
	if _, err := s.store.Save(id, map[string]string{"sales.shippingArticle": "VERZEND"}, nil); err != nil {
		t.Fatal(err)
	}
	before := sm.Count("verkooporders")
	// Only an order a run would read is tried: not one outside Vanaf
	// datum/tijd (or cancelled in the shop since, deleted, another store).
	if _, err := s.store.Save(id, map[string]string{"shop.since": "2099-01-01T00:00"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Tasks.Retry(id, a.OrderID); s.userError(err).Code != "not_selected" || s.userError(err).Fix != "opencart" {
		t.Fatalf("retrying an order a run does not read: %v", err)
	}
	if e, _ := s.store.LedgerEntryOf(id, a.OrderID); e.State != config.LedgerHeld || sm.Count("verkooporders") != before {
		t.Fatalf("an order outside the selection was sent: %+v", e)
	}
	if _, err := s.store.Save(id, map[string]string{"shop.since": "2020-01-01T00:00"}, nil); err != nil {
		t.Fatal(err)
	}
	after, err := s.Tasks.Retry(id, a.OrderID)
	if err != nil || after.State != config.LedgerConfirmed || after.Nummer == 0 || sm.Count("verkooporders") != before+1 {
		t.Fatalf("retry: %+v %v (%d verkooporders, was %d)", after, err, sm.Count("verkooporders"), before)
	}
	detail, err := s.Tasks.Order(id, a.OrderID)
	if err != nil || len(detail.Attempts) != 1 || !strings.Contains(detail.Attempts[0].Payload, `"betalingskenmerk":"`+strconv.Itoa(a.OrderID)+`"`) ||
		!strings.Contains(detail.Attempts[0].Answer, `"nummer"`) {
		t.Fatalf("detail %+v %v", detail, err)
	}
	if _, err := s.Tasks.Retry(id, a.OrderID); s.userError(err).Code != "not_open" {
		t.Fatalf("retrying a booked order: %v", err)
	}

	// While a run goes on, an order is not settled: the run may have read it
	// as held and be about to send it.
	unlock, err := lockRuns(id)
	if err != nil {
		t.Fatal(err)
	}
	for name, act := range map[string]func() error{
		"handled": func() error { return s.Tasks.Handled(id, b.OrderID, "met de hand geboekt") },
		"ignore":  func() error { return s.Tasks.Ignore(id, b.OrderID) },
	} {
		if err := act(); s.userError(err).Code != "run_busy" {
			t.Fatalf("%s during a run: %v", name, err)
		}
	}
	if _, err := s.Tasks.Retry(id, b.OrderID); s.userError(err).Code != "run_busy" {
		t.Fatalf("retry during a run: %v", err)
	}
	unlock()
	if e, _ := s.store.LedgerEntryOf(id, b.OrderID); e.State != config.LedgerHeld {
		t.Fatalf("settled during a run: %+v", e)
	}

	// Handled by hand (with a note) and ignored: never imported after.
	if err := s.Tasks.Handled(id, b.OrderID, "met de hand geboekt, 2026-0042"); err != nil {
		t.Fatal(err)
	}
	if err := s.Tasks.Ignore(id, c.OrderID); err != nil {
		t.Fatal(err)
	}
	again, err := s.Tasks.RunNow(id, config.TaskOrders)
	if err != nil || again.Run.State != config.RunOK || again.Run.Message != "Geslaagd" || again.Counts["created"] != held-3 {
		t.Fatalf("second run %+v %v %v", again.Run, again.Counts, err)
	}
	for _, vo := range sm.All("verkooporders") {
		if ref, _ := vo["betalingskenmerk"].(string); ref == strconv.Itoa(b.OrderID) || ref == strconv.Itoa(c.OrderID) {
			t.Fatalf("settled order %s reached SnelStart", ref)
		}
	}
	handled, _ := s.Tasks.Orders(id, config.OrderFilter{State: config.LedgerHandled})
	if handled.Total != 1 || handled.Orders[0].Note != "met de hand geboekt, 2026-0042" {
		t.Fatalf("handled %+v", handled)
	}
	ov, err := s.Tasks.Overview(id)
	if err != nil || ov.HeldNow != 0 || ov.BookedToday != sm.Count("verkooporders") || len(ov.Days) != chartDays {
		t.Fatalf("overview %+v %v (%d in SnelStart)", ov, err, sm.Count("verkooporders"))
	}
	list, _ := s.Tasks.List(id)
	if list[0].LastOK == nil || list[0].LastOK.ID != again.Run.ID {
		t.Fatalf("last successful run %+v", list[0].LastOK)
	}
}

// Order statuses and stores are picked by name from the shop; article codes
// and the standaard klantcode are checked against SnelStart.
func TestShopListsAndCodeChecks(t *testing.T) {
	s := newTestServices(t)
	id, _ := shopProfile(t, s)
	simProfile(t, s, nil)
	statuses, err := s.Connections.ShopOptions(id, "orderStatuses")
	if err != nil || len(statuses.Options) < 5 || len(statuses.Default) == 0 {
		t.Fatalf("statuses %+v %v", statuses, err)
	}
	names := map[string]string{}
	for _, o := range statuses.Options {
		names[o.Value] = o.Label
	}
	for _, d := range statuses.Default {
		if names[d] == "" {
			t.Errorf("default status %s has no name", d)
		}
	}
	stores, err := s.Connections.ShopOptions(id, "stores")
	if err != nil || len(stores.Options) != 2 || stores.Options[0].Value != "0" || stores.Options[0].Label != "Wijnhandel ’t Vaatje" ||
		stores.Options[1].Value != "1" || stores.Options[1].Label != "Proeflokaal & Zo" {
		t.Fatalf("stores %+v %v", stores, err)
	}

	if _, err := s.store.Save(id, map[string]string{"sales.shippingArticle": "VERZEND", "sales.defaultArticle": "BESTAAT-NIET",
		"customers.processing": "handmatig", "customers.defaultCode": "987654"}, nil); err != nil {
		t.Fatal(err)
	}
	warnings, err := s.Connections.CheckCodes(id)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, w := range warnings {
		got[w.Key] = w.Message
	}
	if len(got) != 2 || !strings.Contains(got["sales.defaultArticle"], "BESTAAT-NIET") || !strings.Contains(got["customers.defaultCode"], "987654") {
		t.Fatalf("warnings %+v", warnings)
	}
}

// The log moves aside when it is full, while the program runs.
func TestLogRotatesBySize(t *testing.T) {
	dir := t.TempDir()
	path := LogFile(dir)
	f, err := openRotating(path, 1000)
	if err != nil {
		t.Fatal(err)
	}
	line := []byte(strings.Repeat("x", 99) + "\n")
	for i := 0; i < 25; i++ {
		if _, err := f.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	cur, err1 := os.Stat(path)
	old, err2 := os.Stat(path + ".1")
	if err1 != nil || err2 != nil || cur.Size() > 1000 || old.Size() != 1000 {
		t.Fatalf("log %v %v, previous %v %v", cur, err1, old, err2)
	}
	s := newTestServices(t)
	s.dir = filepath.Dir(path)
	v, err := s.Program.Log()
	if err != nil || v.Path != path || !strings.HasSuffix(v.Tail, string(line)) {
		t.Fatalf("log view %q %v", v.Path, err)
	}
}
