package snelstart

import (
	"fmt"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/snelstart/sim"
)

// Whatever text a value holds, the filter built with it parses (as
// SnelStart's OData parser reads it, here the simulator's) to exactly the
// comparisons written: no value changes the filter's meaning.
func FuzzFilterQuotesEveryValue(f *testing.F) {
	for _, s := range []string{"", "O'Brien", "x' or 1 eq 1 or 'a' eq 'a", "é’\u00a0", "a)\nor(", "''''", "\xff\xfe"} {
		f.Add(s, "K'")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		filter := And(Eq("Naam", a), StartsWith("Code", b))
		n, err := sim.ParseFilter(string(filter))
		if err != nil {
			t.Fatalf("%s: %v", filter, err)
		}
		va, vb := strings.ToValidUTF8(a, "\uFFFD"), strings.ToValidUTF8(b, "\uFFFD")
		want := fmt.Sprintf("(and (eq Naam %q) (eq startswith(Code,%q) true))", va, vb)
		if n.String() != want {
			t.Fatalf("%s parsed as %s, want %s", filter, n, want)
		}
	})
}

// Any error body decodes without a panic, in any of SnelStart's shapes,
// and its message stays short when it is not JSON.
func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{`[{"errorCode":"ART-0005","message":"bestaat al","propertyName":"artikelcode"}]`,
		`{"Message":"fout","ModelState":{"x":["a",1,null]}}`, `{"error":"invalid_grant"}`, "<html>500</html>", "", "[", "{\"modelstate\":7}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		e := decodeError("POST", "/v2/artikelen", 400, []byte(body))
		if e == nil || e.Status != 400 {
			t.Fatalf("decoded %+v", e)
		}
		_ = e.Error()
		_ = e.Has("ART-0005")
		trimmed := strings.TrimSpace(body)
		if !strings.HasPrefix(trimmed, "[") && !strings.HasPrefix(trimmed, "{") && len(e.Message) > 200 {
			t.Fatalf("message of %d bytes", len(e.Message))
		}
	})
}
