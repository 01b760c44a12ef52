// Package suggest proposes the Aansluiting settings of a new profile from
// what the connection tests can read: the SnelStart administration's
// sjablonen, omzetgroepen, VAT rates and fee articles, and the shop's VAT
// rates and order statuses. It is the one place these proposals are made;
// the setup assistant only shows them, and the user accepts or changes each.
// Suggest is pure (Facts in, proposals out); Gather reads the Facts.
package suggest

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// Facts is what the two connections tell about the administration and
// the shop. A side that could not be read is left empty (HaveSnelStart or
// HaveShop false) and its proposals are left out.
type Facts struct {
	HaveSnelStart bool
	Sjablonen     []snelstart.Verkoopordersjabloon
	Omzetgroepen  []snelstart.Artikelomzetgroep
	Btwtarieven   []snelstart.BtwTarief
	// Articles are the candidates for the fee articles: those whose code
	// or description holds one of the words of feeWords.
	Articles []snelstart.Artikel

	HaveShop bool
	// ShopRates are the percentages of the shop's tax rates (fixed
	// amounts are not a VAT rate and are left out).
	ShopRates    []decimal.Decimal
	Statuses     []opencart.Status
	SaleStatuses []int // config_processing_status ∪ config_complete_status
	Now          time.Time
}

// Suggestion is the proposed value of one setting (a key of
// backend/config) and why: Reason is a message key under "suggest.", Arg
// fills it in. An empty Value means nothing fitting was found; Reason then
// says what the user can do.
type Suggestion struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
	Arg    string `json:"arg"`
}

// Fee articles are searched by these words in their code or description,
// Dutch and English; the first word found ranks highest. The words are
// lower case.
var feeWords = []struct {
	key   string
	words []string
}{
	{"sales.shippingArticle", []string{"verzendkosten", "verzend", "shipping", "porto", "bezorg", "delivery"}},
	{"sales.discountArticle", []string{"korting", "discount"}},
	{"sales.voucherArticle", []string{"cadeaubon", "waardebon", "tegoed", "voucher", "gift card", "giftcard"}},
	{"sales.paymentFeeArticle", []string{"betalingskosten", "betaalkosten", "transactiekosten", "payment", "toeslag", "handling"}},
	{"sales.differenceArticle", []string{"afronding", "verschil", "rounding", "difference"}},
}

// SearchWords are every word fee articles are searched by (Gather asks
// SnelStart for articles holding any of them).
func SearchWords() []string {
	var out []string
	for _, f := range feeWords {
		out = append(out, f.words...)
	}
	return out
}

// Order statuses that mean a sale the shop has taken on, by name in
// English (OpenCart's install data) and Dutch (a translated shop). Pending
// ("In afwachting") is not among them: an unpaid bank transfer waits there.
var saleStatusNames = []string{
	"processing", "processed", "shipped", "complete", "completed",
	"in behandeling", "in verwerking", "verwerkt", "verzonden", "voltooid", "afgerond", "compleet", "afgehandeld", "betaald",
}

// Suggest proposes the Aansluiting settings from the facts.
func Suggest(f Facts) []Suggestion {
	var out []Suggestion
	if f.HaveSnelStart {
		out = append(out, template(f.Sjablonen))
		out = append(out, revenueGroups(f)...)
		out = append(out, feeArticles(f)...)
	}
	if f.HaveShop {
		out = append(out, orderStatuses(f))
	}
	return out
}

// template is the active sjabloon named like "webshop", else like "web" or
// "online"; else none (SnelStart then uses its default sjabloon).
func template(list []snelstart.Verkoopordersjabloon) Suggestion {
	for _, word := range []string{"webshop", "webwinkel", "web", "online"} {
		for _, s := range list {
			if !s.Nonactief && strings.Contains(strings.ToLower(s.Omschrijving), word) {
				return Suggestion{Key: "sales.template", Value: s.Omschrijving, Reason: "template.found", Arg: s.Omschrijving}
			}
		}
	}
	return Suggestion{Key: "sales.template", Reason: "template.none"}
}

// soortOf maps a VAT percentage to SnelStart's btwSoort (Hoog, Laag,
// Geen), from the rates valid now.
func soortOf(f Facts) map[string]string {
	m := map[string]string{"0": "Geen"}
	for _, t := range f.Btwtarieven {
		if !t.DatumVanaf.IsZero() && t.DatumVanaf.After(f.Now) || !t.DatumTotEnMet.IsZero() && t.DatumTotEnMet.Before(f.Now) {
			continue
		}
		m[t.BtwPercentage.String()] = t.BtwSoort
	}
	return m
}

// rates are the VAT percentages to map: the shop's (and 0, for what it
// sells without VAT) when the shop was read, else SnelStart's.
func rates(f Facts) []decimal.Decimal {
	var list []decimal.Decimal
	add := func(d decimal.Decimal) {
		if !slices.ContainsFunc(list, d.Equal) {
			list = append(list, d)
		}
	}
	if f.HaveShop {
		for _, r := range f.ShopRates {
			add(r)
		}
	} else {
		for _, t := range f.Btwtarieven {
			add(t.BtwPercentage.Decimal)
		}
	}
	add(decimal.Zero)
	sort.Slice(list, func(i, j int) bool { return list[i].GreaterThan(list[j]) })
	return list
}

// groupFor is the omzetgroep of a btwSoort: the lowest-numbered one.
func groupFor(groups []snelstart.Artikelomzetgroep, soort string) (snelstart.Artikelomzetgroep, bool) {
	var best snelstart.Artikelomzetgroep
	found := false
	for _, g := range groups {
		if strings.EqualFold(g.VerkoopNederlandBtwSoort, soort) && (!found || g.Nummer < best.Nummer) {
			best, found = g, true
		}
	}
	return best, found
}

// revenueGroups proposes the omzetgroep per VAT rate and, for new
// articles in general, that of the highest rate. A rate SnelStart has no
// omzetgroep for is named, so the user can make one.
func revenueGroups(f Facts) []Suggestion {
	soort := soortOf(f)
	var lines, missing []string
	main := ""
	for _, r := range rates(f) {
		g, ok := groupFor(f.Omzetgroepen, soort[r.String()])
		if soort[r.String()] == "" || !ok {
			if !r.IsZero() {
				missing = append(missing, r.String()+" %")
			}
			continue
		}
		lines = append(lines, r.String()+"="+g.Omschrijving)
		if main == "" && !r.IsZero() {
			main = g.Omschrijving
		}
	}
	byVat := Suggestion{Key: "articles.revenueGroupByVat", Value: strings.Join(lines, "\n"), Reason: "revenueGroupByVat.found"}
	switch {
	case len(missing) > 0:
		byVat.Reason, byVat.Arg = "revenueGroupByVat.missing", strings.Join(missing, ", ")
	case len(lines) == 0:
		byVat.Reason = "revenueGroupByVat.none"
	}
	group := Suggestion{Key: "articles.revenueGroup", Value: main, Reason: "revenueGroup.found", Arg: main}
	if main == "" {
		group.Reason = "revenueGroup.none"
	}
	return []Suggestion{group, byVat}
}

// candidate is an article that matched a fee's word, ranked by which word.
type candidate struct {
	a    snelstart.Artikel
	rank int
}

// matches returns the articles that hold one of words, best first: an
// earlier word, then a code that is the word itself, then the shorter code.
// Articles with stock control are goods, not fees, and are left out.
func matches(articles []snelstart.Artikel, words []string) []snelstart.Artikel {
	var list []candidate
	for _, a := range articles {
		if a.IsNonActief || a.VoorraadControle || a.IsHoofdartikel {
			continue
		}
		text := strings.ToLower(a.Artikelcode + " " + a.Omschrijving)
		for i, w := range words {
			if strings.Contains(text, w) {
				list = append(list, candidate{a, i})
				break
			}
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return len(a.a.Artikelcode) < len(b.a.Artikelcode)
	})
	out := make([]snelstart.Artikel, len(list))
	for i, c := range list {
		out[i] = c.a
	}
	return out
}

// feeArticles proposes the article of each fee, and the discount
// articles per VAT rate by their omzetgroep's btwSoort.
func feeArticles(f Facts) []Suggestion {
	soortOfGroup := map[string]string{}
	for _, g := range f.Omzetgroepen {
		soortOfGroup[g.ID] = g.VerkoopNederlandBtwSoort
	}
	groupSoort := func(a snelstart.Artikel) string {
		if a.ArtikelOmzetgroep == nil {
			return ""
		}
		return soortOfGroup[a.ArtikelOmzetgroep.ID]
	}
	var out []Suggestion
	for _, fee := range feeWords {
		found := matches(f.Articles, fee.words)
		s := Suggestion{Key: fee.key, Reason: "article.none", Arg: strings.Join(fee.words[:2], ", ")}
		if fee.key == "sales.discountArticle" {
			// The main discount article is the one at the high rate.
			slices.SortStableFunc(found, func(a, b snelstart.Artikel) int {
				return boolRank(groupSoort(a) == "Hoog") - boolRank(groupSoort(b) == "Hoog")
			})
		}
		if len(found) > 0 {
			s.Value, s.Reason, s.Arg = found[0].Artikelcode, "article.found", found[0].Artikelcode+" – "+found[0].Omschrijving
		}
		out = append(out, s)
		if fee.key == "sales.discountArticle" {
			out = append(out, discountByVat(f, found, groupSoort))
		}
	}
	return out
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}

// discountByVat maps each rate other than the main discount article's to a
// discount article whose omzetgroep has that rate's btwSoort.
func discountByVat(f Facts, found []snelstart.Artikel, soortOf func(snelstart.Artikel) string) Suggestion {
	s := Suggestion{Key: "sales.discountArticleByVat", Reason: "discountByVat.none"}
	if len(found) == 0 {
		return s
	}
	mainSoort := soortOf(found[0])
	bySoort := map[string]string{}
	for _, r := range rates(f) {
		sr := soortOfRate(f, r)
		if sr == "" || sr == mainSoort {
			continue
		}
		for _, a := range found[1:] {
			if soortOf(a) == sr {
				bySoort[r.String()] = a.Artikelcode
				break
			}
		}
	}
	var lines []string
	for _, r := range rates(f) {
		if code := bySoort[r.String()]; code != "" {
			lines = append(lines, r.String()+"="+code)
		}
	}
	if len(lines) > 0 {
		s.Value, s.Reason = strings.Join(lines, "\n"), "discountByVat.found"
	}
	return s
}

func soortOfRate(f Facts, r decimal.Decimal) string { return soortOf(f)[r.String()] }

// orderStatuses proposes the statuses of a sale by their names, in the
// shop's language; a shop whose names are none of those known keeps its
// own processing and complete statuses.
func orderStatuses(f Facts) Suggestion {
	var ids, names []string
	for _, st := range f.Statuses {
		if slices.Contains(saleStatusNames, strings.ToLower(strings.TrimSpace(st.Name))) {
			ids = append(ids, strconv.Itoa(st.ID))
			names = append(names, st.Name)
		}
	}
	if len(ids) > 0 {
		return Suggestion{Key: "shop.orderStatuses", Value: strings.Join(ids, ","), Reason: "statuses.byName", Arg: strings.Join(names, ", ")}
	}
	for _, id := range f.SaleStatuses {
		for _, st := range f.Statuses {
			if st.ID == id {
				ids = append(ids, strconv.Itoa(id))
				names = append(names, st.Name)
			}
		}
	}
	if len(ids) > 0 {
		return Suggestion{Key: "shop.orderStatuses", Value: strings.Join(ids, ","), Reason: "statuses.shop", Arg: strings.Join(names, ", ")}
	}
	return Suggestion{Key: "shop.orderStatuses", Reason: "statuses.none"}
}
