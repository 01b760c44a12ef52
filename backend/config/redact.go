package config

import (
	"log/slog"
	"strings"
)

// RedactAttr is a slog ReplaceAttr that hides the value of any attribute
// named like a secret setting, or like a password or token, wherever it is
// logged.
func RedactAttr(_ []string, a slog.Attr) slog.Attr {
	k := strings.ToLower(a.Key)
	if IsSecret(a.Key) || strings.Contains(k, "password") || strings.Contains(k, "wachtwoord") ||
		strings.Contains(k, "token") || strings.Contains(k, "secret") || strings.HasSuffix(k, "key") {
		return slog.String(a.Key, "***")
	}
	return a
}
