package suggest

import (
	"context"
	"fmt"
	"time"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// maxCandidates bounds the fee-article candidates read from SnelStart:
// an administration with thousands of "verzend…" articles still answers
// in one page.
const maxCandidates = 200

// Gather reads the facts from SnelStart (client) and the shop; either may
// be nil when that connection is not set up, and its facts stay empty.
func Gather(ctx context.Context, client *snelstart.Client, shop *opencart.Shop) (Facts, error) {
	f := Facts{Now: time.Now()}
	if client != nil {
		if err := f.ReadSnelStart(ctx, client); err != nil {
			return f, err
		}
	}
	if shop != nil {
		if err := f.ReadShop(ctx, shop); err != nil {
			return f, err
		}
	}
	return f, nil
}

// ReadSnelStart fills the administration's facts: sjablonen, omzetgroepen,
// VAT rates and the articles whose description names a fee.
func (f *Facts) ReadSnelStart(ctx context.Context, client *snelstart.Client) error {
	var err error
	if f.Sjablonen, err = client.Lists.Verkoopordersjablonen(ctx); err != nil {
		return fmt.Errorf("suggest: sjablonen: %w", err)
	}
	if f.Omzetgroepen, err = client.Lists.Artikelomzetgroepen(ctx); err != nil {
		return fmt.Errorf("suggest: omzetgroepen: %w", err)
	}
	if f.Btwtarieven, err = client.Lists.Btwtarieven(ctx); err != nil {
		return fmt.Errorf("suggest: btwtarieven: %w", err)
	}
	var words []snelstart.Filter
	for _, w := range SearchWords() {
		// By description only: it keeps the request short, and a fee
		// article's description names the fee.
		words = append(words, snelstart.SubstringOf(w, "Omschrijving"))
	}
	filter := snelstart.And(snelstart.Eq("IsNonActief", false), snelstart.Or(words...))
	for a, err := range client.Artikelen.List(ctx, snelstart.ListOptions{Filter: filter, Top: maxCandidates}) {
		if err != nil {
			return fmt.Errorf("suggest: articles: %w", err)
		}
		f.Articles = append(f.Articles, a)
		if len(f.Articles) == maxCandidates {
			break
		}
	}
	f.HaveSnelStart = true
	return nil
}

// ReadShop fills the shop's facts: its order statuses in its own language,
// the statuses it counts as a sale, and its VAT percentages.
func (f *Facts) ReadShop(ctx context.Context, shop *opencart.Shop) error {
	statuses, err := shop.OrderStatuses(ctx)
	if err != nil {
		return fmt.Errorf("suggest: order statuses: %w", err)
	}
	f.Statuses, f.SaleStatuses = statuses, shop.SaleStatuses()
	for _, r := range shop.TaxRates() {
		if !r.Fixed {
			f.ShopRates = append(f.ShopRates, r.Rate)
		}
	}
	f.HaveShop = true
	return nil
}
