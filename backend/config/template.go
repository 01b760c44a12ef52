package config

import "strings"

// ExpandTemplate fills the {placeholders} of *Omschrijving order* from
// fields (keyed by placeholder name); unknown placeholders stay as written,
// so a mistake is visible in the preview rather than silently dropped.
func ExpandTemplate(tpl string, fields map[string]string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(tpl, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(tpl[open:], '}')
		if end < 0 {
			break
		}
		name := tpl[open+1 : open+end]
		b.WriteString(tpl[:open])
		if v, ok := fields[name]; ok && isPlaceholder(name) {
			b.WriteString(v)
		} else {
			b.WriteString(tpl[open : open+end+1])
		}
		tpl = tpl[open+end+1:]
	}
	b.WriteString(tpl)
	return strings.Join(strings.Fields(b.String()), " ")
}
