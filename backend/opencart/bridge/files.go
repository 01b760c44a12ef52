package bridge

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"

	"github.com/s-connect/s-connect/backend/remotefs"
)

// Installation is where the bridge was put, and its secret.
type Installation struct {
	Dir    string `json:"dir"`  // folder inside the shop root, e.g. "sc-3f9a…"
	File   string `json:"file"` // e.g. "b71c….php"
	Secret string `json:"-"`    // 64 hex characters (32 random bytes)
}

// Path is the bridge's path below the shop URL.
func (i Installation) Path() string { return i.Dir + "/" + i.File }

// NotFound is the web server's own answer to a page that is not there. The
// bridge gives it to every request without its signature, and its other
// files give it to everyone, so that from outside the bridge's folder looks
// like nothing at all.
type NotFound struct {
	ContentType string
	Body        string // the path asked for replaced by pathMark
}

const pathMark = "__SC_PATH__"

// genericNotFound is used when the server's own page could not be read.
var genericNotFound = NotFound{ContentType: "text/html; charset=iso-8859-1", Body: "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n" +
	"<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n"}

var contentTypeRE = regexp.MustCompile(`^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(; ?[A-Za-z0-9_-]+=[A-Za-z0-9_."-]+)*$`)

// ProbeNotFound asks the web server for a page that does not exist, in a
// folder like the bridge's, and keeps its answer as the bridge's "not
// found". When the server cannot be asked, a plain Apache-like page is used.
func ProbeNotFound(ctx context.Context, cfg Config) NotFound {
	c, err := New(Config{ShopURL: cfg.ShopURL, Path: "sc-" + random(8) + "/" + random(8) + ".php", AllowHTTP: cfg.AllowHTTP, HTTP: cfg.HTTP})
	if err != nil {
		return genericNotFound
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url.String(), nil)
	if err != nil {
		return genericNotFound
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return genericNotFound
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	ct := resp.Header.Get("Content-Type")
	if err != nil || resp.StatusCode != http.StatusNotFound || !contentTypeRE.MatchString(ct) {
		return genericNotFound
	}
	p := c.url.EscapedPath()
	text := strings.ReplaceAll(string(body), p, pathMark)
	return NotFound{ContentType: ct, Body: text}
}

// php returns notfound.php: the page, with the path asked for filled in.
func (nf NotFound) php() string {
	ct := nf.ContentType
	if !contentTypeRE.MatchString(ct) {
		ct = genericNotFound.ContentType
	}
	return "<?php\n// The web server's own page for a page that is not there (S-Connect).\n" +
		"header_remove('X-Powered-By');\nhttp_response_code(404);\nheader('Content-Type: " + ct + "');\n" +
		"$p = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);\n" +
		"echo str_replace('" + pathMark + "', htmlspecialchars(is_string($p) ? $p : '/', ENT_QUOTES), base64_decode('" +
		base64.StdEncoding.EncodeToString([]byte(nf.Body)) + "'));\nexit;\n"
}

// guard starts every file of the bridge but the bridge itself: asked for
// directly, it answers "not found".
const guard = "<?php if (!defined('SC_BRIDGE')) { include __DIR__ . '/notfound.php'; } "

// Perms are the permissions of the bridge's folder and files.
type Perms struct {
	Name   string      // owner, group
	Dir    fs.FileMode // the folder
	File   fs.FileMode // the bridge, its secret, notfound.php, index.php
	Nonces fs.FileMode // the nonce list, which the bridge writes
}

// permLevels are tried strictest first: only the account that owns the
// files (PHP runs as the FTP user, as on most shared hosting), then its
// group too (the web server is in the FTP user's group).
var permLevels = []Perms{
	{Name: "owner", Dir: 0o700, File: 0o600, Nonces: 0o600},
	{Name: "group", Dir: 0o750, File: 0o640, Nonces: 0o660},
}

// openPerms are what a server needs whose PHP runs as another account: the
// secret readable by every account on it. Only tried to say why the bridge
// cannot be used there; never left so.
var openPerms = Perms{Name: "all", Dir: 0o755, File: 0o644, Nonces: 0o666}

// ErrUpload means the bridge could not be put on the server (folder or
// file); nothing of it is left there.
var ErrUpload = errors.New("bridge: upload failed")

// ErrPermissions means the web server reads the bridge only when every
// account on the server may read its secret: the bridge was removed.
var ErrPermissions = errors.New("bridge: the web server needs the secret readable by every account")

// Install uploads the bridge into a new folder with a random name inside
// the shop root, with a new secret, the folder closed to others before
// anything is in it. Secure then sets the permissions. nf is the server's
// "not found" (ProbeNotFound).
func Install(ctx context.Context, fsys remotefs.FS, root string, nf NotFound) (Installation, error) {
	inst := Installation{Dir: "sc-" + random(8), File: random(8) + ".php", Secret: random(32)}
	dir := path.Join(root, inst.Dir)
	if err := fsys.MkdirAll(ctx, dir); err != nil {
		return inst, fmt.Errorf("%w: create folder: %w", ErrUpload, err)
	}
	if err := fsys.Chmod(ctx, dir, permLevels[0].Dir); err != nil && !errors.Is(err, remotefs.ErrChmodUnsupported) {
		fsys.RemoveAll(ctx, dir)
		return inst, fmt.Errorf("%w: close folder: %w", ErrUpload, err)
	}
	for _, f := range inst.files(nf) {
		if err := fsys.WriteFile(ctx, path.Join(dir, f.name), []byte(f.body)); err != nil {
			fsys.RemoveAll(ctx, dir)
			return inst, fmt.Errorf("%w: %s: %w", ErrUpload, f.name, err)
		}
	}
	return inst, nil
}

type file struct{ name, body string }

// files are the bridge's files in upload order: the bridge last, so it
// answers only when all is in place. No .htaccess: servers that ignore it
// serve it, and nothing in the folder may name the bridge's file.
func (i Installation) files(nf NotFound) []file {
	return []file{
		{"notfound.php", nf.php()},
		{"index.php", guard + "exit;\n"},
		{"secret.php", guard + "return '" + i.Secret + "';\n"},
		{"nonces.php", guard + "exit; ?>\n"},
		{i.File, Script()},
	}
}

// Secure sets the strictest permissions under which the bridge still
// answers (works calls it) and returns them. When the server cannot set
// permissions at all, the bridge keeps the server's defaults and Secure
// says so with remotefs.ErrChmodUnsupported (when it answers). When it
// answers only with the secret open to every account, it is removed and
// Secure returns ErrPermissions. Any other failure of works is returned as
// it is, the permissions left at the strictest.
func Secure(ctx context.Context, fsys remotefs.FS, root string, inst Installation, works func(context.Context) error) (Perms, error) {
	var last error
	for _, p := range permLevels {
		if err := inst.chmod(ctx, fsys, root, p); err != nil {
			if errors.Is(err, remotefs.ErrChmodUnsupported) {
				if werr := works(ctx); werr != nil {
					return Perms{}, werr
				}
			}
			return Perms{}, err
		}
		if last = works(ctx); last == nil {
			return p, nil
		}
		if !unreadable(last) {
			return Perms{}, last // the bridge answered, signed: not a matter of permissions
		}
	}
	if err := inst.chmod(ctx, fsys, root, openPerms); err == nil && works(ctx) == nil {
		Remove(ctx, fsys, root, inst.Dir)
		return Perms{}, ErrPermissions
	}
	inst.chmod(ctx, fsys, root, permLevels[0])
	return Perms{}, last
}

// unreadable reports whether a failure may come from permissions: no
// bridge answered (its file or secret not readable), or the web server
// failed without the bridge's signature.
func unreadable(err error) bool {
	var se *StatusError
	return errors.Is(err, ErrMissing) || (errors.As(err, &se) && se.Message == "")
}

func (i Installation) chmod(ctx context.Context, fsys remotefs.FS, root string, p Perms) error {
	dir := path.Join(root, i.Dir)
	if err := fsys.Chmod(ctx, dir, p.Dir); err != nil {
		return err
	}
	for _, f := range i.files(NotFound{}) {
		mode := p.File
		if f.name == "nonces.php" {
			mode = p.Nonces
		}
		if err := fsys.Chmod(ctx, path.Join(dir, f.name), mode); err != nil {
			return err
		}
	}
	return nil
}

// Remove deletes an installed bridge's folder.
func Remove(ctx context.Context, fsys remotefs.FS, root, dir string) error {
	if !strings.HasPrefix(dir, "sc-") || strings.ContainsAny(dir, "/\\.") {
		return fmt.Errorf("bridge: %q is not a bridge folder", dir)
	}
	return fsys.RemoveAll(ctx, path.Join(root, dir))
}

func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b)
}

// Setup does the whole installation as a connection test does it: reads the
// server's "not found", uploads the bridge, and sets the strictest
// permissions under which it answers. On failure nothing is left on the
// server: ErrUpload when it could not be put there, ErrPermissions, or why
// it did not answer. remotefs.ErrChmodUnsupported comes with a working
// client: the bridge works, but its files have the server's default
// permissions.
func Setup(ctx context.Context, fsys remotefs.FS, root string, cfg Config) (Installation, *Client, Perms, error) {
	inst, err := Install(ctx, fsys, root, ProbeNotFound(ctx, cfg))
	if err != nil {
		return inst, nil, Perms{}, err
	}
	var client *Client
	works := func(ctx context.Context) error {
		c := cfg
		c.Path, c.Secret = inst.Path(), inst.Secret
		var err error
		client, err = Open(ctx, c)
		return err
	}
	perms, err := Secure(ctx, fsys, root, inst, works)
	switch {
	case errors.Is(err, remotefs.ErrChmodUnsupported) && client != nil:
		return inst, client, Perms{Name: "server"}, err
	case err != nil:
		Remove(ctx, fsys, root, inst.Dir)
		return inst, nil, Perms{}, err
	}
	return inst, client, perms, nil
}
