package snelstart

import (
	"errors"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

func TestRelatieGetAndUpdate(t *testing.T) {
	h := newHarness(t, sim.Options{Strict: true}, nil, Options{})
	first, err := Collect(h.client.Relaties.List(ctx(t), ListOptions{Filter: Eq("Relatiecode", 1002)}))
	if err != nil || len(first) != 1 {
		t.Fatalf("find: %v %v", first, err)
	}
	r, err := h.client.Relaties.Get(ctx(t), first[0].ID)
	if err != nil || r.Naam != "Anna de Vries" || r.VestigingsAdres == nil || r.VestigingsAdres.Plaats != "Leiden" {
		t.Fatalf("get: %+v %v", r, err)
	}
	r.Telefoon = "071-5551234"
	r.VestigingsAdres.Straat = "Kerkweg 14"
	up, err := h.client.Relaties.Update(ctx(t), r)
	if err != nil || up.Telefoon != "071-5551234" || up.Relatiecode != 1002 {
		t.Fatalf("update: %+v %v", up, err)
	}
	again, _ := h.client.Relaties.Get(ctx(t), r.ID)
	if again.VestigingsAdres.Straat != "Kerkweg 14" {
		t.Fatalf("update not stored: %+v", again.VestigingsAdres)
	}
	r.Relatiesoort = []string{RelatieLeverancier}
	var ae *APIError
	if _, err := h.client.Relaties.Update(ctx(t), r); !errors.As(err, &ae) || !ae.Has("REL-0064") {
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
