package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

func list(t *testing.T, s *Server, tok, path string) []map[string]any {
	t.Helper()
	rec := do(s, tok, "GET", path, nil)
	var got []map[string]any
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	return got
}

// Without $orderby a list comes in no particular order, so paging through
// it with $skip misses rows; with $orderby every row comes once, in order.
func TestListsComeInOrderOnlyWhenAsked(t *testing.T) {
	s, tok := seeded(t, Options{})
	for i := 0; i < 700; i++ {
		s.Insert("relaties", map[string]any{"relatiesoort": []string{"Klant"}, "relatiecode": 2000 + i, "naam": fmt.Sprint("K", i)})
	}
	pages := func(extra string) map[string]int {
		seen := map[string]int{}
		for skip := 0; skip < 703; skip += 100 {
			for _, r := range list(t, s, tok, fmt.Sprintf("/v2/relaties?$top=100&$skip=%d%s", skip, extra)) {
				seen[r["id"].(string)]++
			}
		}
		return seen
	}
	if unordered := pages(""); len(unordered) == 703 {
		t.Fatalf("paging without $orderby saw every row once: the order is not shuffled")
	}
	ordered := pages("&$orderby=Id")
	for id, n := range ordered {
		if n != 1 {
			t.Fatalf("row %s seen %d times", id, n)
		}
	}
	if len(ordered) != 703 {
		t.Fatalf("ordered paging saw %d of 703 rows", len(ordered))
	}
	desc := list(t, s, tok, "/v2/relaties?$orderby="+url.QueryEscape("relatiecode desc")+"&$top=3")
	if fmt.Sprint(desc[0]["relatiecode"]) != "2699" || fmt.Sprint(desc[2]["relatiecode"]) != "2697" {
		t.Fatalf("relatiecode desc: %v %v", desc[0]["relatiecode"], desc[2]["relatiecode"])
	}
	byPlace := list(t, s, tok, "/v2/relaties?$filter="+url.QueryEscape("Relatiecode lt 1100")+"&$orderby="+url.QueryEscape("VestigingsAdres/Plaats"))
	if len(byPlace) != 3 || byPlace[0]["naam"] != "Brasserie 't Hoekje" || byPlace[2]["naam"] != "Jansen B.V." {
		t.Fatalf("by plaats: %v", byPlace)
	}
	for _, bad := range []string{"Bestaatniet", "Naam sideways", "Naam asc desc"} {
		if rec := do(s, tok, "GET", "/v2/relaties?$orderby="+url.QueryEscape(bad), nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), "ALG-0104") {
			t.Errorf("$orderby=%s: %d %s", bad, rec.Code, rec.Body)
		}
	}
	r, tok2 := seeded(t, Options{RefuseOrderBy: true})
	if rec := do(r, tok2, "GET", "/v2/relaties?$orderby=Id", nil); rec.Code != 400 {
		t.Fatalf("RefuseOrderBy: %d", rec.Code)
	}
}

// A delayed-visible create is stored at once — its number is taken and a
// second create of the same code is refused — but reads miss it for a while.
func TestDelayedVisibility(t *testing.T) {
	s, tok := seeded(t, Options{Faults: Faults{DelayedVisible: 1, VisibleAfter: 300 * time.Millisecond}})
	grp := s.All("artikelomzetgroepen")[0]
	before := s.Count("artikelen")
	rec := do(s, tok, "POST", "/v2/artikelen", map[string]any{"artikelcode": "LAAT", "omschrijving": "Laat zichtbaar",
		"artikelOmzetgroep": Ref(grp), "verkoopprijs": 1})
	var made map[string]any
	if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &made) != nil {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	if rec := do(s, tok, "GET", "/v2/artikelen?$filter="+url.QueryEscape("Artikelcode eq 'LAAT'"), nil); rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != "[]" {
		t.Fatalf("visible at once (or not an empty list): %d %s", rec.Code, rec.Body)
	}
	if rec := do(s, tok, "GET", "/v2/artikelen/"+made["id"].(string), nil); rec.Code != 404 {
		t.Fatalf("GET by id at once: %d", rec.Code)
	}
	s.SetFaults(Faults{})
	if rec := do(s, tok, "POST", "/v2/artikelen", map[string]any{"artikelcode": "LAAT", "omschrijving": "x",
		"artikelOmzetgroep": Ref(grp), "verkoopprijs": 1}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "ART-0005") {
		t.Fatalf("a second create of the hidden code: %d %s", rec.Code, rec.Body)
	}
	if s.Count("artikelen") != before+1 { // the truth for tests counts it
		t.Fatalf("count %d", s.Count("artikelen"))
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(list(t, s, tok, "/v2/artikelen?$filter="+url.QueryEscape("Artikelcode eq 'LAAT'"))) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("never became visible")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A relatie comes back with every field, known to the simulator or not,
// and a PUT replaces it whole: what the PUT leaves out is gone.
func TestRelatieKeepsEveryFieldAndPutReplacesIt(t *testing.T) {
	s, tok := seeded(t, Options{Strict: true})
	var jansen map[string]any
	for _, r := range s.All("relaties") {
		if r["naam"] == "Jansen B.V." {
			jansen = r
		}
	}
	path := "/v2/relaties/" + jansen["id"].(string)
	// A field of a later API version, which the simulator's shape lacks.
	s.Patch("relaties", jansen["id"].(string), map[string]any{"toekomstigVeld": "bewaren"})
	var got map[string]any
	json.Unmarshal(do(s, tok, "GET", path, nil).Body.Bytes(), &got)
	got["telefoon"] = "030-7654321"
	if rec := do(s, tok, "PUT", path, got); rec.Code != 200 {
		t.Fatalf("PUT of what GET gave: %d %s", rec.Code, rec.Body)
	}
	var after map[string]any
	json.Unmarshal(do(s, tok, "GET", path, nil).Body.Bytes(), &after)
	for _, k := range []string{"iban", "bic", "krediettermijn", "kredietLimiet", "factuurkorting", "websiteUrl", "extraVeldenKlant",
		"correspondentieAdres", "factuurEmailVersturen", "memo", "toekomstigVeld", "relatiecode"} {
		a, _ := json.Marshal(after[k])
		b, _ := json.Marshal(jansen[k])
		if k != "toekomstigVeld" && string(a) != string(b) || k == "toekomstigVeld" && after[k] != "bewaren" {
			t.Errorf("%s: %s after the PUT, was %s", k, a, b)
		}
	}
	if after["telefoon"] != "030-7654321" {
		t.Errorf("telefoon %v", after["telefoon"])
	}
	// A PUT of a few fields blanks the rest (but not the read-only ones).
	small := map[string]any{"id": jansen["id"], "relatiesoort": []string{"Klant"}, "naam": "Jansen B.V."}
	if rec := do(s, tok, "PUT", path, small); rec.Code != 200 {
		t.Fatalf("small PUT: %d %s", rec.Code, rec.Body)
	}
	json.Unmarshal(do(s, tok, "GET", path, nil).Body.Bytes(), &after)
	if after["iban"] != nil || after["krediettermijn"] != nil || fmt.Sprint(after["relatiecode"]) != "1001" {
		t.Fatalf("after a small PUT: iban %v, krediettermijn %v, relatiecode %v", after["iban"], after["krediettermijn"], after["relatiecode"])
	}
	// Strict mode still refuses a field nobody knows.
	got["telefoonn"] = "x"
	if rec := do(s, tok, "PUT", path, got); rec.Code != 400 || !strings.Contains(rec.Body.String(), "telefoonn") {
		t.Fatalf("misspelt field: %d %s", rec.Code, rec.Body)
	}
}

// What Save wrote, Load brings back in a new server: objects with their
// ids, the company info with the next order number, the VAT rates.
func TestSaveLoad(t *testing.T) {
	a := New(Options{})
	a.SeedDefault()
	a.SetCompany(map[string]any{"volgendVerkoopordernummer": 42})
	var buf bytes.Buffer
	if err := a.Save(&buf); err != nil {
		t.Fatal(err)
	}
	b := New(Options{})
	if err := b.Load(&buf); err != nil {
		t.Fatal(err)
	}
	for _, c := range collections {
		if x, y := a.All(c), b.All(c); fmt.Sprint(x) != fmt.Sprint(y) || (c == "artikelen" && len(y) == 0) {
			t.Fatalf("%s after Load: %d objects, want %d", c, len(y), len(x))
		}
	}
	art := b.All("artikelen")[0]
	b.Patch("artikelen", art["id"].(string), map[string]any{"omschrijving": "x"})
	if got := b.All("artikelen")[0]["omschrijving"]; got != "x" {
		t.Fatalf("an object loaded is not found by its id: %v", got)
	}
	if fmt.Sprint(b.company["volgendVerkoopordernummer"]) != "42" || len(b.btwtarieven) != 3 {
		t.Fatalf("company %v, btw %v", b.company["volgendVerkoopordernummer"], b.btwtarieven)
	}
}
