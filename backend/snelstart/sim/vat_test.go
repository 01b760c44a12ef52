package sim

import (
	"encoding/json"
	"testing"
)

// A webshop order with a 10 % coupon over a 21 % and a 9 % product, booked
// as S-Connect books it: one discount line per rate, prices incl. VAT.
// The shop had: A 100,00 + B 50,00 net, shipping 6,95 net at 21 %, coupon
// −15,00 net (−10 at 21 %, −5 at 9 %), tax rows 20,3595 and 4,0500, total
// 166,3595.
func TestVATPerRateOfACouponOrder(t *testing.T) {
	s, tok := seeded(t, Options{Strict: true})
	art := map[string]map[string]any{}
	for _, a := range s.All("artikelen") {
		art[a["artikelcode"].(string)] = a
	}
	line := func(code string, price float64) map[string]any {
		return map[string]any{"artikel": Ref(art[code]), "stuksprijs": price, "aantal": 1}
	}
	order := map[string]any{"relatie": Ref(s.All("relaties")[0]), "verkooporderBtwIngaveModel": "Inclusief", "regels": []any{
		line("WIJN-ROOD", 121.00),    // 100,00 + 21 %
		line("KAAS-OUD", 54.50),      // 50,00 + 9 %
		line("VERZEND", 8.41),        // 6,95 + 21 % = 8,4095
		line("KORTING", -12.10),      // −10,00 + 21 %
		line("KORTING-LAAG", -5.45)}} // −5,00 + 9 %
	rec := do(s, tok, "POST", "/v2/verkooporders", order)
	if rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var got map[string]any
	json.Unmarshal(rec.Body.Bytes(), &got)
	// 21 %: 121,00 + 8,41 − 12,10 = 117,31 incl.; VAT 117,31 × 21/121 = 20,3596 → 20,36
	// 9 %: 54,50 − 5,45 = 49,05 incl.; VAT 49,05 × 9/109 = 4,05
	// total 166,36 incl., 166,36 − 24,41 = 141,95 excl.
	if got["totaalInclusiefBtw"] != 166.36 || got["totaalExclusiefBtw"] != 141.95 {
		t.Fatalf("totals: incl %v excl %v", got["totaalInclusiefBtw"], got["totaalExclusiefBtw"])
	}
	vat := s.VATPerRate(s.All("verkooporders")[0])
	if len(vat) != 2 || vat["21"].StringFixed(2) != "20.36" || vat["9"].StringFixed(2) != "4.05" {
		t.Fatalf("VAT per rate: %v", vat)
	}

	// Rounded once per rate, not per line: three lines of 0,03 at 21 % make
	// 0,09 incl. with 0,02 VAT (per line it would be 3 × 0,01).
	order["regels"] = []any{line("GLAS", 0.03), line("GLAS", 0.03), line("GLAS", 0.03)}
	rec = do(s, tok, "POST", "/v2/verkooporders", order)
	json.Unmarshal(rec.Body.Bytes(), &got)
	if vat := s.VATPerRate(s.All("verkooporders")[1]); rec.Code != 201 || got["totaalExclusiefBtw"] != 0.07 || vat["21"].StringFixed(2) != "0.02" {
		t.Fatalf("per rate: %d excl %v VAT %v", rec.Code, got["totaalExclusiefBtw"], vat)
	}

	// SnelStart does not document which it does: rounded per line, the
	// three lines have 3 × 0,01 VAT (0,03 × 21/121 = 0,0052), 0,06 excl.
	s, tok = seeded(t, Options{Strict: true, VATPerLine: true})
	for _, a := range s.All("artikelen") {
		art[a["artikelcode"].(string)] = a
	}
	order["relatie"] = Ref(s.All("relaties")[0])
	order["regels"] = []any{line("GLAS", 0.03), line("GLAS", 0.03), line("GLAS", 0.03)}
	rec = do(s, tok, "POST", "/v2/verkooporders", order)
	json.Unmarshal(rec.Body.Bytes(), &got)
	if vat := s.VATPerRate(s.All("verkooporders")[0]); rec.Code != 201 || got["totaalExclusiefBtw"] != 0.06 || got["totaalInclusiefBtw"] != 0.09 || vat["21"].StringFixed(2) != "0.03" {
		t.Fatalf("per line: %d excl %v incl %v VAT %v", rec.Code, got["totaalExclusiefBtw"], got["totaalInclusiefBtw"], vat)
	}
}
