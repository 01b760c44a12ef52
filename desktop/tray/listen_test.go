package tray

import (
	"sync/atomic"
	"testing"
	"time"
)

// When the menu is rebuilt, systray closes the old items' channels: that
// must not count as a click (a rebuilt menu would otherwise toggle
// Pauzeren back, or choose Afsluiten, by itself).
func TestARemovedMenuItemIsNoClick(t *testing.T) {
	var clicked atomic.Int32
	tr := &Tray{onClick: func(string) { clicked.Add(1) }}
	clicks, stop := make(chan struct{}), make(chan struct{})
	done := make(chan struct{})
	go func() { tr.listen(clicks, "quit", stop); close(done) }()
	clicks <- struct{}{}
	close(clicks) // systray removes the item; the menu's stop comes later
	time.Sleep(50 * time.Millisecond)
	close(stop)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the listener did not end")
	}
	if n := clicked.Load(); n != 1 {
		t.Fatalf("%d clicks, want the one real click", n)
	}
}
