package app

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/desktop/notify"
)

type fakeNotifier struct {
	mu   sync.Mutex
	sent []notify.Message
}

func (f *fakeNotifier) Notify(m notify.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	return nil
}

func (f *fakeNotifier) causes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, m := range f.sent {
		out = append(out, m.Cause)
	}
	return out
}

func newHealthFor(t *testing.T) (*Services, *health, *fakeNotifier, uint) {
	s := newTestServices(t)
	n := &fakeNotifier{}
	ps, _ := s.store.Profiles()
	return s, newHealth(s, n), n, ps[0].ID
}

func finished(profile uint, task, state string, held int) config.Run {
	now := time.Now()
	return config.Run{ProfileID: profile, Task: task, Trigger: "schedule", StartedAt: now, FinishedAt: &now, State: state,
		Held: held, Summary: "{}"}
}

// failedWith is a failed run with its cause, as Tasks records it.
func failedWith(s *Services, profile uint, task string, err error) config.Run {
	r := finished(profile, task, config.RunFailed, 0)
	r.Cause, r.CauseArg, r.Fix = s.causeOf(err)
	return r
}

// A failing task is notified once, not on every run; after a good run it
// clears, and the next failure is notified again.
func TestAFailureIsNotifiedOncePerCause(t *testing.T) {
	s, h, n, p := newHealthFor(t)
	boom := &LicenseError{Code: "license_missing", Module: "orders"}
	for i := 0; i < 3; i++ {
		h.runFinished(failedWith(s, p, "orders", boom), boom)
	}
	if got := n.causes(); len(got) != 1 || got[0] != fmt.Sprintf("failed:%d:orders", p) {
		t.Fatalf("after three failures: %v, want one notification", got)
	}
	m := n.sent[0]
	want := s.runView(failedWith(s, p, "orders", boom), "nl").Message
	if m.View != "execution" || m.ProfileID != p || !strings.Contains(m.Title, "Importeren orders is mislukt") ||
		want == "" || !strings.HasSuffix(m.Body, ": "+want) {
		t.Fatalf("notification %+v, want the run's cause %q", m, want)
	}
	// Another task failing is another cause.
	h.runFinished(failedWith(s, p, "ordersStock", boom), boom)
	if len(n.causes()) != 2 {
		t.Fatalf("the other task's failure: %v", n.causes())
	}
	h.runFinished(finished(p, "orders", config.RunOK, 0), nil)
	h.runFinished(failedWith(s, p, "orders", boom), boom)
	if got := n.causes(); len(got) != 3 || got[2] != fmt.Sprintf("failed:%d:orders", p) {
		t.Fatalf("a new failure after a good run: %v", got)
	}
}

// Held orders (Geslaagd, N vastgehouden): once while they wait, again only
// after a run without any.
func TestHeldOrdersAreNotifiedOnce(t *testing.T) {
	_, h, n, p := newHealthFor(t)
	for i := 0; i < 3; i++ {
		h.runFinished(finished(p, "orders", config.RunHeld, 2), nil)
	}
	if got := n.causes(); len(got) != 1 || got[0] != fmt.Sprintf("held:%d", p) || !strings.Contains(n.sent[0].Title, "2 order(s) wachten") {
		t.Fatalf("held: %v %+v", got, n.sent)
	}
	h.runFinished(finished(p, "orders", config.RunOK, 0), nil)
	h.runFinished(finished(p, "orders", config.RunHeld, 1), nil)
	if len(n.causes()) != 2 {
		t.Fatalf("held again after clearing: %v", n.causes())
	}
}

// A refused key opens Koppeling SnelStart, and is not also a plain failure.
func TestARefusedKeyOpensKoppelingSnelStart(t *testing.T) {
	s, h, n, p := newHealthFor(t)
	refused := &SnelStartError{Err: &snelstart.APIError{Status: http.StatusUnauthorized, Message: "Access denied due to invalid subscription key."}}
	h.runFinished(failedWith(s, p, "orders", refused), refused)
	h.runFinished(failedWith(s, p, "ordersStock", refused), refused)
	if got := n.causes(); len(got) != 1 || got[0] != fmt.Sprintf("key:%d", p) || n.sent[0].View != "snelstart" {
		t.Fatalf("refused key: %v %+v", got, n.sent)
	}
}

// No successful run for app.staleHours while a task is planned: one
// notification; none for a profile without a schedule.
func TestNoSuccessfulRunForHours(t *testing.T) {
	s, h, n, p := newHealthFor(t)
	s.store.SetProgram("app.staleHours", "6")
	h.checkStale(time.Now().Add(7 * time.Hour))
	if len(n.sent) != 0 {
		t.Fatalf("notified without a schedule: %+v", n.sent)
	}
	s.store.Save(p, map[string]string{"planning.orders.interval": "1h"}, nil)
	ok := finished(p, "orders", config.RunHeld, 1) // went through, with an order held
	at := time.Now().Add(-2 * time.Hour)
	ok.StartedAt, ok.FinishedAt = at, &at
	s.store.AddRun(&ok)
	h.checkStale(time.Now()) // 2 h: fine
	if len(n.sent) != 0 {
		t.Fatalf("notified after 2 h: %+v", n.sent)
	}
	h.checkStale(time.Now().Add(5 * time.Hour)) // 7 h since the last good run
	h.checkStale(time.Now().Add(6 * time.Hour))
	if got := n.causes(); len(got) != 1 || got[0] != fmt.Sprintf("stale:%d", p) || !strings.Contains(n.sent[0].Title, "6 uur") {
		t.Fatalf("stale: %v %+v", got, n.sent)
	}
}

// With Melding bij fouten off, nothing is shown.
func TestNotificationsOff(t *testing.T) {
	s, h, n, p := newHealthFor(t)
	s.store.SetProgram("app.notify", "false")
	boom := &LicenseError{Code: "license_missing", Module: "orders"}
	h.runFinished(failedWith(s, p, "orders", boom), boom)
	h.runFinished(finished(p, "orders", config.RunHeld, 1), nil)
	if len(n.sent) != 0 {
		t.Fatalf("notified with notifications off: %+v", n.sent)
	}
}

// A restart (every login, through autostart) does not notify a cause again
// that was notified and is still not solved; once solved, it is notified
// again when it comes back — also across a restart.
func TestNotifiedCausesSurviveARestart(t *testing.T) {
	s, h, n, p := newHealthFor(t)
	boom := &LicenseError{Code: "license_missing", Module: "orders"}
	h.runFinished(failedWith(s, p, "ordersStock", boom), boom)
	h.runFinished(finished(p, "orders", config.RunHeld, 2), nil)
	if got := n.causes(); len(got) != 2 {
		t.Fatalf("before the restart: %v", got)
	}

	// The program starts again on the same settings: same failure, same held orders.
	n2 := &fakeNotifier{}
	h2 := newHealth(s, n2)
	h2.runFinished(failedWith(s, p, "ordersStock", boom), boom)
	h2.runFinished(finished(p, "orders", config.RunHeld, 2), nil)
	if got := n2.causes(); len(got) != 0 {
		t.Fatalf("after a restart the unsolved causes were notified again: %v", got)
	}
	// Solved (good runs of both tasks), then back: notified again.
	h2.runFinished(finished(p, "orders", config.RunOK, 0), nil)
	h2.runFinished(finished(p, "ordersStock", config.RunOK, 0), nil)
	n3 := &fakeNotifier{}
	h3 := newHealth(s, n3) // and a restart in between
	h3.runFinished(failedWith(s, p, "ordersStock", boom), boom)
	h3.runFinished(finished(p, "orders", config.RunHeld, 1), nil)
	want := []string{fmt.Sprintf("failed:%d:ordersStock", p), fmt.Sprintf("held:%d", p)}
	if got := n3.causes(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("solved and back after a restart: %v, want %v", got, want)
	}
}
