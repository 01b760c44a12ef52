// Package orderimport turns OpenCart orders into SnelStart verkooporders:
// a pure plan per order (plan.go: customer, articles, lines, fees, totals,
// difference, or the reason the order is held), then apply, which does the
// writes under the ledger so that nothing is booked twice.
package orderimport

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/config"
)

// Settings are the profile's Verkopen, Artikelen and Klanten choices, read
// once from the settings (backend/config keys).
type Settings struct {
	Template            string // verkoopordersjabloon, by description
	CostCentre          string // kostenplaats, by description
	ProcesStatus        string
	PaymentReference    bool   // betalingskenmerk and orderreferentie = order number
	ReferencePrefix     string // before the order number, to tell the shops of one administration apart
	DescriptionTemplate string
	Addresses           string // extern | klantkaart
	LinePrice           string // webshop | snelstart
	LineOptions         string // omschrijving | aparte-regel | negeren
	Recipes             bool
	ShippingArticle     string
	DiscountArticle     string
	// DiscountArticleByVat is the discount article per VAT rate ("9" →
	// code); DiscountArticle serves the rate it has itself.
	DiscountArticleByVat map[string]string
	VoucherArticle       string // gift vouchers and store credit: no VAT
	PaymentFeeArticle    string
	DifferenceArticle    string
	DifferenceThreshold  decimal.Decimal
	DefaultArticle       string
	CodeField            string            // model, sku, …, product_id
	RevenueGroup         string            // omzetgroep for new articles
	RevenueGroupByVat    map[string]string // rate ("9") → omzetgroep
	ArticleProcessing    string            // aanmaken | alleen-bestaande | standaard-artikelcode
	MatchBy              string            // email | klantnummer | naam-postcode | btw-nummer
	CustomerProcessing   string            // aanmaken | aanmaken-bijwerken | handmatig
	DefaultCustomer      int               // relatiecode for handmatig
	OptionMap            map[int]string    // product_option_value_id → artikelcode (Opties als artikel)
	// RefundCredit: a booked order that moves to one of RefundStatuses, or
	// one of its returns refunded, becomes a credit verkooporder (B7).
	RefundCredit   bool
	RefundStatuses []int
}

// SettingsFrom reads the settings of a profile.
func SettingsFrom(v map[string]string) Settings {
	threshold, err := decimal.NewFromString(v["sales.differenceThreshold"])
	if err != nil {
		threshold = decimal.RequireFromString("0.05")
	}
	code, _ := strconv.Atoi(v["customers.defaultCode"])
	return Settings{
		Template: v["sales.template"], CostCentre: v["sales.costCentre"], ProcesStatus: v["sales.processStatus"],
		PaymentReference: v["sales.paymentReference"] == "true", ReferencePrefix: v["sales.referencePrefix"],
		DescriptionTemplate: v["sales.descriptionTemplate"],
		Addresses:           v["sales.addresses"], LinePrice: v["sales.linePrice"], LineOptions: v["sales.lineOptions"],
		Recipes: v["sales.recipes"] == "true", ShippingArticle: v["sales.shippingArticle"],
		DiscountArticle: v["sales.discountArticle"], DiscountArticleByVat: rateMap(v["sales.discountArticleByVat"]),
		VoucherArticle: v["sales.voucherArticle"], PaymentFeeArticle: v["sales.paymentFeeArticle"],
		DifferenceArticle: v["sales.differenceArticle"], DifferenceThreshold: threshold,
		DefaultArticle: v["sales.defaultArticle"], CodeField: v["articles.codeField"],
		RevenueGroup: v["articles.revenueGroup"], RevenueGroupByVat: rateMap(v["articles.revenueGroupByVat"]),
		ArticleProcessing: v["articles.processing"], MatchBy: v["customers.matchBy"],
		CustomerProcessing: v["customers.processing"], DefaultCustomer: code,
		OptionMap:    config.OptionMap(v["articles.optionMap"]),
		RefundCredit: v["sales.refundCredit"] == "true", RefundStatuses: idList(v["sales.refundStatuses"]),
	}
}

// rateMap reads a rateMap setting: lines "rate=value", the rate as "9",
// "9,0" or "9.5".
func rateMap(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if rate, value, ok := strings.Cut(line, "="); ok {
			if d, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(rate), ",", ".")); err == nil {
				out[rateKey(d)] = strings.TrimSpace(value)
			}
		}
	}
	return out
}

// Articles are the article codes the settings name, for loading once per run.
func (s Settings) Articles() []string {
	out := []string{s.ShippingArticle, s.DiscountArticle, s.VoucherArticle, s.PaymentFeeArticle, s.DifferenceArticle, s.DefaultArticle}
	for _, code := range s.DiscountArticleByVat {
		out = append(out, code)
	}
	return out
}

// idList reads an idList setting ("11,12,13").
func idList(text string) []int {
	var out []int
	for _, part := range strings.Split(text, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(part)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}
