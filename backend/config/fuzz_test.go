package config

import (
	"strings"
	"testing"
)

// Any template expands without a panic: known placeholders are filled, the
// rest of the text is kept (its spaces collapsed), and a value is never
// read as a placeholder again.
func FuzzExpandTemplate(f *testing.F) {
	for _, s := range []string{"Webshop order {ordernummer} {klantnaam}", "{", "}{", "{{ordernummer}}", "{onbekend} {datum", "\x00{bedrijf}"} {
		f.Add(s, "{klantnaam}")
	}
	f.Fuzz(func(t *testing.T, tpl, value string) {
		fields := map[string]string{}
		for _, p := range Placeholders {
			fields[p] = "«" + p + "»"
		}
		fields["ordernummer"] = value
		got := ExpandTemplate(tpl, fields)
		if !strings.Contains(tpl, "{") && got != strings.Join(strings.Fields(tpl), " ") {
			t.Fatalf("text without placeholders changed: %q → %q", tpl, got)
		}
		if tpl == "{ordernummer}" && got != strings.Join(strings.Fields(value), " ") {
			t.Fatalf("the value was expanded again: %q", got)
		}
	})
}
