package desktoptest

import (
	"sync"

	"github.com/godbus/dbus/v5"

	"github.com/s-connect/s-connect/backend/testsvc"
)

// Notifications is a notification server on the session bus
// (org.freedesktop.Notifications) that records what it is sent and can
// click a notification, as a desktop's would.
type Notifications struct {
	conn *dbus.Conn
	mu   sync.Mutex
	sent []Notification
}

// Notification is one received notification.
type Notification struct {
	ID            uint32
	App, Summary  string
	Body          string
	Actions       []string
	ReplacesID    uint32
	ExpireTimeout int32
}

const notifyPath = "/org/freedesktop/Notifications"
const notifyName = "org.freedesktop.Notifications"

// StartNotifications takes the notification server's name on the
// session's bus.
func (s *Session) StartNotifications(tb testsvc.TB) *Notifications {
	return (&Bus{Addr: s.Bus}).StartNotifications(tb)
}

// StartNotifications takes the notification server's name on the bus.
func (b *Bus) StartNotifications(tb testsvc.TB) *Notifications {
	tb.Helper()
	conn, err := dbus.Connect(b.Addr)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	n := &Notifications{conn: conn}
	if err := conn.Export(notifyServer{n}, notifyPath, notifyName); err != nil {
		tb.Fatal(err)
	}
	if reply, err := conn.RequestName(notifyName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		tb.Fatalf("notification server name: %v %v", reply, err)
	}
	return n
}

// Sent returns the notifications received so far.
func (n *Notifications) Sent() []Notification {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Notification(nil), n.sent...)
}

// Click clicks a notification (its default action).
func (n *Notifications) Click(id uint32) error {
	return n.conn.Emit(notifyPath, notifyName+".ActionInvoked", id, "default")
}

type notifyServer struct{ n *Notifications }

func (s notifyServer) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	s.n.mu.Lock()
	defer s.n.mu.Unlock()
	id := uint32(len(s.n.sent) + 1)
	s.n.sent = append(s.n.sent, Notification{ID: id, App: app, Summary: summary, Body: body, Actions: actions,
		ReplacesID: replaces, ExpireTimeout: timeout})
	return id, nil
}

func (s notifyServer) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"actions", "body"}, nil
}

func (s notifyServer) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "desktoptest", "s-connect", "1", "1.2", nil
}

func (s notifyServer) CloseNotification(id uint32) *dbus.Error { return nil }
