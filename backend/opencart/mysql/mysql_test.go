package mysql_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/opencart/fixture"
	"github.com/s-connect/s-connect/backend/opencart/fixture/fixturetest"
	"github.com/s-connect/s-connect/backend/opencart/mysql"
	"github.com/s-connect/s-connect/backend/testsvc"
)

func TestMain(m *testing.M) { testsvc.Main(m) }

type shopDB struct {
	db     *sql.DB
	cfg    mysql.Config
	fix    *fixture.Shop
	prefix string
}

// newShop loads a version's schema into a fresh database and writes a shop.
func newShop(t *testing.T, version, prefix string, orders int) *shopDB {
	return newShopSized(t, version, prefix, orders, 60)
}

func newShopTB(b *testing.B, version string, orders, products int) *shopDB {
	return newShopSized(b, version, "oc_", orders, products)
}

func newShopSized(t testing.TB, version, prefix string, orders, products int) *shopDB {
	t.Helper()
	sdb := fixturetest.NewShopDB(t, fixture.Config{Version: version, Prefix: prefix, Orders: orders, Products: products, Customers: 30, Seed: 42})
	return &shopDB{db: sdb.DB, fix: sdb.Shop, prefix: prefix,
		cfg: mysql.Config{Host: "127.0.0.1", Port: sdb.Port, Database: sdb.Database, User: "root", Prefix: prefix}}
}

func open(t testing.TB, cfg mysql.Config) (*mysql.Transport, *opencart.Shop) {
	t.Helper()
	tr, err := mysql.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	shop, err := opencart.NewShop(context.Background(), tr, opencart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tr, shop
}

func same(a, b any) (string, string, bool) {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x), string(y), string(x) == string(y)
}

func TestOrdersRoundTripEveryVersion(t *testing.T) {
	for _, version := range fixture.Versions {
		for _, prefix := range []string{"oc_", "shop2_"} {
			t.Run(version+"/"+prefix, func(t *testing.T) {
				s := newShop(t, version, prefix, 150)
				cfg := s.cfg
				if prefix == "shop2_" {
					cfg.Prefix = "" // found from the tables
				}
				_, shop := open(t, cfg)
				if shop.Version() != version {
					t.Fatalf("detected version %s, want %s", shop.Version(), version)
				}
				if shop.Schema().Prefix != prefix || shop.Currency != "EUR" || shop.Name != "Wijnhandel ’t Vaatje" || shop.Language != 2 {
					t.Fatalf("shop: prefix %q currency %q name %q language %d", shop.Schema().Prefix, shop.Currency, shop.Name, shop.Language)
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
				// Without a status chosen: the shop's own statuses of a sale.
				want := s.fix.Sales()
				if len(got) != len(want) || len(want) < 100 {
					t.Fatalf("read %d orders, want %d (the sale statuses)", len(got), len(want))
				}
				for i := range want {
					if x, y, ok := same(got[i], want[i]); !ok {
						t.Fatalf("order %d differs:\n got %s\nwant %s", want[i].ID, x, y)
					}
				}
				// The shop stores text escaped; what was read above is as typed.
				for _, q := range []string{"order_product WHERE name LIKE '%&quot;%'", "order_option WHERE value LIKE '%&quot;%'",
					"`order` WHERE payment_company LIKE '%&amp;%' OR payment_company LIKE '%&lt;%'", "`order` WHERE comment LIKE '%&amp;%&quot;%&lt;%'",
					"order_total WHERE code = 'tax' AND title LIKE '%&amp;%'"} {
					var n int
					if err := s.db.QueryRow("SELECT COUNT(*) FROM " + strings.Replace(q, "order", prefix+"order", 1)).Scan(&n); err != nil || n == 0 {
						t.Fatalf("no escaped text in %s (%d, %v)", q, n, err)
					}
				}
				// Filters: status, store, dates. A cancelled order only when asked.
				page, _, err := shop.Orders(context.Background(), opencart.OrderQuery{Statuses: []int{0, 5, 7}, StoreIDs: []int{1}, Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				n, cancelled := 0, 0
				for _, o := range s.fix.Orders {
					if (o.StatusID == 5 || o.StatusID == 7) && o.StoreID == 1 {
						n++
					}
					if o.StatusID == 7 {
						cancelled++
					}
				}
				if len(page) != n || n == 0 || cancelled == 0 {
					t.Fatalf("status 5 and 7 in store 1: %d orders, want %d", len(page), n)
				}
				since := want[len(want)/2].Added
				page, _, _ = shop.Orders(context.Background(), opencart.OrderQuery{AddedSince: since, Limit: 1000})
				n = 0
				for _, o := range want {
					if !o.Added.Before(since) {
						n++
					}
				}
				if len(page) != n {
					t.Fatalf("added since %v: %d, want %d (time zone?)", since, len(page), n)
				}
			})
		}
	}
}

// counting counts the reads a transport makes.
type counting struct {
	opencart.Transport
	selects atomic.Int32
}

func (c *counting) Select(ctx context.Context, q opencart.Query) ([]opencart.Row, error) {
	c.selects.Add(1)
	return c.Transport.Select(ctx, q)
}

func TestAPageOfOrdersTakesAFixedNumberOfReads(t *testing.T) {
	s := newShop(t, "4.0", "oc_", 340)
	tr, err := mysql.Open(context.Background(), s.cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	c := &counting{Transport: tr}
	shop, err := opencart.NewShop(context.Background(), c, opencart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	after := 0
	for page := 0; page < 2; page++ {
		c.selects.Store(0)
		orders, next, err := shop.Orders(context.Background(), opencart.OrderQuery{AfterID: after, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		lines := 0
		for _, o := range orders {
			lines += len(o.Lines)
		}
		if len(orders) != 100 || lines < 200 {
			t.Fatalf("page %d: %d orders with %d lines", page, len(orders), lines)
		}
		// orders, lines, options, totals, vouchers; the first page also the
		// countries and the fees' tax-class settings, read once
		want := map[int]int32{0: 7, 1: 5}[page]
		if n := c.selects.Load(); n != want {
			t.Fatalf("page %d: %d reads for 100 orders with %d lines, want %d", page, n, lines, want)
		}
		after = next
	}
}

func TestProductsByEveryCodeField(t *testing.T) {
	for _, version := range fixture.Versions {
		t.Run(version, func(t *testing.T) {
			s := newShop(t, version, "oc_", 5)
			_, shop := open(t, s.cfg)
			for _, field := range opencart.CodeFields {
				var codes []string
				want := map[int]opencart.Product{}
				for _, p := range s.fix.Products {
					code := p.Codes[field]
					switch field {
					case "model":
						code = p.Model
					case "product_id":
						code = fmtInt(p.ID)
					}
					if code != "" && len(codes) < 9 {
						codes = append(codes, code)
						want[p.ID] = p
					}
				}
				if len(codes) == 0 {
					t.Fatalf("fixture has no %s codes", field)
				}
				got, err := shop.ProductsByCode(context.Background(), field, append(codes, "BESTAAT-NIET"))
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("%s: %d products, want %d", field, len(got), len(want))
				}
				for _, p := range got {
					if x, y, ok := same(p, want[p.ID]); !ok {
						t.Fatalf("%s: product %d differs:\n got %s\nwant %s", field, p.ID, x, y)
					}
				}
			}
			all, next, err := shop.Products(context.Background(), 0, 1000)
			if err != nil || next != 0 || len(all) != len(s.fix.Products) {
				t.Fatalf("all products: %d (next %d) %v, want %d", len(all), next, err, len(s.fix.Products))
			}
			variants := 0
			for _, p := range all {
				if p.MasterID > 0 {
					variants++
				}
			}
			if (version >= "4.0") != (variants > 0) {
				t.Fatalf("variants read: %d", variants)
			}
		})
	}
}

func fmtInt(n int) string { b, _ := json.Marshal(n); return string(b) }

// Stock is written only where a row still holds what was read: a sale in
// between is never overwritten (every schema fixture).
func TestStockWritesEveryVersion(t *testing.T) {
	for _, version := range fixture.Versions {
		t.Run(version, func(t *testing.T) {
			s := newShop(t, version, "oc_", 5)
			_, shop := open(t, s.cfg)
			fixturetest.CheckStockWrites(t, shop, s.db, "oc_")
		})
	}
}

func TestRefusedQueries(t *testing.T) {
	s := newShop(t, "3.0", "oc_", 3)
	tr, _ := open(t, s.cfg)
	ctx := context.Background()
	bad := []opencart.Query{
		{Table: "user", Columns: []string{"password"}},
		{Table: "order", Columns: []string{"order_id; DROP TABLE oc_order"}},
		{Table: "order", Columns: []string{"order_id"}, Where: []opencart.Cond{{Column: "order_id", Op: "= 1 OR 1 =", Values: []any{1}}}},
		{Table: "order", Columns: []string{"order_id"}, Where: []opencart.Cond{{Column: "ip", Op: "=", Values: []any{"x"}}}},
		{Table: "order", Columns: []string{"order_id"}, Where: []opencart.Cond{{Column: "order_id", Op: "=", Values: []any{1.5}}}},
		{Table: "product_code", Columns: []string{"code"}}, // not in a 3.0 shop
		// setting: only named keys of the model.
		{Table: "setting", Columns: []string{"key", "value"}},
		{Table: "setting", Columns: []string{"key", "value"}, Where: []opencart.Cond{opencart.Eq("store_id", 0)}},
		{Table: "setting", Columns: []string{"key", "value"}, Where: []opencart.Cond{opencart.Eq("key", "config_encryption")}},
		{Table: "setting", Columns: []string{"key", "value"}, Where: []opencart.Cond{opencart.In("key", []string{"config_name", "config_smtp_password"})}},
		{Table: "setting", Columns: []string{"key", "value"}, Where: []opencart.Cond{opencart.Gt("key", "config_name")}},
		{Table: "setting", Columns: []string{"setting_id"}, Where: []opencart.Cond{opencart.Eq("key", "config_name")}},
		{Table: "order", Columns: []string{"order_id"}, Limit: opencart.MaxLimit + 1},
	}
	for _, q := range bad {
		if _, err := tr.Select(ctx, q); err == nil {
			t.Errorf("query %+v was not refused", q)
		}
	}
	// A read without a limit is capped and refused when there is more.
	if _, err := s.db.Exec("INSERT INTO oc_order_status (order_status_id, language_id, name) SELECT seq, 99, 'x' FROM seq_1_to_10001"); err != nil {
		t.Fatal(err)
	}
	q := opencart.Query{Table: "order_status", Columns: []string{"order_status_id"}, Where: []opencart.Cond{opencart.Eq("language_id", 99)}}
	if _, err := tr.Select(ctx, q); !errors.Is(err, opencart.ErrTooManyRows) {
		t.Errorf("no limit, too many rows: %v", err)
	}
	q.Limit = opencart.MaxLimit
	if rows, err := tr.Select(ctx, q); err != nil || len(rows) != opencart.MaxLimit {
		t.Errorf("a full page: %d, %v", len(rows), err)
	}
	// A value is data, never SQL.
	rows, err := tr.Select(ctx, opencart.Query{Table: "order", Columns: []string{"order_id"}, Where: []opencart.Cond{opencart.Eq("email", "x' OR '1'='1")}})
	if err != nil || len(rows) != 0 {
		t.Fatalf("injection in a value: %d rows, %v", len(rows), err)
	}
	var n int
	s.db.QueryRow("SELECT COUNT(*) FROM `oc_order`").Scan(&n)
	if n != 3 {
		t.Fatalf("orders table changed: %d rows", n)
	}
}

func TestConnectionStepErrors(t *testing.T) {
	s := newShop(t, "4.1", "oc_", 1)
	ctx := context.Background()
	var se *mysql.StepError
	cases := []struct {
		change func(*mysql.Config)
		step   mysql.Step
	}{
		{func(c *mysql.Config) { c.Port = 1 }, mysql.StepConnect},
		{func(c *mysql.Config) { c.Password = "fout" }, mysql.StepLogin},
		{func(c *mysql.Config) { c.Database = "bestaat_niet" }, mysql.StepDatabase},
		{func(c *mysql.Config) { c.Prefix = "xx_" }, mysql.StepTables},
	}
	for _, c := range cases {
		cfg := s.cfg
		c.change(&cfg)
		_, err := mysql.Open(ctx, cfg)
		if !errors.As(err, &se) || se.Step != c.step {
			t.Errorf("want step %s, got %v", c.step, err)
		}
	}
	cfg := s.cfg
	cfg.Prefix = "oc_; DROP"
	if _, err := mysql.Open(ctx, cfg); err == nil || !strings.Contains(err.Error(), "prefix") {
		t.Errorf("bad prefix: %v", err)
	}
}

func TestOrderStatuses(t *testing.T) {
	s := newShop(t, "2.3", "oc_", 1)
	_, shop := open(t, s.cfg)
	st, err := shop.OrderStatuses(context.Background())
	if err != nil || len(st) != 14 || st[0].Name != "Pending" || st[3].ID != 5 {
		t.Fatalf("statuses: %+v %v", st, err)
	}
	sort.Ints(shop.Processing)
	if len(shop.Processing) != 5 || shop.Processing[0] != 1 || len(shop.Complete) != 2 {
		t.Fatalf("processing %v complete %v", shop.Processing, shop.Complete)
	}
}

// Names the shop owner typed in the admin are stored escaped; the model
// gives them back as typed: the shop's name, its stores, its statuses.
func TestShopNamesAsTyped(t *testing.T) {
	s := newShop(t, "3.0", "oc_", 1)
	for _, q := range []string{"UPDATE oc_setting SET value = 'Kaas &amp; Wijn &quot;Het Vaatje&quot;' WHERE `key` = 'config_name'",
		"UPDATE oc_order_status SET name = 'Betaald &amp; verzonden' WHERE order_status_id = 3"} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_, shop := open(t, s.cfg)
	stores, err := shop.Stores(context.Background())
	if err != nil || len(stores) != 2 || stores[0].Name != `Kaas & Wijn "Het Vaatje"` || stores[1].Name != "Proeflokaal & Zo" {
		t.Fatalf("stores %+v %v", stores, err)
	}
	st, err := shop.OrderStatuses(context.Background())
	if err != nil || st[2].ID != 3 || st[2].Name != "Betaald & verzonden" {
		t.Fatalf("statuses %+v %v", st, err)
	}
}
