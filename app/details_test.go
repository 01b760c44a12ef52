package app

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/s-connect/s-connect/backend/orderimport"
)

// The technical text the user's message about an order leaves out ("de
// details staan in het logbestand") is in the log; the message itself is
// in words.
func TestOrderDetailsGoToTheLog(t *testing.T) {
	s := newTestServices(t)
	var buf bytes.Buffer
	s.log = slog.New(slog.NewTextHandler(&buf, nil))
	detail := "snelstart: decode POST verkooporders: unexpected end of JSON input"
	s.logDetails(1, []orderimport.Result{
		{OrderID: 7, State: "failed", Reason: &orderimport.Hold{Code: "snelstart_error", Arg: detail}},
		{OrderID: 8, State: "failed", Reason: &orderimport.Hold{Code: "ledger", Arg: "database is locked"}},
		{OrderID: 9, State: "held", Reason: &orderimport.Hold{Code: "no_address"}},
		{OrderID: 10, State: "created"},
	})
	log := buf.String()
	if !strings.Contains(log, "order=7") || !strings.Contains(log, detail) || !strings.Contains(log, "database is locked") || strings.Contains(log, "order=9") {
		t.Fatalf("log:\n%s", log)
	}
	msg := s.msgs.T("nl", "hold.snelstart_error", detail)
	if strings.Contains(msg, "decode") || !strings.Contains(msg, "logbestand") {
		t.Fatalf("message %q", msg)
	}
}
