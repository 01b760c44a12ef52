package app

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/config"
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
		!strings.Contains(shared.Message, "‘Demo’") {
		t.Fatalf("second profile: %+v", rep)
	}
	s.store.Save(second.ID, map[string]string{"sales.referencePrefix": "B-"}, nil)
	if rep, _ := s.Connections.TestSnelStart(second.ID); len(rep.Steps) != 4 {
		t.Fatalf("with a prefix of its own: %+v", rep)
	}
}

// An order that may be in SnelStart, without a reference to look it up
// by, stays held run after run; the user who looked by hand releases it:
// *Opnieuw proberen* sends it, *Handmatig afgehandeld* closes it.
func TestUncertainOrderWithoutReferenceWaitsForTheUser(t *testing.T) {
	s := newTestServices(t)
	id, _ := shopProfile(t, s)
	_, sm := simProfile(t, s, nil)
	settings := map[string]string{"shop.url": "https://www.voorbeeldwinkel.nl/", "sales.paymentReference": "false"}
	for k, v := range mapping {
		settings[k] = v
	}
	if _, err := s.store.Save(id, settings, nil); err != nil {
		t.Fatal(err)
	}
	licensed(t, s, id, "https://winkel.example.nl") // the address the shop's orders carry
	first, err := s.Tasks.RunNow(id, config.TaskOrders)
	if err != nil || first.Counts["created"] == 0 {
		t.Fatalf("first run: %+v %v", first, err)
	}
	// Two orders whose answer was lost (as a crash mid-send leaves them).
	var a, b int
	for _, r := range first.Orders {
		if r.State == "created" {
			if a == 0 {
				a = r.OrderID
			} else if b == 0 {
				b = r.OrderID
			}
		}
	}
	booked := sm.Count("verkooporders")
	for _, o := range []int{a, b} {
		e, _ := s.store.LedgerEntryOf(id, o)
		e.State, e.VerkooporderID = config.LedgerUncertain, ""
		s.store.PutLedger(e)
	}
	again, err := s.Tasks.RunNow(id, config.TaskOrders)
	if err != nil || again.Counts["held"] != 2 || sm.Count("verkooporders") != booked {
		t.Fatalf("second run: %v %v, %d verkooporders (was %d)", again.Counts, err, sm.Count("verkooporders"), booked)
	}
	open, _ := s.Tasks.Orders(id, config.OrderFilter{State: "open"})
	if open.Total != 2 || !strings.HasPrefix(open.Orders[0].Reason, "uncertain_no_reference(") {
		t.Fatalf("open orders %+v", open)
	}
	if err := s.Tasks.Handled(id, a, "staat al in SnelStart"); err != nil {
		t.Fatal(err)
	}
	after, err := s.Tasks.Retry(id, b) // the user did not find it: send it
	if err != nil || after.State != config.LedgerConfirmed || sm.Count("verkooporders") != booked+1 {
		t.Fatalf("retry: %+v %v", after, err)
	}
}
