package config

import (
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/crypto/ssh"
)

// Issue is a problem with one setting. Code names the problem; the message
// for it is "err.<Code>" in the message files, with Arg filled in.
type Issue struct {
	Key  string `json:"key"`
	Code string `json:"code"`
	Arg  string `json:"arg,omitempty"`
}

// CodeRequired is the issue of a required setting left empty. It does not
// block saving (a user may fill one tab at a time); it blocks connection
// tests and runs, which name what is missing.
const CodeRequired = "required"

// Check validates a complete set of values (defaults applied, secrets given
// as "set" or not by hasSecret). It returns the issues that block saving and
// the required settings that are still empty. Only shown settings are
// checked: a hidden setting keeps its value but does not count.
func Check(v map[string]string, hasSecret func(key string) bool) (invalid, missing []Issue) {
	for i := range Settings {
		s := &Settings[i]
		if !s.ShowIf.Eval(v) || s.ReadOnly {
			continue
		}
		val := v[s.Key]
		empty := val == ""
		if s.IsSecret() {
			empty = val == "" && !hasSecret(s.Key)
		}
		if empty {
			if s.Required && s.RequiredIf.Eval(v) {
				missing = append(missing, Issue{Key: s.Key, Code: CodeRequired})
			}
			continue
		}
		if val == "" { // a secret that is set and not being changed
			continue
		}
		if code, arg := checkValue(s, val); code != "" {
			invalid = append(invalid, Issue{Key: s.Key, Code: code, Arg: arg})
		}
	}
	// Rules that span two settings.
	if bridge.Eval(v) && v["shop.allowHTTP"] != "true" && strings.HasPrefix(strings.ToLower(v["shop.url"]), "http://") {
		invalid = append(invalid, Issue{Key: "shop.url", Code: "url_https"})
	}
	return invalid, missing
}

// Normalize returns the canonical form of a value as the user typed it:
// surrounding spaces trimmed, "0,05" as "0.05", "1, 2" as "1,2". It does not
// validate; Check does.
func Normalize(s *Setting, val string) string {
	if s.IsSecret() || s.Kind == KindTemplate {
		if s.Kind == KindSecretFile {
			return strings.TrimSpace(val) + "\n"
		}
		return val
	}
	val = strings.TrimSpace(val)
	switch s.Kind {
	case KindMoney:
		val = strings.ReplaceAll(val, ",", ".")
		if d, err := decimal.NewFromString(val); err == nil && d.Exponent() >= -2 {
			val = d.StringFixed(2) // never rounds: more decimals are left for Check to refuse
		}
	case KindIDList:
		parts := strings.Split(val, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		val = strings.Join(parts, ",")
	case KindRateMap, KindOptionMap:
		var lines []string
		for _, l := range strings.Split(val, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		val = strings.Join(lines, "\n")
	case KindDateTime:
		if t, err := time.ParseInLocation("2006-01-02T15:04:05", val, time.Local); err == nil {
			val = t.Format(DateTimeLayout)
		}
	}
	return val
}

var (
	idListRE   = regexp.MustCompile(`^\d{1,9}(,\d{1,9})*$`)
	hostRE     = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$`)
	placeRE    = regexp.MustCompile(`\{([^{}]*)\}`)
	patternREs = map[string]*regexp.Regexp{}
)

func init() {
	for _, s := range Settings {
		if s.Pattern != "" {
			patternREs[s.Key] = regexp.MustCompile("^(?:" + s.Pattern + ")$")
		}
	}
}

// checkValue validates one non-empty value against its declaration.
func checkValue(s *Setting, val string) (code, arg string) {
	if s.MaxLen > 0 && utf8.RuneCountInString(val) > s.MaxLen {
		return "too_long", strconv.Itoa(s.MaxLen)
	}
	if s.Kind != KindSecretFile && s.Kind != KindRateMap && s.Kind != KindOptionMap && strings.ContainsFunc(val, unicode.IsControl) {
		return "control_chars", ""
	}
	switch s.Kind {
	case KindText:
		if re := patternREs[s.Key]; re != nil && !re.MatchString(val) {
			return "pattern_" + strings.ReplaceAll(s.Key, ".", "_"), ""
		}
	case KindSecretFile:
		if _, err := ssh.ParseRawPrivateKey([]byte(val)); err != nil {
			if _, ok := err.(*ssh.PassphraseMissingError); ok {
				return "ssh_key_passphrase", ""
			}
			return "ssh_key_invalid", ""
		}
	case KindBool:
		if val != "true" && val != "false" {
			return "bool", ""
		}
	case KindInt, KindRelCode, KindPort:
		lo, hi := s.Min, s.Max
		switch s.Kind {
		case KindPort:
			lo, hi = 1, 65535
		case KindRelCode:
			lo, hi = 1, 999999999
		}
		n, err := strconv.Atoi(val)
		if err != nil || n < lo || n > hi {
			if s.Kind == KindPort {
				return "port", ""
			}
			return "int_range", strconv.Itoa(lo) + "–" + strconv.Itoa(hi)
		}
	case KindChoice:
		for _, c := range s.Choices {
			if c.Value == val {
				return "", ""
			}
		}
		return "choice", ""
	case KindDateTime:
		if _, err := time.ParseInLocation(DateTimeLayout, val, time.Local); err != nil {
			return "datetime", ""
		}
	case KindTime:
		if _, err := time.Parse("15:04", val); err != nil {
			return "time", ""
		}
	case KindURL:
		return checkURL(val)
	case KindHost:
		return checkHost(val)
	case KindPath:
		for _, part := range strings.Split(val, "/") {
			if part == ".." {
				return "path_dots", ""
			}
		}
	case KindMoney:
		d, err := decimal.NewFromString(val)
		if err != nil || d.IsNegative() || d.GreaterThan(decimal.NewFromInt(1000)) || d.Exponent() < -2 {
			return "money", ""
		}
	case KindTemplate:
		if strings.Count(val, "{") != strings.Count(val, "}") {
			return "template_braces", ""
		}
		for _, m := range placeRE.FindAllStringSubmatch(val, -1) {
			if !isPlaceholder(m[1]) {
				return "template_unknown", m[1]
			}
		}
	case KindIDList:
		if !idListRE.MatchString(val) {
			return "id_list", ""
		}
		if s.Key == "shop.orderStatuses" || s.Key == "sales.refundStatuses" {
			for _, id := range strings.Split(val, ",") {
				if n, _ := strconv.Atoi(id); n == 0 {
					return "status_zero", ""
				}
			}
		}
	case KindRateMap:
		for _, line := range strings.Split(val, "\n") {
			rate, name, ok := strings.Cut(line, "=")
			d, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(rate), ",", "."))
			if !ok || err != nil || d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) || strings.TrimSpace(name) == "" {
				return "rate_map", line
			}
		}
	case KindOptionMap:
		for _, line := range strings.Split(val, "\n") {
			if _, _, ok := ParseOptionMapLine(line); !ok {
				return "option_map", line
			}
		}
	case KindArticle, KindPick:
		if strings.TrimSpace(val) != val {
			return "spaces", ""
		}
	}
	return "", ""
}

// ParseOptionMapLine reads "product_option_value_id=artikelcode".
func ParseOptionMapLine(line string) (id int, code string, ok bool) {
	left, right, found := strings.Cut(line, "=")
	id, err := strconv.Atoi(strings.TrimSpace(left))
	code = strings.TrimSpace(right)
	if !found || err != nil || id <= 0 || code == "" || utf8.RuneCountInString(code) > articleN ||
		strings.ContainsFunc(code, unicode.IsControl) {
		return 0, "", false
	}
	return id, code, true
}

// OptionMap reads an optionMap value: option value id → article code.
func OptionMap(val string) map[int]string {
	out := map[int]string{}
	for _, line := range strings.Split(val, "\n") {
		if id, code, ok := ParseOptionMapLine(line); ok {
			out[id] = code
		}
	}
	return out
}

func isPlaceholder(name string) bool {
	for _, p := range Placeholders {
		if p == name {
			return true
		}
	}
	return false
}

func checkURL(val string) (string, string) {
	if !strings.Contains(val, "://") {
		return "url_scheme", ""
	}
	u, err := url.Parse(val)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return "url_invalid", ""
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "url_scheme", ""
	}
	if u.User != nil {
		return "url_userinfo", ""
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "url_query", ""
	}
	return "", ""
}

func checkHost(val string) (string, string) {
	if strings.Contains(val, "://") {
		return "host_scheme", ""
	}
	if net.ParseIP(val) != nil {
		return "", ""
	}
	if strings.Contains(val, ":") {
		return "host_port", ""
	}
	if len(val) > 253 || !hostRE.MatchString(val) {
		return "host", ""
	}
	return "", ""
}
