package mysql_test

import (
	"context"
	"testing"
)

// The shop's own address (which a direct-database licence binds to) is the
// one on the newest order of the default store: a newer order of an extra
// store, with that store's address, does not count; orders years old still
// give it; a shop without orders of the default store has none.
func TestOwnURL(t *testing.T) {
	s := newShop(t, "3.0", "oc_", 12)
	_, shop := open(t, s.cfg)
	ctx := context.Background()
	var newest int
	if err := s.db.QueryRow("SELECT MAX(order_id) FROM oc_order").Scan(&newest); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		q    string
		args []any
	}{
		{"UPDATE oc_order SET store_id = 0, store_url = 'https://oud.example.nl/', date_added = NOW() - INTERVAL 3 YEAR", nil},
		{"UPDATE oc_order SET store_url = 'https://winkel.example.nl/' WHERE order_id = ?", []any{newest - 1}},
		{"UPDATE oc_order SET store_id = 1, store_url = 'https://tweede.example.nl/', date_added = NOW() WHERE order_id = ?", []any{newest}},
	} {
		if _, err := s.db.Exec(u.q, u.args...); err != nil {
			t.Fatal(err)
		}
	}
	if url, err := shop.OwnURL(ctx); err != nil || url != "https://winkel.example.nl/" {
		t.Fatalf("own address %q, %v", url, err)
	}
	if _, err := s.db.Exec("DELETE FROM oc_order WHERE store_id = 0"); err != nil {
		t.Fatal(err)
	}
	if url, err := shop.OwnURL(ctx); err != nil || url != "" {
		t.Fatalf("without orders of the default store: %q, %v", url, err)
	}
}
