package app

import (
	"context"
	"strconv"
	"strings"

	"github.com/s-connect/s-connect/backend/connect"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// ShopList is a pick list read from the shop: its order statuses or its
// stores, by name. Default lists what an empty setting stands for.
type ShopList struct {
	Options []PickOption `json:"options"` // Value is the shop's id
	Default []string     `json:"default"` // the ids an empty setting means
}

// ShopOptions lists the shop's order statuses ("orderStatuses") or stores
// ("stores"), so the user picks them by name instead of typing numbers.
func (c *Connections) ShopOptions(profileID uint, list string) (*ShopList, error) {
	v, err := c.s.connValues(profileID)
	if err != nil {
		return nil, err
	}
	if list != "orderStatuses" && list != "stores" {
		return nil, errBadRequest
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	conn, err := connect.OpenShop(ctx, v)
	if err != nil {
		return nil, importError(err, v)
	}
	defer conn.Close()
	out := &ShopList{Options: []PickOption{}, Default: []string{}}
	if list == "stores" {
		stores, err := conn.Shop.Stores(ctx)
		if err != nil {
			return nil, importError(err, v)
		}
		for _, st := range stores {
			out.Options = append(out.Options, PickOption{Value: strconv.Itoa(st.ID), Label: st.Name})
		}
		return out, nil
	}
	statuses, err := conn.Shop.OrderStatuses(ctx)
	if err != nil {
		return nil, importError(err, v)
	}
	for _, st := range statuses {
		out.Options = append(out.Options, PickOption{Value: strconv.Itoa(st.ID), Label: st.Name})
	}
	// The statuses of a real sale: what an import reads when none is ticked.
	for _, id := range conn.Shop.SaleStatuses() {
		out.Default = append(out.Default, strconv.Itoa(id))
	}
	return out, nil
}

// codeSettings are the settings that name something that must exist in
// SnelStart: checked on save, with a warning (saving is still allowed).
var codeSettings = []string{"sales.shippingArticle", "sales.discountArticle", "sales.voucherArticle", "sales.paymentFeeArticle",
	"sales.differenceArticle", "sales.defaultArticle", "customers.defaultCode"}

// articleSettings are the codeSettings that name an article.
var articleSettings = codeSettings[:len(codeSettings)-1]

// CheckCodes looks up the article codes and the standaard klantcode of a
// profile in SnelStart and warns about those it does not have. Without a
// SnelStart connection there is nothing to check against: no warnings.
func (c *Connections) CheckCodes(profileID uint) ([]FieldError, error) {
	v, err := c.s.store.Values(profileID)
	if err != nil {
		return nil, err
	}
	client, missing, err := c.snelstartClient(profileID)
	if err != nil || len(missing) > 0 {
		return []FieldError{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	lang := c.s.language()
	out := []FieldError{}
	var codes []string
	for _, k := range articleSettings {
		if v[k] != "" {
			codes = append(codes, v[k])
		}
	}
	found := map[string]bool{}
	if len(codes) > 0 {
		list, err := snelstart.Collect(client.Artikelen.List(ctx, snelstart.ListOptions{Filter: snelstart.In("Artikelcode", codes)}))
		if err != nil {
			return nil, &SnelStartError{Err: err}
		}
		for _, a := range list {
			found[strings.ToLower(a.Artikelcode)] = true
		}
	}
	for _, k := range articleSettings {
		if v[k] != "" && !found[strings.ToLower(v[k])] {
			out = append(out, FieldError{Key: k, Code: "article_unknown", Message: c.s.msgs.T(lang, "warn.article_unknown", v[k])})
		}
	}
	if code, err := strconv.Atoi(v["customers.defaultCode"]); err == nil && v["customers.processing"] == "handmatig" {
		list, err := snelstart.Collect(client.Relaties.List(ctx, snelstart.ListOptions{Filter: snelstart.Eq("Relatiecode", code), Top: 1}))
		if err != nil {
			return nil, &SnelStartError{Err: err}
		}
		if len(list) == 0 {
			out = append(out, FieldError{Key: "customers.defaultCode", Code: "customer_unknown",
				Message: c.s.msgs.T(lang, "warn.customer_unknown", v["customers.defaultCode"])})
		}
	}
	return out, nil
}
