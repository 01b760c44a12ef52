package mysql_test

import (
	"context"
	"testing"

	"github.com/s-connect/s-connect/backend/opencart"
)

// BenchmarkReadOrders reads a shop of 10,000 orders (3 lines on average)
// page by page through the direct transport.
// everyStatus reads every order but the unfinished ones, not only sales.
var everyStatus = []int{1, 2, 3, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}

func BenchmarkReadOrders(b *testing.B) {
	for _, version := range []string{"3.0", "4.1"} {
		b.Run(version, func(b *testing.B) {
			s := newShopTB(b, version, 10000, 60)
			_, shop := open(b, s.cfg)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				n, lines := 0, 0
				for after := 0; ; {
					page, next, err := shop.Orders(ctx, opencart.OrderQuery{AfterID: after, Limit: 500, Statuses: everyStatus})
					if err != nil {
						b.Fatal(err)
					}
					n += len(page)
					for _, o := range page {
						lines += len(o.Lines)
					}
					if next == 0 {
						break
					}
					after = next
				}
				if n < 9000 || lines < 25000 {
					b.Fatalf("read %d orders, %d lines", n, lines)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/10k-orders")
		})
	}
}

// BenchmarkSetStock writes the stock of 20,000 products, every one changed,
// each only while it holds what was read.
func BenchmarkSetStock(b *testing.B) {
	for _, version := range []string{"3.0", "4.1"} {
		b.Run(version, func(b *testing.B) {
			s := newShopTB(b, version, 1, 20000)
			_, shop := open(b, s.cfg)
			ctx := context.Background()
			changes := make([]opencart.StockChange, 0, 20000)
			for _, p := range s.fix.Products {
				if p.MasterID == 0 && len(changes) < 20000 {
					changes = append(changes, opencart.StockChange{ProductID: p.ID, From: p.Quantity, To: p.Quantity})
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				for j := range changes {
					changes[j].From = changes[j].To
					changes[j].To += 1 - 2*(i%2) // every row differs from what is stored
				}
				res, err := shop.UpdateStock(ctx, changes)
				if err != nil || res.Changed != len(changes) {
					b.Fatalf("changed %d of %d: %v", res.Changed, len(changes), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/20k-products")
		})
	}
}
