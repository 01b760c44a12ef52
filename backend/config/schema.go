// Package config holds S-Connect's settings: the one declaration of every
// setting (this file and settings.go), their validation, and the SQLite store
// (through GORM) of profiles, settings and run history.
//
// Everything about a setting — its kind, default, choices, when it is shown,
// when it is required, whether it is secret — is declared once in Settings.
// The form in the frontend, the defaults of a new profile, validation and log
// redaction are all derived from that declaration. Labels and help texts are
// not declared here: they live in the message files under the keys
// "setting.<key>.label" and "setting.<key>.help" (see frontend/src/locales).
package config

import "time"

// Kind says what a setting holds and so how it is edited and validated.
type Kind string

const (
	KindText       Kind = "text"        // free text, optionally limited by MaxLen/Pattern
	KindSecret     Kind = "secret"      // a password or key: stored encrypted, never sent back
	KindSecretFile Kind = "secretFile"  // a secret read from a file (an SSH private key)
	KindBool       Kind = "bool"        // "true" / "false"
	KindInt        Kind = "int"         // whole number within Min..Max
	KindPort       Kind = "port"        // TCP port 1–65535
	KindChoice     Kind = "choice"      // one of Choices
	KindDateTime   Kind = "datetime"    // local date-time "2006-01-02T15:04"
	KindTime       Kind = "time"        // time of day "15:04"
	KindURL        Kind = "url"         // absolute http(s) URL
	KindHost       Kind = "host"        // host name or IP address, no scheme or port
	KindPath       Kind = "path"        // a folder on the FTP server
	KindMoney      Kind = "money"       // a decimal amount ≥ 0, stored with a dot
	KindTemplate   Kind = "template"    // text with {placeholders} from Placeholders
	KindArticle    Kind = "article"     // a SnelStart artikelcode, looked up in the administration
	KindPick       Kind = "pick"        // an item of a SnelStart list (PickList), stored by name
	KindIDList     Kind = "idList"      // comma-separated whole numbers; empty means "all"
	KindRateMap    Kind = "rateMap"     // lines "rate=value", e.g. "9=Omzet laag"
	KindReadOnly   Kind = "readonly"    // filled by the program (e.g. after a connection test)
	KindRelCode    Kind = "relatiecode" // a SnelStart relatiecode (whole number ≥ 1)
	KindOptionMap  Kind = "optionMap"   // lines "product_option_value_id=artikelcode": option values on SnelStart articles
)

// Scope says where a setting is kept: per profile, or once for the program.
type Scope string

const (
	ScopeProfile Scope = "profile"
	ScopeProgram Scope = "program"
)

// Expr is a condition on the values of other settings, used for ShowIf and
// RequiredIf. It is evaluated the same way here and in the frontend
// (frontend/src/lib/schema.ts): Key in In, and every All, and at least one Any.
type Expr struct {
	Key string   `json:"key,omitempty"`
	In  []string `json:"in,omitempty"`
	All []Expr   `json:"all,omitempty"`
	Any []Expr   `json:"any,omitempty"`
}

// Eval reports whether the condition holds for the given values (defaults
// already applied). A nil condition holds.
func (e *Expr) Eval(v map[string]string) bool {
	if e == nil {
		return true
	}
	if e.Key != "" {
		found := false
		for _, want := range e.In {
			if v[e.Key] == want {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	for i := range e.All {
		if !e.All[i].Eval(v) {
			return false
		}
	}
	if len(e.Any) > 0 {
		for i := range e.Any {
			if e.Any[i].Eval(v) {
				return true
			}
		}
		return false
	}
	return true
}

func is(key string, values ...string) *Expr { return &Expr{Key: key, In: values} }

// Choice is one value of a choice setting. Sets lists other settings that
// follow this choice: the FTP port follows the protocol unless the user changed
// it, a ReadOnly setting (Versleuteling) always follows.
type Choice struct {
	Value string            `json:"value"`
	Sets  map[string]string `json:"sets,omitempty"`
}

// Setting declares one setting. Only Key and Kind are always needed.
type Setting struct {
	Key        string   `json:"key"`
	Kind       Kind     `json:"kind"`
	Scope      Scope    `json:"scope"`
	Default    string   `json:"default"`
	Choices    []Choice `json:"choices,omitempty"`
	Required   bool     `json:"required,omitempty"`   // must be filled when shown (and RequiredIf holds)
	RequiredIf *Expr    `json:"requiredIf,omitempty"` // narrows Required
	ShowIf     *Expr    `json:"showIf,omitempty"`
	Min        int      `json:"min,omitempty"`
	Max        int      `json:"max,omitempty"`
	MaxLen     int      `json:"maxLen,omitempty"`
	Pattern    string   `json:"pattern,omitempty"`  // anchored regular expression for KindText
	PickList   string   `json:"pickList,omitempty"` // SnelStart list for KindPick / KindArticle
	// ReadOnly settings are not edited by the user: they follow another
	// setting's choice (Choice.Sets) or are filled by the program.
	ReadOnly bool `json:"readOnly,omitempty"`
	Advanced bool `json:"advanced,omitempty"` // folded away under "Geavanceerd"
	Hidden   bool `json:"hidden,omitempty"`   // kept by the program, on no tab (the bridge's secret)
	// Local settings belong to this profile alone: a copy or an export of
	// the profile leaves them out (the bridge it installed).
	Local bool `json:"local,omitempty"`
	// defaultFunc gives a default that depends on the moment a profile is
	// created (Vanaf datum/tijd = the install moment); it is stored then.
	defaultFunc func(now time.Time) string
}

// IsSecret reports whether the setting's value must never leave the store.
func (s *Setting) IsSecret() bool { return s.Kind == KindSecret || s.Kind == KindSecretFile }

// Section is a titled group of settings on a tab; its title is "section.<ID>".
type Section struct {
	ID   string   `json:"id"`
	Keys []string `json:"keys"`
}

// Tab is one tab of the configuration window, titled "tab.<ID>". A tab has
// sections of settings, sub-tabs, or a panel of its own (Uitvoering), and the
// actions (buttons) that belong on it.
type Tab struct {
	ID       string    `json:"id"`
	Sections []Section `json:"sections,omitempty"`
	Sub      []Tab     `json:"sub,omitempty"`
	Panel    string    `json:"panel,omitempty"`
	Actions  []string  `json:"actions,omitempty"`
}

// Schema is what the frontend needs to draw and check the form.
type Schema struct {
	Settings     []Setting `json:"settings"`
	Tabs         []Tab     `json:"tabs"`
	Placeholders []string  `json:"placeholders"`
}
