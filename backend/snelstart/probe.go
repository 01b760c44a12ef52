package snelstart

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Administration is what S-Connect needs of a SnelStart administration,
// however it is reached. The B2B API client is the one implementation; a
// local SnelStart 12 (SQL) or ≤ 11 (MDB) backend would be another.
type Administration interface {
	Probe(ctx context.Context) []ProbeStep
	Options(ctx context.Context, list, query string) ([]Option, error)
}

var _ Administration = (*Client)(nil)

// Steps of a connection test, in the order they run.
const (
	StepToken   = "token"   // the koppelsleutel is accepted
	StepCompany = "company" // the subscription key works and the administration answers
	StepRead    = "read"    // the rights to read templates, articles and customers
	StepWrite   = "write"   // the rights to create orders, customers and articles
)

// ProbeStep is one step of a connection test: Err is nil when it passed.
// Detail is what the step found (the administration's name).
type ProbeStep struct {
	Step   string
	Detail string
	ID     string // the company step: the administration's identifier
	Err    error
	Scope  string // for a missing right: which one
}

// Authenticate fetches (or reuses) a token: it checks the koppelsleutel.
func (c *Client) Authenticate(ctx context.Context) error {
	_, err := c.accessToken(ctx)
	return err
}

// Probe runs the connection test. It stops at the first step that fails,
// except that all missing rights are reported together. It writes nothing:
// the write rights are checked with empty creates, which SnelStart refuses
// (ALG-0106) only after it has checked the scope.
func (c *Client) Probe(ctx context.Context) []ProbeStep {
	if err := c.Authenticate(ctx); err != nil {
		return []ProbeStep{{Step: StepToken, Err: err}}
	}
	steps := []ProbeStep{{Step: StepToken}}
	ci, err := c.CompanyInfo(ctx)
	if err != nil {
		return append(steps, ProbeStep{Step: StepCompany, Err: err, Scope: "settings:read"})
	}
	steps = append(steps, ProbeStep{Step: StepCompany, Detail: ci.AdministratieNaam, ID: ci.AdministratieIdentifier})

	var missing []string
	var other error
	reads := map[string]string{"verkoopordersjablonen": "orders:read", "artikelen?$top=1": "artikelen:read", "relaties?$top=1": "relaties:read"}
	for path, scope := range reads {
		p, q, _ := strings.Cut(path, "?")
		var sink []map[string]any
		var query map[string][]string
		if q != "" {
			query = map[string][]string{"$top": {"1"}}
		}
		if err := c.Do(ctx, http.MethodGet, p, query, nil, &sink); errors.Is(err, ErrForbidden) {
			missing = append(missing, scope)
		} else if err != nil && other == nil {
			other = err
		}
	}
	steps = append(steps, scopeStep(StepRead, missing, other))
	missing, other = nil, nil
	for _, w := range [][2]string{{"verkooporders", "orders:write"}, {"relaties", "relaties:write"}, {"artikelen", "artikelen:write"}} {
		err := c.Do(ctx, http.MethodPost, w[0], nil, nil, nil)
		var ae *APIError
		switch {
		case errors.As(err, &ae) && ae.Has("ALG-0106"):
		case errors.Is(err, ErrForbidden):
			missing = append(missing, w[1])
		case err != nil && other == nil:
			other = err
		}
	}
	return append(steps, scopeStep(StepWrite, missing, other))
}

func scopeStep(step string, missing []string, other error) ProbeStep {
	sort.Strings(missing)
	switch {
	case len(missing) > 0:
		return ProbeStep{Step: step, Err: ErrForbidden, Scope: strings.Join(missing, ", ")}
	case other != nil:
		return ProbeStep{Step: step, Err: other}
	}
	return ProbeStep{Step: step}
}

// Option is one item of a pick list: the value stored in the setting and
// what the user sees.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Pick lists the settings can choose from.
const (
	ListSjablonen      = "verkoopordersjablonen"
	ListKostenplaatsen = "kostenplaatsen"
	ListOmzetgroepen   = "artikelomzetgroepen"
	ListArtikelen      = "artikelen"
)

// ErrUnknownList is returned for a list name Options does not know.
var ErrUnknownList = errors.New("snelstart: unknown pick list")

// Options returns the items of a list that match query (in code or
// description); articles are searched in SnelStart, at most 25.
func (c *Client) Options(ctx context.Context, list, query string) ([]Option, error) {
	q := strings.ToLower(strings.TrimSpace(query))
	keep := func(texts ...string) bool {
		for _, t := range texts {
			if strings.Contains(strings.ToLower(t), q) {
				return true
			}
		}
		return false
	}
	var out []Option
	switch list {
	case ListSjablonen:
		items, err := c.Lists.Verkoopordersjablonen(ctx)
		for _, s := range items {
			if !s.Nonactief && keep(s.Omschrijving) {
				out = append(out, Option{Value: s.Omschrijving, Label: s.Omschrijving})
			}
		}
		return out, err
	case ListKostenplaatsen:
		items, err := c.Lists.Kostenplaatsen(ctx)
		for _, k := range items {
			if !k.Nonactief && keep(k.Omschrijving) {
				out = append(out, Option{Value: k.Omschrijving, Label: strconv.Itoa(k.Nummer) + " – " + k.Omschrijving})
			}
		}
		return out, err
	case ListOmzetgroepen:
		items, err := c.Lists.Artikelomzetgroepen(ctx)
		for _, g := range items {
			if keep(g.Omschrijving) {
				out = append(out, Option{Value: g.Omschrijving, Label: strconv.Itoa(g.Nummer) + " – " + g.Omschrijving + " (btw " + g.VerkoopNederlandBtwSoort + ")"})
			}
		}
		return out, err
	case ListArtikelen:
		filter := Eq("IsNonActief", false)
		if q != "" {
			filter = And(filter, Or(StartsWith("Artikelcode", query), SubstringOf(query, "Omschrijving")))
		}
		for a, err := range c.Artikelen.List(ctx, ListOptions{Filter: filter, Top: 25, OrderBy: "Artikelcode"}) {
			if err != nil {
				return out, err
			}
			out = append(out, Option{Value: a.Artikelcode, Label: a.Artikelcode + " – " + a.Omschrijving})
			if len(out) == 25 {
				break
			}
		}
		return out, nil
	}
	return nil, ErrUnknownList
}
