package desktoptest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/s-connect/s-connect/backend/testsvc"
)

// Binary returns a desktop build that trusts a licence key, and that key's
// file: $SCONNECT_DESKTOP_BIN with $LICENSE_KEY (as make tray-test passes
// them), or else a build made here with a key of the test's own — which
// needs what `make desktop` needs (GTK and WebKitGTK 4.1 headers).
func Binary(tb testsvc.TB, dir string) (bin, keyFile string) {
	tb.Helper()
	if bin = os.Getenv("SCONNECT_DESKTOP_BIN"); bin != "" {
		keyFile = os.Getenv("LICENSE_KEY")
		if keyFile == "" {
			tb.Fatal("SCONNECT_DESKTOP_BIN is set but LICENSE_KEY (the key it trusts) is not")
		}
		return bin, keyFile
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	keyFile = filepath.Join(dir, "test-license.key")
	if err := os.WriteFile(keyFile, []byte(base64.StdEncoding.EncodeToString(priv)), 0o600); err != nil {
		tb.Fatal(err)
	}
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		tb.Fatalf("go env GOMOD: %v", err)
	}
	bin = filepath.Join(dir, "s-connect-desktop")
	build := exec.Command("go", "build", "-tags", "desktop,production,webkit2_41",
		"-ldflags", "-X github.com/s-connect/s-connect/backend/license.PublicKey="+base64.StdEncoding.EncodeToString(pub),
		"-o", bin, ".")
	build.Dir = filepath.Dir(strings.TrimSpace(string(root)))
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("building the desktop program (needs libgtk-3-dev and libwebkit2gtk-4.1-dev: scripts/deps.sh): %v\n%s", err, out)
	}
	return bin, keyFile
}
