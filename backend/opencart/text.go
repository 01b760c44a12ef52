package opencart

import (
	"html"
	"regexp"
	"strings"
)

// OpenCart stores every text that came through a form (checkout, account,
// admin) HTML-escaped: & " < > become &amp; &quot; &lt; &gt; (a single
// quote stays as typed), and a typed "&amp;" is stored as "&amp;amp;"
// (docs/opencart-text.md). The model decodes each such field exactly once
// when it reads it, so everything past this package sees what was typed.

// entity is one complete character reference: named, decimal or hex, with
// its semicolon. A bare "&" or "&copy" without ";" is text, as PHP's
// html_entity_decode leaves it.
var entity = regexp.MustCompile(`&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});`)

// Decode turns stored OpenCart text back into what was typed: every
// character reference is replaced once (&amp;amp; becomes &amp;).
func Decode(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return entity.ReplaceAllStringFunc(s, html.UnescapeString)
}

// Escape is what OpenCart's request cleaning makes of typed text
// (htmlspecialchars with ENT_COMPAT): how a typed code is searched for in
// the shop's tables.
func Escape(s string) string {
	return escaper.Replace(s)
}

var escaper = strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;")
