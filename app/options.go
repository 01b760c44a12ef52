package app

import (
	"context"
	"strings"

	"github.com/s-connect/s-connect/backend/connect"
)

// OptionValue is an option value of a shop product, for the mapping table
// on Aansluiting → Artikelen (B6).
type OptionValue struct {
	ID        int    `json:"id"` // product_option_value_id, the key of articles.optionMap
	ProductID int    `json:"productId"`
	Product   string `json:"product"`
	Model     string `json:"model"`
	Option    string `json:"option"`
	Value     string `json:"value"`
	Code      string `json:"code,omitempty"` // the shop's own code for it (an option-SKU extension)
	Quantity  int    `json:"quantity"`
}

// maxOptionValues bounds one answer: a large shop narrows with query.
const maxOptionValues = 500

// OptionValues lists the shop's option values whose product, model, option
// or value contains query (all when empty), at most maxOptionValues.
func (c *Connections) OptionValues(profileID uint, query string) ([]OptionValue, error) {
	v, err := c.s.connValues(profileID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	conn, err := connect.Open(ctx, v)
	if err != nil {
		return nil, importError(err, v)
	}
	defer conn.Close()
	q := strings.ToLower(strings.TrimSpace(query))
	out := []OptionValue{}
	for after := 0; ; {
		page, next, err := conn.Shop.Products(ctx, after, 1000)
		if err != nil {
			return nil, importError(err, v)
		}
		for _, p := range page {
			for _, ov := range p.Options {
				o := OptionValue{ID: ov.ID, ProductID: p.ID, Product: p.Name, Model: p.Model, Option: ov.OptionName,
					Value: ov.ValueName, Code: ov.Code, Quantity: ov.Quantity}
				text := strings.ToLower(o.Product + " " + o.Model + " " + o.Option + " " + o.Value + " " + o.Code)
				if q != "" && !strings.Contains(text, q) {
					continue
				}
				if out = append(out, o); len(out) == maxOptionValues {
					return out, nil
				}
			}
		}
		if next == 0 {
			return out, nil
		}
		after = next
	}
}
