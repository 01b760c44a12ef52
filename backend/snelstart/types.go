package snelstart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Number is an amount or quantity: exact decimal in Go, a plain JSON number
// on the wire (SnelStart sends and expects numbers, never strings).
type Number struct{ decimal.Decimal }

// Num makes a Number from a decimal string such as "12.50"; it panics on a
// malformed literal, so use it for constants and tests only.
func Num(s string) Number { return Number{decimal.RequireFromString(s)} }

// NumberOf wraps a decimal.
func NumberOf(d decimal.Decimal) Number { return Number{d} }

func (n Number) MarshalJSON() ([]byte, error) { return []byte(n.String()), nil }

func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if string(b) == "null" || len(b) == 0 {
		n.Decimal = decimal.Zero
		return nil
	}
	d, err := decimal.NewFromString(string(b))
	if err != nil {
		return fmt.Errorf("snelstart: number %q: %w", b, err)
	}
	n.Decimal = d
	return nil
}

// Time is a SnelStart date-time: ISO 8601 without a zone, in the
// administration's (Dutch) local time.
type Time struct{ time.Time }

const timeLayout = "2006-01-02T15:04:05"

func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.Format(timeLayout) + `"`), nil
}

func (t *Time) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		t.Time = time.Time{}
		return nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.9999999", time.RFC3339Nano, "2006-01-02"} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("snelstart: date-time %q", s)
}

// Ref points at another entity; on writes only the id matters.
type Ref struct {
	ID  string `json:"id"`
	URI string `json:"uri,omitempty"`
}

// RefTo returns a reference to id, or nil for an empty id.
func RefTo(id string) *Ref {
	if id == "" {
		return nil
	}
	return &Ref{ID: id}
}

// Adres is an address of a relatie or an order.
type Adres struct {
	Contactpersoon string `json:"contactpersoon,omitempty"`
	Straat         string `json:"straat,omitempty"`
	Postcode       string `json:"postcode,omitempty"`
	Plaats         string `json:"plaats,omitempty"`
	Land           *Ref   `json:"land,omitempty"`
}

// Field limits of the reference (REL-0020..0028, VOR-0006..0011); the order
// import truncates to these rather than have a create refused.
const (
	MaxAdresLine     = 50
	MaxPostcode      = 25
	MaxTelefoon      = 25
	MaxEmail         = 250
	MaxOrderRef      = 50
	MaxOmschrijving  = 250 // artikel omschrijving (PHP pre-check; ART-0007)
	MaxPageSize      = 500
	defaultPageLimit = MaxPageSize
)

// decodeJSON decodes into v, keeping numbers exact.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}
