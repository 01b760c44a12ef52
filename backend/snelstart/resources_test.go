package snelstart

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// An update changes only the fields it names: the IBAN and everything else
// the bookkeeper put on the card — fields S-Connect knows nothing of
// included — stay, although a PUT replaces the whole relatie.
func TestRelatieUpdateKeepsEveryOtherField(t *testing.T) {
	h := newHarness(t, sim.Options{Strict: true}, nil, Options{})
	jansen := h.sim.All("relaties")[0]
	h.sim.Patch("relaties", jansen["id"].(string), map[string]any{"toekomstigVeld": map[string]any{"a": 1}})
	first, err := Collect(h.client.Relaties.List(ctx(t), ListOptions{Filter: Eq("Relatiecode", 1001)}))
	if err != nil || len(first) != 1 {
		t.Fatalf("find: %v %v", first, err)
	}
	r := &first[0]
	p := Patch{"telefoon": "071-5551234", "vestigingsAdres/straat": "Kerkweg 14", "email": r.Email}
	if got := r.Changes(p); len(got) != 2 || got["email"] != nil {
		t.Fatalf("changes %v: the e-mail is already right", got)
	}
	up, err := h.client.Relaties.Update(ctx(t), r, r.Changes(p))
	if err != nil || up.Telefoon != "071-5551234" || up.Relatiecode != 1001 || up.VestigingsAdres.Plaats != "Utrecht" {
		t.Fatalf("update: %+v %v", up, err)
	}
	if len(up.Changes(p)) != 0 {
		t.Fatalf("after the update there is still %v to change", up.Changes(p))
	}
	after := h.sim.All("relaties")[0]
	for k, v := range jansen {
		if k == "telefoon" || k == "vestigingsAdres" || k == "modifiedOn" {
			continue
		}
		if fmt.Sprint(after[k]) != fmt.Sprint(v) {
			t.Errorf("%s: %v, was %v", k, after[k], v)
		}
	}
	if after["iban"] != "NL91ABNA0417164300" || fmt.Sprint(after["toekomstigVeld"]) != "map[a:1]" {
		t.Fatalf("iban %v, unknown field %v", after["iban"], after["toekomstigVeld"])
	}
	if addr := after["vestigingsAdres"].(map[string]any); addr["straat"] != "Kerkweg 14" || addr["postcode"] != "1234 AB" || addr["land"] == nil {
		t.Fatalf("address %v", addr)
	}
	// A relatie S-Connect made up itself cannot be sent as an update.
	if _, err := h.client.Relaties.Update(ctx(t), &Relatie{ID: r.ID, Naam: "x"}, p); !errors.Is(err, ErrNotRead) {
		t.Fatalf("update of an unread relatie: %v", err)
	}
	// SnelStart's checks still apply.
	var ae *APIError
	if _, err := h.client.Relaties.Update(ctx(t), up, Patch{"relatiesoort": []string{RelatieLeverancier}}); !errors.As(err, &ae) || !ae.Has("REL-0064") {
		t.Fatalf("changing relatiesoort: %v", err)
	}
}

func TestOrderGetAndProcesStatus(t *testing.T) {
	h := newHarness(t, sim.Options{Strict: true}, nil, Options{})
	rel := h.sim.All("relaties")[0]["id"].(string)
	art := h.sim.All("artikelen")[5]["id"].(string)
	o, err := h.client.Verkooporders.Create(ctx(t), &Verkooporder{Relatie: RefTo(rel), ProcesStatus: "Order",
		Datum: Time{time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}, Omschrijving: "o", VerkooporderBtwIngaveModel: BtwExclusief,
		Regels: []Regel{{Artikel: RefTo(art), Aantal: Num("3"), Stuksprijs: Num("10.33")}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.client.Verkooporders.SetProcesStatus(ctx(t), o.ID, "Factuur"); err != nil {
		t.Fatal(err)
	}
	got, err := h.client.Verkooporders.Get(ctx(t), o.ID)
	if err != nil || got.ProcesStatus != "Factuur" || got.TotaalExclusiefBtw.String() != "30.99" || got.TotaalInclusiefBtw.String() != "37.5" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if got.Regels[0].Omschrijving != "Witte wijn 75cl" || got.Datum.Day() != 2 {
		t.Fatalf("lines/date: %+v %v", got.Regels, got.Datum)
	}
	a, err := h.client.Artikelen.Get(ctx(t), art)
	if err != nil || a.VrijeVoorraad.String() != "22" || a.TechnischeVoorraad.String() != "25" {
		t.Fatalf("stock after order: %+v %v", a, err)
	}
}

func TestTokenRenewedBeforeItExpires(t *testing.T) {
	// A token that lives shorter than the renewal margin is renewed on
	// every call: no call leaves with a token about to die.
	h := newHarness(t, sim.Options{TokenTTL: 30 * time.Second}, nil, Options{})
	for i := 0; i < 3; i++ {
		if _, err := h.client.Lists.Landen(ctx(t)); err != nil {
			t.Fatal(err)
		}
	}
	if h.sim.TokenCalls() != 3 {
		t.Fatalf("token calls %d, want 3", h.sim.TokenCalls())
	}
}
