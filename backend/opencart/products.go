package opencart

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

var productCodeFields = []string{"sku", "upc", "ean", "jan", "isbn", "mpn"}

// ProductsByCode finds the products whose field (one of CodeFields) holds
// one of codes; 4.1 keeps sku…mpn in product_code, read here the same way.
func (s *Shop) ProductsByCode(ctx context.Context, field string, codes []string) ([]Product, error) {
	if !slices.Contains(CodeFields, field) {
		return nil, fmt.Errorf("opencart: %q is not a code field", field)
	}
	if len(codes) == 0 {
		return nil, nil
	}
	// The shop stores a code as the admin typed it, HTML-escaped: look for
	// both spellings.
	codes = append([]string{}, codes...)
	for _, c := range codes {
		if e := Escape(c); e != c {
			codes = append(codes, e)
		}
	}
	var where Cond
	switch {
	case field == "product_id":
		ids := make([]int, 0, len(codes))
		for _, c := range codes {
			if n, err := strconv.Atoi(strings.TrimSpace(c)); err == nil {
				ids = append(ids, n)
			}
		}
		if len(ids) == 0 {
			return nil, nil
		}
		where = In("product_id", ids)
	case field != "model" && s.Caps.ProductCode:
		rows, err := s.t.Select(ctx, Query{Table: "product_code", Columns: []string{"product_id"},
			Where: []Cond{Eq("code", strings.ToUpper(field)), In("value", codes)}})
		if err != nil {
			return nil, fmt.Errorf("opencart: product codes: %w", err)
		}
		ids := make([]int, 0, len(rows))
		for _, r := range rows {
			ids = append(ids, atoi(r["product_id"]))
		}
		if len(ids) == 0 {
			return nil, nil
		}
		where = In("product_id", sortInts(ids))
	default:
		where = In(field, codes)
	}
	return s.loadProducts(ctx, []Cond{where}, 0)
}

// Products reads a page of all products (for the stock export) after
// afterID; next is 0 on the last page.
func (s *Shop) Products(ctx context.Context, afterID, limit int) (products []Product, next int, err error) {
	if limit <= 0 {
		limit = 1000
	}
	products, err = s.loadProducts(ctx, []Cond{Gt("product_id", afterID)}, limit)
	if err == nil && len(products) == limit {
		next = products[len(products)-1].ID
	}
	return products, next, err
}

// loadProducts reads products with their codes, name and option stock in a
// fixed number of reads.
func (s *Shop) loadProducts(ctx context.Context, where []Cond, limit int) ([]Product, error) {
	rows, err := s.t.Select(ctx, Query{Table: "product", Columns: s.present("product", Whitelist["product"]),
		Where: where, OrderBy: []string{"product_id"}, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("opencart: products: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]Product, len(rows))
	ids := make([]int, len(rows))
	at := make(map[int]int, len(rows))
	for i, r := range rows {
		p := Product{ID: atoi(r["product_id"]), MasterID: atoi(r["master_id"]), Model: Decode(r["model"]),
			Codes: map[string]string{}, Quantity: atoi(r["quantity"]), Subtract: r["subtract"] == "1",
			Status: r["status"] == "1", Price: dec(r["price"])}
		for _, f := range productCodeFields {
			if v, ok := r[f]; ok && v != "" {
				p.Codes[f] = Decode(v)
			}
		}
		out[i], ids[i], at[p.ID] = p, p.ID, i
	}
	if s.Caps.ProductCode {
		codes, err := s.t.Select(ctx, Query{Table: "product_code", Columns: []string{"product_code_id", "product_id", "code", "value"},
			Where: []Cond{In("product_id", ids)}, OrderBy: []string{"product_code_id"}})
		if err != nil {
			return nil, fmt.Errorf("opencart: product codes: %w", err)
		}
		for _, r := range codes {
			if i, ok := at[atoi(r["product_id"])]; ok && r["value"] != "" {
				out[i].Codes[strings.ToLower(r["code"])] = Decode(r["value"])
			}
		}
	}
	names, err := s.t.Select(ctx, Query{Table: "product_description", Columns: []string{"product_id", "name"},
		Where: []Cond{In("product_id", ids), Eq("language_id", s.Language)}})
	if err != nil {
		return nil, fmt.Errorf("opencart: product names: %w", err)
	}
	for _, r := range names {
		if i, ok := at[atoi(r["product_id"])]; ok {
			out[i].Name = Decode(r["name"])
		}
	}
	opts, err := s.t.Select(ctx, Query{Table: "product_option_value", Columns: Whitelist["product_option_value"],
		Where: []Cond{In("product_id", ids)}, OrderBy: []string{"product_option_value_id"}})
	if err != nil {
		return nil, fmt.Errorf("opencart: option stock: %w", err)
	}
	for _, r := range opts {
		if i, ok := at[atoi(r["product_id"])]; ok {
			out[i].Options = append(out[i].Options, OptionValue{ID: atoi(r["product_option_value_id"]),
				ProductOptionID: atoi(r["product_option_id"]), OptionID: atoi(r["option_id"]),
				OptionValueID: atoi(r["option_value_id"]), Quantity: atoi(r["quantity"]), Subtract: r["subtract"] == "1"})
		}
	}
	return out, nil
}

// StockUpdate sets the stock of a product, or of one of its option values
// when OptionValueID is set.
type StockUpdate struct {
	ProductID     int
	OptionValueID int
	Quantity      int
}

// stockBatch is how many rows one SetQuantities call carries.
const stockBatch = 1000

// SetStock writes stock levels in batches, each in a fixed number of
// statements, and says how many rows were found and changed.
func (s *Shop) SetStock(ctx context.Context, updates []StockUpdate) (StockResult, error) {
	var products, values []Quantity
	for _, u := range updates {
		if u.OptionValueID > 0 {
			values = append(values, Quantity{ID: u.OptionValueID, Quantity: u.Quantity})
		} else {
			products = append(products, Quantity{ID: u.ProductID, Quantity: u.Quantity})
		}
	}
	var total StockResult
	for table, list := range map[string][]Quantity{"product": products, "product_option_value": values} {
		for start := 0; start < len(list); start += stockBatch {
			end := min(start+stockBatch, len(list))
			res, err := s.t.SetQuantities(ctx, table, list[start:end])
			total.Matched += res.Matched
			total.Changed += res.Changed
			if err != nil {
				return total, fmt.Errorf("opencart: stock (%s): %w", table, err)
			}
		}
	}
	return total, nil
}
