package orderimport_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// Aanmaken en bijwerken while verkooporders go out: the first order of a
// known customer matches its card (nothing to update) and is sent; the
// next ones of that customer, planned and prepared while it is on its
// way, each update the card. The sender of the first reads the customer
// it was planned with (the ledger's name and relatiecode) while the card
// is updated: the knowledge must not be written under it (go test -race).
func TestCardUpdatedWhileAnOrderOfItsCustomerIsSent(t *testing.T) {
	w := newWorld(t, "3.0", 60, sim.Faults{})
	// The verkooporders take their time, the card's look-up and update not:
	// the next order's update is done while the order before is on its way.
	slow := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/verkooporders") {
			time.Sleep(60 * time.Millisecond)
		}
		w.sim.ServeHTTP(rw, req)
	}))
	t.Cleanup(slow.Close)
	var err error
	if w.client, err = snelstart.NewClient(snelstart.Options{APIBaseURL: slow.URL + "/v2/", AuthBaseURL: slow.URL + "/", ClientKey: "k",
		SubscriptionKey: "s", RequestsPerSecond: 1000}); err != nil {
		t.Fatal(err)
	}
	jansen := w.relatie(t, func(r map[string]any) bool { return r["naam"] == "Jansen B.V." })
	orders := w.statusOrders()[:30]
	for i, o := range orders {
		// Odd: a new telephone and street, so the card is updated; even:
		// the card as the order before left it, so it is not.
		phone, street := "030-1234567", "Dorpsstraat 1"
		if i > 0 {
			id := o.ID
			if i%2 == 0 {
				id = orders[i-1].ID
			}
			phone, street = fmt.Sprintf("030-%07d", id), fmt.Sprintf("Nieuweweg %d", id)
		}
		if _, err := w.db.Exec(`UPDATE oc_order SET email = 'info@jansen.nl', telephone = ?, payment_address_1 = ?, payment_address_2 = '',
			payment_postcode = '1234 AB', payment_city = 'Utrecht', payment_country_id = (SELECT country_id FROM oc_country WHERE iso_code_2 = 'NL')
			WHERE order_id = ?`, phone, street, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	s := w.settings()
	s.CustomerProcessing = "aanmaken-bijwerken"
	rep := w.runWith(t, s, nil)
	if rep.Counts["created"] != len(w.statusOrders()) {
		t.Fatalf("run: %v", rep.Counts)
	}
	on := 0
	for _, vo := range w.sim.All("verkooporders") {
		if vo["relatie"].(map[string]any)["id"] == jansen["id"] {
			on++
		}
	}
	if on != len(orders) {
		t.Fatalf("%d verkooporders on the card, want %d", on, len(orders))
	}
}
