package opencart

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // shops name their zone (config_timezone); Windows has no zone database of its own

	"github.com/shopspring/decimal"
)

// Caps are the version differences the model needs, found by probing the
// schema rather than trusting a version string.
type Caps struct {
	JSONMethods        bool // 4.0.2+: payment_method/shipping_method hold JSON, no *_code columns
	MasterID           bool // 4.x: variants (product.master_id, order_product.master_id)
	ProductCode        bool // 4.1: sku/ean/… live in product_code
	CountryDescription bool // 4.1: country names in country_description
}

// Version names the family the schema looks like: 2.3, 3.0, 4.0 or 4.1.
func (c Caps) Version(s Schema) string {
	switch {
	case c.ProductCode:
		return "4.1"
	case c.MasterID:
		return "4.0"
	case s.Has("customer", "approved"):
		return "2.3"
	case s.Has("order", "payment_code"):
		return "3.0"
	}
	return "?"
}

// DetectCaps reads the capabilities from a schema.
func DetectCaps(s Schema) Caps {
	return Caps{
		JSONMethods:        !s.Has("order", "payment_code"),
		MasterID:           s.Has("product", "master_id"),
		ProductCode:        s.HasTable("product_code"),
		CountryDescription: s.HasTable("country_description"),
	}
}

// Shop reads and writes one OpenCart shop through a transport.
type Shop struct {
	t        Transport
	schema   Schema
	Caps     Caps
	Location *time.Location // the shop's time zone: date_added/date_modified are local to it
	Currency string         // config_currency, the default currency
	Name     string         // config_name
	Language int            // the default language_id
	// Processing and Complete are config_processing_status and
	// config_complete_status: the statuses in which stock is reserved.
	Processing    []int
	Complete      []int
	countries     map[int]string // country_id → ISO code, filled as orders need them
	refundActions map[int]string // return_action_id → name, of the actions that give money back
	tax           taxes
}

// Options for NewShop.
type Options struct {
	// Zone is used when the shop does not record its time zone (2.3 runs
	// on the MySQL server's zone); default Europe/Amsterdam.
	Zone *time.Location
}

// NewShop probes the schema and reads the shop's settings.
func NewShop(ctx context.Context, t Transport, opt Options) (*Shop, error) {
	schema, err := t.Schema(ctx)
	if err != nil {
		return nil, err
	}
	for _, need := range []string{"order", "order_product", "order_total", "product", "setting"} {
		if !schema.HasTable(need) {
			return nil, fmt.Errorf("%w: table %s%s not found", ErrNotOpenCart, schema.Prefix, need)
		}
	}
	s := &Shop{t: t, schema: schema, Caps: DetectCaps(schema), Location: opt.Zone, countries: map[int]string{}}
	if s.Location == nil {
		s.Location, _ = time.LoadLocation("Europe/Amsterdam")
		if s.Location == nil {
			s.Location = time.UTC
		}
	}
	rows, err := t.Select(ctx, Query{Table: "setting", Columns: []string{"key", "value"},
		Where: []Cond{Eq("store_id", 0), In("key", SettingKeys)}})
	if err != nil {
		return nil, fmt.Errorf("opencart: settings: %w", err)
	}
	langCode := ""
	for _, r := range rows {
		switch v := r["value"]; r["key"] {
		case "config_timezone":
			if loc, err := time.LoadLocation(v); err == nil && v != "" {
				s.Location = loc
			}
		case "config_currency":
			s.Currency = v
		case "config_name":
			s.Name = Decode(v)
		case "config_language", "config_language_catalog":
			langCode = v
		case "config_processing_status":
			s.Processing = intList(v)
		case "config_complete_status":
			s.Complete = intList(v)
		}
	}
	if err := s.loadTaxes(ctx); err != nil {
		return nil, err
	}
	s.Language = 1
	if langCode != "" {
		langs, err := t.Select(ctx, Query{Table: "language", Columns: []string{"language_id"}, Where: []Cond{Eq("code", langCode)}, Limit: 1})
		if err == nil && len(langs) == 1 {
			s.Language = atoi(langs[0]["language_id"])
		}
	}
	return s, nil
}

// ErrNotOpenCart means the database holds no OpenCart tables with this prefix.
var ErrNotOpenCart = fmt.Errorf("opencart: not an OpenCart database")

// Schema returns what the transport found.
func (s *Shop) Schema() Schema { return s.schema }

// Version is the family the schema belongs to.
func (s *Shop) Version() string { return s.Caps.Version(s.schema) }

func intList(v string) []int {
	var list []string
	if err := json.Unmarshal([]byte(v), &list); err != nil {
		var nums []int
		if json.Unmarshal([]byte(v), &nums) == nil {
			return nums
		}
		return nil
	}
	out := make([]int, 0, len(list))
	for _, x := range list {
		out = append(out, atoi(x))
	}
	return out
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

func dec(s string) decimal.Decimal {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		return decimal.Zero
	}
	return d
}

const dbTime = "2006-01-02 15:04:05"

// parseTime reads a DATETIME in the shop's zone; the zero date is zero.
func (s *Shop) parseTime(v string) time.Time {
	t, err := time.ParseInLocation(dbTime, v, s.Location)
	if err != nil || t.Year() < 1 {
		return time.Time{}
	}
	return t
}

// formatTime writes a moment as a DATETIME in the shop's zone.
func (s *Shop) formatTime(t time.Time) string { return t.In(s.Location).Format(dbTime) }

// OrderStatuses lists the shop's order statuses in its default language.
func (s *Shop) OrderStatuses(ctx context.Context) ([]Status, error) {
	rows, err := s.t.Select(ctx, Query{Table: "order_status", Columns: []string{"order_status_id", "name"},
		Where: []Cond{Eq("language_id", s.Language)}, OrderBy: []string{"order_status_id"}})
	if err != nil {
		return nil, err
	}
	out := make([]Status, len(rows))
	for i, r := range rows {
		out[i] = Status{ID: atoi(r["order_status_id"]), Name: Decode(r["name"])}
	}
	return out, nil
}

// SaleStatuses are the statuses of a real sale as the shop itself counts
// them: config_processing_status ∪ config_complete_status (the statuses in
// which OpenCart books coupon use and subtracts stock), in the settings'
// order. Empty when the shop has neither setting.
func (s *Shop) SaleStatuses() []int {
	var out []int
	seen := map[int]bool{}
	for _, id := range append(append([]int{}, s.Processing...), s.Complete...) {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// sortInts sorts and removes duplicates.
func sortInts(v []int) []int {
	sort.Ints(v)
	out := v[:0]
	for i, x := range v {
		if i == 0 || x != v[i-1] {
			out = append(out, x)
		}
	}
	return out
}
