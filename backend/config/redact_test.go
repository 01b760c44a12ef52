package config

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretsNeverReachTheLog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: RedactAttr}))
	for _, s := range Settings {
		if s.IsSecret() {
			log.Info("saved", s.Key, "geheim-"+s.Key)
		}
	}
	log.Info("login", "password", "pw1", "bridgeSecret", "s3", "accessToken", "t0k", "host", "ftp.example.nl")
	out := buf.String()
	if strings.Contains(out, "geheim-") || strings.Contains(out, "pw1") || strings.Contains(out, "s3") || strings.Contains(out, "t0k") {
		t.Fatalf("a secret reached the log:\n%s", out)
	}
	if !strings.Contains(out, "host=ftp.example.nl") {
		t.Fatalf("an ordinary value was hidden:\n%s", out)
	}
}

func TestExpandTemplate(t *testing.T) {
	fields := map[string]string{"ordernummer": "1042", "klantnaam": "Anna", "bedrijf": ""}
	cases := map[string]string{
		"Webshop order {ordernummer} {klantnaam}": "Webshop order 1042 Anna",
		"{ordernummer} {bedrijf} {klantnaam}":     "1042 Anna", // an empty field leaves no double space
		"Order {onbekend}":                        "Order {onbekend}",
		"Order {ordernummer":                      "Order {ordernummer",
	}
	for tpl, want := range cases {
		if got := ExpandTemplate(tpl, fields); got != want {
			t.Errorf("%q → %q, want %q", tpl, got, want)
		}
	}
}
