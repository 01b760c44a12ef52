package notify

import (
	"sync"

	"github.com/esiqveland/notify"
	"github.com/godbus/dbus/v5"
)

// Desktop sends notifications to the desktop's notification server.
type Desktop struct {
	conn    *dbus.Conn
	n       notify.Notifier
	appName string
	icon    string
	onClick func(Message)

	mu      sync.Mutex
	shown   map[uint32]Message
	byCause map[string]uint32
}

// New connects to the session bus. icon is an absolute path to a PNG (or
// ""); onClick receives the message of a clicked notification.
func New(appName, icon string, onClick func(Message)) (*Desktop, error) {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return nil, err
	}
	d := &Desktop{conn: conn, appName: appName, icon: icon, onClick: onClick,
		shown: map[uint32]Message{}, byCause: map[string]uint32{}}
	d.n, err = notify.New(conn, notify.WithOnAction(d.action), notify.WithOnClosed(d.closed))
	if err != nil {
		conn.Close()
		return nil, err
	}
	return d, nil
}

// Notify shows m, replacing a notification of the same cause still shown.
func (d *Desktop) Notify(m Message) error {
	d.mu.Lock()
	replaces := d.byCause[m.Cause]
	d.mu.Unlock()
	id, err := d.n.SendNotification(notify.Notification{
		AppName: d.appName, AppIcon: d.icon, ReplacesID: replaces,
		Summary: m.Title, Body: m.Body,
		Actions:       []notify.Action{notify.NewDefaultAction(m.Title)},
		ExpireTimeout: notify.ExpireTimeoutSetByNotificationServer,
	})
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.shown[id] = m
	d.byCause[m.Cause] = id
	d.mu.Unlock()
	return nil
}

func (d *Desktop) action(s *notify.ActionInvokedSignal) {
	d.mu.Lock()
	m, ok := d.shown[s.ID]
	d.mu.Unlock()
	if ok && d.onClick != nil {
		d.onClick(m)
	}
}

func (d *Desktop) closed(s *notify.NotificationClosedSignal) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if m, ok := d.shown[s.ID]; ok {
		delete(d.shown, s.ID)
		if d.byCause[m.Cause] == s.ID {
			delete(d.byCause, m.Cause)
		}
	}
}

// Close ends the connection.
func (d *Desktop) Close() error {
	d.n.Close()
	return d.conn.Close()
}
