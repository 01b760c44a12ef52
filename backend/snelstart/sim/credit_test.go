package sim

import (
	"encoding/json"
	"testing"
)

// A credit verkooporder (negative quantities) raises vrijeVoorraad the way
// an order lowers it, a recipe's components included, and its totals come
// out negative: the order and its credit net to nothing.
func TestCreditOrderRaisesStock(t *testing.T) {
	s, tok := seeded(t, Options{Strict: true})
	klant := s.All("relaties")[0]
	byCode := map[string]map[string]any{}
	for _, a := range s.All("artikelen") {
		byCode[a["artikelcode"].(string)] = a
	}
	stock := func() map[string]string {
		out := map[string]string{}
		for _, a := range s.All("artikelen") {
			out[a["artikelcode"].(string)] = string(a["vrijeVoorraad"].(json.Number))
		}
		return out
	}
	before := stock()
	order := func(ref string, sign float64) map[string]any {
		rec := do(s, tok, "POST", "/v2/verkooporders", map[string]any{"relatie": Ref(klant), "omschrijving": ref, "betalingskenmerk": ref,
			"verkooporderBtwIngaveModel": "Inclusief", "regels": []any{
				map[string]any{"artikel": Ref(byCode["WIJN-ROOD"]), "stuksprijs": 12.50, "aantal": 2 * sign},
				map[string]any{"artikel": Ref(byCode["GESCHENK"]), "stuksprijs": 29.95, "aantal": 1 * sign},
			}})
		if rec.Code != 201 {
			t.Fatalf("%s: %d %s", ref, rec.Code, rec.Body)
		}
		var got map[string]any
		json.Unmarshal(rec.Body.Bytes(), &got)
		return got
	}
	order("1", 1)
	sold := stock()
	// wijn 40 − 2 − 1 (recipe) = 37, glas 100 − 2 = 98, geschenk 10 − 1 = 9
	if sold["WIJN-ROOD"] != "37" || sold["GLAS"] != "98" || sold["GESCHENK"] != "9" {
		t.Fatalf("after the order: %v", sold)
	}
	credit := order("1-C", -1)
	if credit["totaalInclusiefBtw"] != -54.95 || credit["totaalExclusiefBtw"] != -45.41 {
		t.Fatalf("credit totals: %v %v", credit["totaalInclusiefBtw"], credit["totaalExclusiefBtw"])
	}
	if after := stock(); after["WIJN-ROOD"] != before["WIJN-ROOD"] || after["GLAS"] != before["GLAS"] || after["GESCHENK"] != before["GESCHENK"] {
		t.Fatalf("after the credit: %v, before the order %v", after, before)
	}
}
