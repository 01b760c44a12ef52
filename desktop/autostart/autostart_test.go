package autostart

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

func TestEnableWritesAndDisableRemoves(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Fatalf("this test covers the Linux autostart file; on %s run it on Linux", runtime.GOOS)
	}
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	path := filepath.Join(home, "autostart", "s-connect.desktop")

	st, err := Get()
	if err != nil || st.Enabled || st.Where != path {
		t.Fatalf("before: %+v %v", st, err)
	}
	e := Entry{Exe: "/opt/S Connect/s-connect", Args: []string{"--minimized", "--config-dir", "/home/an/my $shop"}}
	if err := Enable(e); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no autostart file: %v", err)
	}
	want := `Exec="/opt/S Connect/s-connect" --minimized --config-dir "/home/an/my \\$shop"`
	if !strings.Contains(string(data), "\n"+want+"\n") || !strings.HasPrefix(string(data), "[Desktop Entry]\nType=Application\n") {
		t.Fatalf("file:\n%s\nwant the line %s", data, want)
	}
	st, err = Get()
	if err != nil || !st.Enabled || st.Command != strings.TrimPrefix(want, "Exec=") {
		t.Fatalf("after enabling: %+v %v", st, err)
	}

	// Switched off by the desktop's own settings: shown as off.
	os.WriteFile(path, append(data, "Hidden=true\n"...), 0o644)
	if st, _ := Get(); st.Enabled {
		t.Fatal("a hidden entry counts as enabled")
	}

	if err := Disable(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("file still there after Disable: %v", err)
	}
	if st, _ := Get(); st.Enabled {
		t.Fatal("still enabled after Disable")
	}
	if err := Disable(); err != nil {
		t.Fatalf("disabling twice: %v", err)
	}
}

func TestWindowsCommandLine(t *testing.T) {
	got := WindowsCommand(Entry{Exe: `C:\Users\An\AppData\Local\Programs\S-Connect\s-connect.exe`,
		Args: []string{"--minimized", "--config-dir", `D:\Mijn "winkel"\`}})
	want := `"C:\Users\An\AppData\Local\Programs\S-Connect\s-connect.exe" --minimized --config-dir "D:\Mijn \"winkel\"\\"`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// The uninstaller removes the Run value this package writes (and the
// notification registration under the same name) — in an uninstaller
// section, not merely somewhere in the script.
func TestTheUninstallerRemovesTheEntry(t *testing.T) {
	nsi, err := os.ReadFile("../../build/windows/installer/project.nsi")
	if err != nil {
		t.Fatal(err)
	}
	var uninstall strings.Builder
	for _, sec := range regexp.MustCompile(`(?ms)^Section\s+(?:/o\s+)?"!?un\..*?^SectionEnd`).FindAllString(string(nsi), -1) {
		uninstall.WriteString(sec)
	}
	if uninstall.Len() == 0 {
		t.Fatal("project.nsi has no uninstaller section")
	}
	for _, line := range []string{
		`DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "` + Name + `"`,
		`DeleteRegKey HKCU "Software\Classes\AppUserModelId\` + Name + `"`,
	} {
		if !strings.Contains(uninstall.String(), line) {
			t.Errorf("the uninstaller sections of project.nsi lack %s", line)
		}
	}
}
