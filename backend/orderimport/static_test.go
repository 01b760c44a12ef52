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

// The lists are kept for an hour, the fee and default articles are not:
// they are read with each run's first page. When the bookkeeper deletes
// the shipping article in SnelStart and makes it again (same code, new
// id), the next run books on the new id at once.
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
	if rep.Counts["created"] != 1 || rep.Counts["failed"] != 0 {
		t.Fatalf("the run after the article was made again: %v (want the order booked on its new id)", rep.Counts)
	}
	w.bookedOnce(t, o.ID)
}
