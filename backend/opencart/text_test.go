package opencart

import "testing"

func TestDecodeOnce(t *testing.T) {
	for stored, want := range map[string]string{
		"Bakker &amp; Zn B.V.":         "Bakker & Zn B.V.",
		"Apple Cinema 30&quot;":        `Apple Cinema 30"`,
		"&lt;b&gt;vet&lt;/b&gt;":       "<b>vet</b>",
		"O'Brien":                      "O'Brien",        // ENT_COMPAT leaves a single quote
		"Nikon&#039;s &#39;D300&#39;":  "Nikon's 'D300'", // the editor writes these
		"R&amp;amp;D":                  "R&amp;D",        // typed "R&amp;D": decoded once, not twice
		"Caf&eacute; &euro; 5":         "Café € 5",
		"&#x20AC; 5 &amp":              "€ 5 &amp", // a reference without ";" is text
		"Tom & Jerry; &copy 2024":      "Tom & Jerry; &copy 2024",
		"geen entiteiten, wel ’quotes": "geen entiteiten, wel ’quotes",
	} {
		if got := Decode(stored); got != want {
			t.Errorf("Decode(%q) = %q, want %q", stored, got, want)
		}
	}
	for typed, want := range map[string]string{`A&B "x" <y>`: "A&amp;B &quot;x&quot; &lt;y&gt;", "O'Brien": "O'Brien"} {
		if got := Escape(typed); got != want || Decode(got) != typed {
			t.Errorf("Escape(%q) = %q, want %q", typed, got, want)
		}
	}
}

// 4.0.2+ keep a method as JSON; its name is decoded after the JSON is read,
// once (json_encode leaves an escaped "&amp;" as it is).
func TestMethodNameDecodedOnce(t *testing.T) {
	s := &Shop{Caps: Caps{JSONMethods: true}}
	m := s.method(Row{"shipping_method": `{"code":"weight.weight_5","name":"Post &amp; pakket (2,00kg) \u20ac","cost":"6.50","tax_class_id":9}`}, "shipping_")
	if m.Name != "Post & pakket (2,00kg) €" || m.Code != "weight.weight_5" || m.TaxClassID == nil || *m.TaxClassID != 9 {
		t.Fatalf("method %+v", m)
	}
	old := &Shop{}
	if m := old.method(Row{"payment_method": "Kaart &amp;amp; co", "payment_code": "cod"}, "payment_"); m.Name != "Kaart &amp; co" || m.Code != "cod" {
		t.Fatalf("method %+v", m)
	}
}
