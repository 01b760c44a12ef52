package snelstart

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// The field names of SnelStart's resources (docs/snelstart.md), as SnelStart spells
// them. A create that sends any other name fails here.
var (
	refFields   = set("id", "uri")
	adresFields = set("contactpersoon", "straat", "postcode", "plaats", "land")
	contract    = map[string]map[string]bool{
		"relatie": set("relatiesoort", "relatiecode", "naam", "vestigingsAdres", "correspondentieAdres", "telefoon",
			"mobieleTelefoon", "email", "btwNummer", "kvkNummer", "websiteUrl", "oin", "factuurkorting", "krediettermijn",
			"kredietLimiet", "bankieren", "nonactief", "memo", "aanmaningsoort", "incassoSoort", "iban", "bic",
			"ublBestandAlsBijlage", "factuurEmailVersturen", "factuurRelatie", "extraVeldenKlant"),
		"artikel": set("artikelcode", "omschrijving", "artikelOmzetgroep", "verkoopprijs", "inkoopprijs", "eenheid",
			"relatie", "isNonActief", "voorraadControle", "extraVelden"),
		"verkooporder": set("relatie", "procesStatus", "nummer", "datum", "krediettermijn", "omschrijving",
			"betalingskenmerk", "orderreferentie", "memo", "afleveradres", "factuuradres", "verkooporderBtwIngaveModel",
			"kostenplaats", "verkoopordersjabloon", "factuurkorting", "incassomachtiging", "regels", "extraHoofdVelden"),
		"regel": set("artikel", "omschrijving", "stuksprijs", "aantal", "kortingsPercentage", "totaal", "extraRegelVelden"),
	}
	nested = map[string]map[string]bool{"vestigingsAdres": adresFields, "correspondentieAdres": adresFields,
		"afleveradres": adresFields, "factuuradres": adresFields, "land": refFields, "artikelOmzetgroep": refFields,
		"relatie": refFields, "kostenplaats": refFields, "verkoopordersjabloon": refFields, "artikel": refFields}
)

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// checkFields reports names in obj outside allowed (recursing into the
// nested objects the reference describes).
func checkFields(t *testing.T, what string, obj map[string]any, allowed map[string]bool) {
	t.Helper()
	for k, v := range obj {
		if !allowed[k] {
			t.Errorf("%s: field %q is not in the reference", what, k)
			continue
		}
		if sub, ok := v.(map[string]any); ok {
			checkFields(t, what+"."+k, sub, nested[k])
		}
		if list, ok := v.([]any); ok && k == "regels" {
			for _, el := range list {
				checkFields(t, what+".regels[]", el.(map[string]any), contract["regel"])
			}
		}
	}
}

// recorder keeps the JSON bodies of writes, then lets the strict simulator
// answer them (which refuses unknown fields, too).
type recorder struct {
	mu     sync.Mutex
	bodies map[string]map[string]any
}

func (rec *recorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/v2/") {
			b, _ := io.ReadAll(r.Body)
			var m map[string]any
			dec := json.NewDecoder(strings.NewReader(string(b)))
			dec.UseNumber() // a JSON number stays a number, exactly
			dec.Decode(&m)
			rec.mu.Lock()
			rec.bodies[strings.TrimPrefix(r.URL.Path, "/v2/")] = m
			rec.mu.Unlock()
			r.Body = io.NopCloser(strings.NewReader(string(b)))
		}
		next.ServeHTTP(w, r)
	})
}

func TestCreatesSendTheReferenceFields(t *testing.T) {
	rec := &recorder{bodies: map[string]map[string]any{}}
	h := newHarness(t, sim.Options{Strict: true}, rec.wrap, Options{})
	c := h.client
	nl := h.sim.LandID("NL")
	grp := h.sim.All("artikelomzetgroepen")[0]["id"].(string)
	sjabloon := h.sim.All("verkoopordersjablonen")[1]["id"].(string)
	kp := h.sim.All("kostenplaatsen")[0]["id"].(string)

	rel, err := c.Relaties.Create(ctx(t), &Relatie{Relatiesoort: []string{RelatieKlant}, Naam: "Jan ’t Hart",
		VestigingsAdres:      &Adres{Contactpersoon: "Jan", Straat: "Laan 1", Postcode: "1234 AB", Plaats: "Ede", Land: RefTo(nl)},
		CorrespondentieAdres: &Adres{Straat: "Postbus 1", Postcode: "1234 AA", Plaats: "Ede", Land: RefTo(nl)},
		Telefoon:             "0318-123456", MobieleTelefoon: "06-12345678", Email: "jan@example.nl", BtwNummer: "NL001234567B01",
		KvkNummer: "12345678", Memo: "OpenCart klant 77"})
	if err != nil {
		t.Fatalf("relatie create (strict simulator): %v", err)
	}
	if rel.Relatiecode == 0 || rel.ID == "" {
		t.Fatalf("relatie answer: %+v", rel)
	}
	art, err := c.Artikelen.Create(ctx(t), &NewArtikel{Artikelcode: "NIEUW-1", Omschrijving: "Nieuw artikel",
		ArtikelOmzetgroep: RefTo(grp), Verkoopprijs: Num("9.95"), Eenheid: "stuk", VoorraadControle: true})
	if err != nil {
		t.Fatalf("artikel create: %v", err)
	}
	o, err := c.Verkooporders.Create(ctx(t), &Verkooporder{Relatie: RefTo(rel.ID), ProcesStatus: "Order",
		Datum: Time{time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}, Omschrijving: "Webshop order 1042",
		Betalingskenmerk: "1042", Orderreferentie: "1042", Memo: "Bellen bij aflevering",
		Afleveradres:               &Adres{Contactpersoon: "Jan", Straat: "Laan 1", Postcode: "1234 AB", Plaats: "Ede", Land: RefTo(nl)},
		Factuuradres:               &Adres{Straat: "Laan 1", Postcode: "1234 AB", Plaats: "Ede", Land: RefTo(nl)},
		VerkooporderBtwIngaveModel: BtwInclusief, Kostenplaats: RefTo(kp), Verkoopordersjabloon: RefTo(sjabloon),
		Regels: []Regel{{Artikel: RefTo(art.ID), Omschrijving: "Nieuw artikel (maat L)", Stuksprijs: Num("9.95"), Aantal: Num("2"), Totaal: Num("19.90")}}})
	if err != nil {
		t.Fatalf("verkooporder create: %v", err)
	}
	if o.Nummer == nil || o.TotaalInclusiefBtw == nil || o.TotaalInclusiefBtw.String() != "19.9" {
		t.Fatalf("order answer: nummer %v total %v", o.Nummer, o.TotaalInclusiefBtw)
	}

	checkFields(t, "relatie", rec.bodies["relaties"], contract["relatie"])
	checkFields(t, "artikel", rec.bodies["artikelen"], contract["artikel"])
	checkFields(t, "verkooporder", rec.bodies["verkooporders"], contract["verkooporder"])

	// What must be sent, and what must not be on a create.
	for what, must := range map[string][]string{
		"relaties":      {"relatiesoort", "naam", "vestigingsAdres", "email"},
		"artikelen":     {"artikelcode", "omschrijving", "artikelOmzetgroep", "verkoopprijs"},
		"verkooporders": {"relatie", "procesStatus", "datum", "omschrijving", "betalingskenmerk", "orderreferentie", "verkooporderBtwIngaveModel", "regels"},
	} {
		body := rec.bodies[what]
		for _, k := range must {
			if _, ok := body[k]; !ok {
				t.Errorf("%s create lacks %q", what, k)
			}
		}
		for _, k := range []string{"id", "nummer", "vrijeVoorraad", "technischeVoorraad", "totaalInclusiefBtw"} {
			if _, ok := body[k]; ok {
				t.Errorf("%s create sends read-only %q", what, k)
			}
		}
	}
	// Enum values as the reference spells them.
	ob := rec.bodies["verkooporders"]
	if ob["procesStatus"] != "Order" || ob["verkooporderBtwIngaveModel"] != "Inclusief" || ob["datum"] != "2026-11-28T00:00:00" {
		t.Errorf("order enums/date: %v %v %v", ob["procesStatus"], ob["verkooporderBtwIngaveModel"], ob["datum"])
	}
	if rs := rec.bodies["relaties"]["relatiesoort"].([]any); len(rs) != 1 || rs[0] != "Klant" {
		t.Errorf("relatiesoort %v", rs)
	}
	if p, ok := ob["regels"].([]any)[0].(map[string]any)["stuksprijs"].(json.Number); !ok || p.String() != "9.95" {
		t.Errorf("stuksprijs sent as %T %v, want the JSON number 9.95", ob["regels"].([]any)[0].(map[string]any)["stuksprijs"], p)
	}
	names := make([]string, 0)
	for k := range ob {
		names = append(names, k)
	}
	sort.Strings(names)
	t.Logf("verkooporder create sends %s", fmt.Sprint(names))
}

func TestProcesStatusValues(t *testing.T) {
	want := "Order Offerte Bevestiging Werkbon Pakbon Afhaalbon Contantbon Factuur"
	if got := strings.Join(ProcesStatussen, " "); got != want {
		t.Fatalf("procesStatus values %q, want %q", got, want)
	}
}
