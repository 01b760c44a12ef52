package stockexport

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// pageSize is how many products one read brings.
const pageSize = 1000

func (j *Job) allProducts(ctx context.Context) ([]opencart.Product, error) {
	var products []opencart.Product
	for after := 0; ; {
		page, next, err := j.Shop.Products(ctx, after, pageSize)
		if err != nil {
			return nil, fmt.Errorf("stockexport: shop products: %w", err)
		}
		products = append(products, page...)
		if next == 0 {
			return products, nil
		}
		after = next
	}
}

// touchedProducts reads the products an incremental pass plans: those whose
// code, or whose option values' code, is one of codes, with the 4.x
// families (master and variants) they belong to.
func (j *Job) touchedProducts(ctx context.Context, list []string) ([]opencart.Product, error) {
	if len(list) == 0 {
		return nil, nil
	}
	codes := make([]string, 0, len(list))
	wanted := map[string]bool{}
	for _, c := range list {
		code := strings.TrimSpace(c)
		codes = append(codes, code)
		wanted[strings.ToLower(code)] = true
	}
	found := map[int]opencart.Product{}
	field := j.Settings.CodeField
	if field == "" {
		field = "model"
	}
	for start := 0; start < len(codes); start += pageSize {
		list, err := j.Shop.ProductsByCode(ctx, field, codes[start:min(start+pageSize, len(codes))])
		if err != nil {
			return nil, fmt.Errorf("stockexport: shop products: %w", err)
		}
		for _, p := range list {
			found[p.ID] = p
		}
	}
	var values []int
	for id, code := range j.Settings.OptionMap {
		if wanted[strings.ToLower(code)] {
			values = append(values, id)
		}
	}
	sort.Ints(values)
	ids, err := j.Shop.OptionProductIDs(ctx, values, codes)
	if err != nil {
		return nil, err
	}
	return j.withFamilies(ctx, found, ids)
}

// lookupBatch is how many codes one OData "or" chain carries.
const lookupBatch = 40

// complete adds to articles the other articles the products need (their
// own codes and their option values'), as SnelStart has them now.
func (j *Job) complete(ctx context.Context, articles []snelstart.Artikel, products []opencart.Product) ([]snelstart.Artikel, error) {
	have := map[string]bool{}
	for _, a := range articles {
		have[strings.ToLower(strings.TrimSpace(a.Artikelcode))] = true
	}
	for _, c := range j.Pending.newCodes() {
		have[strings.ToLower(strings.TrimSpace(c))] = true // not in SnelStart yet
	}
	var want []string
	need := func(code string) {
		if key := strings.ToLower(strings.TrimSpace(code)); key != "" && !have[key] {
			have[key] = true
			want = append(want, strings.TrimSpace(code))
		}
	}
	for _, p := range products {
		need(p.Code(j.Settings.CodeField))
		for _, ov := range p.Options {
			need(j.Settings.OptionMap[ov.ID])
			need(ov.Code)
		}
	}
	for start := 0; start < len(want); start += lookupBatch {
		part := want[start:min(start+lookupBatch, len(want))]
		list, err := snelstart.Collect(j.Client.Artikelen.List(ctx, snelstart.ListOptions{
			Filter: snelstart.And(snelstart.Eq("IsNonActief", false), "", snelstart.In("Artikelcode", part))}))
		if err != nil {
			return nil, fmt.Errorf("stockexport: SnelStart articles: %w", err)
		}
		articles = append(articles, list...)
	}
	return articles, nil
}

// withFamilies adds to found the products ids and the masters and variants
// of every product in it: a master's stock is its variants' total.
func (j *Job) withFamilies(ctx context.Context, found map[int]opencart.Product, ids []int) ([]opencart.Product, error) {
	add := func(list []opencart.Product) {
		for _, p := range list {
			found[p.ID] = p
		}
	}
	var missing []int
	for _, id := range ids {
		if _, ok := found[id]; !ok {
			missing = append(missing, id)
		}
	}
	list, err := j.Shop.ProductsByID(ctx, missing)
	if err != nil {
		return nil, fmt.Errorf("stockexport: shop products: %w", err)
	}
	add(list)
	var masters []int
	for _, p := range found {
		m := p.MasterID
		if m == 0 {
			m = p.ID
		}
		masters = append(masters, m)
	}
	if variants, err := j.Shop.Variants(ctx, masters); err != nil {
		return nil, fmt.Errorf("stockexport: shop products: %w", err)
	} else {
		add(variants)
	}
	missing = missing[:0]
	for _, m := range masters {
		if _, ok := found[m]; !ok {
			missing = append(missing, m)
		}
	}
	if list, err = j.Shop.ProductsByID(ctx, missing); err != nil {
		return nil, fmt.Errorf("stockexport: shop products: %w", err)
	}
	add(list)
	out := make([]opencart.Product, 0, len(found))
	for _, p := range found {
		out = append(out, p)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out, nil
}

// reservations adds up, per product and per option value, the open shop
// orders (in a status in which OpenCart took the stock) that SnelStart does
// not have yet — or will not have after the import before this export.
func (j *Job) reservations(ctx context.Context) (Reservations, error) {
	out := Reservations{Products: map[int]int{}, Options: map[int]int{}}
	if !j.Settings.ReserveOpenOrders {
		return out, nil
	}
	statuses := append(append([]int{}, j.Shop.Processing...), j.Shop.Complete...)
	if len(statuses) == 0 {
		return out, nil
	}
	booked := j.Pending.confirmed()
	q := opencart.OrderQuery{AddedSince: j.Since, Statuses: statuses, Limit: 500}
	for {
		orders, next, err := j.Shop.Orders(ctx, q)
		if err != nil {
			return out, fmt.Errorf("stockexport: open orders: %w", err)
		}
		ids := make([]int, len(orders))
		for i, o := range orders {
			ids[i] = o.ID
		}
		entries, err := j.Store.Ledger(j.ProfileID, ids)
		if err != nil {
			return out, err
		}
		for _, o := range orders {
			// In SnelStart, handled by hand or ignored, or booked by the import
			// before this export: not reserved.
			if e, ok := entries[o.ID]; (ok && config.Settled(e.State)) || booked[o.ID] {
				continue
			}
			for _, l := range o.Lines {
				out.Products[l.ProductID] += l.Quantity
				if l.MasterID > 0 && l.MasterID != l.ProductID {
					out.Products[l.MasterID] += l.Quantity // 4.x also took the master's stock
				}
				for _, opt := range l.Options {
					if opt.ProductOptionValueID > 0 {
						out.Options[opt.ProductOptionValueID] += l.Quantity
					}
				}
			}
		}
		if next == 0 {
			return out, nil
		}
		q.AfterID = next
	}
}
