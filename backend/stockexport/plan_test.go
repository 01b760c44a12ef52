package stockexport

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

func art(code, free, technical string, tracked bool) snelstart.Artikel {
	return snelstart.Artikel{Artikelcode: code, VrijeVoorraad: snelstart.Num(free), TechnischeVoorraad: snelstart.Num(technical),
		VoorraadControle: tracked, StockKnown: true, ModifiedOn: snelstart.Time{Time: t0}}
}

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// show writes rows as "id:old→new" or "id:skip"; option values as
// "id/value:…", totals as "id:old→new(options)".
func show(rows []Row) string {
	var out []string
	for _, r := range rows {
		id := fmt.Sprint(r.ProductID)
		if r.OptionValueID > 0 {
			id += fmt.Sprintf("/%d", r.OptionValueID)
		}
		switch {
		case r.Skip != "":
			out = append(out, id+":"+r.Skip)
		case r.Follows != "":
			out = append(out, fmt.Sprintf("%s:%d→%d(%s)", id, r.Old, r.New, r.Follows))
		default:
			out = append(out, fmt.Sprintf("%s:%d→%d", id, r.Old, r.New))
		}
	}
	return strings.Join(out, " ")
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
	cases := []struct {
		name     string
		s        Settings
		reserved map[int]int
		want     string
	}{
		{"free stock, floored; matching ignores case; skips say why",
			Settings{CodeField: "model"}, nil,
			"1:3→12 2:10→10 3:7→1 4:no_code 5:unknown 6:not_tracked 7:ambiguous 8:5→0"},
		{"technical stock", Settings{CodeField: "model", Technical: true}, nil,
			"1:3→20 2:10→15 3:7→1 4:no_code 5:unknown 6:not_tracked 7:ambiguous 8:5→0"},
		{"a safety margin never goes below zero", Settings{CodeField: "model", Buffer: 2}, nil,
			"1:3→10 2:10→8 3:7→0 4:no_code 5:unknown 6:not_tracked 7:ambiguous 8:5→0"},
		{"open orders not yet in SnelStart are subtracted", Settings{CodeField: "model", ReserveOpenOrders: true}, map[int]int{1: 4, 2: 11},
			"1:3→8 2:10→0 3:7→1 4:no_code 5:unknown 6:not_tracked 7:ambiguous 8:5→0"},
		{"reservations only when the setting is on", Settings{CodeField: "model"}, map[int]int{1: 4},
			"1:3→12 2:10→10 3:7→1 4:no_code 5:unknown 6:not_tracked 7:ambiguous 8:5→0"},
		{"another code field", Settings{CodeField: "sku"}, nil,
			"1:3→99 2:no_code 3:no_code 4:no_code 5:no_code 6:no_code 7:no_code 8:no_code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Plan(Input{Products: products, Articles: articles, Reserved: Reservations{Products: c.reserved}}, c.s)
			if got := show(res.Rows); got != c.want {
				t.Fatalf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

// An article S-Connect created is left alone until SnelStart has been
// given its stock; then it is exported for good.
func TestNotSetUntilGiven(t *testing.T) {
	products := []opencart.Product{
		{ID: 1, Model: "NIEUW", Quantity: 9}, {ID: 2, Model: "BEWERKT", Quantity: 9}, {ID: 3, Model: "ONTVANGEN", Quantity: 9},
		{ID: 4, Model: "VRIJGEGEVEN", Quantity: 9}, {ID: 5, Model: "ONBEKEND", Quantity: 9}, {ID: 6, Model: "BESTOND", Quantity: 9},
	}
	edited := art("BEWERKT", "-2", "0", true)
	edited.ModifiedOn = snelstart.Time{Time: t0.Add(time.Minute)}
	noFigure := art("ONBEKEND", "0", "0", true)
	noFigure.StockKnown = false
	articles := []snelstart.Artikel{art("NIEUW", "-2", "0", true), edited, art("ONTVANGEN", "4", "6", true),
		art("VRIJGEGEVEN", "0", "0", true), noFigure, art("BESTOND", "0", "0", true)}
	released := t0
	created := map[string]config.CreatedArticle{}
	for _, code := range []string{"nieuw", "bewerkt", "ontvangen", "vrijgegeven", "onbekend"} {
		created[code] = config.CreatedArticle{Code: code, ModifiedOn: t0}
	}
	c := created["vrijgegeven"]
	c.ReleasedAt = &released
	created["vrijgegeven"] = c
	res := Plan(Input{Products: products, Articles: articles, Created: created}, Settings{CodeField: "model"})
	if got, want := show(res.Rows), "1:not_set 2:9→0 3:9→4 4:9→0 5:not_set 6:9→0"; got != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
	if strings.Join(res.Given, ",") != "bewerkt,ontvangen" {
		t.Fatalf("given %v", res.Given)
	}
}

// Option values mapped to articles (by the mapping table or by an
// extension's option SKU) get their own stock; the product holds their
// total, per stock option, the smallest when there are several.
func TestOptionValuesAndTotals(t *testing.T) {
	shirt := opencart.Product{ID: 1, Name: "Shirt", Model: "SHIRT", Quantity: 50, Options: []opencart.OptionValue{
		{ID: 11, ProductOptionID: 100, OptionName: "Maat", ValueName: "S", Quantity: 5},
		{ID: 12, ProductOptionID: 100, OptionName: "Maat", ValueName: "M", Quantity: 5, Code: "SHIRT-M"},
		{ID: 13, ProductOptionID: 100, OptionName: "Maat", ValueName: "L", Quantity: 4}, // no article: counts as it is
		{ID: 14, ProductOptionID: 200, OptionName: "Kleur", ValueName: "Rood", Quantity: 3},
	}}
	mug := opencart.Product{ID: 2, Name: "Mok", Model: "MOK", Quantity: 8, Options: []opencart.OptionValue{
		{ID: 21, ProductOptionID: 300, Quantity: 1}, {ID: 22, ProductOptionID: 300, Quantity: 1}}}
	colours := opencart.Product{ID: 3, Name: "Sok", Model: "SOK", Quantity: 8, Options: []opencart.OptionValue{
		{ID: 31, ProductOptionID: 400, Quantity: 1}, {ID: 32, ProductOptionID: 500, Quantity: 1}}}
	articles := []snelstart.Artikel{art("SHIRT", "99", "99", true), art("SHIRT-S", "7", "7", true), art("SHIRT-M", "2", "2", true),
		art("MOK", "6", "6", true), art("MOK-A", "3", "3", true), art("SOK-MAAT", "10", "10", true), art("SOK-KLEUR", "4", "4", true)}
	s := Settings{CodeField: "model", ReserveOpenOrders: true, OptionMap: map[int]string{11: "SHIRT-S", 21: "MOK-A", 22: "MOK-B", 31: "SOK-MAAT", 32: "SOK-KLEUR"}}
	res := Plan(Input{Products: []opencart.Product{shirt, mug, colours}, Articles: articles,
		Reserved: Reservations{Options: map[int]int{11: 1}}}, s)
	want := "1:50→12(options) 1/11:5→6 1/12:5→2 2:8→4(options) 2/21:1→3 2/22:unknown 3:8→4(options) 3/31:1→10 3/32:1→4"
	if got := show(res.Rows); got != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
	if res.Rows[1].Name != "Shirt – Maat: S" || res.Rows[1].Reserved != 1 {
		t.Fatalf("option row %+v", res.Rows[1])
	}
	// When none of its option values is exported, a product is its own.
	res = Plan(Input{Products: []opencart.Product{mug}, Articles: []snelstart.Artikel{art("MOK", "6", "6", true)}}, s)
	if got := show(res.Rows); got != "2:8→6 2/21:unknown 2/22:unknown" {
		t.Fatalf("got %s", got)
	}
}

// A 4.x master holds the total of its variants when they are exported.
func TestVariantsTotal(t *testing.T) {
	products := []opencart.Product{{ID: 1, Model: "WIJN", Quantity: 10}, {ID: 2, MasterID: 1, Model: "WIJN-MAG", Quantity: 3},
		{ID: 3, MasterID: 1, Model: "WIJN-HALF", Quantity: 4}, {ID: 4, Model: "LOS", Quantity: 1}, {ID: 5, MasterID: 4, Model: "LOS-X", Quantity: 1}}
	articles := []snelstart.Artikel{art("WIJN", "50", "50", true), art("WIJN-MAG", "6", "6", true), art("LOS", "2", "2", true)}
	res := Plan(Input{Products: products, Articles: articles}, Settings{CodeField: "model"})
	if got, want := show(res.Rows), "1:10→10(variants) 2:3→6 3:unknown 4:1→2 5:unknown"; got != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
}

func TestGuard(t *testing.T) {
	rows := func(zeroed, kept int) []Row {
		var out []Row
		for i := 0; i < zeroed; i++ {
			out = append(out, Row{ProductID: i + 1, Old: 5, New: 0})
		}
		for i := 0; i < kept; i++ {
			out = append(out, Row{ProductID: 100 + i, Old: 5, New: 5})
		}
		out = append(out, Row{ProductID: 999, Old: 5, Skip: SkipNotSet}, Row{ProductID: 1, OptionValueID: 7, Old: 5, New: 0})
		return out
	}
	s := Settings{Guard: true, GuardZeroPercent: 20, GuardDropPercent: 50}
	cases := []struct {
		name            string
		rows            []Row
		s               Settings
		managed, total  int
		partial         bool
		want            string
		zeroed, manages int
	}{
		{"20 % to 0 is at the threshold, not over it", rows(2, 8), s, 0, 0, false, "", 2, 10},
		{"over 20 % trips", rows(3, 7), s, 0, 0, false, "zero", 3, 10},
		{"one product selling out never trips", rows(1, 1), s, 0, 0, false, "", 1, 2},
		{"the setting's own threshold", rows(3, 7), Settings{Guard: true, GuardZeroPercent: 30, GuardDropPercent: 90}, 0, 0, false, "", 3, 10},
		{"off", rows(9, 1), Settings{Guard: false, GuardZeroPercent: 20, GuardDropPercent: 50}, 0, 0, false, "", 9, 10},
		{"total stock halved and more trips", []Row{{ProductID: 1, Old: 100, New: 49}, {ProductID: 2, Old: 10, New: 0}, {ProductID: 3}}, s, 0, 0, false, "drop", 1, 3},
		{"one product counted lower never trips", []Row{{ProductID: 1, Old: 100, New: 7}, {ProductID: 2, Old: 1, New: 1}}, s, 0, 0, false, "", 0, 2},
		{"a partial pass counts against the whole shop", rows(3, 0), s, 100, 500, true, "", 3, 100},
		{"a partial pass that empties the shop trips", []Row{{ProductID: 1, Old: 200, New: 0}, {ProductID: 2, Old: 200, New: 1}}, s, 100, 500, true, "drop", 1, 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := Check(c.rows, c.s, c.managed, c.total, c.partial)
			if g.Tripped != c.want || g.Zeroed != c.zeroed || g.Managed != c.manages {
				t.Fatalf("guard %+v", g)
			}
		})
	}
}

// The preview of the combined task plans against SnelStart as it will be
// after the import: new articles without stock, created by S-Connect; the
// free stock of booked lines lowered, also a recipe's parts.
func TestPendingApply(t *testing.T) {
	recipe := art("PAKKET", "5", "5", true)
	recipe.IsHoofdartikel = true
	recipe.Subartikelen = []snelstart.SubArtikel{{Artikelcode: "GLAS", Aantal: snelstart.Num("2")}}
	articles := []snelstart.Artikel{art("WIJN", "10", "10", true), recipe, art("GLAS", "20", "20", true), art("DIENST", "0", "0", false)}
	p := &Pending{NewArticles: []snelstart.NewArtikel{{Artikelcode: "NIEUW", VoorraadControle: true}},
		Booked: []Booked{{OrderID: 7, Lines: []BookedLine{{Code: "wijn", Quantity: decimal.NewFromInt(3)}, {Code: "PAKKET", Quantity: decimal.NewFromInt(1)},
			{Code: "NIEUW", Quantity: decimal.NewFromInt(2)}, {Code: "DIENST", Quantity: decimal.NewFromInt(1)}}}},
		Settled: []int{8}}
	out, mem := p.apply(articles, map[string]config.CreatedArticle{}, t0)
	free := map[string]string{}
	for _, a := range out {
		free[a.Artikelcode] = a.VrijeVoorraad.String() + "/" + a.TechnischeVoorraad.String()
	}
	if fmt.Sprint(free) != "map[DIENST:0/0 GLAS:18/20 NIEUW:-2/0 PAKKET:4/5 WIJN:7/10]" {
		t.Fatalf("after the import: %v", free)
	}
	if _, ok := mem["nieuw"]; !ok || len(mem) != 1 {
		t.Fatalf("created %v", mem)
	}
	if c := p.confirmed(); !c[7] || !c[8] || len(c) != 2 {
		t.Fatalf("confirmed %v", c)
	}
	if articles[0].VrijeVoorraad.String() != "10" {
		t.Fatal("apply changed its input")
	}
	res := Plan(Input{Products: []opencart.Product{{ID: 1, Model: "NIEUW", Quantity: 4}}, Articles: out, Created: mem}, Settings{CodeField: "model"})
	if show(res.Rows) != "1:not_set" {
		t.Fatalf("a new article: %s", show(res.Rows))
	}
}
