package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/s-connect/s-connect/app"
)

// runTask is `s-connect run TASK`: the same run as *Nu uitvoeren*, for
// servers and scheduled jobs of the operating system. While another
// process runs the profile it waits up to wait, then says which process
// that is. Exit 1 when orders failed or the run could not start.
func runTask(svc *app.Services, args []string, profileID uint, preview bool, wait time.Duration, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: s-connect run [--preview] [--profile ID] [--wait 15m] orders|ordersStock")
		return 2
	}
	if profileID == 0 {
		ps, err := svc.Profiles.List()
		if err != nil || len(ps) == 0 {
			fmt.Fprintln(stderr, "s-connect run: no profile")
			return 1
		}
		profileID = ps[0].ID
	}
	fail := func(err error) int {
		e, _ := svc.FormatError(err).(*app.Error)
		fmt.Fprintln(stderr, "s-connect run:", e.Message)
		return 1
	}
	if preview {
		results, err := svc.Tasks.Preview(profileID, args[0])
		if err != nil {
			return fail(err)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return 1
		}
		return 0
	}
	res, err := svc.RunCommand(profileID, args[0], wait)
	if err != nil {
		return fail(err)
	}
	states := make([]string, 0, len(res.Counts))
	for k, n := range res.Counts {
		states = append(states, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(states)
	fmt.Fprintf(stdout, "s-connect run %s: %s\n", args[0], strings.Join(states, ", "))
	if res.Counts["failed"] > 0 {
		return 1
	}
	return 0
}
