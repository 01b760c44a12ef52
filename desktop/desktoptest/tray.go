package desktoptest

import (
	"fmt"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// TrayItem is an icon registered with the tray host.
type TrayItem struct {
	s       *Session
	service string
	path    dbus.ObjectPath
}

// TrayItems lists the icons the tray host shows.
func (s *Session) TrayItems() ([]TrayItem, error) {
	v, err := s.conn.Object(watcherName, "/StatusNotifierWatcher").GetProperty(watcherName + ".RegisteredStatusNotifierItems")
	if err != nil {
		return nil, err
	}
	names, _ := v.Value().([]string)
	var out []TrayItem
	for _, n := range names {
		// "service/path", or a bare service name with the default path.
		service, path := n, "/StatusNotifierItem"
		if i := strings.Index(n, "/"); i >= 0 {
			service, path = n[:i], n[i:]
		}
		out = append(out, TrayItem{s: s, service: service, path: dbus.ObjectPath(path)})
	}
	return out, nil
}

// WaitTrayItem waits for an icon whose title is title.
func (s *Session) WaitTrayItem(title string, limit time.Duration) (TrayItem, error) {
	deadline := time.Now().Add(limit)
	for {
		items, err := s.TrayItems()
		for _, it := range items {
			if t, _ := it.Prop("Title"); t == title {
				return it, nil
			}
		}
		if time.Now().After(deadline) {
			return TrayItem{}, fmt.Errorf("no tray icon %q after %v (items %v, %v)", title, limit, items, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Prop reads a string property of the item (Title, Status, …).
func (it TrayItem) Prop(name string) (string, error) {
	v, err := it.s.conn.Object(it.service, it.path).GetProperty("org.kde.StatusNotifierItem." + name)
	if err != nil {
		return "", err
	}
	s, _ := v.Value().(string)
	return s, nil
}

// Tooltip reads the tooltip's title (StatusNotifierItem ToolTip: icon
// name, icon pixmaps, title, text).
func (it TrayItem) Tooltip() (string, error) {
	v, err := it.s.conn.Object(it.service, it.path).GetProperty("org.kde.StatusNotifierItem.ToolTip")
	if err != nil {
		return "", err
	}
	if fields, ok := v.Value().([]any); ok && len(fields) >= 3 {
		t, _ := fields[2].(string)
		return t, nil
	}
	return "", fmt.Errorf("tooltip %v", v)
}

// MenuItem is one entry of the icon's menu.
type MenuItem struct {
	ID       int32
	Label    string
	Enabled  bool
	Checked  bool
	Children []MenuItem
}

func (it TrayItem) menu() (dbus.BusObject, error) {
	v, err := it.s.conn.Object(it.service, it.path).GetProperty("org.kde.StatusNotifierItem.Menu")
	if err != nil {
		return nil, err
	}
	path, _ := v.Value().(dbus.ObjectPath)
	return it.s.conn.Object(it.service, path), nil
}

// Menu reads the icon's menu (com.canonical.dbusmenu), as a tray host does.
func (it TrayItem) Menu() ([]MenuItem, error) {
	m, err := it.menu()
	if err != nil {
		return nil, err
	}
	var rev uint32
	var root []any
	call := m.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{})
	if call.Err != nil {
		return nil, call.Err
	}
	if len(call.Body) != 2 {
		return nil, fmt.Errorf("GetLayout: %v", call.Body)
	}
	rev, _ = call.Body[0].(uint32)
	_ = rev
	root, _ = call.Body[1].([]any)
	return layout(root).Children, nil
}

// layout decodes a dbusmenu node: (id, properties, children).
func layout(node []any) MenuItem {
	var mi MenuItem
	if len(node) != 3 {
		return mi
	}
	mi.ID, _ = node[0].(int32)
	props, _ := node[1].(map[string]dbus.Variant)
	mi.Label, _ = props["label"].Value().(string)
	mi.Enabled = true
	if v, ok := props["enabled"]; ok {
		mi.Enabled, _ = v.Value().(bool)
	}
	if v, ok := props["toggle-state"]; ok {
		n, _ := v.Value().(int32)
		mi.Checked = n == 1
	}
	children, _ := node[2].([]dbus.Variant)
	for _, c := range children {
		if sub, ok := c.Value().([]any); ok {
			mi.Children = append(mi.Children, layout(sub))
		}
	}
	return mi
}

// Click chooses the menu entry at the path of labels (e.g. "Nu uitvoeren",
// "Importeren orders"), as a click in the tray host's menu does.
func (it TrayItem) Click(labels ...string) error {
	items, err := it.Menu()
	if err != nil {
		return err
	}
	var target *MenuItem
	for _, l := range labels {
		target = nil
		for i := range items {
			if strings.ReplaceAll(items[i].Label, "_", "") == l {
				target = &items[i]
			}
		}
		if target == nil {
			return fmt.Errorf("no menu entry %q among %v", l, labelsOf(items))
		}
		items = target.Children
	}
	m, err := it.menu()
	if err != nil {
		return err
	}
	return m.Call("com.canonical.dbusmenu.Event", 0, target.ID, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix())).Err
}

func labelsOf(items []MenuItem) []string {
	var out []string
	for _, i := range items {
		out = append(out, i.Label)
	}
	return out
}
