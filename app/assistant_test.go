package app

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/config"
)

// The setup assistant's steps name tabs and sections of backend/config
// rather than list settings of their own: a renamed tab or section must
// not leave a step empty without a word.
func TestAssistantStepsNameDeclaredTabs(t *testing.T) {
	src, err := os.ReadFile("../frontend/src/lib/assistant.svelte.ts")
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]string{} // section id → tab id
	for _, tab := range config.Tabs {
		for _, s := range tab.Sections {
			sections[s.ID] = tab.ID
		}
	}
	step := regexp.MustCompile(`\{ id: '(\w+)'(?:, tab: '(\w+)')?(?:, test: '[\w.]+')?,?\s*(?:sections: \[([^\]]*)\])?`)
	found := step.FindAllStringSubmatch(string(src), -1)
	if len(found) != 5 {
		t.Fatalf("%d steps found, want 5", len(found))
	}
	shown := 0
	for _, m := range found {
		tab := m[2]
		if tab == "" {
			continue
		}
		if !hasTab(tab) {
			t.Errorf("step %s: no tab %q in backend/config", m[1], tab)
		}
		for _, s := range regexp.MustCompile(`'(\w+)'`).FindAllStringSubmatch(m[3], -1) {
			shown++
			if sections[s[1]] != tab {
				t.Errorf("step %s: section %q is not on tab %q", m[1], s[1], tab)
			}
		}
	}
	if shown == 0 || !strings.Contains(string(src), "stepTab") {
		t.Fatal("no sections read: the pattern no longer fits the file")
	}
}

func hasTab(id string) bool {
	for _, tab := range config.Tabs {
		if tab.ID == id {
			return true
		}
	}
	return false
}
