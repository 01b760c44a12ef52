package orderimport

import (
	"runtime"
	"sync"
	"testing"
)

// Orders finish side by side (four are sent at once): the listener still
// gets the count in order, never a lower one after a higher.
func TestTrackerReportsInOrderFromSeveralGoroutines(t *testing.T) {
	var got []int
	tr := newTracker(func(p OrderProgress) {
		runtime.Gosched() // a listener that takes its time, as an event broker may
		got = append(got, p.Done)
	})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				tr.at(g*1000 + i)
				tr.finished(g*1000 + i)
			}
		}(g)
	}
	wg.Wait()
	if len(got) != 2*8*200 {
		t.Fatalf("%d reports, want %d", len(got), 2*8*200)
	}
	for i := 1; i < len(got); i++ {
		if got[i] < got[i-1] {
			t.Fatalf("report %d says %d done after %d", i, got[i], got[i-1])
		}
	}
	if got[len(got)-1] != 8*200 {
		t.Fatalf("last report %d, want %d", got[len(got)-1], 8*200)
	}
}
