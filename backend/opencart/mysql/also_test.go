package mysql_test

import (
	"context"
	"slices"
	"testing"

	"github.com/s-connect/s-connect/backend/opencart"
)

// A watermark run reads the changed orders and some by id in the same
// pages (OrderQuery.AlsoIDs): each order of either once, in id order,
// across pages, only in the selected statuses, and no more reads of lines
// and totals than the pages need.
func TestOrdersAlsoIDs(t *testing.T) {
	s := newShop(t, "3.0", "oc_", 120)
	tr, _ := open(t, s.cfg)
	c := &counting{Transport: tr}
	shop, err := opencart.NewShop(context.Background(), c, opencart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sales := s.fix.Sales()
	slices.SortFunc(sales, func(a, b opencart.Order) int { return a.ID - b.ID })
	// Changed: the orders modified at or after the median date; by id:
	// every fifth sale, one of them changed too, and an order outside the
	// selection.
	dates := make([]opencart.Order, len(sales))
	copy(dates, sales)
	slices.SortFunc(dates, func(a, b opencart.Order) int { return a.Modified.Compare(b.Modified) })
	since := dates[len(dates)/2].Modified
	want := map[int]bool{}
	for _, o := range sales {
		if !o.Modified.Before(since) {
			want[o.ID] = true
		}
	}
	var also []int
	for i, o := range sales {
		if i%5 == 0 {
			also = append(also, o.ID)
			want[o.ID] = true
		}
	}
	for _, o := range s.fix.Orders {
		if !slices.Contains(s.fix.SaleStatuses, o.StatusID) {
			also = append(also, o.ID)
			break
		}
	}
	var got []int
	after, pages := 0, 0
	before := c.selects.Load()
	for {
		page, next, err := shop.Orders(context.Background(), opencart.OrderQuery{ModifiedSince: since, AlsoIDs: also, AfterID: after, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, o := range page {
			got = append(got, o.ID)
			if len(o.Lines) == 0 {
				t.Fatalf("order %d read without its lines", o.ID)
			}
		}
		if next == 0 {
			break
		}
		after = next
	}
	var ids []int
	for id := range want {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if !slices.Equal(got, ids) {
		t.Fatalf("read %v\nwant %v", got, ids)
	}
	// Per page: the changed orders, the ones by id, lines, options,
	// totals, vouchers (and the countries and the fee classes once).
	if reads := c.selects.Load() - before; int(reads) > 6*pages+2 {
		t.Fatalf("%d reads for %d pages", reads, pages)
	}
}
