package opencart

import (
	"context"
	"sort"
)

// Store is one of a multi-store shop's stores; store 0 is the default
// store, named by config_name.
type Store struct {
	ID   int
	Name string
}

// Stores lists the shop's stores, the default store first.
func (s *Shop) Stores(ctx context.Context) ([]Store, error) {
	out := []Store{{ID: 0, Name: s.Name}}
	if !s.schema.HasTable("store") {
		return out, nil
	}
	rows, err := s.t.Select(ctx, Query{Table: "store", Columns: []string{"store_id", "name"}, OrderBy: []string{"store_id"}})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if id := atoi(r["store_id"]); id > 0 {
			out = append(out, Store{ID: id, Name: Decode(r["name"])}) // stored escaped, as every text
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
