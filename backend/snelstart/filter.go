package snelstart

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Filter is an OData $filter expression built only from the functions
// below, which quote every value: no user data can change its meaning.
type Filter string

// Guid is a value written as guid'…' in a filter.
type Guid string

var (
	fieldRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(/[A-Za-z][A-Za-z0-9]*)*$`)
	guidRE  = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// field checks a property path. Paths are constants in our code, never user
// data, so a bad one is a programming error.
func field(f string) string {
	if !fieldRE.MatchString(f) {
		panic(fmt.Sprintf("snelstart: %q is not a property path", f))
	}
	return f
}

// Literal writes v as an OData literal: strings quoted with ' doubled, Guid
// as guid'…', time.Time as datetime'…', numbers, booleans and nil.
func Literal(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		// Invalid UTF-8 cannot travel in a URL intact; make it visible
		// rather than let it change the literal on the way.
		x = strings.ToValidUTF8(x, "\uFFFD")
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case Guid:
		if !guidRE.MatchString(string(x)) {
			// Not a GUID: compare as text, which matches nothing, rather than
			// write something unquoted.
			return Literal(string(x))
		}
		return "guid'" + string(x) + "'"
	case time.Time:
		return "datetime'" + x.Format("2006-01-02T15:04:05.000") + "'"
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case decimal.Decimal:
		return x.String()
	case Number:
		return x.String()
	}
	panic(fmt.Sprintf("snelstart: no OData literal for %T", v))
}

func cmp(f, op string, v any) Filter { return Filter(field(f) + " " + op + " " + Literal(v)) }

// The comparisons SnelStart documents. There is no Ge or Le: ge and le are
// standard OData but SnelStart does not document them (the simulator takes
// them), so a range is written with gt and lt.
func Eq(f string, v any) Filter { return cmp(f, "eq", v) }
func Ne(f string, v any) Filter { return cmp(f, "ne", v) }
func Gt(f string, v any) Filter { return cmp(f, "gt", v) }
func Lt(f string, v any) Filter { return cmp(f, "lt", v) }

// StartsWith: startswith(Field,'s') eq true.
func StartsWith(f, s string) Filter {
	return Filter("startswith(" + field(f) + "," + Literal(s) + ") eq true")
}

// SubstringOf: substringof('s',Field) eq true — Field contains s.
func SubstringOf(s, f string) Filter {
	return Filter("substringof(" + Literal(s) + "," + field(f) + ") eq true")
}

// AnyEq: Collection/any(x:x eq v), e.g. Relatiesoort/any(x:x eq 'Klant').
func AnyEq(collection string, v any) Filter {
	return Filter(field(collection) + "/any(x:x eq " + Literal(v) + ")")
}

func join(op string, fs []Filter) Filter {
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		if f != "" {
			parts = append(parts, "("+string(f)+")")
		}
	}
	if len(parts) == 1 {
		return Filter(strings.TrimSuffix(strings.TrimPrefix(parts[0], "("), ")"))
	}
	return Filter(strings.Join(parts, " "+op+" "))
}

// And joins filters; empty ones are left out.
func And(fs ...Filter) Filter { return join("and", fs) }

// Or joins filters; empty ones are left out.
func Or(fs ...Filter) Filter { return join("or", fs) }

// In is Field eq v1 or Field eq v2 …, for batched lookups.
func In[T any](f string, values []T) Filter {
	fs := make([]Filter, len(values))
	for i, v := range values {
		fs[i] = Eq(f, v)
	}
	return Or(fs...)
}
