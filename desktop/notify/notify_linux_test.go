package notify

import (
	"testing"
	"time"

	"github.com/s-connect/s-connect/desktop/desktoptest"
)

// Against a notification server on a private session bus: what is sent,
// one notification per cause on screen, and a click reported with the
// message it belongs to.
func TestDesktopNotifications(t *testing.T) {
	bus := desktoptest.StartBus(t)
	server := bus.StartNotifications(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.Addr)
	clicked := make(chan Message, 1)
	d, err := New("S-Connect", "/tmp/s-connect.png", func(m Message) { clicked <- m })
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	held := Message{Cause: "held:1", Title: "2 order(s) wachten op u", Body: "Winkel: bekijk ze op Uitvoering.", View: "execution", ProfileID: 1}
	if err := d.Notify(held); err != nil {
		t.Fatal(err)
	}
	if err := d.Notify(Message{Cause: "key:1", Title: "SnelStart weigert de koppelsleutel", View: "snelstart", ProfileID: 1}); err != nil {
		t.Fatal(err)
	}
	held.Title = "3 order(s) wachten op u"
	if err := d.Notify(held); err != nil {
		t.Fatal(err)
	}
	sent := server.Sent()
	if len(sent) != 3 {
		t.Fatalf("sent %+v", sent)
	}
	first := sent[0]
	if first.App != "S-Connect" || first.Summary != "2 order(s) wachten op u" || first.Body != "Winkel: bekijk ze op Uitvoering." ||
		len(first.Actions) != 2 || first.Actions[0] != "default" || first.ReplacesID != 0 {
		t.Fatalf("first notification %+v", first)
	}
	if sent[2].ReplacesID != first.ID || sent[1].ReplacesID != 0 {
		t.Fatalf("the same cause should replace its notification: %+v", sent)
	}
	if err := server.Click(sent[1].ID); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-clicked:
		if m.View != "snelstart" || m.Cause != "key:1" {
			t.Fatalf("clicked %+v", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the click was not reported")
	}
}
