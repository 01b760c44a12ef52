package reference

import "testing"

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		prefix, ref string
		want        Parsed
	}{
		{"WS", Order("WS", 10077), Parsed{OrderID: 10077}},
		{"WS", Credit(Order("WS", 10077)), Parsed{OrderID: 10077, Credit: true}},
		{"WS", CreditReturn(Order("WS", 10077), 12), Parsed{OrderID: 10077, Credit: true, ReturnID: 12}},
		{"", Order("", 5), Parsed{OrderID: 5}},
		{"", Credit(Order("", 5)), Parsed{OrderID: 5, Credit: true}},
	} {
		got, ok := Parse(tc.prefix, tc.ref)
		if !ok || got != tc.want {
			t.Errorf("Parse(%q, %q) = %+v, %v; want %+v", tc.prefix, tc.ref, got, ok, tc.want)
		}
	}
	if Order("WS", 7) != "WS7" || Credit("WS7") != "WS7-C" || CreditReturn("WS7", 3) != "WS7-C3" {
		t.Error("the reference format changed: SnelStart holds these references, they must stay as they are")
	}
}

func TestNotOurs(t *testing.T) {
	for _, tc := range [][2]string{{"WS", "AB12"}, {"WS", "WS"}, {"WS", "WS12x"}, {"WS", "WS012"}, {"WS", "WS12-D"},
		{"WS", "WS12-C0"}, {"WS", "WS12-Cx"}, {"", "factuur 12"}, {"", "-12"}, {"WS", "ws12"}, {"WS", "WS 12"}} {
		if p, ok := Parse(tc[0], tc[1]); ok {
			t.Errorf("Parse(%q, %q) = %+v: not a reference S-Connect writes", tc[0], tc[1], p)
		}
	}
}
