package stockexport

import (
	"fmt"
	"testing"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

func art(code, free, technical string, tracked bool) snelstart.Artikel {
	return snelstart.Artikel{Artikelcode: code, VrijeVoorraad: snelstart.Num(free), TechnischeVoorraad: snelstart.Num(technical), VoorraadControle: tracked}
}

func TestPlan(t *testing.T) {
	products := []opencart.Product{
		{ID: 1, Model: "WIJN", Quantity: 3, Codes: map[string]string{"sku": "S-1"}},
		{ID: 2, Model: "KAAS", Quantity: 10},
		{ID: 3, Model: "GLAS", Quantity: 7},
		{ID: 4, Model: "", Quantity: 1},
		{ID: 5, Model: "ONBEKEND", Quantity: 2},
		{ID: 6, Model: "DIENST", Quantity: 0},
		{ID: 7, Model: "DUBBEL", Quantity: 4},
		{ID: 8, Model: "OP", Quantity: 5},
	}
	articles := []snelstart.Artikel{
		art("wijn", "12.7", "20", true), art("KAAS", "10", "15", true), art("GLAS", "1", "1", true),
		art("DIENST", "0", "0", false), art("DUBBEL", "5", "5", true), art("dubbel", "6", "6", true), art("OP", "-3", "0", true),
		art("S-1", "99", "99", true),
	}
	rows := func(s Settings, reserved map[int]int) string {
		out := ""
		for _, r := range Plan(products, articles, reserved, s) {
			if r.Skip != "" {
				out += fmt.Sprintf("%d:%s ", r.ProductID, r.Skip)
			} else {
				out += fmt.Sprintf("%d:%d→%d ", r.ProductID, r.Old, r.New)
			}
		}
		return out
	}
	cases := []struct {
		name     string
		s        Settings
		reserved map[int]int
		want     string
	}{
		{"free stock, floored; matching ignores case; skips say why",
			Settings{CodeField: "model"}, nil,
			"1:3→12 2:10→10 3:7→1 4:no_code 5:unknown 6:not_tracked 7:ambiguous 8:5→0 "},
		{"technical stock", Settings{CodeField: "model", Technical: true}, nil,
			"1:3→20 2:10→15 3:7→1 4:no_code 5:unknown 6:not_tracked 7:ambiguous 8:5→0 "},
		{"a safety margin never goes below zero", Settings{CodeField: "model", Buffer: 2}, nil,
			"1:3→10 2:10→8 3:7→0 4:no_code 5:unknown 6:not_tracked 7:ambiguous 8:5→0 "},
		{"open orders not yet in SnelStart are subtracted", Settings{CodeField: "model", ReserveOpenOrders: true}, map[int]int{1: 4, 2: 11},
			"1:3→8 2:10→0 3:7→1 4:no_code 5:unknown 6:not_tracked 7:ambiguous 8:5→0 "},
		{"reservations only when the setting is on", Settings{CodeField: "model"}, map[int]int{1: 4},
			"1:3→12 2:10→10 3:7→1 4:no_code 5:unknown 6:not_tracked 7:ambiguous 8:5→0 "},
		{"another code field", Settings{CodeField: "sku"}, nil,
			"1:3→99 2:no_code 3:no_code 4:no_code 5:no_code 6:no_code 7:no_code 8:no_code "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := rows(c.s, c.reserved); got != c.want {
				t.Fatalf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
	changes := Changes(Plan(products, articles, nil, Settings{CodeField: "model"}))
	if len(changes) != 3 || changes[0].ProductID != 1 || changes[0].Quantity != 12 {
		t.Fatalf("changes %+v (only the rows that differ)", changes)
	}
}
