package opencart

import (
	"context"
	"fmt"
	"time"
)

// OwnURL is the address the shop gives itself, as it wrote it on its
// newest order of the default store (order.store_url). OpenCart keeps the
// default store's address in config.php, not in the database, so the
// orders are where a database connection finds it; the licence binds a
// profile without a Webshop URL to it. "" when the shop has no order.
func (s *Shop) OwnURL(ctx context.Context) (string, error) {
	// Reads go oldest first (no descending order through the bridge): the
	// windows grow from a day, so a busy shop reads a day of orders at
	// each run, not a month.
	now := time.Now()
	for _, from := range []time.Time{now.AddDate(0, 0, -1), now.AddDate(0, 0, -7), now.AddDate(0, -1, 0), now.AddDate(-1, 0, 0), {}} {
		where := []Cond{Eq("store_id", 0)}
		if !from.IsZero() {
			where = append(where, Ge("date_added", s.formatTime(from)))
		}
		url := ""
		for after := 0; ; {
			rows, err := s.t.Select(ctx, Query{Table: "order", Columns: []string{"order_id", "store_url"},
				Where: append(where, Gt("order_id", after)), OrderBy: []string{"order_id"}, Limit: MaxLimit})
			if err != nil {
				return "", fmt.Errorf("opencart: the shop's address: %w", err)
			}
			if len(rows) > 0 {
				url = rows[len(rows)-1]["store_url"]
				after = atoi(rows[len(rows)-1]["order_id"])
			}
			if len(rows) < MaxLimit {
				break
			}
		}
		if url != "" {
			return url, nil
		}
	}
	return "", nil
}
