package sim

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// orderBy sorts items by an OData $orderby: "Prop [asc|desc], …", property
// names (and paths A/B) matched case-insensitively against the shape.
func orderBy(items []map[string]any, spec string, sh shape) error {
	type key struct {
		path []string
		desc bool
	}
	var keys []key
	for _, part := range strings.Split(spec, ",") {
		fields := strings.Fields(part)
		if len(fields) == 0 || len(fields) > 2 {
			return fmt.Errorf("%q", part)
		}
		k := key{}
		if len(fields) == 2 {
			switch strings.ToLower(fields[1]) {
			case "asc":
			case "desc":
				k.desc = true
			default:
				return fmt.Errorf("%q", part)
			}
		}
		cur := sh
		for _, name := range strings.Split(fields[0], "/") {
			canon, sub, ok := canonical(cur, name)
			if !ok {
				return fmt.Errorf("unknown property %q", fields[0])
			}
			k.path, cur = append(k.path, canon), sub
		}
		keys = append(keys, k)
	}
	// Each item's sort values are read and made comparable once, not in
	// every comparison: a page of a large list sorts the whole list.
	rows := make([]sortRow, len(items))
	for i, it := range items {
		rows[i] = sortRow{item: it, vals: make([]sortValue, len(keys))}
		for n, k := range keys {
			rows[i].vals[n] = newSortValue(valueAt(it, k.path))
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		for n, k := range keys {
			c := rows[i].vals[n].compare(rows[j].vals[n])
			if c != 0 {
				return (c < 0) != k.desc
			}
		}
		return false
	})
	for i, r := range rows {
		items[i] = r.item
	}
	return nil
}

type sortRow struct {
	item map[string]any
	vals []sortValue
}

// sortValue is one value to sort on, with its text forms made once.
type sortValue struct {
	v        any
	s, lower string
}

func newSortValue(v any) sortValue {
	sv := sortValue{v: v}
	switch v.(type) {
	case nil, json.Number, bool:
	default:
		sv.s = fmt.Sprint(v)
		sv.lower = strings.ToLower(sv.s)
	}
	return sv
}

// compare orders like compareValues.
func (a sortValue) compare(b sortValue) int {
	_, an := a.v.(json.Number)
	_, bn := b.v.(json.Number)
	_, ab := a.v.(bool)
	_, bb := b.v.(bool)
	if a.v == nil || b.v == nil || (an && bn) || (ab && bb) {
		return compareValues(a.v, b.v)
	}
	if a.s == "" && a.v != nil || b.s == "" && b.v != nil {
		return compareValues(a.v, b.v) // a number or bool beside text: as compareValues does
	}
	if c := strings.Compare(a.lower, b.lower); c != 0 {
		return c
	}
	return strings.Compare(a.s, b.s)
}

func valueAt(obj map[string]any, path []string) any {
	var v any = obj
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// compareValues orders JSON values the way a database would: null first,
// numbers by value, text without regard to case, false before true.
func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	if na, ok := a.(json.Number); ok {
		if nb, ok := b.(json.Number); ok {
			da, _ := decimal.NewFromString(string(na))
			db, _ := decimal.NewFromString(string(nb))
			return da.Cmp(db)
		}
	}
	if ba, ok := a.(bool); ok {
		if bb, ok := b.(bool); ok {
			switch {
			case ba == bb:
				return 0
			case !ba:
				return -1
			}
			return 1
		}
	}
	sa, sb := fmt.Sprint(a), fmt.Sprint(b)
	if c := strings.Compare(strings.ToLower(sa), strings.ToLower(sb)); c != 0 {
		return c
	}
	return strings.Compare(sa, sb)
}
