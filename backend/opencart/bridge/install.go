// Package bridge is the transport to a hosted shop: a small PHP script that
// S-Connect uploads over FTP/SFTP into the shop and talks to over HTTPS.
// This file finds the shop on the server and installs and removes the
// bridge; client.go is the transport itself.
package bridge

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
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

// Script returns the bridge with the whitelist of backend/opencart filled
// in, so both transports refuse exactly the same tables and columns.
func Script() string {
	wl, err := json.Marshal(opencart.Whitelist)
	if err != nil {
		panic(err)
	}
	// Inside a single-quoted PHP string: escape \ and '.
	lit := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(string(wl))
	return strings.Replace(script, "__WHITELIST__", lit, 1)
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

var (
	versionRE = regexp.MustCompile(`define\(\s*'VERSION'\s*,\s*'([0-9][0-9A-Za-z._-]*)'\s*\)`)
	prefixRE  = regexp.MustCompile(`define\(\s*'DB_PREFIX'\s*,\s*'([A-Za-z0-9_]*)'\s*\)`)
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
	v := versionRE.FindSubmatch(index)
	if v == nil {
		return nil, ErrNoShop
	}
	config, err := fsys.ReadFile(ctx, path.Join(dir, "config.php"))
	if err != nil {
		return nil, ErrNoShop
	}
	p := prefixRE.FindSubmatch(config)
	if p == nil {
		return nil, fmt.Errorf("%w: config.php has no DB_PREFIX (not installed?)", ErrNoShop)
	}
	return &Root{Dir: dir, Version: string(v[1]), Prefix: string(p[1])}, nil
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

// Installation is where the bridge was put, and its secret.
type Installation struct {
	Dir    string `json:"dir"`  // folder inside the shop root, e.g. "sc-3f9a…"
	File   string `json:"file"` // e.g. "b71c….php"
	Secret string `json:"-"`    // 64 hex characters (32 random bytes)
}

// Path is the bridge's path below the shop URL.
func (i Installation) Path() string { return i.Dir + "/" + i.File }

func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b)
}

// Install uploads the bridge into a new folder with a random name inside
// the shop root, with a new secret. A folder listing or any other file in
// it is refused by the web server (.htaccess, empty index.html) and the
// nonce list cannot be read (it starts with exit).
func Install(ctx context.Context, fsys remotefs.FS, root string) (Installation, error) {
	inst := Installation{Dir: "sc-" + random(8), File: random(8) + ".php", Secret: random(32)}
	dir := path.Join(root, inst.Dir)
	if err := fsys.MkdirAll(ctx, dir); err != nil {
		return inst, fmt.Errorf("bridge: create folder: %w", err)
	}
	files := []struct{ name, body string }{
		{"secret.php", "<?php return '" + inst.Secret + "';\n"},
		{"nonces.php", "<?php exit; ?>\n"},
		{"index.html", ""},
		{".htaccess", "Options -Indexes\n<IfModule mod_authz_core.c>\nRequire all denied\n<Files \"" + inst.File +
			"\">\nRequire all granted\n</Files>\n</IfModule>\n<IfModule !mod_authz_core.c>\nOrder deny,allow\nDeny from all\n<Files \"" +
			inst.File + "\">\nAllow from all\n</Files>\n</IfModule>\n"},
		{inst.File, Script()}, // last: the bridge answers only when all is in place
	}
	for _, f := range files {
		if err := fsys.WriteFile(ctx, path.Join(dir, f.name), []byte(f.body)); err != nil {
			fsys.RemoveAll(ctx, dir)
			return inst, fmt.Errorf("bridge: upload %s: %w", f.name, err)
		}
	}
	return inst, nil
}

// Remove deletes an installed bridge's folder.
func Remove(ctx context.Context, fsys remotefs.FS, root, dir string) error {
	if !strings.HasPrefix(dir, "sc-") || strings.ContainsAny(dir, "/\\.") {
		return fmt.Errorf("bridge: %q is not a bridge folder", dir)
	}
	return fsys.RemoveAll(ctx, path.Join(root, dir))
}
