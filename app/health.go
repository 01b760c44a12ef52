package app

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/s-connect/s-connect/backend/config"
	"github.com/s-connect/s-connect/backend/snelstart"
	"github.com/s-connect/s-connect/desktop/notify"
)

// health turns what the runs report into desktop notifications (B8): a
// run failed, orders are held, SnelStart refuses the key, no successful run
// for app.staleHours. Each cause is notified once and not again until it
// has cleared (a later run without it), so a task that fails every five
// minutes does not flood the desktop. The causes notified are kept in the
// settings (app.notified): a restart — every login — does not notify an
// unsolved cause again.
type health struct {
	s       *Services
	n       Notifier
	started time.Time // a profile that never succeeded counts from here

	mu     sync.Mutex
	active map[string]bool // causes notified and not cleared since
}

func newHealth(s *Services, n Notifier) *health {
	h := &health{s: s, n: n, started: time.Now(), active: map[string]bool{}}
	if v, err := s.store.ProgramValue("app.notified"); err == nil {
		for _, c := range strings.Split(v, ",") {
			if c != "" {
				h.active[c] = true
			}
		}
	}
	return h
}

// save keeps the notified causes for the next start; the caller holds h.mu.
func (h *health) save() {
	causes := make([]string, 0, len(h.active))
	for c := range h.active {
		causes = append(causes, c)
	}
	sort.Strings(causes)
	if err := h.s.store.SetReadOnly(0, "app.notified", strings.Join(causes, ",")); err != nil {
		h.s.log.Warn("notifications: causes not saved", "err", err)
	}
}

// forgetProfiles drops the causes of profiles that no longer exist, so a
// new profile that gets a deleted one's number starts with a clean slate.
func (h *health) forgetProfiles(exists map[uint]bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	gone := false
	for c := range h.active {
		parts := strings.Split(c, ":")
		if len(parts) < 2 {
			continue
		}
		if id, err := strconv.ParseUint(parts[1], 10, 32); err == nil && !exists[uint(id)] {
			delete(h.active, c)
			gone = true
		}
	}
	if gone {
		h.save()
	}
}

// settings returns app.notify and app.staleHours.
func (h *health) settings() (on bool, stale time.Duration) {
	v, _ := h.s.store.ProgramValue("app.notify")
	hours, err := h.s.store.ProgramValue("app.staleHours")
	n, err2 := strconv.Atoi(hours)
	if err != nil || err2 != nil || n < 1 {
		n = 24
	}
	return v == "true", time.Duration(n) * time.Hour
}

func keyRefused(err error) bool {
	return errors.Is(err, snelstart.ErrInvalidClientKey) || errors.Is(err, snelstart.ErrInvalidSubscriptionKey) ||
		errors.Is(err, snelstart.ErrUnauthorized)
}

func (h *health) t(key, arg string) string { return h.s.msgs.T(h.s.language(), key, arg) }

func (h *health) profileName(id uint) string {
	if p, err := h.s.store.Profile(id); err == nil {
		return p.Name
	}
	return ""
}

// runFinished raises and clears the causes a finished run shows.
func (h *health) runFinished(run config.Run, err error) {
	p, name := run.ProfileID, h.profileName(run.ProfileID)
	task := h.t("task."+run.Task, "")
	key := fmt.Sprintf("key:%d", p)
	failed := fmt.Sprintf("failed:%d:%s", p, run.Task)
	held := fmt.Sprintf("held:%d", p)

	refused := keyRefused(err)
	if refused {
		h.raise(notify.Message{Cause: key, View: "snelstart", ProfileID: p,
			Title: h.t("notify.key.title", ""), Body: h.t("notify.key.body", name)})
	} else if err == nil {
		h.clear(key)
	}
	switch {
	case run.State == config.RunFailed && !refused:
		h.raise(notify.Message{Cause: failed, View: "execution", ProfileID: p,
			Title: h.t("notify.failed.title", task), Body: name + ": " + h.s.runView(run, h.s.language()).Message})
	case run.State != config.RunFailed:
		h.clear(failed)
	}
	// Held: orders that wait for the user (or failed one by one) in a run
	// that went through.
	if run.Held > 0 {
		h.raise(notify.Message{Cause: held, View: "execution", ProfileID: p,
			Title: h.t("notify.held.title", strconv.Itoa(run.Held)), Body: h.t("notify.held.body", name)})
	} else if run.State == config.RunOK {
		h.clear(held)
	}
	if run.State != config.RunFailed {
		h.clear(fmt.Sprintf("stale:%d", p))
	}
}

// checkStale notifies for each profile with a schedule whose last
// successful run is longer ago than app.staleHours.
func (h *health) checkStale(now time.Time) {
	_, limit := h.settings()
	ps, err := h.s.store.Profiles()
	if err != nil {
		return
	}
	for _, p := range ps {
		cause := fmt.Sprintf("stale:%d", p.ID)
		v, err := h.s.store.Values(p.ID)
		if err != nil {
			continue
		}
		planned := false
		for _, task := range config.Tasks {
			if iv := v["planning."+task+".interval"]; iv != "" && iv != "off" {
				planned = true
			}
		}
		if !planned {
			h.clear(cause)
			continue
		}
		since := h.started
		last, err := h.s.store.LastSuccess(p.ID)
		if err != nil {
			continue
		}
		if last != nil && last.FinishedAt != nil {
			since = *last.FinishedAt
		}
		if now.Sub(since) < limit {
			continue
		}
		body := p.Name + ": " + h.t("notify.stale.never", "")
		if last != nil {
			body = p.Name + ": " + h.t("notify.stale.since", since.In(time.Local).Format("02-01-2006 15:04"))
		}
		h.raise(notify.Message{Cause: cause, View: "execution", ProfileID: p.ID,
			Title: h.t("notify.stale.title", strconv.Itoa(int(limit.Hours()))), Body: body})
	}
}

// raise shows m unless its cause was notified and has not cleared since,
// or notifications are off.
func (h *health) raise(m notify.Message) {
	if on, _ := h.settings(); !on || h.n == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.active[m.Cause] {
		return
	}
	if err := h.n.Notify(m); err != nil {
		h.s.log.Warn("notification", "cause", m.Cause, "err", err)
		return
	}
	h.active[m.Cause] = true
	h.save()
}

// announce shows m when notifications are on, whether or not it was shown
// before (what the program says once at start).
func (h *health) announce(m notify.Message) {
	if on, _ := h.settings(); !on || h.n == nil {
		return
	}
	if err := h.n.Notify(m); err != nil {
		h.s.log.Warn("notification", "cause", m.Cause, "err", err)
	}
}

// clear forgets a cause: the next time it happens it is notified again.
func (h *health) clear(cause string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.active[cause] {
		delete(h.active, cause)
		h.save()
	}
}
