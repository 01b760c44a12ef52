package snelstart

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// A PUT replaces the whole object (docs/snelstart.md): whatever a PUT leaves
// out is blanked. S-Connect therefore never sends back a relatie decoded
// into its own struct — which knows a handful of SnelStart's fields — but
// the JSON SnelStart gave, with only the fields S-Connect owns changed.

// Patch sets fields of an object by path: "telefoon",
// "vestigingsAdres/straat". A value is anything encoding/json writes.
type Patch map[string]any

// ErrNotRead: an update needs the object as SnelStart last sent it.
var ErrNotRead = errors.New("snelstart: update of an object that was not read from SnelStart")

// UnmarshalJSON keeps the relatie exactly as SnelStart sent it, every field
// included, for Update.
func (r *Relatie) UnmarshalJSON(b []byte) error {
	type plain Relatie // without this method
	if err := decodeJSON(b, (*plain)(r)); err != nil {
		return err
	}
	r.raw = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
	return nil
}

// Changes returns the part of p that differs from what r holds now: the
// update to send, or nothing when the card is already right.
func (r *Relatie) Changes(p Patch) Patch {
	out := Patch{}
	var cur map[string]any
	if decodeJSON(r.raw, &cur) != nil {
		return p
	}
	for path, want := range p {
		have := lookupPath(cur, path)
		wantJSON, _ := json.Marshal(want)
		var wantAny any
		_ = decodeJSON(wantJSON, &wantAny)
		if !sameJSON(have, wantAny) {
			out[path] = want
		}
	}
	return out
}

func lookupPath(obj map[string]any, path string) any {
	var v any = obj
	for _, part := range strings.Split(path, "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		found := false
		for k, x := range m {
			if strings.EqualFold(k, part) {
				v, found = x, true
				break
			}
		}
		if !found {
			return nil
		}
	}
	return v
}

// sameJSON compares two decoded JSON values; an absent value equals null
// and an empty string (SnelStart sends either for an empty field).
func sameJSON(a, b any) bool {
	if isEmpty(a) && isEmpty(b) {
		return true
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func isEmpty(v any) bool { return v == nil || v == "" }

// applyPatch writes p into the JSON object raw. Fields outside p keep their
// bytes exactly; objects on a path that are null or missing are created.
func applyPatch(raw json.RawMessage, p Patch) (json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("snelstart: patch: not a JSON object: %w", err)
	}
	for path, v := range p {
		if err := setPath(obj, strings.Split(path, "/"), v); err != nil {
			return nil, fmt.Errorf("snelstart: patch %s: %w", path, err)
		}
	}
	return json.Marshal(obj)
}

func setPath(obj map[string]json.RawMessage, parts []string, v any) error {
	key := fieldName(obj, parts[0])
	if len(parts) == 1 {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		obj[key] = b
		return nil
	}
	var sub map[string]json.RawMessage
	if cur, ok := obj[key]; ok && string(bytes.TrimSpace(cur)) != "null" {
		if err := json.Unmarshal(cur, &sub); err != nil {
			return fmt.Errorf("%s is not an object", key)
		}
	}
	if sub == nil {
		sub = map[string]json.RawMessage{}
	}
	if err := setPath(sub, parts[1:], v); err != nil {
		return err
	}
	b, err := json.Marshal(sub)
	obj[key] = b
	return err
}

// fieldName is the object's own spelling of a field (SnelStart answers in
// lowerCamelCase, but a field is one field whatever its casing).
func fieldName(obj map[string]json.RawMessage, name string) string {
	if _, ok := obj[name]; ok {
		return name
	}
	for k := range obj {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}
