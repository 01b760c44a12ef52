package suggest

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/connect"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/backend/snelstart/sim"
	"github.com/s-connect/s-connect/backend/testsvc"
	"github.com/s-connect/s-connect/backend/tlspin"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

// simulator is the seeded administration of a small Dutch webshop; change
// alters it the way its bookkeeper might have.
func simulator(t *testing.T, change func(*sim.Server)) *snelstart.Client {
	t.Helper()
	sm := sim.New(sim.Options{ClientKeys: map[string][]string{"sleutel": nil}, SubscriptionKeys: []string{"abo"}, Strict: true})
	sm.SeedDefault()
	if change != nil {
		change(sm)
	}
	srv := httptest.NewServer(sm)
	t.Cleanup(srv.Close)
	client, missing, err := snelstart.FromSettings(map[string]string{"snelstart.clientKey": "sleutel", "snelstart.subscriptionKey": "abo",
		"snelstart.apiBaseURL": srv.URL + "/v2/", "snelstart.authBaseURL": srv.URL + "/"})
	if err != nil || len(missing) > 0 {
		t.Fatal(err, missing)
	}
	return client
}

// idOf finds a seeded object by a field's value.
func idOf(sm *sim.Server, resource, field, value string) string {
	for _, o := range sm.All(resource) {
		if o[field] == value {
			return o["id"].(string)
		}
	}
	panic(resource + " " + value)
}

// shop writes an OpenCart shop of version into MariaDB, runs the SQL
// statements on it (the shop owner's changes) and opens it as a profile
// would.
func shop(t *testing.T, version string, sql ...string) *opencart.Shop {
	t.Helper()
	sdb := fixture.NewShopDB(t, fixture.Config{Version: version, Prefix: "oc_", Orders: 3, Products: 3, Customers: 2, Seed: 7})
	for _, q := range sql {
		if _, err := sdb.DB.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	conn, err := connect.OpenShop(context.Background(), map[string]string{"shop.transport": "mysql", "shop.db.host": "127.0.0.1",
		"shop.db.port": strconv.Itoa(sdb.Port), "shop.db.name": sdb.Database, "shop.db.user": "root",
		"shop.db.tls": "true", "shop.db.certFingerprint": tlspin.Fingerprint(testsvc.StartMariaDB(t).Cert)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	return conn.Shop
}

// dutchStatuses are the names a Dutch shop owner gives OpenCart's statuses
// in the Nederlands language (language_id 2 of the fixtures).
var dutchStatuses = map[int]string{1: "In afwachting", 2: "In behandeling", 3: "Verzonden", 5: "Voltooid", 7: "Geannuleerd",
	8: "Geweigerd", 9: "Annulering teruggedraaid", 10: "Mislukt", 11: "Terugbetaald", 12: "Teruggeboekt", 13: "Terugvordering",
	14: "Verlopen", 15: "Verwerkt", 16: "Vervallen"}

func dutchSQL() []string {
	var out []string
	for id, name := range dutchStatuses {
		out = append(out, "UPDATE oc_order_status SET name = '"+name+"' WHERE language_id = 2 AND order_status_id = "+strconv.Itoa(id))
	}
	return out
}

func byKey(t *testing.T, list []Suggestion) map[string]Suggestion {
	t.Helper()
	m := map[string]Suggestion{}
	for _, s := range list {
		if config.Lookup(s.Key) == nil {
			t.Fatalf("%s is not a setting of backend/config", s.Key)
		}
		if _, dup := m[s.Key]; dup {
			t.Fatalf("%s proposed twice", s.Key)
		}
		m[s.Key] = s
	}
	return m
}

func check(t *testing.T, got map[string]Suggestion, want map[string][3]string) {
	t.Helper()
	for key, w := range want {
		g, ok := got[key]
		if !ok {
			t.Errorf("%s: no proposal", key)
			continue
		}
		if g.Value != w[0] || g.Reason != w[1] || (w[2] != "*" && g.Arg != w[2]) {
			t.Errorf("%s: got %q (%s %q), want %q (%s %q)", key, g.Value, g.Reason, g.Arg, w[0], w[1], w[2])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d proposals, want %d: %+v", len(got), len(want), got)
	}
}

// A Dutch shop (OpenCart 4.1, statuses translated) and the simulator's
// administration: every proposal found, statuses by their Dutch names.
func TestSuggestDutchShop(t *testing.T) {
	ctx := context.Background()
	f, err := Gather(ctx, simulator(t, nil), shop(t, "4.1", dutchSQL()...))
	if err != nil {
		t.Fatal(err)
	}
	check(t, byKey(t, Suggest(f)), map[string][3]string{
		"sales.template":             {"Webshop", "template.found", "Webshop"},
		"articles.revenueGroup":      {"Omzet hoog", "revenueGroup.found", "Omzet hoog"},
		"articles.revenueGroupByVat": {"21=Omzet hoog\n9=Omzet laag\n0=Omzet vrijgesteld", "revenueGroupByVat.found", ""},
		"sales.shippingArticle":      {"VERZEND", "article.found", "VERZEND – Verzendkosten"},
		"sales.discountArticle":      {"KORTING", "article.found", "KORTING – Korting"},
		"sales.discountArticleByVat": {"9=KORTING-LAAG\n0=KORTING-GEEN", "discountByVat.found", ""},
		"sales.voucherArticle":       {"CADEAUBON", "article.found", "CADEAUBON – Cadeaubon / tegoed"},
		"sales.paymentFeeArticle":    {"BETAALKOSTEN", "article.found", "BETAALKOSTEN – Betalingskosten"},
		"sales.differenceArticle":    {"VERSCHIL", "article.found", "VERSCHIL – Afrondingsverschil webshop"},
		// In behandeling, Verzonden, Voltooid, Verwerkt: not In afwachting
		// (unpaid), nor the cancelled, refunded or failed ones.
		"shop.orderStatuses": {"2,3,5,15", "statuses.byName", "In behandeling, Verzonden, Voltooid, Verwerkt"},
	})
}

// An English shop (OpenCart 2.3, its default language en-gb) whose second
// rate is 19 %, and an administration without a sjabloon like "webshop",
// without an omzetgroep at the low rate and without a shipping article:
// what is missing is said, the rest still proposed.
func TestSuggestEnglishShopWhenNothingMatches(t *testing.T) {
	ctx := context.Background()
	client := simulator(t, func(sm *sim.Server) {
		sm.Patch("verkoopordersjablonen", idOf(sm, "verkoopordersjablonen", "omschrijving", "Webshop"), map[string]any{"nonactief": true})
		sm.Patch("artikelomzetgroepen", idOf(sm, "artikelomzetgroepen", "omschrijving", "Omzet laag"),
			map[string]any{"omschrijving": "Omzet hoog (2)", "verkoopNederlandBtwSoort": "Hoog"})
		sm.Patch("artikelen", idOf(sm, "artikelen", "artikelcode", "VERZEND"), map[string]any{"isNonActief": true})
	})
	s := shop(t, "2.3", append(dutchSQL(), "UPDATE oc_setting SET value = 'en-gb' WHERE `key` = 'config_language'",
		"UPDATE oc_tax_rate SET rate = 19 WHERE tax_rate_id = 2")...)
	f, err := Gather(ctx, client, s)
	if err != nil {
		t.Fatal(err)
	}
	check(t, byKey(t, Suggest(f)), map[string][3]string{
		"sales.template":        {"", "template.none", ""},
		"articles.revenueGroup": {"Omzet hoog", "revenueGroup.found", "Omzet hoog"},
		// 19 % is no SnelStart rate; 9 % would be, but has no omzetgroep.
		"articles.revenueGroupByVat": {"21=Omzet hoog\n0=Omzet vrijgesteld", "revenueGroupByVat.missing", "19 %"},
		"sales.shippingArticle":      {"", "article.none", "verzendkosten, verzend"},
		"sales.discountArticle":      {"KORTING", "article.found", "*"},
		"sales.discountArticleByVat": {"0=KORTING-GEEN", "discountByVat.found", ""},
		"sales.voucherArticle":       {"CADEAUBON", "article.found", "*"},
		"sales.paymentFeeArticle":    {"BETAALKOSTEN", "article.found", "*"},
		"sales.differenceArticle":    {"VERSCHIL", "article.found", "*"},
		"shop.orderStatuses":         {"2,3,5,15", "statuses.byName", "Processing, Shipped, Complete, Processed"},
	})

	// The shop's 9 % back, still without its omzetgroep: named as missing.
	f.ShopRates = []decimal.Decimal{decimal.NewFromInt(21), decimal.NewFromInt(9)}
	if got := byKey(t, Suggest(f))["articles.revenueGroupByVat"]; got.Arg != "9 %" || got.Value != "21=Omzet hoog\n0=Omzet vrijgesteld" {
		t.Fatalf("9 %% without an omzetgroep: %+v", got)
	}
}

// Statuses with names of neither language fall back to the shop's own
// processing and complete statuses; without those, nothing is proposed.
func TestSuggestStatusesUnknownNames(t *testing.T) {
	f := Facts{HaveShop: true, Now: time.Now(), SaleStatuses: []int{4, 6},
		Statuses: []opencart.Status{{ID: 4, Name: "Betaling ontvangen"}, {ID: 6, Name: "Klaar"}, {ID: 7, Name: "Weg"}}}
	got := byKey(t, Suggest(f))
	if s := got["shop.orderStatuses"]; s.Value != "4,6" || s.Reason != "statuses.shop" || s.Arg != "Betaling ontvangen, Klaar" {
		t.Fatalf("fallback: %+v", s)
	}
	f.SaleStatuses = nil
	if s := byKey(t, Suggest(f))["shop.orderStatuses"]; s.Value != "" || s.Reason != "statuses.none" {
		t.Fatalf("none: %+v", s)
	}
	if _, ok := got["sales.template"]; ok {
		t.Fatal("SnelStart proposals without SnelStart")
	}
}

// Goods that happen to hold a fee's word (a shipping box for sale) are not
// fee articles; a code that ranks by an earlier word wins.
func TestSuggestFeeArticlesSkipGoods(t *testing.T) {
	f := Facts{HaveSnelStart: true, Now: time.Now(), Articles: []snelstart.Artikel{
		{Artikelcode: "DOOS", Omschrijving: "Verzenddoos groot", VoorraadControle: true},
		{Artikelcode: "PORTO-BE", Omschrijving: "Porto België"},
		{Artikelcode: "VK", Omschrijving: "Verzendkosten NL"},
	}}
	if s := byKey(t, Suggest(f))["sales.shippingArticle"]; s.Value != "VK" {
		t.Fatalf("shipping: %+v", s)
	}
}
