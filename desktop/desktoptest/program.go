package desktoptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/testsvc"
	"github.com/s-connect/s-connect/desktop/instance"
)

// Program is the desktop program running in a session.
type Program struct {
	Cmd   *exec.Cmd
	Dir   string // its settings folder
	Addr  string // its API
	Token string
	Out   *bytes.Buffer // what it printed (stdout and stderr)
	done  chan struct{}
	err   error // how it ended, once done is closed
}

// StartProgram starts bin (a desktop build) on settings folder dir and
// waits until its API answers.
func (s *Session) StartProgram(tb testsvc.TB, bin, dir string, args ...string) *Program {
	tb.Helper()
	p := &Program{Dir: dir, Out: &bytes.Buffer{}, done: make(chan struct{})}
	p.Cmd = exec.Command(bin, append([]string{"--config-dir", dir}, args...)...)
	p.Cmd.Env = append(os.Environ(), s.Env...)
	p.Cmd.Stdout, p.Cmd.Stderr = syncWriter{p.Out}, syncWriter{p.Out}
	if err := p.Cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", bin, err)
	}
	go func() { p.err = p.Cmd.Wait(); close(p.done) }()
	tb.Cleanup(func() {
		if p.Running() {
			p.Cmd.Process.Signal(os.Interrupt)
			if ended, _ := p.Wait(10 * time.Second); !ended {
				p.Cmd.Process.Kill()
				<-p.done
			}
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if info, err := instance.Read(dir); err == nil && info.PID == p.Cmd.Process.Pid {
			p.Addr, p.Token = info.Addr, info.Token
			if _, err := p.Call("Program.Info"); err == nil {
				return p
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the program did not come up in 60 s:\n%s", p.Out)
		}
		if !p.Running() {
			tb.Fatalf("the program ended (%v):\n%s", p.err, String(p.Out))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Running reports whether the program's process is still there.
func (p *Program) Running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Wait waits up to limit for the program to end; it returns whether it
// did, and how.
func (p *Program) Wait(limit time.Duration) (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	case <-time.After(limit):
		return false, nil
	}
}

// Environ reads a process's environment variable (e.g. what the window's
// process was started with).
func Environ(pid int, name string) string {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	for _, kv := range strings.Split(string(data), "\x00") {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// Call calls a bound method through the program's API ("Tasks.History").
func (p *Program) Call(name string, args ...any) (json.RawMessage, error) {
	if args == nil {
		args = []any{}
	}
	body, _ := json.Marshal(map[string]any{"name": "app." + name, "args": args})
	req, _ := http.NewRequest(http.MethodPost, "http://"+p.Addr+"/api/call", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-SConnect-Token", p.Token)
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r struct {
		Result json.RawMessage `json:"result"`
		Error  *struct{ Code, Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, err
	}
	if r.Error != nil {
		return nil, fmt.Errorf("%s: %s %s", name, r.Error.Code, r.Error.Message)
	}
	return r.Result, nil
}

// Processes lists the program's process and its descendants (the window's
// process, WebKit's), with each one's command name.
func Processes(pid int) map[int]string {
	out := map[int]string{}
	var walk func(int)
	walk = func(p int) {
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", p))
		if err != nil {
			return
		}
		out[p] = strings.TrimSpace(string(comm))
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", p))
		for _, t := range tasks {
			data, _ := os.ReadFile(t)
			for _, c := range strings.Fields(string(data)) {
				if n, err := strconv.Atoi(c); err == nil {
					walk(n)
				}
			}
		}
	}
	walk(pid)
	return out
}

// PSS is the proportional set size of a process in KiB (smaps_rollup):
// all of it, and its anonymous part (heap, stacks: what the process itself
// holds, as against pages of its program and libraries, which the kernel
// may drop and read again).
func PSS(pid int) (all, anon int, err error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "Pss:":
			all, _ = strconv.Atoi(f[1])
		case "Pss_Anon:":
			anon, _ = strconv.Atoi(f[1])
		}
	}
	if all == 0 {
		return 0, 0, fmt.Errorf("no Pss in smaps_rollup of %d", pid)
	}
	return all, anon, nil
}

// Memory is the PSS of a process tree: per process and in total (KiB).
type Memory struct {
	Total int
	Anon  int            // the anonymous part of Total
	Procs map[int]string // pid → "name  NN.N MiB"
}

// TreePSS measures the program's process tree.
func TreePSS(pid int) Memory {
	m := Memory{Procs: map[int]string{}}
	for p, name := range Processes(pid) {
		kb, anon, err := PSS(p)
		if err != nil {
			continue
		}
		m.Total += kb
		m.Anon += anon
		m.Procs[p] = fmt.Sprintf("%s %.1f MiB", name, float64(kb)/1024)
	}
	return m
}

// OpenFiles counts a process's open file descriptors.
func OpenFiles(pid int) int {
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	return len(fds)
}

// Threads counts a process's OS threads.
func Threads(pid int) int {
	ts, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	return len(ts)
}
