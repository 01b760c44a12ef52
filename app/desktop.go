package app

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// WindowOptions say where the window process finds the program.
type WindowOptions struct {
	API       string // the background process's API, http://127.0.0.1:port
	Token     string
	View      string // the tab to show first ("" for the first)
	ProfileID uint
	// ToTray: minimising closes the window to the tray (when a tray shows).
	ToTray bool
	Log    *slog.Logger
}

// RunWindow shows the program's window until it is closed. The window holds
// no services of its own: the UI's calls go to the background process's API
// (through the asset server, which adds the token), and that process's
// events are relayed into the window. A binary built without the desktop
// tags returns an error saying so.
func RunWindow(ui fs.FS, o WindowOptions) error {
	target, err := url.Parse(o.API)
	if err != nil || target.Host == "" {
		return fmt.Errorf("window: API address %q", o.API)
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Header.Set("X-SConnect-Token", o.Token)
		},
		FlushInterval: -1,
	}
	return wails.Run(&options.App{
		Title:            "S-Connect",
		Width:            1180,
		Height:           820,
		MinWidth:         900,
		MinHeight:        640,
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		AssetServer:      &assetserver.Options{Assets: ui, Handler: apiOnly(proxy)},
		OnStartup: func(ctx context.Context) {
			go relayEvents(ctx, target, o.Token, o.Log)
			if o.ToTray {
				go closeWhenMinimised(ctx)
			}
		},
		// The one binding of the window: where it opens. Everything else
		// goes to the background process.
		Bind: []any{&WindowView{View: o.View, ProfileID: o.ProfileID}},
	})
}

// WindowView tells the UI of a window process which tab and profile to
// show first (a clicked notification's).
type WindowView struct {
	View      string `json:"view"`
	ProfileID uint   `json:"profileId"`
}

// Start returns the tab and profile to open on.
func (w *WindowView) Start() WindowView { return *w }

// apiOnly passes the API's paths to the background process; the UI's
// files come from the window's own copy.
func apiOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			http.NotFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// relayEvents reads the background process's events and emits them in the
// window; EventWindowShow also brings the window forward. When the stream
// ends — the program was quit from the tray — the window closes too.
func relayEvents(ctx context.Context, api *url.URL, token string, log *slog.Logger) {
	defer runtime.Quit(ctx)
	u := *api
	u.Path = "/api/events"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return
	}
	req.Header.Set("X-SConnect-Token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Error("window: events", "err", err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		log.Error("window: events", "status", resp.Status)
		return
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var ev Event
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			continue
		}
		if ev.Name == EventWindowShow {
			raise(ctx)
		}
		runtime.EventsEmit(ctx, ev.Name, ev.Data)
	}
	log.Info("window: the program has stopped; closing", "err", sc.Err())
}

// raise brings the window to the front, unminimised.
func raise(ctx context.Context) {
	runtime.WindowUnminimise(ctx)
	runtime.WindowShow(ctx)
	runtime.WindowSetAlwaysOnTop(ctx, true)
	time.AfterFunc(300*time.Millisecond, func() { runtime.WindowSetAlwaysOnTop(ctx, false) })
}

// closeWhenMinimised closes the window when it is minimised: the program
// goes on in the tray, and the WebView's memory is given back.
func closeWhenMinimised(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if runtime.WindowIsMinimised(ctx) {
				runtime.Quit(ctx)
				return
			}
		}
	}
}
