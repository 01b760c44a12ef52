package opencart

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
)

// Transport moves rows between S-Connect and a shop's database. It knows
// nothing of orders: it reads rows of whitelisted tables and columns with
// structured conditions, and changes stock quantities. No SQL text crosses it.
type Transport interface {
	// Schema reports the shop's prefix and which whitelisted tables and
	// columns exist, so the model can tell the versions apart.
	Schema(ctx context.Context) (Schema, error)
	// Select reads rows; NULL reads as "" (4.1 made most columns NULLable).
	Select(ctx context.Context, q Query) ([]Row, error)
	// UpdateQuantities changes product.quantity or
	// product_option_value.quantity for a batch, each row only while it
	// still holds the quantity it was read with (From): a sale between our
	// read and our write is never overwritten. It bumps date_modified of the
	// products written and reports the rows that had moved.
	UpdateQuantities(ctx context.Context, table string, changes []QuantityChange) (StockResult, error)
	Close() error
}

// Row is one row, column → value as text.
type Row map[string]string

// Query is a structured read: Table and Columns from the whitelist,
// conditions ANDed, ordered by OrderBy (ascending), at most Limit rows.
type Query struct {
	Table   string
	Columns []string
	Where   []Cond
	OrderBy []string
	Limit   int
}

// Cond is column op values. Ops: = <> > >= < <= in.
type Cond struct {
	Column string
	Op     string
	Values []any // one value, or the list for "in"
}

// Eq and friends build conditions.
func Eq(col string, v any) Cond { return Cond{col, "=", []any{v}} }
func Gt(col string, v any) Cond { return Cond{col, ">", []any{v}} }
func Ge(col string, v any) Cond { return Cond{col, ">=", []any{v}} }
func Le(col string, v any) Cond { return Cond{col, "<=", []any{v}} }
func Lt(col string, v any) Cond { return Cond{col, "<", []any{v}} }
func In[T any](col string, vs []T) Cond {
	values := make([]any, len(vs))
	for i, v := range vs {
		values[i] = v
	}
	return Cond{col, "in", values}
}

// Quantity is the stock of a row: a product or an option value.
type Quantity struct {
	ID       int `json:"id"` // product_id or product_option_value_id
	Quantity int `json:"quantity"`
}

// QuantityChange takes a row's stock from From to To, only while the row
// still holds From.
type QuantityChange struct {
	ID   int `json:"id"` // product_id or product_option_value_id
	From int `json:"from"`
	To   int `json:"to"`
}

// StockResult says what a stock write found and did.
type StockResult struct {
	Matched int // rows that exist
	Changed int // rows written (they held From and now hold To)
	// Moved are the rows that do not hold To after the batch, with the
	// quantity they hold: a sale (or an edit) came between our read and our
	// write, so they were left alone. Read them again and plan anew.
	Moved []Quantity
}

// Schema is what a transport found in the shop's database.
type Schema struct {
	Prefix  string
	Version string              // as index.php says, when the transport can read it
	Columns map[string][]string // table (without prefix) → its whitelisted columns present
}

// Has reports whether table.column exists.
func (s Schema) Has(table, column string) bool {
	return slices.Contains(s.Columns[table], column)
}

// HasTable reports whether table exists.
func (s Schema) HasTable(table string) bool { _, ok := s.Columns[table]; return ok }

// Whitelist is every table and column a transport may read: the columns the
// model reads, over the supported versions. Anything else is refused before it
// reaches SQL, by both transports and again by the bridge on the server (which
// is given this declaration, see Rules). A table the model starts reading is
// added here and nowhere else.
var Whitelist = map[string][]string{
	"order": {"order_id", "store_id", "store_name", "customer_id", "customer_group_id", "firstname", "lastname",
		"email", "telephone", "payment_firstname", "payment_lastname", "payment_company", "payment_address_1",
		"payment_address_2", "payment_city", "payment_postcode", "payment_country", "payment_country_id",
		"payment_zone", "payment_zone_id", "payment_method", "payment_code", "shipping_firstname",
		"shipping_lastname", "shipping_company", "shipping_address_1", "shipping_address_2", "shipping_city",
		"shipping_postcode", "shipping_country", "shipping_country_id", "shipping_zone", "shipping_zone_id",
		"shipping_method", "shipping_code", "comment", "total", "order_status_id", "language_id", "currency_code",
		"currency_value", "date_added", "date_modified", "store_url"},
	"order_product": {"order_product_id", "order_id", "product_id", "master_id", "name", "model", "quantity", "price", "total", "tax"},
	"order_option":  {"order_option_id", "order_id", "order_product_id", "product_option_id", "product_option_value_id", "name", "value", "type"},
	"order_total":   {"order_total_id", "order_id", "code", "title", "value", "sort_order"},
	"order_voucher": {"order_voucher_id", "order_id", "code", "description", "amount"},
	"order_status":  {"order_status_id", "language_id", "name"},
	// order_history: OpenCart 4.1 changes an order's status without
	// touching date_modified; its history row says when (StatusChangedSince).
	"order_history": {"order_history_id", "order_id", "order_status_id", "date_added"},
	// Returns (B7): what was sent back and what the shop did about it;
	// date_modified for the returns' watermark (ReturnsChangedSince).
	"return":        {"return_id", "order_id", "product_id", "product", "model", "quantity", "return_action_id", "date_added", "date_modified"},
	"return_action": {"return_action_id", "language_id", "name"},
	"product": {"product_id", "master_id", "model", "sku", "upc", "ean", "jan", "isbn", "mpn", "quantity", "subtract",
		"status", "price", "points", "date_modified"},
	// Coupons and categories (ReadDiscounts): which products of an order a
	// coupon was taken off, for a return's share of it.
	"coupon":               {"coupon_id", "code", "type", "discount", "shipping"},
	"coupon_history":       {"coupon_history_id", "coupon_id", "order_id"},
	"coupon_product":       {"coupon_product_id", "coupon_id", "product_id"},
	"coupon_category":      {"coupon_id", "category_id"},
	"category_path":        {"category_id", "path_id"},
	"product_to_category":  {"product_id", "category_id"},
	"product_code":         {"product_code_id", "product_id", "code", "value"},
	"product_description":  {"product_id", "language_id", "name"},
	"product_option_value": {"product_option_value_id", "product_option_id", "product_id", "option_id", "option_value_id", "quantity", "subtract", "sku"},
	"country":              {"country_id", "iso_code_2"},
	"country_description":  {"country_id", "language_id", "name"},
	// setting: only the rows of SettingKeys (Check insists on it).
	"setting":  {"store_id", "key", "value"},
	"store":    {"store_id", "name"},
	"tax_rate": {"tax_rate_id", "name", "rate", "type"},
	"tax_rule": {"tax_rule_id", "tax_class_id", "tax_rate_id"},
	"language": {"language_id", "code"},
	// customer.approved is only probed: 2.3 has it, 3.0 moved it to customer_approval.
	"customer": {"customer_id", "approved"},

	// Option names, for the stock of option values. product_option_value.sku
	// (above) is not OpenCart's own: option-SKU extensions add it; where it
	// is there it holds the option value's article code.
	"option_description":       {"option_id", "language_id", "name"},
	"option_value_description": {"option_value_id", "language_id", "option_id", "name"},
}

// SettingKeys are the rows of OpenCart's setting table the model reads. The
// table also holds mail and FTP passwords, payment module keys and the
// shop's encryption key: a read of setting must name its keys, all from this
// list.
var SettingKeys = []string{"config_timezone", "config_currency", "config_name", "config_language",
	"config_language_catalog", "config_language_id", "config_processing_status", "config_complete_status"}

// SettingKeyPattern admits the tax-class settings of fee and shipping
// extensions ("shipping_<extension>_tax_class_id", …), whose names depend on
// the extensions a shop has: a tax class id, nothing secret. MySQL's LIKE
// form is for the statement the bridge restricts itself with.
const (
	SettingKeyPattern = `^[a-z0-9_]{1,60}_tax_class_id$`
	settingKeyLike    = `%\_tax\_class\_id`
)

var settingKeyRE = regexp.MustCompile(SettingKeyPattern)

// SettingKeyAllowed reports whether the model may read a setting row.
func SettingKeyAllowed(key string) bool {
	return slices.Contains(SettingKeys, key) || settingKeyRE.MatchString(key)
}

// Ops are the comparison operators a condition may use.
var Ops = []string{"=", "<>", ">", ">=", "<", "<="}

// MaxLimit bounds one read; a page of orders is far below it. A query
// without a Limit reads at most MaxLimit rows and fails with
// ErrTooManyRows when there are more, so no read is cut short unnoticed.
const MaxLimit = 10000

// ErrTooManyRows means a read without a limit matched more than MaxLimit rows.
var ErrTooManyRows = errors.New("opencart: more rows than one read may return")

// Rules is the declaration the bridge on the server enforces: the same
// whitelist, setting keys, row cap and stock tables as Check.
type Rules struct {
	Tables      map[string][]string `json:"tables"`
	SettingKeys []string            `json:"settingKeys"`
	// SettingKeyPattern (PCRE) and SettingKeyLike (MySQL LIKE) admit the
	// tax-class settings.
	SettingKeyPattern string            `json:"settingKeyPattern"`
	SettingKeyLike    string            `json:"settingKeyLike"`
	MaxRows           int               `json:"maxRows"`
	StockTables       map[string]string `json:"stockTables"`
}

// BridgeRules returns the declaration as the bridge receives it.
func BridgeRules() Rules {
	return Rules{Tables: Whitelist, SettingKeys: SettingKeys, SettingKeyPattern: "/" + SettingKeyPattern + "/",
		SettingKeyLike: settingKeyLike, MaxRows: MaxLimit, StockTables: StockTables}
}

// Check validates a query against the whitelist and the shop's schema, so
// both transports refuse the same things the same way.
func (q Query) Check(s Schema) error {
	allowed, ok := Whitelist[q.Table]
	if !ok || !s.HasTable(q.Table) {
		return fmt.Errorf("opencart: table %q not allowed", q.Table)
	}
	col := func(c string) error {
		if !slices.Contains(allowed, c) || !s.Has(q.Table, c) {
			return fmt.Errorf("opencart: column %s.%q not allowed", q.Table, c)
		}
		return nil
	}
	if len(q.Columns) == 0 {
		return fmt.Errorf("opencart: no columns")
	}
	for _, c := range q.Columns {
		if err := col(c); err != nil {
			return err
		}
	}
	for _, c := range q.OrderBy {
		if err := col(c); err != nil {
			return err
		}
	}
	for _, w := range q.Where {
		if err := col(w.Column); err != nil {
			return err
		}
		switch {
		case w.Op == "in":
			if len(w.Values) == 0 || len(w.Values) > MaxLimit {
				return fmt.Errorf("opencart: %d values for in", len(w.Values))
			}
		case slices.Contains(Ops, w.Op):
			if len(w.Values) != 1 {
				return fmt.Errorf("opencart: %s takes one value", w.Op)
			}
		default:
			return fmt.Errorf("opencart: operator %q not allowed", w.Op)
		}
		for _, v := range w.Values {
			switch v.(type) {
			case string, int, int64:
			default:
				return fmt.Errorf("opencart: value of type %T not allowed", v)
			}
		}
	}
	if q.Limit < 0 || q.Limit > MaxLimit {
		return fmt.Errorf("opencart: limit %d", q.Limit)
	}
	if q.Table == "setting" && !namesSettingKeys(q.Where) {
		return fmt.Errorf("opencart: a read of setting must name its keys, from SettingKeys")
	}
	return nil
}

// namesSettingKeys reports whether the conditions restrict setting.key to
// keys of SettingKeys.
func namesSettingKeys(where []Cond) bool {
	for _, w := range where {
		if w.Column != "key" || (w.Op != "=" && w.Op != "in") {
			continue
		}
		for _, v := range w.Values {
			if k, ok := v.(string); !ok || !SettingKeyAllowed(k) {
				return false
			}
		}
		return true
	}
	return false
}

// Checked returns the limit a transport puts on the statement: the query's
// own, or MaxLimit+1 so that one row too many shows (see CheckRows).
func (q Query) Checked() int {
	if q.Limit > 0 {
		return q.Limit
	}
	return MaxLimit + 1
}

// CheckRows fails a read without a limit that found more than MaxLimit rows.
func (q Query) CheckRows(n int) error {
	if q.Limit == 0 && n > MaxLimit {
		return fmt.Errorf("%w: %s", ErrTooManyRows, q.Table)
	}
	return nil
}

// StockTables are the tables UpdateQuantities may write, with their keys.
var StockTables = map[string]string{"product": "product_id", "product_option_value": "product_option_value_id"}
