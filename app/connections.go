package app

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/s-connect/s-connect/backend/connect"
	"github.com/s-connect/s-connect/backend/snelstart"
)

// Connections tests the links to SnelStart and the shop and fills the pick
// lists from the administration.
type Connections struct {
	s *Services

	mu      sync.Mutex
	clients map[uint]cachedClient // one client per profile, so its token is reused
}

type cachedClient struct {
	fingerprint string
	client      *snelstart.Client
}

// TestStep is one step of a connection test, with its outcome. Warn marks
// a step that passed with a risk the user chose (plain FTP), shown in orange.
type TestStep struct {
	Step    string `json:"step"`
	OK      bool   `json:"ok"`
	Warn    bool   `json:"warn,omitempty"`
	Message string `json:"message"`
}

// TestReport is the outcome of *Verbinding testen*. Trust is set when a
// server was met for the first time: the UI shows its fingerprint and, on
// the user's yes, passes Kind and Value to Connections.Trust.
type TestReport struct {
	OK      bool       `json:"ok"`
	Summary string     `json:"summary"`
	Steps   []TestStep `json:"steps"`
	Trust   *Trust     `json:"trust,omitempty"`
}

// Trust is a server key or certificate waiting for the user's yes.
type Trust struct {
	Kind        string `json:"kind"`  // TrustSSH or TrustTLS
	Value       string `json:"value"` // the key (SSH) or fingerprint (TLS) to store
	Fingerprint string `json:"fingerprint"`
}

// Kinds of Trust.
const (
	TrustSSH   = "ssh"
	TrustTLS   = "tls"   // the FTPS server's certificate
	TrustDBTLS = "dbtls" // the database server's certificate
)

// PickOption is one item of a SnelStart list (sjabloon, omzetgroep, artikel).
type PickOption = snelstart.Option

const connectTimeout = 45 * time.Second

// snelstartClient returns the profile's client, made anew when its settings
// changed. missing lists required settings that are empty.
func (c *Connections) snelstartClient(profileID uint) (*snelstart.Client, []string, error) {
	v, err := c.s.connValues(profileID)
	if err != nil {
		return nil, nil, err
	}
	if err := connect.SnelStartValues(context.Background(), v); err != nil {
		return nil, nil, err
	}
	fp := strings.Join([]string{v["snelstart.clientKey"], v["snelstart.subscriptionKey"], v["snelstart.apiBaseURL"], v["snelstart.authBaseURL"]}, "\x00")
	c.mu.Lock()
	defer c.mu.Unlock()
	if cc, ok := c.clients[profileID]; ok && cc.fingerprint == fp {
		return cc.client, nil, nil
	}
	client, missing, err := snelstart.FromSettings(v)
	if err != nil || len(missing) > 0 {
		return nil, missing, err
	}
	if c.clients == nil {
		c.clients = map[uint]cachedClient{}
	}
	c.clients[profileID] = cachedClient{fp, client}
	return client, nil, nil
}

// TestSnelStart runs *Verbinding testen* on the Koppeling SnelStart tab and
// remembers the administration's name.
func (c *Connections) TestSnelStart(profileID uint) (TestReport, error) {
	lang := c.s.language()
	t := func(key, arg string) string { return c.s.msgs.T(lang, key, arg) }
	client, missing, err := c.snelstartClient(profileID)
	if err != nil {
		return TestReport{}, err
	}
	if len(missing) > 0 {
		names := make([]string, len(missing))
		for i, k := range missing {
			names[i] = t("setting."+k+".label", "")
		}
		msg := t("test.missing", strings.Join(names, ", "))
		return TestReport{Summary: msg, Steps: []TestStep{{Step: "settings", Message: msg}}}, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	report := TestReport{OK: true}
	for _, st := range client.Probe(ctx) {
		step := TestStep{Step: st.Step, OK: st.Err == nil, Message: t("test.snelstart."+st.Step+".ok", st.Detail)}
		if st.Err != nil {
			step.Message = snelstartMessage(t, st.Err, st.Scope)
			report.OK = false
			report.Summary = step.Message
		}
		if st.Step == snelstart.StepCompany && st.Err == nil {
			if err := c.s.store.SetReadOnly(profileID, "snelstart.administration", st.Detail); err != nil {
				return TestReport{}, err
			}
			report.Summary = t("test.snelstart.success", st.Detail)
			report.Steps = append(report.Steps, step)
			if other := c.s.sharedAdministration(profileID, st.ID); other != "" {
				report.Steps = append(report.Steps, TestStep{Step: "sharedAdministration", Message: t("warn.shared_administration", other)})
			}
			continue
		}
		report.Steps = append(report.Steps, step)
	}
	if report.OK {
		c.s.events.Emit(EventSettingsSaved, profileID)
	}
	return report, nil
}

// snelstartMessage says in the user's words what a failed step means.
func snelstartMessage(t func(string, string) string, err error, scope string) string {
	c := snelstartCause(err, scope)
	return t(c.Key, c.Arg)
}

// PickOptions lists the items of a SnelStart list matching query.
func (c *Connections) PickOptions(profileID uint, list, query string) ([]PickOption, error) {
	client, missing, err := c.snelstartClient(profileID)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, &NeedsError{Code: "snelstart_not_set", Keys: missing}
	}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	opts, err := client.Options(ctx, list, query)
	if errors.Is(err, snelstart.ErrUnknownList) {
		return nil, errBadRequest
	}
	if err != nil {
		return nil, &SnelStartError{Err: err}
	}
	if opts == nil {
		opts = []PickOption{}
	}
	return opts, nil
}
