package sim

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Insert stores an object as if it had always been in the administration,
// without the checks of a create (for seeding). It returns the stored copy
// with its id and uri.
func (s *Server) Insert(resource string, obj map[string]any) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.coll[resource]
	if c == nil {
		panic("sim: no collection " + resource)
	}
	obj = numbers(deepCopy(obj)).(map[string]any)
	if _, ok := obj["modifiedOn"]; !ok {
		obj["modifiedOn"] = time.Now().Format("2006-01-02T15:04:05")
	}
	return deepCopy(c.add(obj)).(map[string]any)
}

// numbers turns Go numbers into json.Number, as decoded JSON holds them.
func numbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, vv := range x {
			x[k] = numbers(vv)
		}
	case []any:
		for i, vv := range x {
			x[i] = numbers(vv)
		}
	case int:
		return json.Number(fmt.Sprint(x))
	case float64:
		return json.Number(fmt.Sprint(x))
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return l
	}
	return v
}

// All returns copies of every object of a resource, in order.
func (s *Server) All(resource string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, 0, len(s.coll[resource].items))
	for _, it := range s.coll[resource].items {
		out = append(out, deepCopy(it).(map[string]any))
	}
	return out
}

// Count returns the number of objects of a resource.
func (s *Server) Count(resource string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.coll[resource].items)
}

// SetCompany changes companyInfo fields (e.g. administratieNaam).
func (s *Server) SetCompany(fields map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range numbers(deepCopy(fields)).(map[string]any) {
		s.company[k] = v
	}
}

// Ref is {id, uri} of a stored object, for building seed data.
func Ref(obj map[string]any) map[string]any {
	return map[string]any{"id": obj["id"], "uri": obj["uri"]}
}

// SeedDefault fills an administration the way a small Dutch webshop's looks:
// VAT rates, omzetgroepen, templates, cost centres, NL/BE/DE, a few
// customers, the fee articles, products with stock and a recipe.
func (s *Server) SeedDefault() {
	s.mu.Lock()
	s.btwtarieven = []any{
		map[string]any{"btwSoort": "Hoog", "btwPercentage": json.Number("21"), "datumVanaf": "2019-01-01T00:00:00", "datumTotEnMet": nil},
		map[string]any{"btwSoort": "Laag", "btwPercentage": json.Number("9"), "datumVanaf": "2019-01-01T00:00:00", "datumTotEnMet": nil},
		map[string]any{"btwSoort": "Geen", "btwPercentage": json.Number("0"), "datumVanaf": "2019-01-01T00:00:00", "datumTotEnMet": nil},
	}
	s.mu.Unlock()
	landen := map[string]map[string]any{}
	for _, l := range [][2]string{{"NL", "Nederland"}, {"BE", "België"}, {"DE", "Duitsland"}} {
		landen[l[0]] = s.Insert("landen", map[string]any{"naam": l[1], "landcodeISO": l[0], "landcode": l[0]})
	}
	hoog := s.Insert("artikelomzetgroepen", map[string]any{"nummer": 1, "omschrijving": "Omzet hoog", "verkoopNederlandBtwSoort": "Hoog"})
	laag := s.Insert("artikelomzetgroepen", map[string]any{"nummer": 2, "omschrijving": "Omzet laag", "verkoopNederlandBtwSoort": "Laag"})
	geen := s.Insert("artikelomzetgroepen", map[string]any{"nummer": 3, "omschrijving": "Omzet vrijgesteld", "verkoopNederlandBtwSoort": "Geen"})
	s.Insert("verkoopordersjablonen", map[string]any{"omschrijving": "Standaard", "nonactief": false, "prijsIngaveExclusiefBtw": true, "nieuweOrdersBlokkeren": false})
	s.Insert("verkoopordersjablonen", map[string]any{"omschrijving": "Webshop", "nonactief": false, "prijsIngaveExclusiefBtw": false, "nieuweOrdersBlokkeren": false})
	s.Insert("kostenplaatsen", map[string]any{"omschrijving": "Webshop", "nonactief": false, "nummer": 1})
	s.Insert("kostenplaatsen", map[string]any{"omschrijving": "Winkel", "nonactief": false, "nummer": 2})
	for i, c := range []struct{ naam, email, straat, postcode, plaats, land string }{
		{"Jansen B.V.", "info@jansen.nl", "Dorpsstraat 1", "1234 AB", "Utrecht", "NL"},
		{"Anna de Vries", "anna@example.nl", "Kerkweg 12", "2345 CD", "Leiden", "NL"},
		{"Brasserie 't Hoekje", "hoekje@example.be", "Grote Markt 3", "9000", "Gent", "BE"},
	} {
		s.Insert("relaties", map[string]any{"relatiesoort": []string{"Klant"}, "relatiecode": 1000 + i + 1, "naam": c.naam,
			"email": c.email, "nonactief": false,
			"vestigingsAdres": map[string]any{"straat": c.straat, "postcode": c.postcode, "plaats": c.plaats, "land": Ref(landen[c.land])}})
	}
	for _, a := range []struct {
		code, omschrijving string
		grp                map[string]any
		prijs              string
		stock              int
		control            bool
	}{
		{"VERZEND", "Verzendkosten", hoog, "6.95", 0, false},
		{"KORTING", "Korting", hoog, "0", 0, false},
		{"BETAALKOSTEN", "Betalingskosten", hoog, "0.35", 0, false},
		{"VERSCHIL", "Afrondingsverschil webshop", hoog, "0", 0, false},
		{"WIJN-ROOD", "Rode wijn 75cl", hoog, "12.50", 40, true},
		{"WIJN-WIT", "Witte wijn 75cl", hoog, "11.50", 25, true},
		{"KAAS-OUD", "Oude kaas 500g", laag, "8.75", 60, true},
		{"BOEK-KOOK", "Kookboek", laag, "24.95", 12, true},
		{"GLAS", "Wijnglas", hoog, "4.50", 100, true},
	} {
		s.Insert("artikelen", map[string]any{"artikelcode": a.code, "omschrijving": a.omschrijving, "artikelOmzetgroep": Ref(a.grp),
			"verkoopprijs": json.Number(a.prijs), "eenheid": "stuk", "isNonActief": false, "voorraadControle": a.control,
			"technischeVoorraad": a.stock, "vrijeVoorraad": a.stock, "isHoofdartikel": false, "subartikelen": []any{}})
	}
	var wijn, glas map[string]any
	for _, a := range s.All("artikelen") {
		switch a["artikelcode"] {
		case "WIJN-ROOD":
			wijn = a
		case "GLAS":
			glas = a
		}
	}
	s.Insert("artikelen", map[string]any{"artikelcode": "GESCHENK", "omschrijving": "Geschenkset wijn met 2 glazen",
		"artikelOmzetgroep": Ref(hoog), "verkoopprijs": json.Number("29.95"), "eenheid": "set", "isNonActief": false,
		"voorraadControle": true, "technischeVoorraad": 10, "vrijeVoorraad": 10, "isHoofdartikel": true,
		"subartikelen": []any{
			map[string]any{"id": wijn["id"], "uri": wijn["uri"], "artikelcode": "WIJN-ROOD", "aantal": 1},
			map[string]any{"id": glas["id"], "uri": glas["uri"], "artikelcode": "GLAS", "aantal": 2},
		}})
	// Discounts per VAT rate and gift vouchers / store credit (no VAT).
	for _, a := range []struct {
		code, omschrijving string
		grp                map[string]any
	}{{"KORTING-LAAG", "Korting 9% btw", laag}, {"KORTING-GEEN", "Korting zonder btw", geen}, {"CADEAUBON", "Cadeaubon / tegoed", geen}} {
		s.Insert("artikelen", map[string]any{"artikelcode": a.code, "omschrijving": a.omschrijving, "artikelOmzetgroep": Ref(a.grp),
			"verkoopprijs": json.Number("0"), "eenheid": "stuk", "isNonActief": false, "voorraadControle": false,
			"technischeVoorraad": 0, "vrijeVoorraad": 0, "isHoofdartikel": false, "subartikelen": []any{}})
	}
}

// LandID returns the id of a land by ISO code, for tests and seeds.
func (s *Server) LandID(iso string) string {
	for _, l := range s.All("landen") {
		if strings.EqualFold(asString(l["landcodeISO"]), iso) {
			return asString(l["id"])
		}
	}
	return ""
}
