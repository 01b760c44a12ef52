package config

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestExportImportProfile(t *testing.T) {
	s, _ := openTest(t)
	a, _ := s.CreateProfile("Winkel A")
	if _, err := s.Save(a.ID, map[string]string{"shop.ftp.host": "ftp.a.nl", "shop.ftp.password": "ftp-geheim",
		"snelstart.clientKey": "koppel-geheim", "sales.shippingArticle": "VERZEND", "ui.language": "en"}, nil); err != nil {
		t.Fatal(err)
	}
	s.SetSecret(a.ID, "shop.bridge.secret", "bridge-geheim")
	s.SetReadOnly(a.ID, "shop.bridge.path", "sc-1/2.php")
	s.SetReadOnly(a.ID, "shop.ftp.certFingerprint", "AA:BB")
	exp, err := s.Export(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(exp)
	for _, never := range []string{"ftp-geheim", "koppel-geheim", "bridge-geheim", "sc-1/2.php", "AA:BB", "ui.language", "shop.ftp.password"} {
		if strings.Contains(string(data), never) {
			t.Errorf("the export holds %q", never)
		}
	}
	if exp.Format != PortableFormat || exp.Version != 1 || exp.Settings["shop.ftp.host"] != "ftp.a.nl" || exp.Name != "Winkel A" {
		t.Fatalf("export %s", data)
	}
	// Back in as a new profile, compared first with the original changed.
	p, err := ParsePortable(data)
	if err != nil {
		t.Fatal(err)
	}
	s.Save(a.ID, map[string]string{"shop.ftp.host": "ftp.nieuw.nl"}, nil)
	diff, err := s.Diff(p, a.ID)
	if err != nil || len(diff) != 1 || diff[0] != (Change{Key: "shop.ftp.host", Current: "ftp.nieuw.nl", Imported: "ftp.a.nl"}) {
		t.Fatalf("diff %+v %v", diff, err)
	}
	b, err := s.ImportProfile(p, "Winkel A (import)")
	if err != nil {
		t.Fatal(err)
	}
	vb, _ := s.View(b.ID)
	if vb.Values["shop.ftp.host"] != "ftp.a.nl" || vb.Values["sales.shippingArticle"] != "VERZEND" || len(vb.Set) != 0 {
		t.Fatalf("imported %v, secrets %v", vb.Values["shop.ftp.host"], vb.Set)
	}
	// Refused: not an export, a newer version, a secret or unknown setting,
	// an invalid value (and then no profile is made).
	for name, text := range map[string]string{
		"not json":     "hallo",
		"other format": `{"format":"iets","version":1,"settings":{}}`,
		"newer":        `{"format":"s-connect-profile","version":2,"settings":{}}`,
		"secret":       `{"format":"s-connect-profile","version":1,"settings":{"shop.ftp.password":"x"}}`,
		"bridge":       `{"format":"s-connect-profile","version":1,"settings":{"shop.bridge.path":"sc-1/2.php"}}`,
		"unknown":      `{"format":"s-connect-profile","version":1,"settings":{"shop.nergens":"x"}}`,
		"extra field":  `{"format":"s-connect-profile","version":1,"settings":{},"secrets":{}}`,
	} {
		if _, err := ParsePortable([]byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	bad, _ := ParsePortable([]byte(`{"format":"s-connect-profile","version":1,"settings":{"shop.ftp.port":"99999"}}`))
	before, _ := s.Profiles()
	var ve *ValidationError
	if _, err := s.ImportProfile(bad, "Fout"); !errors.As(err, &ve) {
		t.Fatalf("invalid value: %v", err)
	}
	if after, _ := s.Profiles(); len(after) != len(before) {
		t.Fatal("a profile was made from an invalid export")
	}
}
