// Command traybench measures the desktop program's memory as a shop owner
// uses it: the window open, then closed to the tray, then an hour (by
// default) of scheduled runs every five minutes against a shop whose
// database is reached through an SSH tunnel, with new orders coming in —
// and at the end the window opened again from the tray menu. It prints one
// line per measurement: the PSS of every process of the program (WebKit's
// included), its open files, threads and goroutines.
//
//	go run ./desktop/desktoptest/traybench -bin bin/s-connect-bench -key bin/e2e-license.key
//
// The binary must be a desktop build that trusts the licence key (see the
// Makefile's traybench target). It asserts what BENCHMARKS.md reports and
// exits 1 when a figure misses it (see check): all processes together at
// most 80 MiB PSS whenever the program is in the tray, and no growth of
// goroutines, open files or anonymous memory over the runs.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/s-connect/s-connect/backend/testsvc"
	"github.com/s-connect/s-connect/desktop/desktoptest"
)

func main() {
	bin := flag.String("bin", "bin/s-connect-bench", "desktop build that trusts -key")
	key := flag.String("key", "bin/e2e-license.key", "licence key (licensegen keygen)")
	duration := flag.Duration("duration", time.Hour, "how long the scheduled runs go on")
	interval := flag.String("interval", "5m", "the task's interval (Planning)")
	idle := flag.Duration("idle", 30*time.Second, "idle time before a measurement of the window open or closed")
	shot := flag.String("screenshot", "", "write a screenshot with the tray icon here (PNG)")
	flag.Parse()

	env := &testsvc.Env{}
	code := 0
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintln(os.Stderr, "traybench:", r)
			code = 1
		}
		env.Close()
		os.Exit(code)
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	every, err := time.ParseDuration(*interval)
	if err != nil {
		panic(err)
	}
	sess := desktoptest.StartSession(env)
	shop := desktoptest.StartShop(env, ctx, 5, every)
	dir, _ := os.MkdirTemp("", "sconnect-bench-")
	env.Cleanup(func() { os.RemoveAll(dir) })
	binPath, _ := filepath.Abs(*bin)
	prog := sess.StartProgram(env, binPath, dir)
	pid := prog.Cmd.Process.Pid
	start := time.Now()

	var taken []sample
	measure := func(what string) {
		m := desktoptest.TreePSS(pid)
		g, _ := strconv.Atoi(strings.Fields(lastGoroutines(dir) + " x")[0])
		taken = append(taken, sample{what: what, tray: strings.Contains(what, "in the tray"), runs: countRuns(prog),
			pss: m.Total, anon: m.Anon, files: desktoptest.OpenFiles(pid), goroutines: g})
		var procs []string
		for _, p := range m.Procs {
			procs = append(procs, p)
		}
		sort.Strings(procs)
		runs := taken[len(taken)-1].runs
		fmt.Printf("| %s | %s | %.1f MiB | %.1f MiB | %d | %s | %d | %d | %s | %d |\n", time.Since(start).Round(time.Second), what,
			float64(m.Total)/1024, float64(m.Anon)/1024, len(m.Procs), strings.Join(procs, ", "), desktoptest.OpenFiles(pid),
			desktoptest.Threads(pid), lastGoroutines(dir), runs)
	}
	fmt.Println("| elapsed | state | PSS, all processes | of it anonymous | processes | per process | open files | threads | goroutines (after the last run) | runs |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")

	waitWindow(sess, true)
	time.Sleep(*idle)
	measure(fmt.Sprintf("window open, %v idle", *idle))
	closeWindow(sess)
	time.Sleep(*idle)
	measure(fmt.Sprintf("in the tray, %v idle", *idle))

	if _, err := shop.Configure(prog, *key, map[string]string{"planning.orders.interval": *interval}); err != nil {
		panic(err)
	}
	if *shot != "" {
		if err := sess.Screenshot(*shot); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	deadline := time.Now().Add(*duration)
	for time.Now().Before(deadline) {
		time.Sleep(min(every, time.Until(deadline)))
		measure(fmt.Sprintf("in the tray, runs every %s", *interval))
	}
	item, err := sess.WaitTrayItem("S-Connect", 10*time.Second)
	if err != nil {
		panic(err)
	}
	if err := item.Click("Openen"); err != nil {
		panic(err)
	}
	waitWindow(sess, true)
	time.Sleep(*idle)
	measure(fmt.Sprintf("window open again (tray: Openen), %v idle", *idle))
	closeWindow(sess)
	time.Sleep(*idle)
	measure(fmt.Sprintf("in the tray again, %v idle", *idle))
	fmt.Fprintln(os.Stderr, "traybench: done; the program's last log lines:")
	fmt.Fprintln(os.Stderr, tail(filepath.Join(dir, "s-connect.log"), 5))
	if failed := check(taken); len(failed) > 0 {
		for _, f := range failed {
			fmt.Fprintln(os.Stderr, "traybench: FAIL:", f)
		}
		code = 1
		return
	}
	fmt.Fprintf(os.Stderr, "traybench: PASS: in the tray at most %d MiB PSS over %d measurements; no growth over the runs\n",
		trayLimitKiB/1024, len(taken))
}

// trayLimitKiB is the target of issue 14: every process of the program
// together, in the tray.
const trayLimitKiB = 80 * 1024

type sample struct {
	what             string
	tray             bool
	runs             int
	pss, anon, files int // KiB, KiB, count
	goroutines       int // after the last run; 0 before the first
}

// check holds the measurements to the targets: PSS in the tray, and — with
// at least four measurements during runs — no growth from the first half
// of the runs to the second: goroutines at most 2 more, open files at most
// 3 more, anonymous memory at most a quarter more. A leak per run (a dialer
// keeping an SSH client alive, as once) grows all three with every run.
func check(taken []sample) []string {
	var failed []string
	var during []sample
	for _, m := range taken {
		if m.tray && m.pss > trayLimitKiB {
			failed = append(failed, fmt.Sprintf("%s: %.1f MiB PSS in the tray, target at most %d MiB", m.what, float64(m.pss)/1024, trayLimitKiB/1024))
		}
		if m.tray && m.goroutines > 0 && m.runs >= 2 {
			during = append(during, m)
		}
	}
	if len(during) < 4 {
		return failed
	}
	first, second := during[:len(during)/2], during[len(during)/2:]
	most := func(ms []sample, f func(sample) int) int {
		n := 0
		for _, m := range ms {
			n = max(n, f(m))
		}
		return n
	}
	grow := func(name string, f func(sample) int, limit func(int) int) {
		if a, b := most(first, f), most(second, f); b > limit(a) {
			failed = append(failed, fmt.Sprintf("%s grew over the runs: at most %d in the first half, %d in the second", name, a, b))
		}
	}
	grow("goroutines", func(m sample) int { return m.goroutines }, func(n int) int { return n + 2 })
	grow("open files", func(m sample) int { return m.files }, func(n int) int { return n + 3 })
	grow("anonymous PSS (KiB)", func(m sample) int { return m.anon }, func(n int) int { return n + n/4 })
	return failed
}

func waitWindow(sess *desktoptest.Session, open bool) {
	deadline := time.Now().Add(60 * time.Second)
	for (len(sess.Windows("S-Connect")) > 0) != open {
		if time.Now().After(deadline) {
			panic(fmt.Sprintf("window open=%v: not after 60 s", open))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func closeWindow(sess *desktoptest.Session) {
	if err := sess.CloseWindow("S-Connect"); err != nil {
		panic(err)
	}
	waitWindow(sess, false)
}

func countRuns(p *desktoptest.Program) int {
	raw, err := p.Call("Profiles.List")
	if err != nil {
		return -1
	}
	var ps []struct{ ID uint }
	json.Unmarshal(raw, &ps)
	n := 0
	for _, pr := range ps {
		raw, err := p.Call("Tasks.History", pr.ID)
		if err != nil {
			return -1
		}
		var runs []struct{ State string }
		json.Unmarshal(raw, &runs)
		n += len(runs)
	}
	return n
}

var goroutinesRE = regexp.MustCompile(`msg="run finished".* goroutines=(\d+) heapInUseKiB=(\d+)`)

// lastGoroutines reads the goroutines and heap the program logged after
// its last run.
func lastGoroutines(dir string) string {
	data, _ := os.ReadFile(filepath.Join(dir, "s-connect.log"))
	m := goroutinesRE.FindAllStringSubmatch(string(data), -1)
	if len(m) == 0 {
		return "—"
	}
	last := m[len(m)-1]
	return last[1] + " (heap " + last[2] + " KiB)"
}

func tail(path string, n int) string {
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
