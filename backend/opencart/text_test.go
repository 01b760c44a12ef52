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
