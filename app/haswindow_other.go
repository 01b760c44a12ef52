//go:build !desktop

package app

// HasWindow: this build has no window (serve and run only).
const HasWindow = false
