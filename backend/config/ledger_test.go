package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func ledgerStore(t *testing.T) (*Store, uint) {
	t.Helper()
	s, _ := openTest(t)
	p, err := s.CreateProfile("Winkel")
	if err != nil {
		t.Fatal(err)
	}
	return s, p.ID
}

func put(t *testing.T, s *Store, e LedgerEntry) {
	t.Helper()
	if err := s.PutLedger(e); err != nil {
		t.Fatal(err)
	}
}

func TestAttemptsKeepWhatWasSentAndTheAnswer(t *testing.T) {
	s, id := ledgerStore(t)
	e := LedgerEntry{ProfileID: id, OrderID: 7, State: LedgerSending, Attempts: 1, Payload: `{"omschrijving":"eerste"}`}
	put(t, s, e)
	e.State, e.Answer, e.Reason = LedgerFailed, "snelstart: POST /verkooporders: 400; VO-1 Ongeldig", "snelstart_refused(VO-1)"
	put(t, s, e)
	e.State, e.Attempts, e.Payload = LedgerSending, 2, `{"omschrijving":"tweede"}`
	put(t, s, e)
	e.State, e.VerkooporderID, e.Nummer, e.Total = LedgerConfirmed, "abc", 1042, "12.50"
	put(t, s, e)

	got, err := s.Attempts(id, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d attempts, want 2: %+v", len(got), got)
	}
	if got[0].Attempt != 1 || got[0].Outcome != LedgerFailed || !strings.Contains(got[0].Answer, "VO-1") || !strings.Contains(got[0].Payload, "eerste") {
		t.Errorf("first attempt %+v", got[0])
	}
	if got[1].Attempt != 2 || got[1].Outcome != LedgerConfirmed || !strings.Contains(got[1].Answer, `"nummer":1042`) ||
		strings.Contains(got[1].Answer, "VO-1") || got[1].AnsweredAt == nil {
		t.Errorf("second attempt %+v", got[1])
	}
	entry, err := s.LedgerEntryOf(id, 7)
	if err != nil || entry.BookedAt == nil {
		t.Fatalf("booked at not set: %+v %v", entry, err)
	}
	// A held order without a payload is no attempt.
	put(t, s, LedgerEntry{ProfileID: id, OrderID: 8, State: LedgerHeld, Reason: "article_unknown(X)"})
	if a, _ := s.Attempts(id, 8); len(a) != 0 {
		t.Errorf("held order has attempts %+v", a)
	}
}

func TestFindOrdersSearchesFiltersAndSortsNewestFirst(t *testing.T) {
	s, id := ledgerStore(t)
	day := time.Date(2026, 3, 1, 10, 0, 0, 0, time.Local)
	put(t, s, LedgerEntry{ProfileID: id, OrderID: 101, State: LedgerConfirmed, Customer: "Anna de Vries", Relatiecode: 5001, Nummer: 9001, ShopAdded: day})
	put(t, s, LedgerEntry{ProfileID: id, OrderID: 102, State: LedgerHeld, Customer: "Bram_Jansen", ShopAdded: day.Add(time.Hour)})
	put(t, s, LedgerEntry{ProfileID: id, OrderID: 103, State: LedgerFailed, Customer: "Cor 100%", ShopAdded: day.Add(2 * time.Hour)})
	other, _ := s.CreateProfile("Andere winkel")
	put(t, s, LedgerEntry{ProfileID: other.ID, OrderID: 104, State: LedgerHeld, Customer: "Anna de Vries"})

	ids := func(f OrderFilter) []int {
		page, err := s.FindOrders(id, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for _, o := range page.Orders {
			out = append(out, o.OrderID)
		}
		return out
	}
	for _, c := range []struct {
		f    OrderFilter
		want string
	}{
		{OrderFilter{}, "[103 102 101]"},
		{OrderFilter{State: "open"}, "[103 102]"},
		{OrderFilter{State: LedgerConfirmed}, "[101]"},
		{OrderFilter{Search: "anna"}, "[101]"},
		{OrderFilter{Search: "5001"}, "[101]"}, // klantnummer
		{OrderFilter{Search: "9001"}, "[101]"}, // verkoopordernummer
		{OrderFilter{Search: "102"}, "[102]"},  // order number
		{OrderFilter{Search: "100%"}, "[103]"}, // % is a character, not a wildcard
		{OrderFilter{Search: "_"}, "[102]"},    // and so is _
		{OrderFilter{Search: "anna", State: "open"}, "[]"},
		{OrderFilter{Limit: 1}, "[103]"},
	} {
		got := fmt.Sprint(ids(c.f))
		if got != c.want {
			t.Errorf("%+v: got %s, want %s", c.f, got, c.want)
		}
	}
	page, _ := s.FindOrders(id, OrderFilter{Limit: 1})
	if page.Total != 3 {
		t.Errorf("total %d, want 3 (the limit only shortens the list)", page.Total)
	}
}

func TestSettleOrderOnlyFromHeldOrFailed(t *testing.T) {
	s, id := ledgerStore(t)
	put(t, s, LedgerEntry{ProfileID: id, OrderID: 1, State: LedgerHeld})
	put(t, s, LedgerEntry{ProfileID: id, OrderID: 2, State: LedgerConfirmed})
	if err := s.SettleOrder(id, 1, LedgerHandled, "  geboekt als 2026-17 "); err != nil {
		t.Fatal(err)
	}
	e, _ := s.LedgerEntryOf(id, 1)
	if e.State != LedgerHandled || e.Note != "geboekt als 2026-17" || !Settled(e.State) {
		t.Errorf("after settle: %+v", e)
	}
	if err := s.SettleOrder(id, 2, LedgerIgnored, ""); !errors.Is(err, ErrNotOpen) {
		t.Errorf("settling a confirmed order: %v", err)
	}
	if err := s.SettleOrder(id, 1, LedgerIgnored, ""); !errors.Is(err, ErrNotOpen) {
		t.Errorf("settling twice: %v", err)
	}
	if err := s.SettleOrder(id, 9, LedgerIgnored, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
	put(t, s, LedgerEntry{ProfileID: id, OrderID: 3, State: LedgerFailed})
	var ve *ValidationError
	if err := s.SettleOrder(id, 3, LedgerHandled, strings.Repeat("x", MaxNoteLen+1)); !errors.As(err, &ve) || ve.Issues[0].Code != "too_long" {
		t.Errorf("a too long note is refused, not cut: %v", err)
	}
	if err := s.SettleOrder(id, 3, LedgerConfirmed, ""); !errors.Is(err, ErrNotOpen) {
		t.Errorf("settle as confirmed: %v", err)
	}
}

func TestOverviewCountsBookedOrdersPerDay(t *testing.T) {
	s, id := ledgerStore(t)
	now := time.Date(2026, 3, 12, 15, 0, 0, 0, time.Local) // a Thursday
	at := func(d time.Time) *time.Time { return &d }
	for i, c := range []struct {
		booked time.Time
		total  string
		state  string
	}{
		{now.Add(-time.Hour), "10.10", LedgerConfirmed},
		{now.Add(-2 * time.Hour), "0.20", LedgerConfirmed},
		{now.AddDate(0, 0, -3), "5.00", LedgerConfirmed},  // Monday: this week
		{now.AddDate(0, 0, -4), "7.00", LedgerConfirmed},  // Sunday: last week
		{now.AddDate(0, 0, -40), "9.00", LedgerConfirmed}, // before the chart
		{now, "1.00", LedgerHeld},
		{now, "1.00", LedgerFailed},
	} {
		e := LedgerEntry{ProfileID: id, OrderID: i + 1, State: c.state, Total: c.total}
		if c.state == LedgerConfirmed {
			e.BookedAt = at(c.booked)
		}
		put(t, s, e)
	}
	ov, err := s.Overview(id, now, 30)
	if err != nil {
		t.Fatal(err)
	}
	if ov.BookedToday != 2 || ov.BookedWeek != 3 || ov.HeldNow != 2 {
		t.Errorf("today %d week %d held %d, want 2 3 2", ov.BookedToday, ov.BookedWeek, ov.HeldNow)
	}
	if len(ov.Days) != 30 || ov.Days[29].Date != "2026-03-12" || ov.Days[0].Date != "2026-02-11" {
		t.Fatalf("days %d from %s to %s", len(ov.Days), ov.Days[0].Date, ov.Days[len(ov.Days)-1].Date)
	}
	if d := ov.Days[29]; d.Orders != 2 || d.Revenue != "10.30" {
		t.Errorf("today %+v, want 2 orders, 10.30", d)
	}
	if d := ov.Days[26]; d.Date != "2026-03-09" || d.Orders != 1 || d.Revenue != "5.00" {
		t.Errorf("monday %+v", d)
	}
	if d := ov.Days[28]; d.Orders != 0 || d.Revenue != "0.00" {
		t.Errorf("an empty day %+v", d)
	}
}

func TestMigrationToOutcomesKeepsTheLedger(t *testing.T) {
	dir := t.TempDir()
	old, err := openAt(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := old.CreateProfile("Oud")
	type v3 struct {
		ProfileID uint
		OrderID   int
		State     string
		Customer  string
		Total     string
		UpdatedAt time.Time
	}
	if err := old.db.Table("ledger_entries").Create(&v3{ProfileID: p.ID, OrderID: 5, State: LedgerConfirmed, Customer: "Anna", Total: "3.00", UpdatedAt: time.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	old.Close()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer s.Close()
	if !s.db.Migrator().HasIndex("ledger_entries", "idx_ledger_entries_shop_added") {
		t.Error("no index on the order date, by which the orders are listed")
	}
	e, err := s.LedgerEntryOf(p.ID, 5)
	if err != nil || e.Customer != "Anna" || e.Total != "3.00" || e.BookedAt != nil || e.Note != "" {
		t.Fatalf("entry after migration %+v %v", e, err)
	}
	r := &Run{ProfileID: p.ID, Task: TaskOrders, Trigger: "manual", StartedAt: time.Now(), State: RunHeld, Held: 2, Cause: "x", Fix: "shop.url"}
	if err := s.AddRun(r); err != nil {
		t.Fatal(err)
	}
	if got, err := s.LastRunIn(p.ID, TaskOrders, RunOK, RunHeld); err != nil || got == nil || got.Held != 2 || got.Fix != "shop.url" {
		t.Fatalf("run with outcome: %+v %v", got, err)
	}
	if got, _ := s.LastRunIn(p.ID, TaskOrders, RunOK); got != nil {
		t.Fatalf("no ok run, got %+v", got)
	}
}

// A profile that ran before the returns' watermark keeps its orders'
// watermark and has no returns' watermark yet (its next run with refunds on
// is a full pass).
func TestMigrationToReturnWatermark(t *testing.T) {
	dir := t.TempDir()
	old, err := openAt(dir, 9)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := old.CreateProfile("Oud")
	mark := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	type v9 struct {
		ProfileID  uint
		Watermark  time.Time
		MaxOrderID int
		Selection  string
	}
	if err := old.db.Table("order_states").Create(&v9{ProfileID: p.ID, Watermark: mark, MaxOrderID: 40, Selection: "x"}).Error; err != nil {
		t.Fatal(err)
	}
	old.Close()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer s.Close()
	st, err := s.OrderState(p.ID)
	if err != nil || !st.Watermark.Equal(mark) || st.MaxOrderID != 40 || !st.ReturnWatermark.IsZero() {
		t.Fatalf("state after migration %+v %v", st, err)
	}
	st.ReturnWatermark = mark.Add(time.Hour)
	if err := s.SaveOrderState(st); err != nil {
		t.Fatal(err)
	}
	if got, err := s.OrderState(p.ID); err != nil || !got.ReturnWatermark.Equal(st.ReturnWatermark) {
		t.Fatalf("returns' watermark %v %v", got.ReturnWatermark, err)
	}
}

// An existing database moves on from version 9 (before the run mode) and
// from 10 (the run mode, before the returns' watermark): the runs keep what
// they had (no mode for the runs before 10), the orders' watermark stays,
// the returns' one is zero, and both columns take values afterwards.
func TestMigrationFromNineAndTen(t *testing.T) {
	for _, from := range []int{9, 10} {
		t.Run(fmt.Sprint(from), func(t *testing.T) {
			dir := t.TempDir()
			old, err := openAt(dir, from)
			if err != nil {
				t.Fatal(err)
			}
			p, _ := old.CreateProfile("Oud")
			started := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
			run := map[string]any{"profile_id": p.ID, "task": TaskOrders, "trigger": "manual", "started_at": started, "state": RunOK, "summary": "3 orders"}
			if from == 10 {
				run["mode"] = "incremental"
			}
			if err := old.db.Table("runs").Create(run).Error; err != nil {
				t.Fatal(err)
			}
			mark := started.Add(-time.Hour)
			if err := old.db.Table("order_states").Create(map[string]any{"profile_id": p.ID, "watermark": mark, "max_order_id": 40, "selection": "x"}).Error; err != nil {
				t.Fatal(err)
			}
			old.Close()
			s, err := Open(dir)
			if err != nil {
				t.Fatalf("migrate from %d: %v", from, err)
			}
			defer s.Close()
			runs, err := s.Runs(p.ID, 10)
			want := map[int]string{9: "", 10: "incremental"}[from]
			if err != nil || len(runs) != 1 || runs[0].Summary != "3 orders" || runs[0].Mode != want {
				t.Fatalf("runs after migration %+v %v; want mode %q", runs, err, want)
			}
			if err := s.AddRun(&Run{ProfileID: p.ID, Task: TaskOrders, Trigger: "manual", StartedAt: started.Add(time.Hour), State: RunOK, Mode: "full"}); err != nil {
				t.Fatal(err)
			}
			if runs, err := s.Runs(p.ID, 10); err != nil || len(runs) != 2 || runs[0].Mode != "full" {
				t.Fatalf("a run after migration %+v %v", runs, err)
			}
			st, err := s.OrderState(p.ID)
			if err != nil || !st.Watermark.Equal(mark) || st.MaxOrderID != 40 || st.Selection != "x" || !st.ReturnWatermark.IsZero() {
				t.Fatalf("state after migration %+v %v", st, err)
			}
			st.ReturnWatermark = mark
			if err := s.SaveOrderState(st); err != nil {
				t.Fatal(err)
			}
			if got, err := s.OrderState(p.ID); err != nil || !got.ReturnWatermark.Equal(mark) {
				t.Fatalf("returns' watermark %v %v", got.ReturnWatermark, err)
			}
		})
	}
}

// A database of a development build that numbered the returns' watermark
// 10 (no run mode) gets the run mode from step 11, and keeps its returns'
// watermark.
func TestMigrationFromTheReturnsWatermarkNumberedTen(t *testing.T) {
	dir := t.TempDir()
	old, err := openAt(dir, 9)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := old.CreateProfile("Oud")
	mark := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	if err := old.db.Exec("ALTER TABLE order_states ADD COLUMN return_watermark datetime").Error; err != nil {
		t.Fatal(err)
	}
	if err := old.db.Table("order_states").Create(map[string]any{"profile_id": p.ID, "watermark": mark, "max_order_id": 40, "selection": "x", "return_watermark": mark}).Error; err != nil {
		t.Fatal(err)
	}
	if err := old.db.Create(&schemaVersion{Version: 10, Name: "order import: the watermark of refunded returns", AppliedAt: time.Now().UTC()}).Error; err != nil {
		t.Fatal(err)
	}
	old.Close()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer s.Close()
	if err := s.AddRun(&Run{ProfileID: p.ID, Task: TaskOrders, Trigger: "manual", StartedAt: mark, State: RunOK, Mode: "full"}); err != nil {
		t.Fatalf("a run after migration: %v", err)
	}
	if runs, err := s.Runs(p.ID, 10); err != nil || len(runs) != 1 || runs[0].Mode != "full" {
		t.Fatalf("runs %+v %v", runs, err)
	}
	if st, err := s.OrderState(p.ID); err != nil || !st.ReturnWatermark.Equal(mark) || !st.Watermark.Equal(mark) {
		t.Fatalf("state after migration %+v %v", st, err)
	}
}
