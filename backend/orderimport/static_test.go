package orderimport_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/orderimport"
)

// The lists kept for an hour hold the shipping article's id. When the
// bookkeeper deletes it in SnelStart and makes it again (same code, new
// id), an order booked on the kept id fails; the run after that reads the
// lists again and books it, not an hour later.
func TestDeletedArticleInTheKeptListsIsReadAgain(t *testing.T) {
	w := recentWorld(t)
	var o opencart.Order
	for _, c := range w.notSold() {
		if slices.ContainsFunc(c.Totals, func(tt opencart.Total) bool { return tt.Code == "shipping" && tt.Value.IsPositive() }) {
			o = c
			break
		}
	}
	if o.ID == 0 {
		t.Fatal("no order outside the selection with shipping")
	}
	w.runState(t, opencart.OrderQuery{}, false, nil)

	// VERZEND deleted and made again: the same article under a new id.
	var buf bytes.Buffer
	if err := w.sim.Save(&buf); err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	d := json.NewDecoder(&buf)
	d.UseNumber()
	if err := d.Decode(&st); err != nil {
		t.Fatal(err)
	}
	moved := false
	for _, a := range st["collections"].(map[string]any)["artikelen"].([]any) {
		if a := a.(map[string]any); strings.EqualFold(a["artikelcode"].(string), "VERZEND") {
			a["id"], moved = "5e0c2f7a-1d2b-4c3d-9e8f-0a1b2c3d4e5f", true
		}
	}
	if !moved {
		t.Fatal("the simulator has no article VERZEND")
	}
	raw, _ := json.Marshal(st)
	if err := w.sim.Load(bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}

	w.sell(t, o.ID, time.Now(), false)
	rep, err := orderimport.Run(t.Context(), orderimport.Job{ProfileID: w.prof, Shop: w.shop, Client: w.client,
		Ledger: w.store, State: w.store, Settings: w.settings(), PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Counts["failed"] != 1 {
		t.Fatalf("the run on the kept lists: %v (want the order failed on the deleted article)", rep.Counts)
	}
	next := w.runState(t, opencart.OrderQuery{}, false, nil)
	if next.Counts["created"] != 1 {
		t.Fatalf("the run after: %v", next.Counts)
	}
	w.bookedOnce(t, o.ID)
}
