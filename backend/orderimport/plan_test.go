package orderimport

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ptr(v decimal.Decimal) *decimal.Decimal { return &v }

func article(id, code, desc, group, price string) *snelstart.Artikel {
	return &snelstart.Artikel{ID: id, Artikelcode: code, Omschrijving: desc, ArtikelOmzetgroep: &snelstart.Ref{ID: group},
		Verkoopprijs: snelstart.Num(price)}
}

func knowledge() *Knowledge {
	k := &Knowledge{
		ShopName: "Wijnhandel ’t Vaatje",
		Omzetgroepen: map[string]snelstart.Artikelomzetgroep{
			"g-hoog": {ID: "g-hoog", Omschrijving: "Omzet hoog", VerkoopNederlandBtwSoort: "Hoog"},
			"g-laag": {ID: "g-laag", Omschrijving: "Omzet laag", VerkoopNederlandBtwSoort: "Laag"},
			"g-geen": {ID: "g-geen", Omschrijving: "Omzet vrij", VerkoopNederlandBtwSoort: "Geen"},
		},
		Rates:    map[string]decimal.Decimal{"Hoog": d("21"), "Laag": d("9"), "Geen": d("0")},
		Sjabloon: &snelstart.Verkoopordersjabloon{ID: "sj-web", Omschrijving: "Webshop"},
		Landen:   map[string]string{"NL": "land-nl", "BE": "land-be"},
		Products: map[int]opencart.Product{
			1: {ID: 1, Model: "WIJN", Codes: map[string]string{"sku": "SKU-WIJN", "ean": "8700000000001"}},
			2: {ID: 2, Model: "KAAS", Codes: map[string]string{"sku": "SKU-KAAS"}},
			3: {ID: 3, Model: "NIEUW-9", Codes: map[string]string{}},
			4: {ID: 4, Model: "", Codes: map[string]string{}},
		},
		Relaties: []snelstart.Relatie{
			{ID: "rel-anna", Relatiecode: 1002, Naam: "Anna de Vries", Email: "anna@example.nl", Memo: "OpenCart-klantnummer: 7",
				VestigingsAdres: &snelstart.Adres{Postcode: "2345 CD"}},
			{ID: "rel-jansen", Relatiecode: 1001, Naam: "Jansen B.V.", Email: "info@jansen.nl", VestigingsAdres: &snelstart.Adres{Postcode: "1234AB"}},
		},
		MaxCodeLength: 30,
	}
	k.Artikelen = map[string]*snelstart.Artikel{}
	for _, a := range []*snelstart.Artikel{
		article("a-wijn", "WIJN", "Rode wijn", "g-hoog", "15.00"),
		article("a-kaas", "KAAS", "Oude kaas", "g-laag", "9.00"),
		article("a-verzend", "VERZEND", "Verzendkosten", "g-hoog", "0"),
		article("a-korting", "KORTING", "Korting", "g-hoog", "0"),
		article("a-betaal", "BETAAL", "Betalingskosten", "g-hoog", "0"),
		article("a-verschil", "VERSCHIL", "Afronding", "g-geen", "0"),
		article("a-standaard", "DIVERSEN", "Diversen", "g-hoog", "0"),
		article("a-sku-wijn", "SKU-WIJN", "Wijn via sku", "g-hoog", "15.00"),
	} {
		k.Artikelen[strings.ToLower(a.Artikelcode)] = a
	}
	gift := article("a-gift", "GESCHENK", "Geschenkset", "g-hoog", "30.00")
	gift.IsHoofdartikel = true
	gift.Subartikelen = []snelstart.SubArtikel{{ID: "a-wijn", Artikelcode: "WIJN", Aantal: snelstart.Num("1")}, {ID: "a-glas", Artikelcode: "GLAS", Aantal: snelstart.Num("2")}}
	k.Artikelen["geschenk"] = gift
	return k
}

func settings() Settings {
	return Settings{Template: "Webshop", ProcesStatus: "Order", PaymentReference: true,
		DescriptionTemplate: "Webshop order {ordernummer} {klantnaam}", Addresses: "extern", LinePrice: "webshop",
		LineOptions: "omschrijving", ShippingArticle: "VERZEND", DiscountArticle: "KORTING", PaymentFeeArticle: "BETAAL",
		DifferenceArticle: "VERSCHIL", DifferenceThreshold: d("0.05"), DefaultArticle: "DIVERSEN", CodeField: "model",
		RevenueGroup: "Omzet hoog", RevenueGroupByVat: map[string]string{"9": "Omzet laag"}, ArticleProcessing: "aanmaken",
		MatchBy: "email", CustomerProcessing: "aanmaken"}
}

// order is a shop order: 2 × wine (12.3967 + 2.6033 tax = 15.00 incl.),
// 1 × cheese (8.2569 + 0.7431 = 9.00), shipping 5.7438 (+1.2062) = 6.95;
// total 45.95.
func order() opencart.Order {
	return opencart.Order{ID: 1042, CustomerID: 7, FirstName: "Anna", LastName: "de Vries", Email: "anna@example.nl",
		Telephone: "06-1234", Comment: "Na 17:00 bezorgen",
		Payment:       opencart.Address{FirstName: "Anna", LastName: "de Vries", Address1: "Kerkweg 12", City: "Leiden", Postcode: "2345 CD", CountryISO: "NL"},
		Shipping:      opencart.Address{FirstName: "Anna", LastName: "de Vries", Address1: "Kerkweg 12", City: "Leiden", Postcode: "2345 CD", CountryISO: "NL"},
		PaymentMethod: opencart.Method{Name: "iDEAL"}, ShippingMethod: opencart.Method{Name: "PostNL"},
		Added: time.Date(2026, 11, 20, 14, 5, 0, 0, time.UTC), CurrencyCode: "EUR", CurrencyValue: d("1"),
		Lines: []opencart.Line{
			{ID: 1, ProductID: 1, Name: "Rode wijn", Model: "WIJN", Quantity: 2, Price: d("12.3967"), Tax: d("2.6033"), Total: d("24.7934")},
			{ID: 2, ProductID: 2, Name: "Oude kaas", Model: "KAAS", Quantity: 1, Price: d("8.2569"), Tax: d("0.7431"), Total: d("8.2569")},
		},
		Totals: []opencart.Total{
			{Code: "sub_total", Title: "Subtotaal", Value: d("33.0503"), SortOrder: 1},
			{Code: "shipping", Title: "Verzending (PostNL)", Value: d("5.7438"), SortOrder: 3},
			{Code: "tax", Title: "BTW 21%", Value: d("6.4128"), SortOrder: 5, Rate: ptr(d("21"))},
			{Code: "tax", Title: "BTW 9%", Value: d("0.7431"), SortOrder: 5, Rate: ptr(d("9"))},
			{Code: "total", Title: "Totaal", Value: d("45.95"), SortOrder: 9},
		},
		Total: d("45.9500")}
}

func kinds(p Plan) string {
	var out []string
	for _, l := range p.Lines {
		out = append(out, l.Kind+":"+l.Code+"×"+l.Quantity.String()+"@"+l.Price.StringFixed(2))
	}
	return strings.Join(out, " ")
}

func TestPlan(t *testing.T) {
	cases := []struct {
		name  string
		order func(*opencart.Order)
		set   func(*Settings)
		know  func(*Knowledge)
		check func(t *testing.T, p Plan)
	}{
		{name: "the usual order: existing customer, existing articles, shipping, total to the cent",
			check: func(t *testing.T, p Plan) {
				if p.Held != nil {
					t.Fatalf("held: %v", p.Held)
				}
				if p.Customer.Match != "email" || p.Customer.Existing.ID != "rel-anna" || p.Order.Relatie.ID != "rel-anna" {
					t.Fatalf("customer %+v", p.Customer)
				}
				if got := kinds(p); got != "product:WIJN×2@15.00 product:KAAS×1@9.00 shipping:VERZEND×1@6.95" {
					t.Fatalf("lines %s", got)
				}
				if !p.Total.Equal(d("45.95")) || !p.Difference.IsZero() {
					t.Fatalf("total %s difference %s", p.Total, p.Difference)
				}
				o := p.Order
				if o.Omschrijving != "Webshop order 1042 Anna de Vries" || o.Betalingskenmerk != "1042" || o.Orderreferentie != "1042" ||
					o.ProcesStatus != "Order" || o.VerkooporderBtwIngaveModel != "Inclusief" || o.Verkoopordersjabloon.ID != "sj-web" ||
					o.Memo != "Na 17:00 bezorgen" || o.Datum.Day() != 20 {
					t.Fatalf("header %+v", o)
				}
				if o.Factuuradres.Land.ID != "land-nl" || o.Afleveradres.Contactpersoon != "Anna de Vries" || o.Afleveradres.Straat != "Kerkweg 12" {
					t.Fatalf("addresses %+v %+v", o.Factuuradres, o.Afleveradres)
				}
				if len(o.Regels) != 3 || o.Regels[0].Artikel.ID != "a-wijn" || o.Regels[2].Omschrijving != "Verzending (PostNL)" {
					t.Fatalf("regels %+v", o.Regels)
				}
			}},
		{name: "a guest becomes a new relatie with the webshop's details",
			order: func(o *opencart.Order) {
				o.CustomerID, o.Email, o.Payment.Company = 0, "nieuw@example.be", "Brasserie ’t Hoekje"
				o.Payment.CountryISO = "BE"
			},
			check: func(t *testing.T, p Plan) {
				r := p.Customer.New
				if p.Customer.Match != "new" || r == nil || r.Naam != "Brasserie ’t Hoekje" || r.Email != "nieuw@example.be" ||
					r.VestigingsAdres.Land.ID != "land-be" || r.Memo != "OpenCart-gast, order 1042" || r.Relatiesoort[0] != "Klant" {
					t.Fatalf("new relatie %+v", r)
				}
				if p.Order.Relatie != nil {
					t.Fatal("a new relatie's id is only known at apply")
				}
			}},
		{name: "recognised by customer number",
			order: func(o *opencart.Order) { o.Email = "ander@example.nl" },
			set:   func(s *Settings) { s.MatchBy = "klantnummer" },
			check: func(t *testing.T, p Plan) {
				if p.Customer.Existing == nil || p.Customer.Existing.ID != "rel-anna" {
					t.Fatalf("customer %+v", p.Customer)
				}
			}},
		{name: "recognised by name and postcode",
			order: func(o *opencart.Order) {
				o.Email = "x@y.nl"
				o.Payment.Company = "Jansen B.V."
				o.Payment.Postcode = "1234 ab"
			},
			set: func(s *Settings) { s.MatchBy = "naam-postcode" },
			check: func(t *testing.T, p Plan) {
				if p.Customer.Existing == nil || p.Customer.Existing.ID != "rel-jansen" {
					t.Fatalf("customer %+v", p.Customer)
				}
			}},
		{name: "VAT number: OpenCart has none, so a new customer",
			set: func(s *Settings) { s.MatchBy = "btw-nummer" },
			check: func(t *testing.T, p Plan) {
				if p.Customer.Match != "new" {
					t.Fatalf("customer %+v", p.Customer)
				}
			}},
		{name: "create and update marks the existing card for an update",
			set: func(s *Settings) { s.CustomerProcessing = "aanmaken-bijwerken" },
			check: func(t *testing.T, p Plan) {
				if !p.Customer.Update || p.Customer.Existing == nil {
					t.Fatalf("customer %+v", p.Customer)
				}
			}},
		{name: "manual: an unknown customer goes on the default code",
			order: func(o *opencart.Order) { o.Email = "onbekend@example.nl" },
			set:   func(s *Settings) { s.CustomerProcessing, s.DefaultCustomer = "handmatig", 1001 },
			know:  func(k *Knowledge) { k.DefaultRelatie = &k.Relaties[1] },
			check: func(t *testing.T, p Plan) {
				if p.Customer.Match != "default" || p.Order.Relatie.ID != "rel-jansen" {
					t.Fatalf("customer %+v", p.Customer)
				}
			}},
		{name: "manual with a default code that does not exist is held",
			order: func(o *opencart.Order) { o.Email = "onbekend@example.nl" },
			set:   func(s *Settings) { s.CustomerProcessing, s.DefaultCustomer = "handmatig", 4242 },
			check: func(t *testing.T, p Plan) { held(t, p, "default_customer_unknown") }},
		{name: "a missing article is created in the omzetgroep of its VAT rate",
			order: func(o *opencart.Order) {
				o.Lines[1].Model, o.Lines[1].ProductID = "NIEUW-9", 3
			},
			check: func(t *testing.T, p Plan) {
				if len(p.NewArticles) != 1 || p.NewArticles[0].Artikelcode != "NIEUW-9" || p.NewArticles[0].ArtikelOmzetgroep.ID != "g-laag" ||
					p.NewArticles[0].Verkoopprijs.String() != "9" || p.NewArticles[0].Omschrijving != "Oude kaas" {
					t.Fatalf("new articles %+v", p.NewArticles)
				}
				if p.Lines[1].Code != "NIEUW-9" || p.Lines[1].ArticleID != "" || !p.Lines[1].Rate.Equal(d("9")) || !p.Difference.IsZero() {
					t.Fatalf("line %+v difference %s", p.Lines[1], p.Difference)
				}
			}},
		{name: "the same new article on two lines is made once and priced alike",
			order: func(o *opencart.Order) {
				o.Lines[1].Model, o.Lines[1].ProductID = "NIEUW-9", 3
				extra := o.Lines[1]
				extra.ID, extra.Quantity = 3, 2
				o.Lines = append(o.Lines, extra)
				o.Total = o.Total.Add(d("18.00"))
			},
			check: func(t *testing.T, p Plan) {
				if len(p.NewArticles) != 1 || !p.Lines[1].Price.Equal(p.Lines[2].Price) || !p.Lines[2].Rate.Equal(d("9")) || !p.Difference.IsZero() {
					t.Fatalf("new %d lines %s difference %s", len(p.NewArticles), kinds(p), p.Difference)
				}
			}},
		{name: "existing articles only: a missing one holds the order",
			order: func(o *opencart.Order) { o.Lines[1].Model = "NIEUW-9" },
			set:   func(s *Settings) { s.ArticleProcessing = "alleen-bestaande" },
			check: func(t *testing.T, p Plan) { held(t, p, "article_unknown") }},
		{name: "default article: the line keeps the shop's product name",
			order: func(o *opencart.Order) { o.Lines[0].Model = "NIEUW-21" },
			set:   func(s *Settings) { s.ArticleProcessing = "standaard-artikelcode" },
			check: func(t *testing.T, p Plan) {
				if p.Lines[0].Code != "DIVERSEN" || p.Lines[0].Description != "Rode wijn" || len(p.NewArticles) != 0 || p.Held != nil {
					t.Fatalf("line %+v held %v", p.Lines[0], p.Held)
				}
			}},
		{name: "a product without a code goes on the default article",
			order: func(o *opencart.Order) { o.Lines[0].Model, o.Lines[0].ProductID = "", 4 },
			check: func(t *testing.T, p Plan) {
				if p.Lines[0].Code != "DIVERSEN" || p.Held != nil {
					t.Fatalf("line %+v", p.Lines[0])
				}
			}},
		{name: "a 9 % product on a 21 % default article is held: its VAT would be wrong",
			order: func(o *opencart.Order) { o.Lines[1].Model, o.Lines[1].ProductID = "", 4 },
			check: func(t *testing.T, p Plan) {
				held(t, p, "article_vat")
				if p.Held.Arg != "DIVERSEN: 9% / 21%" {
					t.Fatalf("arg %q", p.Held.Arg)
				}
			}},
		{name: "no code and no default article: held",
			order: func(o *opencart.Order) { o.Lines[1].Model, o.Lines[1].ProductID = "", 4 },
			set:   func(s *Settings) { s.DefaultArticle = "" },
			check: func(t *testing.T, p Plan) { held(t, p, "no_article_code") }},
		{name: "the article code from the sku field",
			set: func(s *Settings) { s.CodeField = "sku" },
			check: func(t *testing.T, p Plan) {
				if p.Lines[0].Code != "SKU-WIJN" || p.Lines[1].Code != "SKU-KAAS" || len(p.NewArticles) != 1 {
					t.Fatalf("lines %s new %+v", kinds(p), p.NewArticles)
				}
			}},
		{name: "the article code is the product id",
			set:  func(s *Settings) { s.CodeField = "product_id" },
			know: func(k *Knowledge) { k.Artikelen["1"] = article("a-1", "1", "Wijn", "g-hoog", "15") },
			check: func(t *testing.T, p Plan) {
				if p.Lines[0].Code != "1" || p.Lines[0].ArticleID != "a-1" {
					t.Fatalf("lines %s", kinds(p))
				}
			}},
		{name: "options in the description",
			order: withOption,
			check: func(t *testing.T, p Plan) {
				if p.Lines[0].Description != "Rode wijn (Jaargang: 2019, Fles: Magnum)" || len(p.Lines) != 3 {
					t.Fatalf("lines %+v", p.Lines)
				}
			}},
		{name: "options as separate lines",
			order: withOption, set: func(s *Settings) { s.LineOptions = "aparte-regel" },
			check: func(t *testing.T, p Plan) {
				if got := kinds(p); got != "product:WIJN×2@15.00 option:WIJN×0@0.00 option:WIJN×0@0.00 product:KAAS×1@9.00 shipping:VERZEND×1@6.95" {
					t.Fatalf("lines %s", got)
				}
				if p.Lines[1].Description != "Jaargang: 2019" || p.Lines[0].Description != "Rode wijn" {
					t.Fatalf("descriptions %q %q", p.Lines[0].Description, p.Lines[1].Description)
				}
			}},
		{name: "an option value that is an article of its own: the line books on it, the other option stays text (B6)",
			order: withMappedOptions, set: func(s *Settings) { s.LineOptions = "aparte-regel"; s.OptionMap = map[int]string{31: "WIJN-MAG"} },
			know: func(k *Knowledge) {
				k.Artikelen["wijn-mag"] = article("a-mag", "WIJN-MAG", "Rode wijn magnum", "g-hoog", "30")
			},
			check: func(t *testing.T, p Plan) {
				if got := kinds(p); got != "product:WIJN-MAG×2@15.00 option:WIJN-MAG×0@0.00 product:KAAS×1@9.00 shipping:VERZEND×1@6.95" {
					t.Fatalf("lines %s", got)
				}
				if p.Lines[1].Description != "Jaargang: 2019" || p.Lines[0].ArticleID != "a-mag" || !p.Difference.IsZero() {
					t.Fatalf("lines %+v", p.Lines)
				}
			}},
		{name: "two option values with articles of their own: the second on a line of its own at no price",
			order: withMappedOptions, set: func(s *Settings) { s.OptionMap = map[int]string{31: "WIJN-MAG", 41: "JAAR-2019"} },
			know: func(k *Knowledge) {
				k.Artikelen["wijn-mag"] = article("a-mag", "WIJN-MAG", "Rode wijn magnum", "g-hoog", "30")
				k.Artikelen["jaar-2019"] = article("a-2019", "JAAR-2019", "Jaargang 2019", "g-hoog", "0")
			},
			check: func(t *testing.T, p Plan) {
				if got := kinds(p); got != "product:WIJN-MAG×2@15.00 option:JAAR-2019×2@0.00 product:KAAS×1@9.00 shipping:VERZEND×1@6.95" {
					t.Fatalf("lines %s", got)
				}
				if p.Lines[0].Description != "Rode wijn (Fles: Magnum, Jaargang: 2019)" || !p.Total.Equal(d("45.95")) {
					t.Fatalf("lines %+v total %s", p.Lines, p.Total)
				}
			}},
		{name: "the shop's own option SKU names the article",
			order: withMappedOptions,
			know: func(k *Knowledge) {
				k.Artikelen["wijn-mag"] = article("a-mag", "WIJN-MAG", "Rode wijn magnum", "g-hoog", "30")
				p := k.Products[1]
				p.Options = []opencart.OptionValue{{ID: 31, Code: "WIJN-MAG"}, {ID: 41}}
				k.Products[1] = p
			},
			check: func(t *testing.T, p Plan) {
				if p.Lines[0].Code != "WIJN-MAG" || p.Lines[0].ArticleID != "a-mag" {
					t.Fatalf("lines %s", kinds(p))
				}
			}},
		{name: "a second option article SnelStart does not have holds the order",
			order: withMappedOptions, set: func(s *Settings) { s.OptionMap = map[int]string{31: "WIJN-MAG", 41: "ONBEKEND"} },
			know: func(k *Knowledge) {
				k.Artikelen["wijn-mag"] = article("a-mag", "WIJN-MAG", "Rode wijn magnum", "g-hoog", "30")
			},
			check: func(t *testing.T, p Plan) { held(t, p, "article_unknown") }},
		{name: "options ignored",
			order: withOption, set: func(s *Settings) { s.LineOptions = "negeren" },
			check: func(t *testing.T, p Plan) {
				if p.Lines[0].Description != "Rode wijn" || len(p.Lines) != 3 {
					t.Fatalf("lines %+v", p.Lines)
				}
			}},
		{name: "recipes on: the components follow at price 0",
			order: gift, set: func(s *Settings) { s.Recipes = true },
			check: func(t *testing.T, p Plan) {
				if got := kinds(p); !strings.HasPrefix(got, "product:GESCHENK×2@30.00 recipe:WIJN×2@0.00 recipe:GLAS×4@0.00 ") {
					t.Fatalf("lines %s", got)
				}
			}},
		{name: "recipes off: only the main article",
			order: gift,
			check: func(t *testing.T, p Plan) {
				if got := kinds(p); !strings.HasPrefix(got, "product:GESCHENK×2@30.00 product:KAAS") {
					t.Fatalf("lines %s", got)
				}
			}},
		{name: "a coupon on the wine only and a handling fee, each on its article and rate",
			// Coupon WIJN10, 10 % of the wine (24,7934): 2,47934 off, its 21 % tax
			// 0,520661 less. Handling 0,8264 at 21 % adds 0,173544.
			// 21 %: 6,412812 − 0,520661 + 0,173544 = 6,065695 → 6,0657
			// total 33,0503 − 2,4793 + 5,7438 + 0,8264 + 6,0657 + 0,7431 = 43,95.
			order: func(o *opencart.Order) {
				o.Totals = []opencart.Total{o.Totals[0], o.Totals[1],
					{Code: "coupon", Title: "Kortingscode (WIJN10)", Value: d("-2.4793"), SortOrder: 4},
					{Code: "handling", Title: "Verwerkingskosten", Value: d("0.8264"), SortOrder: 4, Rate: ptr(d("21"))},
					{Code: "tax", Title: "BTW 21%", Value: d("6.0657"), SortOrder: 5, Rate: ptr(d("21"))}, o.Totals[3],
					{Code: "total", Title: "Totaal", Value: d("43.9500"), SortOrder: 9}}
				o.Total = d("43.9500")
			},
			check: func(t *testing.T, p Plan) {
				if got := kinds(p); got != "product:WIJN×2@15.00 product:KAAS×1@9.00 shipping:VERZEND×1@6.95 fee:BETAAL×1@1.00 discount:KORTING×1@-3.00" {
					t.Fatalf("lines %s", got)
				}
				if p.Lines[4].Description != "Kortingscode (WIJN10)" || !p.Difference.IsZero() || p.Held != nil || !p.Total.Equal(d("43.95")) {
					t.Fatalf("discount %+v difference %s held %v", p.Lines[4], p.Difference, p.Held)
				}
				vatIs(t, p, "21", "6.07", "9", "0.74")
			}},
		{name: "a fee without an article is held",
			set:   func(s *Settings) { s.ShippingArticle = "" },
			check: func(t *testing.T, p Plan) { held(t, p, "shipping_article_missing") }},
		{name: "a small difference is booked on the difference article",
			order: func(o *opencart.Order) { o.Total = d("45.9800") },
			check: func(t *testing.T, p Plan) {
				last := p.Lines[len(p.Lines)-1]
				if last.Kind != "difference" || last.Code != "VERSCHIL" || !last.Total.Equal(d("0.03")) || !p.Total.Equal(d("45.98")) {
					t.Fatalf("difference line %+v total %s", last, p.Total)
				}
			}},
		{name: "a larger difference holds the order with both totals",
			order: func(o *opencart.Order) { o.Total = d("46.0500") },
			check: func(t *testing.T, p Plan) {
				held(t, p, "difference")
				if p.Held.Arg != "46,05 / 45,95" {
					t.Fatalf("arg %q", p.Held.Arg)
				}
			}},
		{name: "the threshold is a setting",
			order: func(o *opencart.Order) { o.Total = d("46.0500") },
			set:   func(s *Settings) { s.DifferenceThreshold = d("0.25") },
			check: func(t *testing.T, p Plan) {
				if p.Held != nil || !p.Total.Equal(d("46.05")) {
					t.Fatalf("held %v total %s", p.Held, p.Total)
				}
			}},
		{name: "a difference without a difference article is held",
			order: func(o *opencart.Order) { o.Total = d("45.9800") },
			set:   func(s *Settings) { s.DifferenceArticle = "" },
			check: func(t *testing.T, p Plan) { held(t, p, "difference_article_missing") }},
		{name: "a template with prices excl. VAT: prices and totals excl.",
			know: func(k *Knowledge) { k.Sjabloon.PrijsIngaveExclusiefBtw = true },
			check: func(t *testing.T, p Plan) {
				if got := kinds(p); got != "product:WIJN×2@12.40 product:KAAS×1@8.26 shipping:VERZEND×1@5.74" {
					t.Fatalf("lines %s", got)
				}
				// 21 %: 24,80 + 5,74 = 30,54, VAT 6,41; 9 %: 8,26, VAT 0,74: 45,95.
				if p.Order.VerkooporderBtwIngaveModel != "Exclusief" || !p.Total.Equal(d("45.95")) || p.Held != nil {
					t.Fatalf("model %s total %s lines %s", p.Order.VerkooporderBtwIngaveModel, p.Total, kinds(p))
				}
				vatIs(t, p, "21", "6.41", "9", "0.74")
			}},
		{name: "SnelStart's own sales price",
			set:  func(s *Settings) { s.LinePrice = "snelstart" },
			know: func(k *Knowledge) { k.Artikelen["wijn"].Verkoopprijs = snelstart.Num("15.02") },
			check: func(t *testing.T, p Plan) {
				// 2 × 15,02 instead of 2 × 15,00: SnelStart's price, the shop's 0,04 less booked as difference.
				if p.Lines[0].Price.StringFixed(2) != "15.02" || !p.Difference.Equal(d("-0.04")) || p.Lines[len(p.Lines)-1].Kind != "difference" || !p.Total.Equal(d("45.95")) {
					t.Fatalf("lines %s difference %s", kinds(p), p.Difference)
				}
			}},
		{name: "no payment reference when not ticked; no addresses with klantkaart",
			set: func(s *Settings) { s.PaymentReference = false; s.Addresses = "klantkaart" },
			check: func(t *testing.T, p Plan) {
				if p.Order.Betalingskenmerk != "" || p.Order.Orderreferentie != "" || p.Order.Factuuradres != nil || p.Order.Afleveradres != nil {
					t.Fatalf("order %+v", p.Order)
				}
			}},
		{name: "a cost centre and another process status",
			set:  func(s *Settings) { s.ProcesStatus = "Bevestiging" },
			know: func(k *Knowledge) { k.Kostenplaats = &snelstart.Kostenplaats{ID: "kp-1"} },
			check: func(t *testing.T, p Plan) {
				if p.Order.Kostenplaats.ID != "kp-1" || p.Order.ProcesStatus != "Bevestiging" {
					t.Fatalf("order %+v", p.Order)
				}
			}},
		{name: "long address lines are shortened with a note, not refused",
			order: func(o *opencart.Order) { o.Shipping.Address1 = strings.Repeat("Lange Laan ", 8) },
			check: func(t *testing.T, p Plan) {
				if len([]rune(p.Order.Afleveradres.Straat)) != 50 || !hasNote(p, "truncated") {
					t.Fatalf("straat %q notes %v", p.Order.Afleveradres.Straat, p.Notes)
				}
			}},
		{name: "an article whose VAT rate is not the shop's holds the order",
			know: func(k *Knowledge) { k.Artikelen["kaas"].ArtikelOmzetgroep.ID = "g-hoog" },
			check: func(t *testing.T, p Plan) {
				held(t, p, "article_vat")
				if p.Held.Arg != "KAAS: 9% / 21%" {
					t.Fatalf("arg %q", p.Held.Arg)
				}
			}},
		{name: "with SnelStart's prices a different VAT rate is only noted",
			know: func(k *Knowledge) {
				k.Artikelen["kaas"].ArtikelOmzetgroep.ID = "g-hoog"
				k.Artikelen["kaas"].Verkoopprijs = snelstart.Num("9.00")
			},
			set: func(s *Settings) { s.LinePrice = "snelstart" },
			check: func(t *testing.T, p Plan) {
				if p.Held != nil || !hasNote(p, "vat_mismatch") {
					t.Fatalf("held %v notes %v", p.Held, p.Notes)
				}
			}},
		{name: "an order in another currency: amounts as the shop stores them (default currency)",
			order: func(o *opencart.Order) { o.CurrencyCode, o.CurrencyValue = "USD", d("1.08") },
			check: func(t *testing.T, p Plan) {
				if !p.Total.Equal(d("45.95")) || p.Held != nil {
					t.Fatalf("total %s", p.Total)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, s, k := order(), settings(), knowledge()
			if c.order != nil {
				c.order(&o)
			}
			if c.set != nil {
				c.set(&s)
			}
			if c.know != nil {
				c.know(k)
			}
			c.check(t, PlanOrder(o, s, k))
		})
	}
}

func withOption(o *opencart.Order) {
	o.Lines[0].Options = []opencart.LineOption{{Name: "Jaargang", Value: "2019"}, {Name: "Fles", Value: "Magnum"}}
}

// withMappedOptions gives the wine two options with their option value ids.
func withMappedOptions(o *opencart.Order) {
	o.Lines[0].Options = []opencart.LineOption{{Name: "Fles", Value: "Magnum", ProductOptionValueID: 31},
		{Name: "Jaargang", Value: "2019", ProductOptionValueID: 41}}
}

// gift puts a recipe article (2 × 30.00 incl.) in place of the wine.
func gift(o *opencart.Order) {
	o.Lines[0].Model, o.Lines[0].Name, o.Lines[0].Price, o.Lines[0].Tax = "GESCHENK", "Geschenkset", d("24.7934"), d("5.2066")
	o.Total = d("75.95")
}

func held(t *testing.T, p Plan, code string) {
	t.Helper()
	if p.Held == nil || p.Held.Code != code {
		t.Fatalf("held %v, want %s", p.Held, code)
	}
}

// vatIs checks SnelStart's VAT per rate: pairs of rate and amount.
func vatIs(t *testing.T, p Plan, pairs ...string) {
	t.Helper()
	got := map[string]string{}
	for _, c := range p.VAT {
		got[c.Rate.String()] = c.SnelStart.StringFixed(2)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if got[pairs[i]] != pairs[i+1] {
			t.Fatalf("VAT %s%%: %s, want %s (all %v)", pairs[i], got[pairs[i]], pairs[i+1], p.VAT)
		}
	}
	if len(got) != len(pairs)/2 {
		t.Fatalf("VAT rates %v, want %v", got, pairs)
	}
}

func hasNote(p Plan, code string) bool {
	for _, n := range p.Notes {
		if n.Code == code {
			return true
		}
	}
	return false
}

// What SnelStart answers is said in SnelStart's words or ours; only an
// answer nobody foresaw keeps its technical text, for the log.
func TestFailureCodes(t *testing.T) {
	for _, c := range []struct {
		err       error
		code, arg string
	}{
		{&snelstart.APIError{Status: 400, Items: []snelstart.ErrorItem{{Code: "REL-0061", Message: "E-mailadres is ongeldig."}}},
			"snelstart_refused", "REL-0061 E-mailadres is ongeldig."},
		{&snelstart.APIError{Status: 400, Message: "The request is invalid.", ModelState: map[string][]string{"model.Regels": {"Regels is verplicht."}, "model.Datum": {"Ongeldige datum."}}},
			"snelstart_refused", "model.Datum: Ongeldige datum.; model.Regels: Regels is verplicht."},
		{&snelstart.APIError{Status: 403, Message: "Forbidden"}, "snelstart_access", ""},
		{&snelstart.APIError{Status: 401, Message: "Access denied due to invalid subscription key."}, "snelstart_access", ""},
		{&snelstart.APIError{Status: 503}, "snelstart_unavailable", ""},
		{&snelstart.WriteUncertainError{Err: errors.New("EOF")}, "uncertain", ""},
		{errors.New("snelstart: decode POST verkooporders: unexpected end of JSON input"), "snelstart_error", "snelstart: decode POST verkooporders: unexpected end of JSON input"},
	} {
		if h := failure(c.err); h.Code != c.code || h.Arg != c.arg {
			t.Errorf("%v: %+v, want %s(%s)", c.err, h, c.code, c.arg)
		}
	}
}
