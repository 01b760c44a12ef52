package app

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/lock"
)

// Another process runs the profile: a scheduled run is recorded as
// skipped, saying which program ran; Nu uitvoeren says so too; once the
// other run is done, they start again.
func TestBusyProfileIsSkippedAndSaysWhoIsRunning(t *testing.T) {
	s := newTestServices(t)
	ps, _ := s.store.Profiles()
	id := ps[0].ID
	other, err := lock.TryAcquire(s.lockPath("profile-"+strconv.Itoa(int(id))+".lock"), "s-connect run orders")
	if err != nil {
		t.Fatal(err)
	}
	holder := "s-connect run orders, pid " + strconv.Itoa(os.Getpid())
	s.RunScheduled(id, "orders")
	runs, _ := s.Tasks.History(id)
	if len(runs) != 1 || runs[0].State != "skipped" || runs[0].Trigger != "schedule" ||
		!strings.Contains(runs[0].Message, "liep nog") || !strings.Contains(runs[0].Message, holder) {
		t.Fatalf("runs %+v", runs)
	}
	_, err = s.Tasks.RunNow(id, "orders")
	var e *Error
	if !errors.As(s.FormatError(err).(error), &e) || e.Code != "run_busy" || !strings.Contains(e.Message, holder) {
		t.Fatalf("Nu uitvoeren while busy: %v", err)
	}
	other.Release()
	if _, err := s.Tasks.RunNow(id, "orders"); errors.Is(err, errRunBusy) {
		t.Fatalf("still busy after the other run ended: %v", err)
	}
	s.RunScheduled(id, "orders")
	if runs, _ := s.Tasks.History(id); len(runs) != 2 || runs[0].State != "failed" || !strings.Contains(runs[0].Message, "licentie") {
		t.Fatalf("after the other run: %+v", runs[0])
	}
}

// Two profiles in one administration with the same prefix are told apart
// only by a Kenmerkvoorvoegsel: the run and the connection test say so.
func TestSharedAdministrationIsNamed(t *testing.T) {
	s := newTestServices(t)
	ps, _ := s.store.Profiles()
	first := ps[0]
	second, err := s.store.CreateProfile("Tweede winkel")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.sharedAdministration(first.ID, "adm-1"); got != "" {
		t.Fatalf("alone: %q", got)
	}
	if got := s.sharedAdministration(second.ID, "adm-1"); got != first.Name {
		t.Fatalf("second profile, same administration: %q", got)
	}
	if got := s.sharedAdministration(second.ID, "adm-2"); got != "" {
		t.Fatalf("another administration: %q", got)
	}
	if _, err := s.store.Save(second.ID, map[string]string{"sales.referencePrefix": "B-"}, nil); err != nil {
		t.Fatal(err)
	}
	if got := s.sharedAdministration(second.ID, "adm-1"); got != "" {
		t.Fatalf("with a prefix of its own: %q", got)
	}
	if _, err := s.store.Save(second.ID, map[string]string{"sales.referencePrefix": "B 1"}, nil); err == nil {
		t.Fatal("a prefix with a space was saved")
	}
}

// The connection test of a second profile on the same administration asks
// for a Kenmerkvoorvoegsel.
func TestConnectionTestNamesAProfileOnTheSameAdministration(t *testing.T) {
	s := newTestServices(t)
	first, _ := simProfile(t, s, nil)
	if rep, _ := s.Connections.TestSnelStart(first); !rep.OK || len(rep.Steps) != 4 {
		t.Fatalf("first profile: %+v", rep)
	}
	v, _ := s.store.Values(first)
	second, _ := s.store.CreateProfile("Tweede winkel")
	keys := map[string]string{}
	for _, k := range []string{"snelstart.clientKey", "snelstart.subscriptionKey", "snelstart.apiBaseURL", "snelstart.authBaseURL"} {
		keys[k] = v[k]
	}
	s.store.Save(second.ID, keys, nil)
	rep, _ := s.Connections.TestSnelStart(second.ID)
	shared := rep.Steps[2] // after the company step
	if !rep.OK || shared.Step != "sharedAdministration" || !strings.Contains(shared.Message, "Kenmerkvoorvoegsel") ||
		!strings.Contains(shared.Message, "Demowinkel") {
		t.Fatalf("second profile: %+v", rep)
	}
	s.store.Save(second.ID, map[string]string{"sales.referencePrefix": "B-"}, nil)
	if rep, _ := s.Connections.TestSnelStart(second.ID); len(rep.Steps) != 4 {
		t.Fatalf("with a prefix of its own: %+v", rep)
	}
}
