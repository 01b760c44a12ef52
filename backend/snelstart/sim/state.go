package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// state is an administration as saved: the collections in their order, the
// company info and the VAT rates.
type state struct {
	Collections map[string][]map[string]any `json:"collections"`
	Company     map[string]any              `json:"company"`
	BTW         []any                       `json:"btwtarieven"`
}

// Save writes the administration (not tokens, faults or options), so that
// Load in a later process carries on with it: the demo keeps what it booked
// between starts.
func (s *Server) Save(w io.Writer) error {
	s.mu.Lock()
	st := state{Collections: map[string][]map[string]any{}, Company: s.company, BTW: s.btwtarieven}
	for name, c := range s.coll {
		st.Collections[name] = c.items
	}
	b, err := json.Marshal(st)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Load replaces the administration with one Save wrote.
func (s *Server) Load(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber() // numbers as the handlers keep them
	var st state
	if err := d.Decode(&st); err != nil {
		return fmt.Errorf("sim: saved administration: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, name := range collections {
		c := newCollection(name)
		for _, obj := range st.Collections[name] {
			c.byID[strings.ToLower(str(obj, "id"))] = len(c.items)
			c.items = append(c.items, obj)
		}
		s.coll[name] = c
	}
	if st.Company != nil {
		s.company = st.Company
	}
	s.btwtarieven = st.BTW
	return nil
}
