package orderimport

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/reference"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// loadStatic reads what stays the same for a whole run: company info,
// omzetgroepen, VAT rates, the template, the cost centre, countries and the
// default customer. A configuration error (an unknown template) comes back
// before any order is touched.
func loadStatic(ctx context.Context, c *snelstart.Client, s Settings, shopName string) (*Knowledge, *snelstart.CompanyInfo, error) {
	k := &Knowledge{ShopName: shopName, Artikelen: map[string]*snelstart.Artikel{},
		Omzetgroepen: map[string]snelstart.Artikelomzetgroep{}, Rates: map[string]decimal.Decimal{}, Landen: map[string]string{}}
	var ci *snelstart.CompanyInfo
	err := together(func() (err error) {
		ci, err = c.CompanyInfo(ctx)
		return err
	}, func() error { return k.loadLists(ctx, c, s) })
	if err != nil {
		return nil, nil, err
	}
	k.MaxCodeLength = ci.ArtikelcodeMaxLengte
	return k, ci, nil
}

// together runs fns at once (the client bounds the requests in flight) and
// returns the error of the first one in line that failed: a run's start
// costs one round trip instead of one for each list.
func together(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// loadLists fills in the lists every order may need. Each list fills its
// own part of the knowledge, so they are read at once. The fee and default
// articles come with the first page's articles (loadPage): one round trip
// less before the first order goes out.
func (k *Knowledge) loadLists(ctx context.Context, c *snelstart.Client, s Settings) error {
	var groups []snelstart.Artikelomzetgroep
	var rates []snelstart.BtwTarief
	var landen []snelstart.Land
	var sjablonen []snelstart.Verkoopordersjabloon
	var kostenplaatsen []snelstart.Kostenplaats
	var defaults []snelstart.Relatie
	err := together(func() (err error) {
		groups, err = c.Lists.Artikelomzetgroepen(ctx)
		return err
	}, func() (err error) {
		rates, err = c.Lists.Btwtarieven(ctx)
		return err
	}, func() (err error) {
		landen, err = c.Lists.Landen(ctx)
		return err
	}, func() (err error) {
		if s.Template != "" {
			sjablonen, err = c.Lists.Verkoopordersjablonen(ctx)
		}
		return err
	}, func() (err error) {
		if s.CostCentre != "" {
			kostenplaatsen, err = c.Lists.Kostenplaatsen(ctx)
		}
		return err
	}, func() (err error) {
		if s.CustomerProcessing == "handmatig" {
			defaults, err = snelstart.Collect(c.Relaties.List(ctx, snelstart.ListOptions{Filter: snelstart.Eq("Relatiecode", s.DefaultCustomer), Top: 1}))
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, g := range groups {
		k.Omzetgroepen[g.ID] = g
	}
	for _, r := range rates {
		if r.DatumTotEnMet.IsZero() { // the rate in force
			k.Rates[r.BtwSoort] = r.BtwPercentage.Decimal
		}
	}
	for _, l := range landen {
		k.Landen[strings.ToUpper(l.LandcodeISO)] = l.ID
	}
	if s.Template != "" {
		for i := range sjablonen {
			if strings.EqualFold(sjablonen[i].Omschrijving, s.Template) {
				k.Sjabloon = &sjablonen[i]
			}
		}
		if k.Sjabloon == nil {
			return &ConfigError{Code: "template_unknown", Arg: s.Template}
		}
	}
	if s.CostCentre != "" {
		for i := range kostenplaatsen {
			if strings.EqualFold(kostenplaatsen[i].Omschrijving, s.CostCentre) {
				k.Kostenplaats = &kostenplaatsen[i]
			}
		}
		if k.Kostenplaats == nil {
			return &ConfigError{Code: "cost_centre_unknown", Arg: s.CostCentre}
		}
	}
	if s.CustomerProcessing == "handmatig" {
		if len(defaults) == 0 {
			return &ConfigError{Code: "default_customer_unknown", Arg: strconv.Itoa(s.DefaultCustomer)}
		}
		k.DefaultRelatie = &defaults[0]
	}
	return nil
}

// ConfigError is a setting that cannot work (an unknown template): the run
// stops before any order, with the reason.
type ConfigError struct{ Code, Arg string }

func (e *ConfigError) Error() string {
	return fmt.Sprintf("orderimport: configuration: %s %s", e.Code, e.Arg)
}

// lookupBatch is how many values go into one OData "or" chain: the URL
// stays well under the limits of the gateway.
const lookupBatch = 40

func chunks(values []string) [][]string {
	var out [][]string
	for start := 0; start < len(values); start += lookupBatch {
		out = append(out, values[start:min(start+lookupBatch, len(values))])
	}
	return out
}

func unique(values []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range values {
		if key := strings.ToLower(strings.TrimSpace(v)); key != "" && !seen[key] {
			seen[key] = true
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

// loadArticles fetches the articles with these codes not known yet.
func (k *Knowledge) loadArticles(ctx context.Context, c *snelstart.Client, codes []string) error {
	var want []string
	for _, code := range unique(codes) {
		if _, ok := k.Artikelen[strings.ToLower(code)]; !ok {
			want = append(want, code)
		}
	}
	list, err := inBatches(want, func(part []string) ([]snelstart.Artikel, error) {
		return snelstart.Collect(c.Artikelen.List(ctx, snelstart.ListOptions{Filter: snelstart.In("Artikelcode", part)}))
	})
	for i := range list {
		k.Artikelen[strings.ToLower(list[i].Artikelcode)] = &list[i]
	}
	return err
}

// inBatches looks values up lookupBatch at a time, the batches at once
// (the client bounds the requests in flight), and returns what they found
// in the batches' order.
func inBatches[T any](values []string, look func(part []string) ([]T, error)) ([]T, error) {
	parts := chunks(values)
	found := make([][]T, len(parts))
	fns := make([]func() error, len(parts))
	for i, part := range parts {
		fns[i] = func() (err error) {
			found[i], err = look(part)
			return err
		}
	}
	if err := together(fns...); err != nil {
		return nil, err
	}
	return slices.Concat(found...), nil
}

// loadCustomers fetches the relaties the orders may be for, the way
// Herkenning looks for them.
func (k *Knowledge) loadCustomers(ctx context.Context, c *snelstart.Client, s Settings, orders []opencart.Order) error {
	var field string
	var values []string
	for _, o := range orders {
		switch s.MatchBy {
		case "klantnummer":
			if o.CustomerID > 0 {
				values = append(values, customerMemo(o, s))
			}
		case "naam-postcode":
			field = "Naam"
			values = append(values, customerName(o))
		case "btw-nummer":
			return nil
		default:
			field = "Email"
			values = append(values, o.Email)
		}
	}
	known := map[string]bool{}
	for _, r := range k.Relaties {
		known[r.ID] = true
	}
	list, err := inBatches(unique(values), func(part []string) ([]snelstart.Relatie, error) {
		var filter snelstart.Filter
		if s.MatchBy != "klantnummer" {
			filter = snelstart.In(field, part)
		} else {
			// The klantnummer line may sit among the bookkeeper's own notes;
			// the search finds "…: 7" on the card of 71 too, and
			// findCustomer keeps only an exact line.
			fs := make([]snelstart.Filter, len(part))
			for i, v := range part {
				fs[i] = snelstart.SubstringOf(v, "Memo")
			}
			filter = snelstart.Or(fs...)
		}
		return snelstart.Collect(c.Relaties.List(ctx, snelstart.ListOptions{Filter: filter}))
	})
	for _, r := range list {
		if !known[r.ID] {
			k.Relaties = append(k.Relaties, r)
			known[r.ID] = true
		}
	}
	return err
}

// memoHasLine reports whether one line of a memo is exactly line: the
// klantnummer of customer 7 is not found on the card of customer 71, nor in
// a sentence that mentions it.
func memoHasLine(memo, line string) bool {
	for _, l := range strings.FieldsFunc(memo, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.TrimSpace(l) == line {
			return true
		}
	}
	return false
}

// refOf is the reference an order gets in SnelStart (betalingskenmerk and
// orderreferentie): the profile's prefix and the order number.
func refOf(o opencart.Order, s Settings) string { return reference.Order(s.ReferencePrefix, o.ID) }

// CreditReference is the reference of a credit verkooporder (B7) for the
// order with reference ref: "<ref>-C" for the whole order, "<ref>-C<id>"
// for one return (OpenCart's return_id). The format lives in
// backend/reference, where the reconciliation reads it back.
func CreditReference(ref string, returnID int) string {
	if returnID == 0 {
		return reference.Credit(ref)
	}
	return reference.CreditReturn(ref, returnID)
}

// creditDescription is the omschrijving of a credit verkooporder: the
// original order's reference and, when known, its verkoopordernummer.
func creditDescription(ref string, nummer int, returnID int) string {
	out := "Credit webshop order " + ref
	if returnID > 0 {
		out += " retour " + strconv.Itoa(returnID)
	}
	if nummer > 0 {
		out += " (verkooporder " + strconv.Itoa(nummer) + ")"
	}
	return out
}

// existingOrders finds the verkooporders that already carry these
// references: without a ledger (another PC, a lost database) nothing is
// booked twice.
func existingOrders(ctx context.Context, c *snelstart.Client, refs []string) (map[string]snelstart.Verkooporder, error) {
	list, err := inBatches(unique(refs), func(part []string) ([]snelstart.Verkooporder, error) {
		return snelstart.Collect(c.Verkooporders.List(ctx, snelstart.ListOptions{Filter: snelstart.In("Betalingskenmerk", part)}))
	})
	if err != nil {
		return nil, err
	}
	out := map[string]snelstart.Verkooporder{}
	for _, o := range list {
		out[o.Betalingskenmerk] = o
	}
	return out, nil
}
