package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// odataResources accept $filter/$top/$skip; the others are plain GET-all
// lists (reference §3).
var odataResources = map[string]bool{"relaties": true, "artikelen": true, "verkooporders": true}

// writable resources and the shape of what they accept.
var writable = map[string]shape{"relaties": relatieShape, "artikelen": artikelShape,
	"verkooporders": verkooporderShape, "kostenplaatsen": kostenplaatsShape}

// route answers an API call. hide > 0 makes a create visible to reads
// only that much later (Faults.DelayedVisible).
func (s *Server) route(w http.ResponseWriter, r *http.Request, parts []string, hide time.Duration) {
	res := parts[0]
	switch {
	case res == "echo":
		input := strings.Join(parts[1:], "/")
		if input == "" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, http.StatusOK, input)
		return
	case res == "companyInfo" && len(parts) == 1 && r.Method == http.MethodGet:
		s.mu.Lock()
		defer s.mu.Unlock()
		writeJSON(w, http.StatusOK, s.company)
		return
	case res == "btwtarieven" && len(parts) == 1 && r.Method == http.MethodGet:
		s.mu.Lock()
		defer s.mu.Unlock()
		writeJSON(w, http.StatusOK, s.btwtarieven)
		return
	}
	c, ok := s.coll[res]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"Message": "No HTTP resource was found that matches the request URI '" + r.URL.Path + "'."})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && len(parts) == 1:
		s.list(w, r, c)
	case r.Method == http.MethodGet && len(parts) == 2:
		obj, ok := c.get(parts[1])
		if !ok || !c.visible(obj, time.Now()) {
			notFound(w, res+" "+parts[1])
			return
		}
		writeJSON(w, http.StatusOK, obj)
	case r.Method == http.MethodPost && len(parts) == 1 && writable[res] != nil:
		body, ok := readObject(w, r, writable[res], s.opt.Strict)
		if ok {
			s.create(w, c, body, hide)
		}
	case r.Method == http.MethodPut && len(parts) == 2 && writable[res] != nil:
		sh := writable[res]
		if old, ok := c.get(parts[1]); ok {
			sh = withKeys(sh, old)
		}
		body, ok := readObject(w, r, sh, s.opt.Strict)
		if ok {
			s.update(w, c, parts[1], body)
		}
	case r.Method == http.MethodPut && len(parts) == 3 && res == "verkooporders" && strings.EqualFold(parts[2], "ProcesStatus"):
		body, ok := readObject(w, r, shape{"id": nil, "procesStatus": nil}, s.opt.Strict)
		if ok {
			s.setProcesStatus(w, c, parts[1], body)
		}
	default:
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"Message": "The requested resource does not support http method '" + r.Method + "'."})
	}
}

// list answers a GET of a collection. OData resources take $filter,
// $orderby, $top and $skip; without $orderby the rows come in a different
// order each time, because SnelStart promises none — so a client that
// pages without one can be seen to miss rows.
func (s *Server) list(w http.ResponseWriter, r *http.Request, c *collection) {
	now := time.Now()
	items := make([]map[string]any, 0, len(c.items))
	for _, it := range c.items {
		if c.visible(it, now) {
			items = append(items, it)
		}
	}
	if odataResources[c.name] {
		q := r.URL.Query()
		top, skip, err := pageParams(q)
		if err != nil {
			badRequest(w, [2]string{"ALG-0104", "Ongeldige OData-parameter " + err.Error()})
			return
		}
		if f := q.Get("$filter"); f != "" {
			node, err := ParseFilter(f)
			if err != nil {
				badRequest(w, [2]string{"ALG-0104", "Ongeldig OData-filter: " + err.Error()})
				return
			}
			var kept []map[string]any
			for _, it := range items {
				ok, err := Match(node, it, writable[c.name])
				if err != nil {
					badRequest(w, [2]string{"ALG-0104", "Ongeldig OData-filter: " + err.Error()})
					return
				}
				if ok {
					kept = append(kept, it)
				}
			}
			items = kept
		}
		if by := q.Get("$orderby"); by != "" {
			if s.opt.RefuseOrderBy {
				badRequest(w, [2]string{"ALG-0104", "De query-optie $orderby wordt niet ondersteund."})
				return
			}
			if err := orderBy(items, by, writable[c.name]); err != nil {
				badRequest(w, [2]string{"ALG-0104", "Ongeldige $orderby: " + err.Error()})
				return
			}
		} else {
			s.dice.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		}
		if skip > len(items) {
			skip = len(items)
		}
		items = items[skip:]
		if top < len(items) {
			items = items[:top]
		}
	}
	if items == nil {
		items = []map[string]any{} // an empty list is [], never null
	}
	writeJSON(w, http.StatusOK, items)
}

// readObject decodes a JSON object body, with SnelStart's answers for an
// empty body (ALG-0106) and for JSON it cannot bind (modelState).
func readObject(w http.ResponseWriter, r *http.Request, sh shape, strict bool) (map[string]any, bool) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		return nil, false
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		badRequest(w, [2]string{"ALG-0106", "De request body is leeg."})
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "The request is invalid.",
			"modelState": map[string][]string{"body": {"De JSON kan niet worden gelezen."}}})
		return nil, false
	}
	norm, unknown := normalize(obj, sh, "")
	if strict && len(unknown) > 0 {
		ms := map[string][]string{}
		for _, u := range unknown {
			ms[u] = []string{"Onbekende eigenschap."}
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "The request is invalid.", "modelState": ms})
		return nil, false
	}
	return norm, true
}

func (s *Server) create(w http.ResponseWriter, c *collection, body map[string]any, hide time.Duration) {
	if id, _ := body["id"].(string); id != "" && id != "00000000-0000-0000-0000-000000000000" {
		code := "ALG-0100"
		if c.name == "relaties" {
			code = "REL-0063"
		}
		badRequest(w, [2]string{code, "Het id moet leeg zijn bij het aanmaken."})
		return
	}
	delete(body, "id")
	var errs [][2]string
	switch c.name {
	case "relaties":
		errs = s.checkRelatie(body, "")
	case "artikelen":
		errs = s.checkArtikel(body, "")
	case "verkooporders":
		errs = s.prepareOrder(body)
	case "kostenplaatsen":
		if str(body, "omschrijving") == "" {
			errs = append(errs, [2]string{"KPL-0001", "Omschrijving moet gevuld zijn."})
		}
	}
	if len(errs) > 0 {
		badRequest(w, errs...)
		return
	}
	body["modifiedOn"] = time.Now().Format("2006-01-02T15:04:05")
	if c.name == "relaties" {
		fillRelatie(body)
	}
	obj := c.add(body)
	if c.name == "verkooporders" {
		s.reserveStock(obj)
	}
	if hide > 0 {
		c.hideUntil(str(obj, "id"), time.Now().Add(hide))
	}
	writeJSON(w, http.StatusCreated, obj)
}

func (s *Server) update(w http.ResponseWriter, c *collection, id string, body map[string]any) {
	old, ok := c.get(id)
	if !ok {
		notFound(w, c.name+" "+id)
		return
	}
	if bid, _ := body["id"].(string); bid != "" && !strings.EqualFold(bid, id) {
		code := "ALG-0101"
		if c.name == "relaties" {
			code = "REL-0047"
		}
		badRequest(w, [2]string{code, "Het id in de body komt niet overeen met de URL."})
		return
	}
	var errs [][2]string
	switch c.name {
	case "relaties":
		errs = s.checkRelatie(body, id)
		if !sameStrings(body["relatiesoort"], old["relatiesoort"]) {
			errs = append(errs, [2]string{"REL-0064", "De relatiesoort kan niet worden gewijzigd."})
		}
	case "artikelen":
		errs = s.checkArtikel(body, id)
	case "verkooporders":
		body["nummer"], body["id"] = old["nummer"], old["id"]
		errs = s.prepareOrder(body)
	}
	if len(errs) > 0 {
		badRequest(w, errs...)
		return
	}
	// Read-only parts stay as they were (PUT replaces the rest).
	readOnly := []string{"technischeVoorraad", "vrijeVoorraad", "isHoofdartikel", "subartikelen"}
	if c.name == "relaties" {
		readOnly = relatieReadOnly
	}
	for _, k := range readOnly {
		if v, ok := old[k]; ok && (k != "relatiecode" || body[k] == nil) {
			body[k] = v
		}
	}
	body["id"], body["uri"] = old["id"], old["uri"]
	body["modifiedOn"] = time.Now().Format("2006-01-02T15:04:05")
	if c.name == "relaties" {
		fillRelatie(body) // what the PUT left out is now empty
	}
	c.replace(id, body)
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) setProcesStatus(w http.ResponseWriter, c *collection, id string, body map[string]any) {
	o, ok := c.get(id)
	if !ok {
		notFound(w, "verkooporder "+id)
		return
	}
	st := str(body, "procesStatus")
	if !validProcesStatus(st) {
		badRequest(w, [2]string{"VOR-0004", "Ongeldige processtatus."})
		return
	}
	o["procesStatus"] = st
	o["modifiedOn"] = time.Now().Format("2006-01-02T15:04:05")
	writeJSON(w, http.StatusOK, map[string]any{})
}

func str(obj map[string]any, key string) string {
	s, _ := obj[key].(string)
	return s
}

func sameStrings(a, b any) bool {
	la, _ := a.([]any)
	lb, _ := b.([]any)
	if len(la) != len(lb) {
		return false
	}
	for i := range la {
		if !strings.EqualFold(asString(la[i]), asString(lb[i])) {
			return false
		}
	}
	return true
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}
