// Package autostart starts S-Connect when the user logs in, in the tray
// without its window: a value under HKCU\…\CurrentVersion\Run on Windows
// (per user, no administrator rights), an XDG autostart .desktop file on
// Linux. Status reads what is really in place, so the Instellingen tab
// shows the truth even when the entry was changed outside the program.
package autostart

import (
	"strings"
)

// Name is the entry's name: the Run value on Windows, the file name
// (Name.desktop, lower case) on Linux.
const Name = "S-Connect"

// Entry is what starts at login.
type Entry struct {
	Exe  string   // absolute path of the program
	Args []string // e.g. --minimized
}

// Status is what is in place.
type Status struct {
	Enabled bool   `json:"enabled"`
	Where   string `json:"where"`   // the file or registry value
	Command string `json:"command"` // what it starts
}

// quoteWindows quotes one argument for a Windows command line (the rules
// of CommandLineToArgvW).
func quoteWindows(arg string) string {
	if arg != "" && !strings.ContainsAny(arg, " \t\"") {
		return arg
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for _, r := range arg {
		switch r {
		case '\\':
			slashes++
			continue
		case '"':
			b.WriteString(strings.Repeat(`\`, 2*slashes+1))
		default:
			b.WriteString(strings.Repeat(`\`, slashes))
		}
		slashes = 0
		b.WriteRune(r)
	}
	b.WriteString(strings.Repeat(`\`, 2*slashes))
	b.WriteByte('"')
	return b.String()
}

// WindowsCommand is the Run value's command line for e.
func WindowsCommand(e Entry) string {
	parts := []string{`"` + e.Exe + `"`} // a path holds no quotes
	for _, a := range e.Args {
		parts = append(parts, quoteWindows(a))
	}
	return strings.Join(parts, " ")
}

// quoteExec quotes one argument of a .desktop file's Exec key (Desktop
// Entry Specification: reserved characters in double quotes, ", `, $ and
// \ escaped; % doubled, as Exec has field codes).
func quoteExec(arg string) string {
	arg = strings.ReplaceAll(arg, "%", "%%")
	if arg != "" && !strings.ContainsAny(arg, " \t\n\"'\\><~|&;$*?#()`=") {
		return arg
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	// The .desktop reader unescapes \\ once more for string values.
	return `"` + strings.ReplaceAll(r.Replace(arg), `\`, `\\`) + `"`
}

// DesktopFile is the XDG autostart file for e.
func DesktopFile(e Entry) string {
	exec := []string{quoteExec(e.Exe)}
	for _, a := range e.Args {
		exec = append(exec, quoteExec(a))
	}
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=" + Name + "\n" +
		"Comment=OpenCart ⇄ SnelStart, op de achtergrond\n" +
		"Exec=" + strings.Join(exec, " ") + "\n" +
		"Icon=s-connect\n" +
		"Terminal=false\n" +
		"X-GNOME-Autostart-enabled=true\n"
}
