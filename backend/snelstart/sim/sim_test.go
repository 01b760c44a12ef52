package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func seeded(t *testing.T, opt Options) (*Server, string) {
	t.Helper()
	opt.ClientKeys = map[string][]string{"k": nil}
	opt.SubscriptionKeys = []string{"s"}
	s := New(opt)
	s.SeedDefault()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, form("grant_type=clientkey&clientkey=k"))
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &tok) != nil || tok.ExpiresIn != 3599 {
		t.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	return s, tok.AccessToken
}

func form(body string) *http.Request {
	req := httptest.NewRequest("POST", "/b2b/token", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

func do(s *Server, tok, method, path string, body any) *httptest.ResponseRecorder {
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Ocp-Apim-Subscription-Key", "s")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func TestODataSubset(t *testing.T) {
	s, tok := seeded(t, Options{})
	nl := s.LandID("NL")
	cases := []struct {
		filter string
		want   int // relaties matched (the seed has 3)
	}{
		{"Relatiecode eq 1002", 1},
		{"relatiecode ne 1002", 2},
		{"Relatiecode gt 1001 and Relatiecode le 1003", 2},
		{"Relatiecode lt 1002 or Naam eq 'Anna de Vries'", 2},
		{"not (Relatiecode eq 1001)", 2},
		{"Email eq 'INFO@JANSEN.NL'", 1},
		{"startswith(Naam,'Brasserie') eq true", 1},
		{"substringof('Hoekje B', Naam) eq true", 0},
		{"substringof('''t Hoek', Naam) eq true", 1},
		{"endswith(Email,'.nl')", 2},
		{"tolower(Naam) eq 'jansen b.v.'", 1},
		{"Relatiesoort/any(r:r eq 'Klant')", 3},
		{"Relatiesoort/any(r:r eq 'Leverancier')", 0},
		{"VestigingsAdres/Land/Id eq guid'" + nl + "'", 2},
		{"VestigingsAdres/Plaats eq 'Gent' and Nonactief eq false", 1},
		{"BtwNummer eq null", 2}, // Jansen has one
		{"ModifiedOn gt datetime'2001-01-01T00:00:00'", 3},
		{"year(ModifiedOn) lt 2001", 0},
	}
	for _, c := range cases {
		rec := do(s, tok, "GET", "/v2/relaties?$filter="+url.QueryEscape(c.filter), nil)
		var got []map[string]any
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil || len(got) != c.want {
			t.Errorf("%s: %d, %d results, want %d: %s", c.filter, rec.Code, len(got), c.want, rec.Body)
		}
	}
	for _, bad := range []string{"Naam eq", "Onbekend eq 1", "Naam eq 'x", "foo(Naam)", "Naam eq 'a' extra", "VestigingsAdres/Bestaatniet eq 1"} {
		rec := do(s, tok, "GET", "/v2/relaties?$filter="+url.QueryEscape(bad), nil)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "ALG-0104") {
			t.Errorf("%q: %d %s, want 400 ALG-0104", bad, rec.Code, rec.Body)
		}
	}
}

func TestPagingDefaultsAndLimits(t *testing.T) {
	s, tok := seeded(t, Options{})
	for i := 0; i < 700; i++ {
		s.Insert("relaties", map[string]any{"relatiesoort": []string{"Klant"}, "relatiecode": 2000 + i, "naam": "x"})
	}
	count := func(q string) int {
		var got []any
		rec := do(s, tok, "GET", "/v2/relaties"+q, nil)
		json.Unmarshal(rec.Body.Bytes(), &got)
		return len(got)
	}
	if n := count(""); n != 500 {
		t.Errorf("default page %d, want 500", n)
	}
	if n := count("?$top=9999"); n != 500 {
		t.Errorf("$top above 500 gave %d", n)
	}
	if n := count("?$skip=500"); n != 203 {
		t.Errorf("second page %d, want 203", n)
	}
	if n := count("?$top=5&$skip=701"); n != 2 {
		t.Errorf("last rows %d, want 2", n)
	}
}

func TestAuthAnswers(t *testing.T) {
	s, tok := seeded(t, Options{ClientKeys: map[string][]string{}})
	req := httptest.NewRequest("GET", "/v2/companyInfo", nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 401 || !strings.Contains(rec.Body.String(), "missing subscription key") {
		t.Errorf("no key: %d %s", rec.Code, rec.Body)
	}
	req.Header.Set("Ocp-Apim-Subscription-Key", "fout")
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 403 || !strings.Contains(rec.Body.String(), "invalid subscription key") {
		t.Errorf("wrong key: %d %s", rec.Code, rec.Body)
	}
	if rec := do(s, "nep", "GET", "/v2/companyInfo", nil); rec.Code != 401 {
		t.Errorf("wrong token: %d", rec.Code)
	}
	s.ExpireTokens()
	if rec := do(s, tok, "GET", "/v2/companyInfo", nil); rec.Code != 401 {
		t.Errorf("expired token: %d", rec.Code)
	}
	// The password grant: base64(koppelsleutel) = "user:pass".
	s2 := New(Options{ClientKeys: map[string][]string{"dXNlcjpwYXNz": nil}, SubscriptionKeys: []string{"s"}})
	rec = httptest.NewRecorder()
	s2.ServeHTTP(rec, form("grant_type=password&username=user&password=pass"))
	if rec.Code != 200 {
		t.Errorf("password grant: %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	s2.ServeHTTP(rec, form("grant_type=clientkey&clientkey=nope"))
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "invalid_grant") {
		t.Errorf("bad client key: %d %s", rec.Code, rec.Body)
	}
}

func codes(rec *httptest.ResponseRecorder) string {
	var items []map[string]string
	json.Unmarshal(rec.Body.Bytes(), &items)
	var out []string
	for _, it := range items {
		out = append(out, it["errorCode"])
	}
	return strings.Join(out, ",")
}

func TestValidationCodes(t *testing.T) {
	s, tok := seeded(t, Options{})
	grp := s.All("artikelomzetgroepen")[0]
	klant := s.All("relaties")[0]
	art := s.All("artikelen")[4]
	nl := map[string]any{"id": s.LandID("NL")}
	long := strings.Repeat("x", 51)
	cases := []struct {
		name, path string
		body       any
		code       string
	}{
		{"relatie without naam", "/v2/relaties", map[string]any{"relatiesoort": []string{"Klant"}}, "REL-0007"},
		{"relatie with id", "/v2/relaties", map[string]any{"id": "6b1f0000-0000-4000-8000-000000000001", "naam": "x", "relatiesoort": []string{"Klant"}}, "REL-0063"},
		{"relatie unknown land", "/v2/relaties", map[string]any{"naam": "x", "relatiesoort": []string{"Klant"}, "vestigingsAdres": map[string]any{"straat": "a", "plaats": "b", "land": map[string]any{"id": "00000000-0000-4000-8000-000000000000"}}}, "REL-0055"},
		{"relatie unknown correspondentieland", "/v2/relaties", map[string]any{"naam": "x", "relatiesoort": []string{"Klant"}, "correspondentieAdres": map[string]any{"land": map[string]any{"id": "00000000-0000-4000-8000-000000000000"}}}, "REL-0056"},
		{"relatie bad email", "/v2/relaties", map[string]any{"naam": "x", "relatiesoort": []string{"Klant"}, "email": "geen-adres"}, "REL-0061"},
		{"relatie long straat", "/v2/relaties", map[string]any{"naam": "x", "relatiesoort": []string{"Klant"}, "vestigingsAdres": map[string]any{"straat": long, "plaats": "b", "land": nl}}, "REL-0021"},
		{"relatie dup code", "/v2/relaties", map[string]any{"naam": "x", "relatiesoort": []string{"Klant"}, "relatiecode": 1001}, "REL-0008"},
		{"relatie both kinds", "/v2/relaties", map[string]any{"naam": "x", "relatiesoort": []string{"Klant", "Leverancier"}}, "REL-0065"},
		{"artikel without code", "/v2/artikelen", map[string]any{"omschrijving": "x", "artikelOmzetgroep": Ref(grp)}, "ART-0002"},
		{"artikel dup code", "/v2/artikelen", map[string]any{"artikelcode": "wijn-rood", "omschrijving": "x", "artikelOmzetgroep": Ref(grp)}, "ART-0005"},
		{"artikel no group", "/v2/artikelen", map[string]any{"artikelcode": "N1", "omschrijving": "x"}, "ART-0008"},
		{"artikel unknown group", "/v2/artikelen", map[string]any{"artikelcode": "N1", "omschrijving": "x", "artikelOmzetgroep": map[string]any{"id": "00000000-0000-4000-8000-000000000000"}}, "ART-0009"},
		{"artikel long code", "/v2/artikelen", map[string]any{"artikelcode": strings.Repeat("A", 31), "omschrijving": "x", "artikelOmzetgroep": Ref(grp)}, "ART-0004"},
		{"order with id", "/v2/verkooporders", map[string]any{"id": "6b1f0000-0000-4000-8000-000000000001"}, "ALG-0100"},
		{"order without klant", "/v2/verkooporders", map[string]any{"regels": []any{}}, "VOR-0002"},
		{"order with nummer", "/v2/verkooporders", map[string]any{"relatie": Ref(klant), "nummer": 77}, "VOR-0005"},
		{"order long reference", "/v2/verkooporders", map[string]any{"relatie": Ref(klant), "orderreferentie": long}, "VOR-0011"},
		{"order long afleverstraat", "/v2/verkooporders", map[string]any{"relatie": Ref(klant), "afleveradres": map[string]any{"straat": long}}, "VOR-0007"},
		{"order unknown land", "/v2/verkooporders", map[string]any{"relatie": Ref(klant), "factuuradres": map[string]any{"land": map[string]any{"id": "00000000-0000-4000-8000-000000000000"}}}, "VOR-0010"},
		{"order unknown article", "/v2/verkooporders", map[string]any{"relatie": Ref(klant), "regels": []any{map[string]any{"artikel": map[string]any{"id": "00000000-0000-4000-8000-000000000000"}, "aantal": 1}}}, "ALG-0102"},
		{"order unknown sjabloon", "/v2/verkooporders", map[string]any{"relatie": Ref(klant), "verkoopordersjabloon": map[string]any{"id": "00000000-0000-4000-8000-000000000000"}, "regels": []any{map[string]any{"artikel": Ref(art), "aantal": 1}}}, "ALG-0102"},
	}
	for _, c := range cases {
		rec := do(s, tok, "POST", c.path, c.body)
		if rec.Code != 400 || !strings.Contains(codes(rec), c.code) {
			t.Errorf("%s: %d %s, want 400 %s", c.name, rec.Code, rec.Body, c.code)
		}
	}
	if rec := do(s, tok, "POST", "/v2/relaties", nil); rec.Code != 400 || codes(rec) != "ALG-0106" {
		t.Errorf("empty body: %d %s", rec.Code, rec.Body)
	}
	if rec := do(s, tok, "PUT", "/v2/relaties/"+klant["id"].(string), map[string]any{"id": art["id"], "naam": "x", "relatiesoort": []string{"Klant"}}); rec.Code != 400 || codes(rec) != "REL-0047" {
		t.Errorf("id mismatch: %d %s", rec.Code, rec.Body)
	}
	if rec := do(s, tok, "GET", "/v2/artikelen/00000000-0000-4000-8000-000000000000", nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), `"Message"`) {
		t.Errorf("404 body: %d %s", rec.Code, rec.Body)
	}
}

func TestOrderCreateNumbersTotalsAndStock(t *testing.T) {
	s, tok := seeded(t, Options{Strict: true})
	klant := s.All("relaties")[0]
	byCode := map[string]map[string]any{}
	for _, a := range s.All("artikelen") {
		byCode[a["artikelcode"].(string)] = a
	}
	order := map[string]any{
		"Relatie": Ref(klant), "omschrijving": "Webshop order 1", "betalingskenmerk": "1", "verkooporderBtwIngaveModel": "Inclusief",
		"regels": []any{
			map[string]any{"artikel": Ref(byCode["WIJN-ROOD"]), "stuksprijs": 12.50, "aantal": 2},                         // 21%
			map[string]any{"artikel": Ref(byCode["KAAS-OUD"]), "stuksprijs": 8.75, "aantal": 1, "kortingsPercentage": 10}, // 9%
			map[string]any{"artikel": Ref(byCode["GESCHENK"]), "stuksprijs": 29.95, "aantal": 1},                          // recipe
		},
	}
	rec := do(s, tok, "POST", "/v2/verkooporders", order)
	if rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var got map[string]any
	json.Unmarshal(rec.Body.Bytes(), &got)
	// 25.00 + 7.88 (8.75 less 10%) + 29.95 = 62.83 incl.;
	// excl. per line: 25/1.21 = 20.66, 7.88/1.09 = 7.23, 29.95/1.21 = 24.75 → 52.64
	if got["totaalInclusiefBtw"] != 62.83 || got["totaalExclusiefBtw"] != 52.64 || got["nummer"] != 1.0 {
		t.Fatalf("totals/nummer: incl %v excl %v nummer %v", got["totaalInclusiefBtw"], got["totaalExclusiefBtw"], got["nummer"])
	}
	regels := got["regels"].([]any)
	if regels[1].(map[string]any)["totaal"] != 7.88 || regels[0].(map[string]any)["omschrijving"] != "Rode wijn 75cl" {
		t.Fatalf("lines: %v", regels)
	}
	if rec := do(s, tok, "POST", "/v2/verkooporders", order); rec.Code != 201 || !strings.Contains(rec.Body.String(), `"nummer":2`) {
		t.Fatalf("second order number: %s", rec.Body)
	}
	after := map[string]string{}
	for _, a := range s.All("artikelen") {
		after[a["artikelcode"].(string)] = string(a["vrijeVoorraad"].(json.Number))
	}
	// Two orders: wijn 40 − 2×2 − 2×1 (recipe) = 34; glas 100 − 2×2 = 96; kaas 60 − 2 = 58; geschenk 10 − 2 = 8.
	if after["WIJN-ROOD"] != "34" || after["GLAS"] != "96" || after["KAAS-OUD"] != "58" || after["GESCHENK"] != "8" {
		t.Fatalf("stock after: %v", after)
	}
	// Excl. entry: VAT added per line.
	order["verkooporderBtwIngaveModel"] = "Exclusief"
	order["regels"] = []any{map[string]any{"artikel": Ref(byCode["WIJN-ROOD"]), "stuksprijs": 10.33, "aantal": 3}}
	rec = do(s, tok, "POST", "/v2/verkooporders", order)
	json.Unmarshal(rec.Body.Bytes(), &got)
	if got["totaalExclusiefBtw"] != 30.99 || got["totaalInclusiefBtw"] != 37.50 {
		t.Fatalf("exclusief: %v %v", got["totaalExclusiefBtw"], got["totaalInclusiefBtw"])
	}
	// Strict mode refuses a misspelt property.
	order["omschrijvingg"] = "x"
	if rec := do(s, tok, "POST", "/v2/verkooporders", order); rec.Code != 400 || !strings.Contains(rec.Body.String(), "omschrijvingg") {
		t.Fatalf("strict: %d %s", rec.Code, rec.Body)
	}
}

func TestFaults(t *testing.T) {
	s, tok := seeded(t, Options{Faults: Faults{Share429: 1, RetryAfter: 3}})
	rec := do(s, tok, "GET", "/v2/landen", nil)
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "3" {
		t.Fatalf("429: %d %v", rec.Code, rec.Header())
	}
	s.SetFaults(Faults{Share500: 1})
	if rec := do(s, tok, "GET", "/v2/landen", nil); rec.Code != 500 {
		t.Fatalf("500: %d", rec.Code)
	}
	s.SetFaults(Faults{CommitThenFail: 1})
	srv := httptest.NewServer(s)
	defer srv.Close()
	before := s.Count("kostenplaatsen")
	for i := 0; i < 6; i++ {
		req, _ := http.NewRequest("POST", srv.URL+"/v2/kostenplaatsen", strings.NewReader(`{"omschrijving":"x","nummer":5}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Ocp-Apim-Subscription-Key", "s")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			if resp.StatusCode != 502 {
				t.Fatalf("commit-then-fail answered %d", resp.StatusCode)
			}
			resp.Body.Close()
		}
	}
	if got := s.Count("kostenplaatsen") - before; got != 6 {
		t.Fatalf("commit-then-fail stored %d of 6 writes", got)
	}
}

// With Latency, an answer leaves no sooner than Latency after its request
// came in, and it is the answer the simulator gives without: status,
// headers and body held, not changed.
func TestLatencyHoldsTheAnswer(t *testing.T) {
	s, tok := seeded(t, Options{Faults: Faults{Latency: 40 * time.Millisecond}})
	before := s.Count("relaties")
	for _, c := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"GET", "/v2/landen", nil, 200},
		{"GET", "/v2/relaties/00000000-0000-0000-0000-000000000001", nil, 404},
		{"POST", "/v2/relaties", map[string]any{"relatiesoort": []string{"Klant"}, "naam": "Jansen"}, 201},
	} {
		start := time.Now()
		rec := do(s, tok, c.method, c.path, c.body)
		if took := time.Since(start); took < 40*time.Millisecond {
			t.Errorf("%s %s answered after %v, before the latency", c.method, c.path, took)
		}
		if rec.Code != c.status || rec.Body.Len() == 0 || !strings.Contains(rec.Header().Get("Content-Type"), "json") {
			t.Errorf("%s %s: %d %q %q", c.method, c.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
	}
	if s.Count("relaties") != before+1 {
		t.Fatal("the create was not stored once")
	}
}
