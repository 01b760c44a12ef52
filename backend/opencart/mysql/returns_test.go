package mysql_test

import (
	"context"
	"testing"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
)

// The refunded returns of every version read back as written: only the
// actions that gave money back (whose ids differ in 4.1), the product name
// as typed (the shop stores it escaped), in one read for a page of orders.
func TestReturnsRoundTripEveryVersion(t *testing.T) {
	for _, version := range fixture.Versions {
		t.Run(version, func(t *testing.T) {
			s := newShop(t, version, "oc_", 150)
			tr, _ := open(t, s.cfg)
			c := &counting{Transport: tr}
			shop, err := opencart.NewShop(context.Background(), c, opencart.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int
			for _, o := range s.fix.Orders {
				ids = append(ids, o.ID)
			}
			before := c.selects.Load()
			got, err := shop.Returns(context.Background(), ids)
			if err != nil {
				t.Fatal(err)
			}
			if reads := c.selects.Load() - before; reads != 2 { // the actions once, the returns once
				t.Fatalf("%d reads for the returns of %d orders", reads, len(ids))
			}
			if len(s.fix.Returns) < 5 {
				t.Fatalf("the fixture wrote only %d refunded returns", len(s.fix.Returns))
			}
			if x, y, ok := same(got, s.fix.Returns); !ok {
				t.Fatalf("returns differ:\n got %s\nwant %s", x, y)
			}
			// By date_modified (the returns' watermark): the ones at or
			// after a moment, in one read now the actions are known.
			since := fixture.MiddleModified(s.fix.Returns)
			var want []opencart.Return
			for _, r := range s.fix.Returns {
				if !r.Modified.Before(since) {
					want = append(want, r)
				}
			}
			before = c.selects.Load()
			changed, err := shop.ReturnsChangedSince(context.Background(), since)
			if err != nil {
				t.Fatal(err)
			}
			if reads := c.selects.Load() - before; reads != 1 || len(want) == 0 || len(want) == len(got) {
				t.Fatalf("%d reads for the returns changed since %v; %d of %d", reads, since, len(want), len(got))
			}
			if x, y, ok := same(changed, want); !ok {
				t.Fatalf("returns changed since %v differ:\n got %s\nwant %s", since, x, y)
			}
			// The coupons and reward points of the orders, for the returns'
			// share of them.
			fixturetest.CheckDiscounts(t, tr, s.fix, s.db, "oc_")
			var all, escaped int
			s.db.QueryRow("SELECT COUNT(*), SUM(comment LIKE '%&lt;kapot&gt; &amp;%') FROM oc_return").Scan(&all, &escaped)
			if all <= len(got) || escaped != all {
				t.Fatalf("%d returns written (%d escaped), %d refunded: want other actions too", all, escaped, len(got))
			}
		})
	}
}
