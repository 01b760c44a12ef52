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

// ProductsByID reads the products with these ids.
func (s *Shop) ProductsByID(ctx context.Context, ids []int) ([]Product, error) {
	return s.productsIn(ctx, "product_id", ids)
}

// Variants reads the 4.x variants of these master products.
func (s *Shop) Variants(ctx context.Context, masterIDs []int) ([]Product, error) {
	if !s.Caps.MasterID {
		return nil, nil
	}
	return s.productsIn(ctx, "master_id", masterIDs)
}

// OptionProductIDs returns the products of these option values; with
// codes, the products whose option values carry one of these codes (an
// option-SKU extension's column).
func (s *Shop) OptionProductIDs(ctx context.Context, valueIDs []int, codes []string) ([]int, error) {
	var ids []int
	read := func(where Cond) error {
		rows, err := s.t.Select(ctx, Query{Table: "product_option_value", Columns: []string{"product_id"}, Where: []Cond{where}})
		if err != nil {
			return fmt.Errorf("opencart: option values: %w", err)
		}
		for _, r := range rows {
			ids = append(ids, atoi(r["product_id"]))
		}
		return nil
	}
	for start := 0; start < len(valueIDs); start += MaxLimit {
		if err := read(In("product_option_value_id", valueIDs[start:min(start+MaxLimit, len(valueIDs))])); err != nil {
			return nil, err
		}
	}
	if s.schema.Has("product_option_value", "sku") {
		for start := 0; start < len(codes); start += MaxLimit {
			if err := read(In("sku", codes[start:min(start+MaxLimit, len(codes))])); err != nil {
				return nil, err
			}
		}
	}
	return sortInts(ids), nil
}

func (s *Shop) productsIn(ctx context.Context, col string, ids []int) ([]Product, error) {
	var out []Product
	ids = sortInts(append([]int(nil), ids...))
	for start := 0; start < len(ids); start += stockBatch {
		page, err := s.loadProducts(ctx, []Cond{In(col, ids[start:min(start+stockBatch, len(ids))])}, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
	}
	return out, nil
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
	if err := s.fillOptions(ctx, ids, out, at); err != nil {
		return nil, err
	}
	return out, nil
}

// fillOptions reads the products' option values with their stock, their
// names in the shop's language and, where an extension keeps one, their
// own code.
func (s *Shop) fillOptions(ctx context.Context, ids []int, out []Product, at map[int]int) error {
	opts, err := s.t.Select(ctx, Query{Table: "product_option_value", Columns: s.present("product_option_value", Whitelist["product_option_value"]),
		Where: []Cond{In("product_id", ids)}, OrderBy: []string{"product_option_value_id"}})
	if err != nil {
		return fmt.Errorf("opencart: option stock: %w", err)
	}
	var optionIDs, valueIDs []int
	for _, r := range opts {
		optionIDs = append(optionIDs, atoi(r["option_id"]))
		valueIDs = append(valueIDs, atoi(r["option_value_id"]))
	}
	optionNames, err := s.names(ctx, "option_description", "option_id", optionIDs)
	if err != nil {
		return err
	}
	valueNames, err := s.names(ctx, "option_value_description", "option_value_id", valueIDs)
	if err != nil {
		return err
	}
	for _, r := range opts {
		if i, ok := at[atoi(r["product_id"])]; ok {
			out[i].Options = append(out[i].Options, OptionValue{ID: atoi(r["product_option_value_id"]),
				ProductOptionID: atoi(r["product_option_id"]), OptionID: atoi(r["option_id"]),
				OptionValueID: atoi(r["option_value_id"]), Quantity: atoi(r["quantity"]), Subtract: r["subtract"] == "1",
				Code: strings.TrimSpace(Decode(r["sku"])), OptionName: optionNames[atoi(r["option_id"])], ValueName: valueNames[atoi(r["option_value_id"])]})
		}
	}
	return nil
}

// names reads the names of options or option values in the shop's
// language (nothing when the shop's schema lacks the table).
func (s *Shop) names(ctx context.Context, table, key string, ids []int) (map[int]string, error) {
	out := map[int]string{}
	if len(ids) == 0 || !s.schema.HasTable(table) {
		return out, nil
	}
	ids = sortInts(ids)
	for start := 0; start < len(ids); start += MaxLimit {
		rows, err := s.t.Select(ctx, Query{Table: table, Columns: []string{key, "name"},
			Where: []Cond{In(key, ids[start:min(start+MaxLimit, len(ids))]), Eq("language_id", s.Language)}})
		if err != nil {
			return nil, fmt.Errorf("opencart: %s: %w", table, err)
		}
		for _, r := range rows {
			out[atoi(r[key])] = Decode(r["name"])
		}
	}
	return out, nil
}

// StockChange takes the stock of a product, or of one of its option values
// when OptionValueID is set, from From (what was read) to To.
type StockChange struct {
	ProductID     int `json:"productId"`
	OptionValueID int `json:"optionValueId,omitempty"`
	From          int `json:"from"`
	To            int `json:"to"`
}

// StockWrite is what UpdateStock did.
type StockWrite struct {
	Changed int           // rows written
	Moved   []StockChange // rows that had changed since they were read: From is what they hold now, To what was meant
	Gone    []StockChange // rows that are no longer there
}

// stockBatch is how many rows one UpdateQuantities call carries.
const stockBatch = 1000

// UpdateStock writes stock changes in batches, each in a fixed number of
// statements. A row is written only while it holds From: the rows that a
// sale (or an edit) changed in between come back in Moved, untouched.
func (s *Shop) UpdateStock(ctx context.Context, changes []StockChange) (StockWrite, error) {
	var out StockWrite
	for _, table := range []string{"product", "product_option_value"} {
		var list []QuantityChange
		byID := map[int]StockChange{}
		for _, c := range changes {
			id := c.ProductID
			if c.OptionValueID > 0 {
				id = c.OptionValueID
			}
			if (c.OptionValueID > 0) == (table == "product_option_value") {
				list = append(list, QuantityChange{ID: id, From: c.From, To: c.To})
				byID[id] = c
			}
		}
		for start := 0; start < len(list); start += stockBatch {
			batch := list[start:min(start+stockBatch, len(list))]
			res, err := s.t.UpdateQuantities(ctx, table, batch)
			out.Changed += res.Changed
			if err != nil {
				return out, fmt.Errorf("opencart: stock (%s): %w", table, err)
			}
			seen := make(map[int]bool, len(batch))
			for _, m := range res.Moved {
				c := byID[m.ID]
				c.From = m.Quantity
				out.Moved = append(out.Moved, c)
				seen[m.ID] = true
			}
			if res.Matched < len(batch) {
				// Which are gone: read the ids back.
				there, err := s.existing(ctx, table, batch)
				if err != nil {
					return out, err
				}
				for _, q := range batch {
					if !there[q.ID] {
						out.Gone = append(out.Gone, byID[q.ID])
					}
				}
			}
		}
	}
	return out, nil
}

// existing reports which rows of a batch are there.
func (s *Shop) existing(ctx context.Context, table string, batch []QuantityChange) (map[int]bool, error) {
	key := StockTables[table]
	ids := make([]int, len(batch))
	for i, q := range batch {
		ids[i] = q.ID
	}
	rows, err := s.t.Select(ctx, Query{Table: table, Columns: []string{key}, Where: []Cond{In(key, ids)}})
	if err != nil {
		return nil, fmt.Errorf("opencart: stock (%s): %w", table, err)
	}
	out := make(map[int]bool, len(rows))
	for _, r := range rows {
		out[atoi(r[key])] = true
	}
	return out, nil
}
