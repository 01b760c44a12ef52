// Package bridge is the transport to a hosted shop: a small PHP script that
// S-Connect uploads over FTP/SFTP into the shop and talks to over HTTPS.
// This file finds the shop on the server and installs and removes the
// bridge; client.go is the transport itself.
package bridge

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/s-connect/s-connect/backend/opencart"
	"github.com/s-connect/s-connect/backend/remotefs"
)

//go:embed bridge.php
var script string

// Script returns the bridge with the rules of backend/opencart filled in
// (tables, columns, setting keys, row cap), so both transports and the
// bridge refuse exactly the same things from one declaration.
func Script() string {
	rules, err := json.Marshal(opencart.BridgeRules())
	if err != nil {
		panic(err)
	}
	// Inside a single-quoted PHP string: escape \ and '.
	lit := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(string(rules))
	return strings.Replace(script, "__RULES__", lit, 1)
}

// Candidates are the folders where hosting companies usually put a site.
var Candidates = []string{"", "/", "/public_html", "/httpdocs", "/www", "/htdocs", "/web", "/html"}

// Root is an OpenCart installation found on the server.
type Root struct {
	Dir     string // as entered or found, e.g. "/public_html"
	Version string // from index.php: define('VERSION', …)
	Prefix  string // DB_PREFIX from config.php
}

// ErrNoShop means the folder holds no OpenCart installation.
var ErrNoShop = errors.New("bridge: no OpenCart shop in this folder")

// definesRE matches define('NAME', 'value') (or "value", or a number) as
// OpenCart's installer writes config.php and index.php; the bridge reads
// them with the same expression.
var definesRE = regexp.MustCompile(`define\(\s*['"]([A-Z_]+)['"]\s*,\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\d+))\s*\)`)

// ReadDefines reads the constants a PHP file defines with literal values,
// without running it. Later definitions of a name are ignored, as PHP does.
func ReadDefines(src []byte) map[string]string {
	out := map[string]string{}
	for _, m := range definesRE.FindAllSubmatch(src, -1) {
		name := string(m[1])
		if _, seen := out[name]; seen {
			continue
		}
		switch {
		case len(m[4]) > 0:
			out[name] = string(m[4])
		case len(m[3]) > 0:
			out[name] = unescape(string(m[3]))
		default:
			out[name] = unescape(string(m[2]))
		}
	}
	return out
}

// unescape removes the backslashes of a quoted PHP literal.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

var (
	versionRE = regexp.MustCompile(`^[0-9][0-9A-Za-z._-]*$`)
	prefixRE  = regexp.MustCompile(`^[A-Za-z0-9_]{0,32}$`)
)

// Detect checks that dir is an OpenCart root: index.php with VERSION,
// config.php with DB_PREFIX, and catalog/ and system/ (admin/ is not
// required: shops may rename it).
func Detect(ctx context.Context, fsys remotefs.FS, dir string) (*Root, error) {
	entries, err := fsys.ReadDir(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoShop, err)
	}
	dirs := map[string]bool{}
	for _, e := range entries {
		if e.IsDir {
			dirs[e.Name] = true
		}
	}
	if !dirs["catalog"] || !dirs["system"] {
		return nil, ErrNoShop
	}
	index, err := fsys.ReadFile(ctx, path.Join(dir, "index.php"))
	if err != nil {
		return nil, ErrNoShop
	}
	version, ok := ReadDefines(index)["VERSION"]
	if !ok || !versionRE.MatchString(version) {
		return nil, ErrNoShop
	}
	config, err := fsys.ReadFile(ctx, path.Join(dir, "config.php"))
	if err != nil {
		return nil, ErrNoShop
	}
	prefix, ok := ReadDefines(config)["DB_PREFIX"]
	if !ok || !prefixRE.MatchString(prefix) {
		return nil, fmt.Errorf("%w: config.php has no DB_PREFIX (not installed?)", ErrNoShop)
	}
	return &Root{Dir: dir, Version: version, Prefix: prefix}, nil
}

// Find looks in dir, and when that is no shop, in the usual places; it
// returns the shop found and every candidate that held one.
func Find(ctx context.Context, fsys remotefs.FS, dir string) (*Root, []Root, error) {
	if r, err := Detect(ctx, fsys, dir); err == nil {
		return r, nil, nil
	}
	var found []Root
	for _, c := range Candidates {
		if c == dir {
			continue
		}
		if r, err := Detect(ctx, fsys, c); err == nil {
			found = append(found, *r)
		}
	}
	return nil, found, ErrNoShop
}
