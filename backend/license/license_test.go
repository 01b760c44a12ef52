package license

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func keys(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func sample() License {
	return License{ID: "abc", Licensee: "Wijnhandel ’t Vaatje B.V.", Email: "info@vaatje.nl",
		Shops: []string{"https://www.vaatje.nl/", "tweede.vaatje.nl"}, Modules: []string{ModuleOrders},
		ValidFrom: now.AddDate(0, -1, 0), ValidUntil: now.AddDate(1, 0, 0), Issued: now.AddDate(0, -1, 0)}
}

func TestLicenceFiles(t *testing.T) {
	pub, priv := keys(t)
	_, otherPriv := keys(t)
	good, err := Issue(sample(), priv)
	if err != nil {
		t.Fatal(err)
	}
	expired := sample()
	expired.ValidUntil = now.AddDate(0, 0, -1)
	expiredText, _ := Issue(expired, priv)
	future := sample()
	future.ValidFrom = now.AddDate(0, 0, 3)
	futureText, _ := Issue(future, priv)
	otherText, _ := Issue(sample(), otherPriv)

	// The payload with one letter changed, signature kept.
	payload, _ := between(good, beginPayload, endPayload)
	changed := bytes.Replace(payload, []byte("Vaatje B.V."), []byte("Vaatje B.W."), 1)
	tamperedPayload := block(beginPayload, endPayload, changed) + good[strings.Index(good, beginSignature):]
	sig, _ := between(good, beginSignature, endSignature)
	sig[10] ^= 1
	tamperedSig := good[:strings.Index(good, beginSignature)] + block(beginSignature, endSignature, sig)
	// Mailed: quoted with "> " and line breaks at other places.
	var mailed strings.Builder
	for _, line := range strings.Split(good, "\n") {
		mailed.WriteString("> " + line + "\r\n")
	}
	garbage := make([]byte, 600)
	rand.Read(garbage)

	cases := []struct {
		name, file, shop string
		want             error
	}{
		{"valid", good, "https://vaatje.nl", nil},
		{"valid, second shop with www", good, "http://www.tweede.vaatje.nl/winkel", nil},
		{"valid, as mailed", mailed.String(), "", nil},
		{"valid, surrounded by text", "Beste klant,\n\nHierbij uw licentie:\n\n" + good + "\nMet vriendelijke groet", "", nil},
		{"expired", expiredText, "", ErrExpired},
		{"not yet valid", futureText, "", ErrNotYetValid},
		{"wrong shop", good, "https://andere-winkel.nl", ErrWrongShop},
		{"wrong key", otherText, "", ErrOtherKey},
		{"tampered payload", tamperedPayload, "", ErrTampered},
		{"tampered signature", tamperedSig, "", ErrTampered},
		{"truncated", good[:len(good)/2], "", ErrMalformed},
		{"empty", " \n ", "", ErrEmpty},
		{"binary garbage", string(garbage), "", ErrMalformed},
		{"huge", good + strings.Repeat("x", MaxSize), "", ErrTooLarge},
		{"only the payload", good[:strings.Index(good, beginSignature)], "", ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := Parse([]byte(c.file), pub)
			if err == nil {
				err = l.Check(now, c.shop)
			}
			if !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if c.want == nil && (l.Licensee != "Wijnhandel ’t Vaatje B.V." || !l.Has(ModuleOrders) || l.Has(ModuleVoorraad)) {
				t.Fatalf("licence read wrongly: %+v", l)
			}
		})
	}
}

func TestExpiresSoon(t *testing.T) {
	l := sample()
	if l.ExpiresSoon(now) {
		t.Fatal("a year left is not soon")
	}
	l.ValidUntil = now.AddDate(0, 0, 20)
	if !l.ExpiresSoon(now) {
		t.Fatal("20 days left is soon")
	}
}

func TestBuiltInKeyIsValid(t *testing.T) {
	pub, err := BuiltInKey()
	if err != nil || len(pub) != ed25519.PublicKeySize {
		t.Fatalf("built-in key: %v", err)
	}
	if _, err := base64.StdEncoding.DecodeString(PublicKey); err != nil {
		t.Fatal(err)
	}
}

func FuzzParse(f *testing.F) {
	pub, priv := keys(f)
	good, _ := Issue(sample(), priv)
	f.Add([]byte(good))
	f.Add([]byte(beginPayload + "\n" + endPayload))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(data, pub)
		if err == nil && (l == nil || l.KeyID != KeyID(pub)) {
			t.Fatalf("accepted without a valid licence: %+v", l)
		}
		if err != nil && l != nil {
			t.Fatal("a licence with an error")
		}
	})
}
