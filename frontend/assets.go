// Package frontend carries the built web UI and the message files into the
// Go binary: the desktop window and the `serve` mode show the same files, and
// the Go side takes its user-facing messages from the same message files as
// the UI, so every string has one home.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

//go:embed src/locales/nl.json src/locales/en.json
var locales embed.FS

// Dist returns the built UI (frontend/dist); it holds only a placeholder
// until `npm run build` has run.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// Locale returns the message file of a language ("nl" or "en").
func Locale(lang string) ([]byte, error) {
	return locales.ReadFile("src/locales/" + lang + ".json")
}
