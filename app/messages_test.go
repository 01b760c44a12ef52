package app

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/config"
)

// TestMessagesCoverTheDeclaration keeps a label, help text and choice name
// for every setting, and a message for every error code, in both languages.
func TestMessagesCoverTheDeclaration(t *testing.T) {
	m, err := LoadMessages()
	if err != nil {
		t.Fatal(err)
	}
	need := []string{}
	for _, s := range config.Settings {
		need = append(need, "setting."+s.Key+".label", "setting."+s.Key+".help")
		for _, c := range s.Choices {
			need = append(need, "choice."+s.Key+"."+c.Value)
		}
	}
	var tabs func([]config.Tab)
	tabs = func(ts []config.Tab) {
		for _, tab := range ts {
			need = append(need, "tab."+tab.ID)
			for _, sec := range tab.Sections {
				need = append(need, "section."+sec.ID)
			}
			for _, a := range tab.Actions {
				need = append(need, "action."+a)
			}
			tabs(tab.Sub)
		}
	}
	tabs(config.Tabs)
	for _, task := range config.Tasks {
		need = append(need, "task."+task)
	}
	// Every issue code the validation can produce.
	code := regexp.MustCompile(`(?:Code: "([a-z_]+)"|return "([a-z_]+)", )`)
	files, _ := filepath.Glob("../backend/config/*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f)
		for _, mm := range code.FindAllSubmatch(src, -1) {
			need = append(need, "err."+string(mm[1])+string(mm[2]))
		}
	}
	need = append(need, "err.pattern_shop_tablePrefix", "err.internal", "err.unauthorized")
	// Every reason an order can be held or fail with.
	hold := regexp.MustCompile(`(?:Hold|Note)\{"([a-z_]+)"`)
	files, _ = filepath.Glob("../backend/orderimport/*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f)
		for _, at := range hold.FindAllSubmatchIndex(src, -1) {
			name := string(src[at[2]:at[3]])
			switch {
			case strings.HasSuffix(string(src[:at[0]]), "Warnings, "): // a warning about the run
				need = append(need, "warn."+name)
			case strings.HasPrefix(string(src[at[0]:at[1]]), "Note"):
				need = append(need, "note."+name)
			default:
				need = append(need, "hold."+name)
			}
		}
	}
	for _, k := range need {
		if !m.Has(k) {
			t.Errorf("message %q missing in a language", k)
		}
	}
	nl, en := m.Keys("nl"), m.Keys("en")
	sort.Strings(nl)
	sort.Strings(en)
	if len(nl) != len(en) {
		t.Fatalf("nl has %d messages, en %d", len(nl), len(en))
	}
	for i := range nl {
		if nl[i] != en[i] {
			t.Fatalf("message files differ at %q / %q", nl[i], en[i])
		}
	}
}
