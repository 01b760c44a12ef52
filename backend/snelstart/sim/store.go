package sim

import (
	"crypto/rand"
	"fmt"
	"sort"
	"strings"
	"time"
)

// shape lists the properties of an object SnelStart knows, by their
// canonical lowerCamelCase name; a nested shape is an object (or a list of
// objects) with its own properties, nil is a plain value.
type shape map[string]shape

var (
	refShape   = shape{"id": nil, "uri": nil}
	adresShape = shape{"contactpersoon": nil, "straat": nil, "postcode": nil, "plaats": nil, "land": refShape}
	emailShape = shape{"shouldSend": nil, "email": nil, "ccEmail": nil}
	extraShape = shape{"naam": nil, "waarde": nil, "veldNummer": nil, "omschrijving": nil}

	relatieShape = shape{
		"id": nil, "uri": nil, "relatiesoort": nil, "relatiecode": nil, "naam": nil,
		"vestigingsAdres": adresShape, "correspondentieAdres": adresShape,
		"telefoon": nil, "mobieleTelefoon": nil, "email": nil, "btwNummer": nil, "kvkNummer": nil,
		"websiteUrl": nil, "oin": nil, "factuurkorting": nil, "krediettermijn": nil, "kredietLimiet": nil,
		"bankieren": nil, "nonactief": nil, "memo": nil, "aanmaningsoort": nil, "incassoSoort": nil,
		"iban": nil, "bic": nil, "ublBestandAlsBijlage": nil, "factuurEmailVersturen": emailShape,
		"offerteEmailVersturen": emailShape, "bevestigingsEmailVersturen": emailShape,
		"aanmaningEmailVersturen": emailShape, "offerteAanvraagEmailVersturen": emailShape,
		"bestellingEmailVersturen": emailShape, "factuurRelatie": refShape, "extraVeldenKlant": extraShape,
		// Read only: sent by SnelStart, ignored when they come back on a PUT.
		"modifiedOn": nil, "fax": nil, "documents": nil, "inkoopBoekingenUri": nil, "verkoopBoekingenUri": nil,
	}
	// relatieReadOnly are the relatie's fields a PUT cannot change.
	relatieReadOnly = []string{"relatiecode", "modifiedOn", "fax", "documents", "inkoopBoekingenUri", "verkoopBoekingenUri"}
	artikelShape    = shape{
		"id": nil, "uri": nil, "artikelcode": nil, "omschrijving": nil, "artikelOmzetgroep": refShape,
		"verkoopprijs": nil, "inkoopprijs": nil, "eenheid": nil, "modifiedOn": nil, "relatie": refShape,
		"isNonActief": nil, "voorraadControle": nil, "technischeVoorraad": nil, "vrijeVoorraad": nil,
		"isHoofdartikel": nil, "subartikelen": shape{"id": nil, "uri": nil, "artikelcode": nil, "aantal": nil},
		"extraVelden": extraShape, "prijsafspraak": nil,
	}
	regelShape = shape{
		"artikel": refShape, "omschrijving": nil, "stuksprijs": nil, "aantal": nil,
		"kortingsPercentage": nil, "totaal": nil, "extraRegelVelden": extraShape,
	}
	verkooporderShape = shape{
		"id": nil, "uri": nil, "relatie": refShape, "procesStatus": nil, "nummer": nil, "datum": nil,
		"krediettermijn": nil, "omschrijving": nil, "betalingskenmerk": nil, "orderreferentie": nil,
		"memo": nil, "afleveradres": adresShape, "factuuradres": adresShape,
		"verkooporderBtwIngaveModel": nil, "kostenplaats": refShape, "verkoopordersjabloon": refShape,
		"factuurkorting": nil, "incassomachtiging": nil, "regels": regelShape, "extraHoofdVelden": extraShape,
		"modifiedOn": nil, "geblokkeerd": nil, "verkoopfactuur": refShape, "verkoopOrderStatus": nil,
		"totaalExclusiefBtw": nil, "totaalInclusiefBtw": nil,
	}
	kostenplaatsShape = shape{"id": nil, "uri": nil, "omschrijving": nil, "nonactief": nil, "nummer": nil}
)

// normalize gives every property its canonical name (SnelStart accepts any
// casing on input) and reports properties it does not know.
func normalize(in map[string]any, sh shape, at string) (map[string]any, []string) {
	out := make(map[string]any, len(in))
	var unknown []string
	for k, v := range in {
		name, sub, ok := canonical(sh, k)
		if !ok {
			unknown = append(unknown, at+k)
			continue
		}
		switch x := v.(type) {
		case map[string]any:
			if sub != nil {
				var u []string
				v, u = normalize(x, sub, at+name+".")
				unknown = append(unknown, u...)
			}
		case []any:
			if sub != nil {
				list := make([]any, len(x))
				for i, el := range x {
					if m, ok := el.(map[string]any); ok {
						var u []string
						list[i], u = normalize(m, sub, fmt.Sprintf("%s%s[%d].", at, name, i))
						unknown = append(unknown, u...)
					} else {
						list[i] = el
					}
				}
				v = list
			}
		}
		out[name] = v
	}
	sort.Strings(unknown)
	return out, unknown
}

func canonical(sh shape, key string) (string, shape, bool) {
	if sub, ok := sh[key]; ok {
		return key, sub, true
	}
	for name, sub := range sh {
		if strings.EqualFold(name, key) {
			return name, sub, true
		}
	}
	return "", nil, false
}

// relatieDefaults are the values SnelStart gives a relatie's fields that a
// create leaves out: a relatie always comes back with every field.
var relatieDefaults = map[string]any{
	"correspondentieAdres": map[string]any{"contactpersoon": nil, "straat": nil, "postcode": nil, "plaats": nil, "land": nil},
	"aanmaningsoort":       "Nee", "incassoSoort": "Geen", "bankieren": false, "nonactief": false, "ublBestandAlsBijlage": true,
	"factuurkorting": nil, "krediettermijn": nil, "kredietLimiet": nil, "iban": nil, "bic": nil,
	"telefoon": nil, "mobieleTelefoon": nil, "email": nil, "btwNummer": nil, "kvkNummer": nil, "websiteUrl": nil,
	"oin": nil, "memo": nil, "fax": nil, "factuurRelatie": nil, "extraVeldenKlant": []any{}, "documents": []any{},
}

var relatieMails = []string{"factuurEmailVersturen", "offerteEmailVersturen", "bevestigingsEmailVersturen",
	"aanmaningEmailVersturen", "offerteAanvraagEmailVersturen", "bestellingEmailVersturen"}

// fillRelatie gives a relatie the fields it lacks, as SnelStart would.
func fillRelatie(r map[string]any) {
	for k, v := range relatieDefaults {
		if _, ok := r[k]; !ok {
			r[k] = deepCopy(v)
		}
	}
	for _, k := range relatieMails {
		if _, ok := r[k]; !ok {
			r[k] = map[string]any{"shouldSend": false, "email": nil, "ccEmail": nil}
		}
	}
}

// withKeys adds the fields an object has to its shape: a field SnelStart
// sent is one it knows, even when the simulator's shape does not list it.
func withKeys(sh shape, obj map[string]any) shape {
	out := make(shape, len(sh)+len(obj))
	for k, v := range sh {
		out[k] = v
	}
	for k := range obj {
		if _, _, ok := canonical(sh, k); !ok {
			out[k] = nil
		}
	}
	return out
}

// collection keeps a resource's objects in insertion order. Lists hand
// them out in no promised order (handlers.go): SnelStart documents none.
type collection struct {
	name      string
	items     []map[string]any
	byID      map[string]int
	visibleAt map[string]time.Time // created with delayed visibility: id → first moment reads see it
}

func newCollection(name string) *collection {
	return &collection{name: name, byID: map[string]int{}, visibleAt: map[string]time.Time{}}
}

func (c *collection) add(obj map[string]any) map[string]any {
	id := newGUID()
	obj["id"] = id
	obj["uri"] = "/" + c.name + "/" + id
	c.byID[id] = len(c.items)
	c.items = append(c.items, obj)
	return obj
}

// hideUntil makes reads miss an object until t (the DelayedVisible fault).
func (c *collection) hideUntil(id string, t time.Time) { c.visibleAt[strings.ToLower(id)] = t }

// visible says whether reads see an object now.
func (c *collection) visible(obj map[string]any, now time.Time) bool {
	if len(c.visibleAt) == 0 {
		return true
	}
	id := strings.ToLower(str(obj, "id"))
	t, ok := c.visibleAt[id]
	if ok && !now.Before(t) {
		delete(c.visibleAt, id)
		return true
	}
	return !ok
}

// get finds an object by id, whether reads see it yet or not.
func (c *collection) get(id string) (map[string]any, bool) {
	i, ok := c.byID[strings.ToLower(id)]
	if !ok {
		return nil, false
	}
	return c.items[i], true
}

func (c *collection) replace(id string, obj map[string]any) {
	c.items[c.byID[strings.ToLower(id)]] = obj
}

func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// deepCopy copies a JSON object, so callers never share the stored one.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, vv := range x {
			m[k] = deepCopy(vv)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, vv := range x {
			l[i] = deepCopy(vv)
		}
		return l
	}
	return v
}
