package snelstart

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ListOptions narrow a list call. Top is the page size (at most 500).
// OrderBy is the key the pages are read in, "Id" when empty: SnelStart
// promises no order of its own, and without one a row can move from a page
// not yet read to one already read between two requests, and be missed.
type ListOptions struct {
	Filter  Filter
	Top     int
	OrderBy string
}

// all pages through an OData list with $top/$skip until a short page, the
// way SnelStart advises (reference §3), ordered by a stable key. Should
// SnelStart refuse $orderby (it does not document it), the client reads on
// without it and stops sending it.
func all[T any](ctx context.Context, c *Client, path string, opt ListOptions) iter.Seq2[T, error] {
	top := opt.Top
	if top <= 0 || top > MaxPageSize {
		top = defaultPageLimit
	}
	order := opt.OrderBy
	if order == "" {
		order = "Id"
	}
	return func(yield func(T, error) bool) {
		for skip := 0; ; skip += top {
			q := url.Values{"$top": {strconv.Itoa(top)}, "$skip": {strconv.Itoa(skip)}}
			if opt.Filter != "" {
				q.Set("$filter", string(opt.Filter))
			}
			ordered := !c.noOrderBy.Load()
			if ordered {
				q.Set("$orderby", order)
			}
			var page []T
			err := c.Do(ctx, http.MethodGet, path, q, nil, &page)
			if ordered && refusedOrderBy(err) {
				c.noOrderBy.Store(true)
				q.Del("$orderby")
				err = c.Do(ctx, http.MethodGet, path, q, nil, &page)
			}
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range page {
				if !yield(it, nil) {
					return
				}
			}
			if len(page) < top {
				return
			}
		}
	}
}

// refusedOrderBy: a 400 that names $orderby.
func refusedOrderBy(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusBadRequest && strings.Contains(strings.ToLower(ae.Error()), "orderby")
}

// Collect gathers an iterator into a slice, stopping at the first error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func get[T any](ctx context.Context, c *Client, path string) (*T, error) {
	var v T
	if err := c.Do(ctx, http.MethodGet, path, nil, nil, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

func write[T any](ctx context.Context, c *Client, method, path string, body any) (*T, error) {
	var v T
	if err := c.Do(ctx, method, path, nil, body, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// RelatiesService: customers and suppliers (relaties:read/write).
type RelatiesService struct{ c *Client }

func (s *RelatiesService) List(ctx context.Context, opt ListOptions) iter.Seq2[Relatie, error] {
	return all[Relatie](ctx, s.c, "relaties", opt)
}
func (s *RelatiesService) Get(ctx context.Context, id string) (*Relatie, error) {
	return get[Relatie](ctx, s.c, "relaties/"+url.PathEscape(id))
}

// Create adds a relatie; r.ID must be empty (REL-0063).
func (s *RelatiesService) Create(ctx context.Context, r *Relatie) (*Relatie, error) {
	return write[Relatie](ctx, s.c, http.MethodPost, "relaties", r)
}

// Update changes the fields of p on the relatie r as SnelStart sent it
// (by Get, List or Create): every other field, known to S-Connect or not,
// goes back unchanged, because a PUT replaces the whole relatie.
func (s *RelatiesService) Update(ctx context.Context, r *Relatie, p Patch) (*Relatie, error) {
	if len(r.raw) == 0 || r.ID == "" {
		return nil, ErrNotRead
	}
	body, err := applyPatch(r.raw, p)
	if err != nil {
		return nil, err
	}
	return write[Relatie](ctx, s.c, http.MethodPut, "relaties/"+url.PathEscape(r.ID), body)
}

// ArtikelenService: articles (artikelen:read/write).
type ArtikelenService struct{ c *Client }

func (s *ArtikelenService) List(ctx context.Context, opt ListOptions) iter.Seq2[Artikel, error] {
	return all[Artikel](ctx, s.c, "artikelen", opt)
}
func (s *ArtikelenService) Get(ctx context.Context, id string) (*Artikel, error) {
	return get[Artikel](ctx, s.c, "artikelen/"+url.PathEscape(id))
}
func (s *ArtikelenService) Create(ctx context.Context, a *NewArtikel) (*Artikel, error) {
	return write[Artikel](ctx, s.c, http.MethodPost, "artikelen", a)
}

// VerkoopordersService: sales orders (orders:read/write).
type VerkoopordersService struct{ c *Client }

func (s *VerkoopordersService) List(ctx context.Context, opt ListOptions) iter.Seq2[Verkooporder, error] {
	return all[Verkooporder](ctx, s.c, "verkooporders", opt)
}
func (s *VerkoopordersService) Get(ctx context.Context, id string) (*Verkooporder, error) {
	return get[Verkooporder](ctx, s.c, "verkooporders/"+url.PathEscape(id))
}

// Create adds a verkooporder. On ErrMaybeWritten, look it up by its
// betalingskenmerk before creating it again.
func (s *VerkoopordersService) Create(ctx context.Context, o *Verkooporder) (*Verkooporder, error) {
	return write[Verkooporder](ctx, s.c, http.MethodPost, "verkooporders", o)
}

// SetProcesStatus moves an order to another procesStatus.
func (s *VerkoopordersService) SetProcesStatus(ctx context.Context, id, status string) error {
	body := map[string]string{"id": id, "procesStatus": status}
	return s.c.Do(ctx, http.MethodPut, "verkooporders/"+url.PathEscape(id)+"/ProcesStatus", nil, body, nil)
}

// ListsService: the small lists without OData (plain GET-all).
type ListsService struct{ c *Client }

func plain[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	var out []T
	err := c.Do(ctx, http.MethodGet, path, nil, nil, &out)
	return out, err
}

func (s *ListsService) Artikelomzetgroepen(ctx context.Context) ([]Artikelomzetgroep, error) {
	return plain[Artikelomzetgroep](ctx, s.c, "artikelomzetgroepen")
}
func (s *ListsService) Verkoopordersjablonen(ctx context.Context) ([]Verkoopordersjabloon, error) {
	return plain[Verkoopordersjabloon](ctx, s.c, "verkoopordersjablonen")
}
func (s *ListsService) Kostenplaatsen(ctx context.Context) ([]Kostenplaats, error) {
	return plain[Kostenplaats](ctx, s.c, "kostenplaatsen")
}
func (s *ListsService) Landen(ctx context.Context) ([]Land, error) {
	return plain[Land](ctx, s.c, "landen")
}
func (s *ListsService) Btwtarieven(ctx context.Context) ([]BtwTarief, error) {
	return plain[BtwTarief](ctx, s.c, "btwtarieven")
}
