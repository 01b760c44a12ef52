package config

import (
	"errors"
	"slices"
	"testing"
)

// A credit order has one entry per reference, written over as it goes, and
// Uitvoering lists it with its order.
func TestCreditsAreKeptPerReferenceAndListedWithTheirOrder(t *testing.T) {
	s, id := ledgerStore(t)
	put(t, s, LedgerEntry{ProfileID: id, OrderID: 7, State: LedgerConfirmed, Reference: "7"})
	put(t, s, LedgerEntry{ProfileID: id, OrderID: 8, State: LedgerConfirmed, Reference: "8"})
	for _, c := range []CreditEntry{
		{ProfileID: id, Reference: "7-C3", OrderID: 7, ReturnID: 3, State: LedgerSending, Attempts: 1},
		{ProfileID: id, Reference: "7-C3", OrderID: 7, ReturnID: 3, State: LedgerConfirmed, Attempts: 1, Nummer: 12},
		{ProfileID: id, Reference: "7-C", OrderID: 7, State: LedgerHeld, Reason: "partly_credited()"},
	} {
		if err := s.PutCredit(c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Credits(id, []int{7, 8})
	if err != nil || len(got) != 2 || got["7-C3"].State != LedgerConfirmed || got["7-C3"].BookedAt == nil || got["7-C"].BookedAt != nil {
		t.Fatalf("credits %+v, %v", got, err)
	}
	page, err := s.FindOrders(id, OrderFilter{})
	if err != nil || len(page.Orders) != 2 {
		t.Fatalf("%+v %v", page, err)
	}
	for _, o := range page.Orders {
		switch o.OrderID {
		case 7:
			if len(o.Credits) != 2 || o.Credits[0].Reference != "7-C" || o.Credits[1].Nummer != 12 {
				t.Fatalf("order 7 credits %+v", o.Credits)
			}
		case 8:
			if len(o.Credits) != 0 {
				t.Fatalf("order 8 credits %+v", o.Credits)
			}
		}
	}
}

// Terugbetalingen als creditorder is off by default; on, it needs refund
// statuses, none of them 0.
func TestRefundSettings(t *testing.T) {
	s, _ := openTest(t)
	p, _ := s.CreateProfile("P")
	v, _ := s.Values(p.ID)
	if v["sales.refundCredit"] != "false" || v["sales.refundStatuses"] != "11,12,13" {
		t.Fatalf("defaults %q %q", v["sales.refundCredit"], v["sales.refundStatuses"])
	}
	for value, code := range map[string]string{"0,11": "status_zero", "11;12": "id_list"} {
		_, err := s.Save(p.ID, map[string]string{"sales.refundCredit": "true", "sales.refundStatuses": value}, nil)
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Issues) != 1 || ve.Issues[0].Key != "sales.refundStatuses" || ve.Issues[0].Code != code {
			t.Fatalf("%q: %v, want %s", value, err, code)
		}
	}
	if _, err := s.Save(p.ID, map[string]string{"sales.refundCredit": "true", "sales.refundStatuses": "11,13"}, nil); err != nil {
		t.Fatal(err)
	}
	// Empty, it does not block saving but a run: like every required setting.
	v["sales.refundCredit"], v["sales.refundStatuses"] = "true", ""
	_, before := Check(map[string]string{"sales.refundCredit": "false"}, func(string) bool { return true })
	_, after := Check(map[string]string{"sales.refundCredit": "true"}, func(string) bool { return true })
	if len(after) != len(before)+1 || !slices.Contains(after, Issue{Key: "sales.refundStatuses", Code: CodeRequired}) {
		t.Fatalf("missing %v", after)
	}
}

// A watermark run reads again the orders whose return credit is not done
// with; a whole order's credit and a settled one are not listed.
func TestUnsettledReturnCredits(t *testing.T) {
	s, id := ledgerStore(t)
	for _, c := range []CreditEntry{
		{ProfileID: id, Reference: "7-C3", OrderID: 7, ReturnID: 3, State: LedgerConfirmed},
		{ProfileID: id, Reference: "8-C4", OrderID: 8, ReturnID: 4, State: LedgerHeld},
		{ProfileID: id, Reference: "8-C5", OrderID: 8, ReturnID: 5, State: LedgerFailed},
		{ProfileID: id, Reference: "9-C6", OrderID: 9, ReturnID: 6, State: LedgerSending},
		{ProfileID: id, Reference: "10-C7", OrderID: 10, ReturnID: 7, State: LedgerIgnored},
		{ProfileID: id, Reference: "11-C", OrderID: 11, State: LedgerFailed},
		{ProfileID: id + 1, Reference: "12-C8", OrderID: 12, ReturnID: 8, State: LedgerHeld},
	} {
		if err := s.PutCredit(c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.UnsettledReturnCredits(id)
	if err != nil || !slices.Equal(got, []int{8, 9}) {
		t.Fatalf("unsettled return credits %v, %v; want [8 9]", got, err)
	}
}
