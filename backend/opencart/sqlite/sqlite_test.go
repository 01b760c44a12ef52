package sqlite_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/opencart/sqlite"
)

// newShop writes a fixture shop of the version into a SQLite file through
// the translated DDL, and opens it with the transport.
func newShop(t *testing.T, version string, orders int) (*fixture.Shop, *opencart.Shop, *sqlite.Transport, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.sqlite")
	db, err := sqlite.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	schema, err := fixture.Schema(version)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range fixture.Statements(schema, "oc_") {
		if _, err := db.Exec(sqlite.DDL(stmt)); err != nil {
			t.Fatalf("%v\n%s", err, sqlite.DDL(stmt))
		}
	}
	fix, err := fixture.Write(ctx, db, fixture.Config{Version: version, Prefix: "oc_", Orders: orders, Products: 30, Customers: 30, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := sqlite.Open(ctx, path, "oc_")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	shop, err := opencart.NewShop(ctx, tr, opencart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return fix, shop, tr, path
}

func same(a, b any) (string, string, bool) {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x), string(y), string(x) == string(y)
}

// The model reads back from SQLite what OpenCart's checkout wrote, exactly
// as the MySQL transport's round trip does on the same fixture: amounts to
// four decimals, text as typed, datetimes in the shop's zone.
// Only 4.1, the demo's version: the older schemas lean on MySQL's relaxed
// NOT NULL handling, which SQLite does not have.
func TestOrdersRoundTrip(t *testing.T) {
	for _, version := range []string{"4.1"} {
		t.Run(version, func(t *testing.T) {
			fix, shop, tr, path := newShop(t, version, 120)
			if shop.Version() != version || shop.Currency != "EUR" || shop.Name != "Wijnhandel ’t Vaatje" || shop.Language != 2 {
				t.Fatalf("shop: version %s currency %q name %q language %d", shop.Version(), shop.Currency, shop.Name, shop.Language)
			}
			var got []opencart.Order
			after := 0
			for {
				page, next, err := shop.Orders(context.Background(), opencart.OrderQuery{AfterID: after, Limit: 37})
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, page...)
				if next == 0 {
					break
				}
				after = next
			}
			want := fix.Sales()
			if len(got) != len(want) || len(want) < 80 {
				t.Fatalf("read %d orders, want %d", len(got), len(want))
			}
			for i := range want {
				if x, y, ok := same(got[i], want[i]); !ok {
					t.Fatalf("order %d differs:\n got %s\nwant %s", want[i].ID, x, y)
				}
			}
			since := want[len(want)/2].Added
			page, _, err := shop.Orders(context.Background(), opencart.OrderQuery{AddedSince: since, Limit: 1000})
			n := 0
			for _, o := range want {
				if !o.Added.Before(since) {
					n++
				}
			}
			if err != nil || len(page) != n {
				t.Fatalf("added since %v: %d, want %d (%v)", since, len(page), n, err)
			}
			// The watermark's reads: refunded returns by date_modified, and
			// the ids of orders dated before a moment.
			mid := fixture.MiddleModified(fix.Returns)
			var wantReturns []opencart.Return
			for _, r := range fix.Returns {
				if !r.Modified.Before(mid) {
					wantReturns = append(wantReturns, r)
				}
			}
			changed, err := shop.ReturnsChangedSince(context.Background(), mid)
			if x, y, ok := same(changed, wantReturns); err != nil || !ok || len(wantReturns) == 0 {
				t.Fatalf("returns changed since %v (%v):\n got %s\nwant %s", mid, err, x, y)
			}
			var wantEarly []int
			for _, o := range want {
				if o.Modified.Before(mid) {
					wantEarly = append(wantEarly, o.ID)
				}
			}
			early, err := shop.OrderIDs(context.Background(), opencart.OrderQuery{ModifiedBefore: mid, Limit: 1000})
			if x, y, ok := same(early, wantEarly); err != nil || !ok || len(wantEarly) == 0 {
				t.Fatalf("orders dated before %v (%v):\n got %s\nwant %s", mid, err, x, y)
			}
			db, err := sqlite.OpenDB(path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			fixturetest.CheckDiscounts(t, tr, fix, db, "oc_")
			all, next, err := shop.Products(context.Background(), 0, 1000)
			if err != nil || next != 0 || len(all) != len(fix.Products) {
				t.Fatalf("products: %d (next %d) %v, want %d", len(all), next, err, len(fix.Products))
			}
			byID := map[int]opencart.Product{}
			for _, p := range fix.Products {
				byID[p.ID] = p
			}
			for _, p := range all {
				if x, y, ok := same(p, byID[p.ID]); !ok {
					t.Fatalf("product %d differs:\n got %s\nwant %s", p.ID, x, y)
				}
			}
		})
	}
}

// The stock contract every transport keeps (conditional writes).
func TestStockWrites(t *testing.T) {
	_, shop, _, path := newShop(t, "4.1", 5)
	db, err := sqlite.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fixturetest.CheckStockWrites(t, shop, db, "oc_")
}

// The whitelist holds here too, and a value is data, never SQL.
func TestRefusedQueries(t *testing.T) {
	_, _, tr, _ := newShop(t, "4.1", 3)
	ctx := context.Background()
	for _, q := range []opencart.Query{
		{Table: "user", Columns: []string{"password"}},
		{Table: "order", Columns: []string{"order_id; DROP TABLE oc_order"}},
		{Table: "order", Columns: []string{"order_id"}, Where: []opencart.Cond{{Column: "order_id", Op: "= 1 OR 1 =", Values: []any{1}}}},
		{Table: "setting", Columns: []string{"key", "value"}, Where: []opencart.Cond{opencart.Eq("store_id", 0)}},
		{Table: "order_voucher", Columns: []string{"code"}}, // not in a 4.1 shop
	} {
		if _, err := tr.Select(ctx, q); err == nil {
			t.Errorf("query %+v was not refused", q)
		}
	}
	rows, err := tr.Select(ctx, opencart.Query{Table: "order", Columns: []string{"order_id"}, Where: []opencart.Cond{opencart.Eq("email", "x' OR '1'='1")}})
	if err != nil || len(rows) != 0 {
		t.Fatalf("injection in a value: %d rows, %v", len(rows), err)
	}
	rows, err = tr.Select(ctx, opencart.Query{Table: "order", Columns: []string{"order_id"}})
	if err != nil || len(rows) != 3 {
		t.Fatalf("orders: %d, %v", len(rows), err)
	}
}

// A file that is no OpenCart shop is refused as such.
func TestNotAShop(t *testing.T) {
	_, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "leeg.sqlite"), "oc_")
	if !errors.Is(err, opencart.ErrNotOpenCart) {
		t.Fatalf("empty file: %v", err)
	}
}

// The file holds what OpenCart's MySQL tables hold: amounts as four-decimal
// text ("215.8704", "0.0000"), not the binary floats SQLite makes of a
// decimal column, and dates as text; HTML special characters escaped as
// OpenCart's request cleaning stores them.
func TestStoredAsOpenCartStoresIt(t *testing.T) {
	_, _, _, path := newShop(t, "4.1", 20)
	db, err := sqlite.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"SELECT total FROM oc_order", "SELECT value FROM oc_order_total",
		"SELECT price FROM oc_order_product", "SELECT tax FROM oc_order_product", "SELECT price FROM oc_product",
	} {
		col, from, _ := strings.Cut(strings.TrimPrefix(q, "SELECT "), " ")
		rows, err := db.Query("SELECT typeof(" + col + "), " + col + " " + from)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var typ, v string
			if err := rows.Scan(&typ, &v); err != nil {
				t.Fatal(err)
			}
			if typ != "text" || !fourDecimals.MatchString(v) {
				t.Errorf("%s: %s %q, want four-decimal text as OpenCart's decimal(15,4)", q, typ, v)
			}
			n++
		}
		rows.Close()
		if n == 0 {
			t.Errorf("%s: no rows", q)
		}
	}
	var typ, added string
	if err := db.QueryRow("SELECT typeof(date_added), date_added FROM oc_order LIMIT 1").Scan(&typ, &added); err != nil || typ != "text" || len(added) != 19 {
		t.Fatalf("date_added: %s %q %v", typ, added, err)
	}
	var escaped int
	if err := db.QueryRow("SELECT count(*) FROM oc_product_description WHERE name LIKE '%&amp;%' OR name LIKE '%&lt;%'").Scan(&escaped); err != nil || escaped == 0 {
		t.Fatalf("no escaped product names (%d, %v): OpenCart stores & and < as &amp; and &lt;", escaped, err)
	}
}

var fourDecimals = regexp.MustCompile(`^-?[0-9]+\.[0-9]{4}$`)
