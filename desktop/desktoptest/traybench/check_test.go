package main

import (
	"strings"
	"testing"
)

// An hour in the tray as run 2 of BENCHMARKS.md measured it, roughly.
func steadyHour() []sample {
	out := []sample{{what: "window open", pss: 230 * 1024}, {what: "in the tray, 30s idle", tray: true, pss: 44 * 1024}}
	for i := 1; i <= 12; i++ {
		out = append(out, sample{what: "in the tray, runs every 5m", tray: true, runs: i, pss: (41 + i%3*8) * 1024,
			anon: (17400 + i*250), files: 19 + i%3, goroutines: 26 + i%2})
	}
	return out
}

func TestTheTrayBenchmarkHoldsItsTargets(t *testing.T) {
	if failed := check(steadyHour()); len(failed) != 0 {
		t.Fatalf("a steady hour failed: %v", failed)
	}
	// The window open may take more; only the tray has the target.
	over := steadyHour()
	over[5].pss = 81 * 1024
	if failed := check(over); len(failed) != 1 || !strings.Contains(failed[0], "81.0 MiB PSS in the tray") {
		t.Fatalf("81 MiB in the tray: %v", failed)
	}
	// A leak per run: a goroutine and an open file more with every run.
	leak := steadyHour()
	for i := range leak {
		leak[i].goroutines += leak[i].runs
		leak[i].files += leak[i].runs
	}
	if failed := check(leak); len(failed) != 2 || !strings.Contains(failed[0], "goroutines grew") || !strings.Contains(failed[1], "open files grew") {
		t.Fatalf("a leak per run: %v", failed)
	}
	heap := steadyHour()
	for i := range heap {
		heap[i].anon += heap[i].runs * 1024
	}
	if failed := check(heap); len(failed) != 1 || !strings.Contains(failed[0], "anonymous PSS") {
		t.Fatalf("a MiB more with every run: %v", failed)
	}
}
