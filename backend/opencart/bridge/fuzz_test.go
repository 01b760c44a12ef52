package bridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// An answer is used only when it carries the bridge's signature over the
// request's nonce, the status and the body: whatever else arrives decodes
// to an error, never to data, and never panics.
func FuzzDecodeReply(f *testing.F) {
	secret, nonce := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "nonce0123456789ab"
	for _, s := range []string{`{"result":[{"order_id":"1","total":"10.0000"}]}`, `{"error":"clock","time":1}`, `{"result":`, "", "<html>404</html>", `{"result":null}`} {
		f.Add(200, s, true)
		f.Add(404, s, false)
	}
	f.Fuzz(func(t *testing.T, status int, body string, sign bool) {
		sig := "ongeldig"
		if sign {
			sig = ReplySignature(secret, nonce, status, []byte(body))
		}
		var out any
		err := decodeReply(status, sig, []byte(body), secret, nonce, &out)
		if !sign && err == nil {
			t.Fatalf("an unsigned answer was used: %d %q", status, body)
		}
		if err == nil && (status != 200 || out == nil && body != `{"result":null}` && !validResult(body)) {
			t.Fatalf("accepted %d %q → %v", status, body, out)
		}
		if sign && errors.Is(err, ErrForged) && validResult(body) {
			t.Fatalf("a signed answer was called forged: %q", body)
		}
		// Independent of decodeReply's own reading: an answer whose result
		// is this text, signed over this nonce, reads back exactly; with a
		// byte changed, or for another request's nonce, it is refused.
		text := strings.ToValidUTF8(body, "?")
		wrapped, _ := json.Marshal(map[string]string{"result": text})
		sig = ReplySignature(secret, nonce, 200, wrapped)
		var got string
		if err := decodeReply(200, sig, wrapped, secret, nonce, &got); err != nil || got != text {
			t.Fatalf("a signed answer %s: %q, %v", wrapped, got, err)
		}
		changed := bytes.Clone(wrapped)
		changed[int(uint(status)%uint(len(changed)))] ^= 1
		if err := decodeReply(200, sig, changed, secret, nonce, &got); err == nil {
			t.Fatalf("a changed answer was used: %s", changed)
		}
		if err := decodeReply(200, sig, wrapped, secret, nonce+"x", &got); err == nil {
			t.Fatalf("an answer to another request was used: %s", wrapped)
		}
	})
}

func validResult(body string) bool {
	var r struct{ Result any }
	return decodeReply(200, ReplySignature("k", "n", 200, []byte(body)), []byte(body), "k", "n", &r) == nil
}

// config.php and index.php are read without running them: any content
// reads without a panic, names are constants' names, and a define as
// OpenCart's installer writes it reads back exactly.
// constantRE is a PHP constant name as config.php defines them (any
// length: a table prefix is limited to 32 characters, a constant is not).
var constantRE = regexp.MustCompile(`^[A-Z_]+$`)

func FuzzReadDefines(f *testing.F) {
	f.Add("define('"+strings.Repeat("A", 33)+"', 'x');", "")
	f.Add("<?php\ndefine('DB_PREFIX', 'oc_');\ndefine('DB_PASSWORD', 'p\\'w\\\\d');\n", "oc_")
	f.Add("define(\"DB_HOSTNAME\", \"localhost:/tmp/x.sock\"); define('DB_PORT', 3306);", "a")
	f.Add("define('VERSION', '4.1.0.4')define('VERSION', '9')", "")
	f.Fuzz(func(t *testing.T, src, prefix string) {
		for name := range ReadDefines([]byte(src)) {
			if !constantRE.MatchString(name) {
				t.Fatalf("constant name %q", name)
			}
		}
		if !prefixRE.MatchString(prefix) {
			return
		}
		got := ReadDefines([]byte(src + "\ndefine('SC_FUZZ_PREFIX', '" + prefix + "');"))["SC_FUZZ_PREFIX"]
		if got != prefix && ReadDefines([]byte(src))["SC_FUZZ_PREFIX"] == "" {
			t.Fatalf("prefix %q read as %q", prefix, got)
		}
	})
}
