package snelstart

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

func TestFilterText(t *testing.T) {
	cases := map[Filter]string{
		Eq("Email", "o'brien@x.ie"):                                           "Email eq 'o''brien@x.ie'",
		Eq("Relatiecode", 12):                                                 "Relatiecode eq 12",
		Eq("Id", Guid("6B1F0000-0000-4000-8000-000000000001")):                "Id eq guid'6B1F0000-0000-4000-8000-000000000001'",
		Eq("Id", Guid("' or 1 eq 1")):                                         "Id eq ''' or 1 eq 1'",
		Gt("ModifiedOn", time.Date(2017, 7, 16, 23, 59, 59, 999e6, time.UTC)): "ModifiedOn gt datetime'2017-07-16T23:59:59.999'",
		And(Eq("IsNonActief", false), "", Lt("VrijeVoorraad", Num("0"))):      "(IsNonActief eq false) and (VrijeVoorraad lt 0)",
		Or(Eq("A", "x")):                                                      "A eq 'x'",
		AnyEq("Relatiesoort", "Klant"):                                        "Relatiesoort/any(x:x eq 'Klant')",
		StartsWith("Naam", "De '"):                                            "startswith(Naam,'De ''') eq true",
		SubstringOf("wijn", "Omschrijving"):                                   "substringof('wijn',Omschrijving) eq true",
		In("Betalingskenmerk", []string{"1", "2"}):                            "(Betalingskenmerk eq '1') or (Betalingskenmerk eq '2')",
	}
	for got, want := range cases {
		if string(got) != want {
			t.Errorf("got %s\nwant %s", got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("a property path with spaces must panic (paths are code, not data)")
		}
	}()
	Eq("Naam eq 'x' or Naam", "y")
}

// FuzzFilterLiteral: whatever the value, the filter parses (with the
// simulator's parser) to one comparison of the field with exactly that value.
func FuzzFilterLiteral(f *testing.F) {
	for _, s := range []string{"", "'", "''", "a' or 'b' eq 'b", "x) or (1 eq 1", "guid'", "\\'", "ü€\x00", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.ToValidUTF8(s, "\uFFFD")
		for filter, shape := range map[Filter]string{
			Eq("Email", s):                 fmt.Sprintf("(eq Email %q)", want),
			StartsWith("Naam", s):          fmt.Sprintf("(eq startswith(Naam,%q) true)", want),
			SubstringOf(s, "Omschrijving"): fmt.Sprintf("(eq substringof(%q,Omschrijving) true)", want),
			And(Eq("A", s), Ne("B", s)):    fmt.Sprintf("(and (eq A %q) (ne B %q))", want, want),
		} {
			node, err := sim.ParseFilter(string(filter))
			if err != nil {
				t.Fatalf("%q: %v", filter, err)
			}
			if node.String() != shape {
				t.Fatalf("value %q changed the filter:\n got %s\nwant %s", s, node.String(), shape)
			}
		}
	})
}
