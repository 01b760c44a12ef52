package main

import (
	"bytes"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// firstStartTarget is B12's promise: from the first start to the whole
// product working on the demo within a minute.
const firstStartTarget = 60 * time.Second

// BenchmarkFirstStartToWorkingDemo is the first start on an empty settings
// folder up to the first successful run on the demo: the settings made,
// the demo shop and administration created, its orders booked and the
// stock exported (`s-connect run ordersStock`, in this process). It fails
// when the slowest start takes longer than firstStartTarget.
func BenchmarkFirstStartToWorkingDemo(b *testing.B) {
	created := regexp.MustCompile(`Geslaagd \((\d+) × aangemaakt,.* (\d+) × voorraad bijgewerkt`) // the summary in Dutch, a first start's language
	var worst time.Duration
	for b.Loop() {
		dir := b.TempDir()
		var out, errs bytes.Buffer
		start := time.Now()
		code := run([]string{"run", "--config-dir", dir, "ordersStock"}, &out, &errs)
		took := time.Since(start)
		m := created.FindStringSubmatch(out.String())
		if code != 0 || m == nil {
			b.Fatalf("first start: exit %d, %s %s", code, out.String(), errs.String())
		}
		if n, _ := strconv.Atoi(m[1]); n == 0 {
			b.Fatalf("the first run booked nothing: %s", out.String())
		}
		// Working means both halves: the shop's stock follows the demo
		// administration's figures after the first run.
		if n, _ := strconv.Atoi(m[2]); n == 0 {
			b.Fatalf("the first run changed no stock in the demo shop: %s", out.String())
		}
		worst = max(worst, took)
	}
	b.ReportMetric(worst.Seconds(), "s-worst")
	if worst > firstStartTarget {
		b.Fatalf("first start to a working demo took %v, more than %v", worst, firstStartTarget)
	}
}
