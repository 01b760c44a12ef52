package app

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/s-connect/s-connect/frontend"
)

// Languages the program speaks; the first is the default.
var Languages = []string{"nl", "en"}

// Messages holds the message files of every language: the same files the
// UI uses (frontend/src/locales), so a string has one home.
type Messages struct {
	byLang map[string]map[string]string
}

// LoadMessages reads the embedded message files.
func LoadMessages() (*Messages, error) {
	m := &Messages{byLang: map[string]map[string]string{}}
	for _, lang := range Languages {
		raw, err := frontend.Locale(lang)
		if err != nil {
			return nil, fmt.Errorf("message file %s: %w", lang, err)
		}
		var msgs map[string]string
		if err := json.Unmarshal(raw, &msgs); err != nil {
			return nil, fmt.Errorf("message file %s: %w", lang, err)
		}
		m.byLang[lang] = msgs
	}
	return m, nil
}

// T returns the message key in lang with {arg} filled in; an unknown
// language falls back to Dutch, an unknown key shows the key (and a test
// keeps that from shipping).
func (m *Messages) T(lang, key, arg string) string {
	msgs, ok := m.byLang[lang]
	if !ok {
		msgs = m.byLang[Languages[0]]
	}
	s, ok := msgs[key]
	if !ok {
		return key
	}
	return strings.ReplaceAll(s, "{arg}", arg)
}

// Has reports whether key exists in every language.
func (m *Messages) Has(key string) bool {
	for _, lang := range Languages {
		if _, ok := m.byLang[lang][key]; !ok {
			return false
		}
	}
	return true
}

// Keys returns the keys of one language's file.
func (m *Messages) Keys(lang string) []string {
	keys := make([]string, 0, len(m.byLang[lang]))
	for k := range m.byLang[lang] {
		keys = append(keys, k)
	}
	return keys
}
