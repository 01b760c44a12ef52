package app

import (
	"strings"
	"testing"
)

// The assistant's proposals come with their reasons in the user's words,
// the profile's current value beside them, and a note with what to do for
// a connection that is not set up; nothing is saved.
func TestSuggestForTheAssistant(t *testing.T) {
	s := newTestServices(t)
	id, _ := simProfile(t, s, nil)
	s.store.Save(id, map[string]string{"sales.shippingArticle": "EIGEN"}, nil)
	before, _ := s.store.Values(id)
	got, err := s.Connections.Suggest(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Notes) != 1 || !strings.HasPrefix(got.Notes[0], "De webshop is niet bereikt: ") {
		t.Fatalf("notes: %q", got.Notes)
	}
	by := map[string]Suggestion{}
	for _, sg := range got.Suggestions {
		by[sg.Key] = sg
	}
	if sg := by["sales.template"]; sg.Value != "Webshop" || sg.Message != "Verkoopsjabloon ‘Webshop’ gevonden." {
		t.Fatalf("template: %+v", sg)
	}
	if sg := by["sales.shippingArticle"]; sg.Value != "VERZEND" || sg.Current != "EIGEN" || sg.Message != "Gevonden op naam: VERZEND – Verzendkosten." {
		t.Fatalf("shipping: %+v", sg)
	}
	if _, ok := by["shop.orderStatuses"]; ok {
		t.Fatal("order statuses proposed without the shop")
	}
	if v, _ := s.store.Values(id); v["sales.template"] != before["sales.template"] || v["sales.shippingArticle"] != "EIGEN" {
		t.Fatal("Suggest saved something")
	}

	// With the shop (its database) too: its statuses by name, no notes.
	shopProfile(t, s)
	got, err = s.Connections.Suggest(id)
	if err != nil || len(got.Notes) != 0 {
		t.Fatalf("%v %q", err, got.Notes)
	}
	for _, sg := range got.Suggestions {
		if sg.Key == "shop.orderStatuses" && sg.Value == "2,3,5,15" && strings.Contains(sg.Message, "Processing, Shipped, Complete, Processed") {
			return
		}
	}
	t.Fatalf("no order statuses: %+v", got.Suggestions)
}
