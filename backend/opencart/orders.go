package opencart

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// OrderQuery selects a page of orders. Status 0 (unfinished checkouts) is
// never returned.
type OrderQuery struct {
	AddedSince    time.Time // date_added at or after (Vanaf datum/tijd)
	AddedBefore   time.Time // date_added before (the end of a period)
	ModifiedSince time.Time // date_modified at or after (incremental runs)
	// ModifiedBefore: date_modified before (a new order dated before the
	// watermark: the shop's clock stepped back).
	ModifiedBefore time.Time
	// AlsoIDs: besides the orders the conditions select, these ones of the
	// same statuses, stores and dates added, whatever their date_modified
	// (open orders, 4.1 status changes, orders of changed returns): in the
	// same pages, their lines and totals read with the others'. At most
	// 500.
	AlsoIDs []int
	// Statuses to read; empty: the shop's own statuses of a sale
	// (SaleStatuses), so a cancelled or failed order is never booked unless
	// its status is chosen.
	Statuses []int
	StoreIDs []int // empty: every store
	IDs      []int // only these orders (one order tried again); empty: any
	// AnyStatus reads the orders of every status but 0, whatever Statuses
	// says: the reconciliation looks up an order SnelStart has by its id.
	AnyStatus bool
	AfterID   int // keyset paging: orders with a higher id
	UpToID    int // orders with this id or lower; 0: any
	Limit     int // page size, default 100
}

var orderColumns = []string{"order_id", "store_id", "store_name", "customer_id", "customer_group_id", "firstname",
	"lastname", "email", "telephone", "payment_firstname", "payment_lastname", "payment_company", "payment_address_1",
	"payment_address_2", "payment_city", "payment_postcode", "payment_country", "payment_country_id", "payment_zone",
	"payment_zone_id", "payment_method", "payment_code", "shipping_firstname", "shipping_lastname", "shipping_company",
	"shipping_address_1", "shipping_address_2", "shipping_city", "shipping_postcode", "shipping_country",
	"shipping_country_id", "shipping_zone", "shipping_zone_id", "shipping_method", "shipping_code", "comment", "total",
	"order_status_id", "language_id", "currency_code", "currency_value", "date_added", "date_modified"}

// present keeps the columns the shop's schema has.
func (s *Shop) present(table string, cols []string) []string {
	out := make([]string, 0, len(cols))
	for _, c := range cols {
		if s.schema.Has(table, c) {
			out = append(out, c)
		}
	}
	return out
}

// Orders reads one page of orders with their lines, options and totals in
// a fixed number of reads, whatever the number of lines. next is the AfterID
// of the following page, 0 when this was the last.
func (s *Shop) Orders(ctx context.Context, q OrderQuery) (orders []Order, next int, err error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	rows, err := s.t.Select(ctx, Query{Table: "order", Columns: s.present("order", orderColumns), Where: s.orderWhere(q),
		OrderBy: []string{"order_id"}, Limit: q.Limit})
	if err != nil {
		return nil, 0, fmt.Errorf("opencart: orders: %w", err)
	}
	if len(rows) == q.Limit {
		next = atoi(rows[len(rows)-1]["order_id"])
	}
	if len(q.AlsoIDs) > 0 {
		if rows, err = s.alsoIDs(ctx, q, rows, next); err != nil {
			return nil, 0, err
		}
	}
	orders, err = s.fill(ctx, rows)
	return orders, next, err
}

// alsoIDs adds the rows of q.AlsoIDs that fall in this page (above
// q.AfterID, up to its last order when another page follows), in order.
func (s *Shop) alsoIDs(ctx context.Context, q OrderQuery, rows []Row, next int) ([]Row, error) {
	also := q
	also.ModifiedSince, also.ModifiedBefore, also.IDs = time.Time{}, time.Time{}, q.AlsoIDs
	where := s.orderWhere(also)
	if next > 0 {
		where = append(where, Le("order_id", next))
	}
	extra, err := s.t.Select(ctx, Query{Table: "order", Columns: s.present("order", orderColumns), Where: where, OrderBy: []string{"order_id"}})
	if err != nil {
		return nil, fmt.Errorf("opencart: orders: %w", err)
	}
	have := make(map[string]bool, len(rows))
	for _, r := range rows {
		have[r["order_id"]] = true
	}
	for _, r := range extra {
		if !have[r["order_id"]] {
			rows = append(rows, r)
		}
	}
	sort.SliceStable(rows, func(a, b int) bool { return atoi(rows[a]["order_id"]) < atoi(rows[b]["order_id"]) })
	return rows, nil
}

// OrderIDs reads only the ids of the orders of q (one read, at most
// q.Limit or 100).
func (s *Shop) OrderIDs(ctx context.Context, q OrderQuery) ([]int, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	rows, err := s.t.Select(ctx, Query{Table: "order", Columns: []string{"order_id"}, Where: s.orderWhere(q),
		OrderBy: []string{"order_id"}, Limit: q.Limit})
	if err != nil {
		return nil, fmt.Errorf("opencart: order ids: %w", err)
	}
	ids := make([]int, len(rows))
	for i, r := range rows {
		ids[i] = atoi(r["order_id"])
	}
	return ids, nil
}

func (s *Shop) orderWhere(q OrderQuery) []Cond {
	where := []Cond{Gt("order_id", q.AfterID)}
	var statuses []int
	for _, st := range q.Statuses {
		if st > 0 {
			statuses = append(statuses, st)
		}
	}
	if len(statuses) == 0 {
		statuses = s.SaleStatuses()
	}
	if len(statuses) > 0 && !q.AnyStatus {
		where = append(where, In("order_status_id", sortInts(statuses)))
	} else {
		where = append(where, Gt("order_status_id", 0))
	}
	if q.UpToID > 0 {
		where = append(where, Le("order_id", q.UpToID))
	}
	if len(q.StoreIDs) > 0 {
		where = append(where, In("store_id", q.StoreIDs))
	}
	if len(q.IDs) > 0 {
		where = append(where, In("order_id", sortInts(append([]int(nil), q.IDs...))))
	}
	if !q.AddedSince.IsZero() {
		where = append(where, Ge("date_added", s.formatTime(q.AddedSince)))
	}
	if !q.AddedBefore.IsZero() {
		where = append(where, Lt("date_added", s.formatTime(q.AddedBefore)))
	}
	if !q.ModifiedSince.IsZero() {
		where = append(where, Ge("date_modified", s.formatTime(q.ModifiedSince)))
	}
	if !q.ModifiedBefore.IsZero() {
		where = append(where, Lt("date_modified", s.formatTime(q.ModifiedBefore)))
	}
	return where
}

// fill reads the lines, options, totals and vouchers of a page of orders.
func (s *Shop) fill(ctx context.Context, rows []Row) (orders []Order, err error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int, len(rows))
	byID := make(map[int]int, len(rows))
	orders = make([]Order, len(rows))
	for i, r := range rows {
		orders[i] = s.order(r)
		ids[i] = orders[i].ID
		byID[orders[i].ID] = i
	}
	if err := s.fillLines(ctx, ids, orders, byID); err != nil {
		return nil, err
	}
	if err := s.fillTotals(ctx, ids, orders, byID); err != nil {
		return nil, err
	}
	if err := s.fillVouchers(ctx, ids, orders, byID); err != nil {
		return nil, err
	}
	if err := s.loadFeeClasses(ctx, orders); err != nil {
		return nil, err
	}
	for i := range orders {
		s.fillRates(&orders[i])
	}
	if err := s.fillCountries(ctx, orders); err != nil {
		return nil, err
	}
	return orders, nil
}

func (s *Shop) order(r Row) Order {
	return Order{
		ID: atoi(r["order_id"]), StoreID: atoi(r["store_id"]), StoreName: Decode(r["store_name"]),
		CustomerID: atoi(r["customer_id"]), CustomerGroupID: atoi(r["customer_group_id"]),
		FirstName: Decode(r["firstname"]), LastName: Decode(r["lastname"]), Email: Decode(r["email"]), Telephone: Decode(r["telephone"]),
		Payment: address(r, "payment_"), Shipping: address(r, "shipping_"),
		PaymentMethod: s.method(r, "payment_"), ShippingMethod: s.method(r, "shipping_"),
		Comment: Decode(r["comment"]), Total: dec(r["total"]), StatusID: atoi(r["order_status_id"]),
		LanguageID: atoi(r["language_id"]), Currency: s.Currency, CurrencyCode: r["currency_code"], CurrencyValue: dec(r["currency_value"]),
		Added: s.parseTime(r["date_added"]), Modified: s.parseTime(r["date_modified"]),
	}
}

func address(r Row, p string) Address {
	return Address{FirstName: Decode(r[p+"firstname"]), LastName: Decode(r[p+"lastname"]), Company: Decode(r[p+"company"]),
		Address1: Decode(r[p+"address_1"]), Address2: Decode(r[p+"address_2"]), City: Decode(r[p+"city"]),
		Postcode: Decode(r[p+"postcode"]), Country: Decode(r[p+"country"]), CountryID: atoi(r[p+"country_id"]),
		Zone: Decode(r[p+"zone"]), ZoneID: atoi(r[p+"zone_id"])}
}

// method reads a payment or shipping method: 4.0.2+ store JSON
// {"name":…,"code":…,"tax_class_id":…} in *_method (the class as a string
// or a number); older versions a title and *_code.
func (s *Shop) method(r Row, p string) Method {
	if s.Caps.JSONMethods {
		var m struct {
			Name  string          `json:"name"`
			Code  string          `json:"code"`
			Class json.RawMessage `json:"tax_class_id"`
		}
		if json.Unmarshal([]byte(r[p+"method"]), &m) == nil {
			out := Method{Name: Decode(m.Name), Code: m.Code}
			if c := strings.Trim(string(m.Class), `" `); c != "" && c != "null" {
				n := atoi(c)
				out.TaxClassID = &n
			}
			return out
		}
		return Method{Name: Decode(r[p+"method"])}
	}
	return Method{Name: Decode(r[p+"method"]), Code: r[p+"code"]}
}

func (s *Shop) fillLines(ctx context.Context, ids []int, orders []Order, byID map[int]int) error {
	lines, err := s.t.Select(ctx, Query{Table: "order_product", Columns: s.present("order_product", Whitelist["order_product"]),
		Where: []Cond{In("order_id", ids)}, OrderBy: []string{"order_product_id"}})
	if err != nil {
		return fmt.Errorf("opencart: order lines: %w", err)
	}
	lineAt := map[int][2]int{} // order_product_id → order index, line index
	for _, r := range lines {
		i, ok := byID[atoi(r["order_id"])]
		if !ok {
			continue
		}
		o := &orders[i]
		o.Lines = append(o.Lines, Line{ID: atoi(r["order_product_id"]), ProductID: atoi(r["product_id"]),
			MasterID: atoi(r["master_id"]), Name: Decode(r["name"]), Model: Decode(r["model"]), Quantity: atoi(r["quantity"]),
			Price: dec(r["price"]), Total: dec(r["total"]), Tax: dec(r["tax"])})
		lineAt[atoi(r["order_product_id"])] = [2]int{i, len(o.Lines) - 1}
	}
	opts, err := s.t.Select(ctx, Query{Table: "order_option", Columns: Whitelist["order_option"],
		Where: []Cond{In("order_id", ids)}, OrderBy: []string{"order_option_id"}})
	if err != nil {
		return fmt.Errorf("opencart: order options: %w", err)
	}
	for _, r := range opts {
		at, ok := lineAt[atoi(r["order_product_id"])]
		if !ok {
			continue
		}
		l := &orders[at[0]].Lines[at[1]]
		l.Options = append(l.Options, LineOption{ID: atoi(r["order_option_id"]), ProductOptionID: atoi(r["product_option_id"]),
			ProductOptionValueID: atoi(r["product_option_value_id"]), Name: Decode(r["name"]), Value: Decode(r["value"]), Type: r["type"]})
	}
	return nil
}

func (s *Shop) fillTotals(ctx context.Context, ids []int, orders []Order, byID map[int]int) error {
	rows, err := s.t.Select(ctx, Query{Table: "order_total", Columns: []string{"order_total_id", "order_id", "code", "title", "value", "sort_order"},
		Where: []Cond{In("order_id", ids)}, OrderBy: []string{"order_total_id"}})
	if err != nil {
		return fmt.Errorf("opencart: order totals: %w", err)
	}
	for _, r := range rows {
		if i, ok := byID[atoi(r["order_id"])]; ok {
			orders[i].Totals = append(orders[i].Totals, Total{Code: r["code"], Title: Decode(r["title"]), Value: dec(r["value"]), SortOrder: atoi(r["sort_order"])})
		}
	}
	for i := range orders {
		sort.SliceStable(orders[i].Totals, func(a, b int) bool { return orders[i].Totals[a].SortOrder < orders[i].Totals[b].SortOrder })
	}
	return nil
}

// fillVouchers adds the gift vouchers sold in the orders (4.1 has none).
func (s *Shop) fillVouchers(ctx context.Context, ids []int, orders []Order, byID map[int]int) error {
	if !s.schema.HasTable("order_voucher") {
		return nil
	}
	rows, err := s.t.Select(ctx, Query{Table: "order_voucher", Columns: []string{"order_voucher_id", "order_id", "code", "description", "amount"},
		Where: []Cond{In("order_id", ids)}, OrderBy: []string{"order_voucher_id"}})
	if err != nil {
		return fmt.Errorf("opencart: order vouchers: %w", err)
	}
	for _, r := range rows {
		if i, ok := byID[atoi(r["order_id"])]; ok {
			orders[i].Vouchers = append(orders[i].Vouchers, Voucher{Code: Decode(r["code"]), Description: Decode(r["description"]), Amount: dec(r["amount"])})
		}
	}
	return nil
}

// fillCountries sets the ISO codes of the addresses' countries, reading
// the ones not seen before in one go.
func (s *Shop) fillCountries(ctx context.Context, orders []Order) error {
	var unknown []int
	for _, o := range orders {
		for _, id := range []int{o.Payment.CountryID, o.Shipping.CountryID} {
			if _, ok := s.countries[id]; !ok && id > 0 {
				unknown = append(unknown, id)
				s.countries[id] = ""
			}
		}
	}
	if len(unknown) > 0 {
		rows, err := s.t.Select(ctx, Query{Table: "country", Columns: []string{"country_id", "iso_code_2"}, Where: []Cond{In("country_id", sortInts(unknown))}})
		if err != nil {
			return fmt.Errorf("opencart: countries: %w", err)
		}
		for _, r := range rows {
			s.countries[atoi(r["country_id"])] = r["iso_code_2"]
		}
	}
	for i := range orders {
		orders[i].Payment.CountryISO = s.countries[orders[i].Payment.CountryID]
		orders[i].Shipping.CountryISO = s.countries[orders[i].Shipping.CountryID]
	}
	return nil
}

// StatusKeepsModified reports whether a status change leaves date_modified
// as it was. OpenCart 4.1's addHistory sets the status through
// editOrderStatusId, which does not touch date_modified (2.3 to 4.0 set it
// to NOW() with the status); every version writes an order_history row.
func (s *Shop) StatusKeepsModified() bool { return s.Version() == "4.1" }

// StatusChangedSince lists the orders with id upToID or lower (0: any)
// that got a status (an order_history row) at or after since, each once.
func (s *Shop) StatusChangedSince(ctx context.Context, since time.Time, upToID int) ([]int, error) {
	if !s.schema.HasTable("order_history") {
		return nil, fmt.Errorf("opencart: order_history cannot be read")
	}
	where := func(after int) []Cond {
		w := []Cond{Gt("order_history_id", after), Ge("date_added", s.formatTime(since))}
		if upToID > 0 {
			w = append(w, Le("order_id", upToID))
		}
		return w
	}
	var out []int
	seen := map[int]bool{}
	after := 0
	for {
		rows, err := s.t.Select(ctx, Query{Table: "order_history", Columns: []string{"order_history_id", "order_id"},
			Where:   where(after),
			OrderBy: []string{"order_history_id"}, Limit: 1000})
		if err != nil {
			return nil, fmt.Errorf("opencart: order history: %w", err)
		}
		for _, r := range rows {
			after = atoi(r["order_history_id"])
			if id := atoi(r["order_id"]); !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		if len(rows) < 1000 {
			return out, nil
		}
	}
}
