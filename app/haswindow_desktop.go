//go:build desktop

package app

// HasWindow: this build shows the window (built with the desktop tags).
const HasWindow = true
