package app

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path"
	"reflect"
	"sort"
	"strings"
	"time"
)

// Methods maps "app.Struct.Method" — the name Wails gives a bound method —
// to the method itself. The HTTP adapter calls the very same methods, so the
// browser UI of `serve` and the desktop window cannot drift apart.
type Methods map[string]reflect.Value

// BoundMethods collects the exported methods of the bound services.
func BoundMethods(bound []any) Methods {
	m := Methods{}
	for _, svc := range bound {
		v := reflect.ValueOf(svc)
		t := v.Type()
		pkg := path.Base(t.Elem().PkgPath())
		for i := 0; i < t.NumMethod(); i++ {
			m[pkg+"."+t.Elem().Name()+"."+t.Method(i).Name] = v.Method(i)
		}
	}
	return m
}

// Names lists the method names, sorted.
func (m Methods) Names() []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// call decodes the JSON arguments for a method, calls it and returns its
// result and error, the way Wails does for the desktop window.
func (m Methods) call(name string, args []json.RawMessage) (any, error) {
	fn, ok := m[name]
	if !ok {
		return nil, errNoMethod
	}
	ft := fn.Type()
	if len(args) != ft.NumIn() {
		return nil, fmt.Errorf("%s takes %d arguments, got %d: %w", name, ft.NumIn(), len(args), errBadRequest)
	}
	in := make([]reflect.Value, len(args))
	for i, raw := range args {
		p := reflect.New(ft.In(i))
		if err := json.Unmarshal(raw, p.Interface()); err != nil {
			return nil, fmt.Errorf("%s argument %d: %v: %w", name, i+1, err, errBadRequest)
		}
		in[i] = p.Elem()
	}
	out := fn.Call(in)
	var result any
	var err error
	for _, o := range out {
		if o.Type() == errorType {
			if !o.IsNil() {
				err = o.Interface().(error)
			}
		} else {
			result = o.Interface()
		}
	}
	return result, err
}

var errNoMethod = errors.New("no such method")

// HTTPOptions configure the handler of `serve`.
type HTTPOptions struct {
	Token  string // required on every API call
	Static fs.FS  // the built UI
	Broker *Broker
}

type httpAPI struct {
	svc     *Services
	methods Methods
	opt     HTTPOptions
}

// NewHTTPHandler serves the bound services under /api/ and the UI around
// them. Every API call needs the token; the UI files do not (they hold no
// data). Only requests addressed to the loopback interface are answered, so
// a web page elsewhere cannot reach the API through DNS rebinding.
func NewHTTPHandler(svc *Services, opt HTTPOptions) http.Handler {
	h := &httpAPI{svc: svc, methods: BoundMethods(svc.Bound()), opt: opt}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/call", h.authed(h.serveCall))
	mux.HandleFunc("GET /api/events", h.authed(h.serveEvents))
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/", h.serveStatic)
	return h.guard(mux)
}

// guard adds the headers every answer carries and refuses foreign hosts.
func (h *httpAPI) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		if host != "127.0.0.1" && host != "localhost" && host != "::1" {
			http.Error(w, "forbidden host", http.StatusForbidden)
			return
		}
		w.Header().Set("Referrer-Policy", "no-referrer") // the token is in the page's URL
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
		next.ServeHTTP(w, r)
	})
}

// authed checks the token: the X-SConnect-Token header, or the token query
// parameter for EventSource, which cannot set headers.
func (h *httpAPI) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-SConnect-Token")
		if got == "" {
			got = r.URL.Query().Get("token")
		}
		if subtle.ConstantTimeCompare([]byte(got), []byte(h.opt.Token)) != 1 || h.opt.Token == "" {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error": &Error{Code: "unauthorized",
				Message: h.svc.msgs.T(h.svc.language(), "err.unauthorized", "")}})
			return
		}
		next(w, r)
	}
}

type callRequest struct {
	Name string            `json:"name"`
	Args []json.RawMessage `json:"args"`
}

func (h *httpAPI) serveCall(w http.ResponseWriter, r *http.Request) {
	var req callRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4<<20))
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": h.svc.userError(errBadRequest)})
		return
	}
	result, err := h.methods.call(req.Name, req.Args)
	if h.opt.Broker != nil {
		h.opt.Broker.Drain(500 * time.Millisecond) // the call's events go out before its answer
	}
	switch {
	case errors.Is(err, errNoMethod):
		writeJSON(w, http.StatusNotFound, map[string]any{"error": &Error{Code: "unknown_method",
			Message: h.svc.msgs.T(h.svc.language(), "err.unknown_method", req.Name)}})
	case err != nil:
		e := h.svc.userError(err)
		status := http.StatusUnprocessableEntity
		switch e.Code {
		case "internal":
			status = http.StatusInternalServerError
		case "bad_request":
			status = http.StatusBadRequest
		}
		writeJSON(w, status, map[string]any{"error": e})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"result": result})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// serveEvents streams events as server-sent events until the page leaves.
func (h *httpAPI) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok || h.opt.Broker == nil {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	sub, stop := h.opt.Broker.Subscribe()
	defer stop()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()
	keepAlive := time.NewTicker(25 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keepAlive.C:
			fmt.Fprint(w, ": ping\n\n")
		case ev := <-sub.C:
			data, err := json.Marshal(ev)
			if err != nil {
				h.svc.log.Error("event encode", "event", ev.Name, "err", err)
			} else {
				fmt.Fprintf(w, "data: %s\n\n", data)
			}
			flusher.Flush()
			sub.Sent()
			continue
		}
		flusher.Flush()
	}
}

// serveStatic serves the built UI; unknown paths get index.html.
func (h *httpAPI) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	if _, err := fs.Stat(h.opt.Static, name); err != nil {
		name = "index.html"
	}
	if _, err := fs.Stat(h.opt.Static, "index.html"); err != nil {
		http.Error(w, "S-Connect: de gebruikersinterface is niet gebouwd (make build) / the UI is not built (make build)",
			http.StatusServiceUnavailable)
		return
	}
	if name == "index.html" {
		w.Header().Set("Cache-Control", "no-store")
	}
	http.ServeFileFS(w, r, h.opt.Static, name)
}
