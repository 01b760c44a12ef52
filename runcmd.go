package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/s-connect/s-connect/app"
)

// Exit codes of `s-connect run` (README, "Exit codes").
const (
	exitOK     = 0 // Geslaagd: every order is in SnelStart (or was already)
	exitFailed = 1 // Mislukt: the run could not start or stopped; the cause is printed
	exitUsage  = 2 // the command line is wrong
	exitHeld   = 3 // Geslaagd, N vastgehouden: orders wait for the user (see Uitvoering)
)

// runFlags are the options of `s-connect run`.
type runFlags struct {
	preview, full bool
	wait          time.Duration
}

// runTask is `s-connect run TASK`: the same run as *Nu uitvoeren*, for
// servers and scheduled jobs of the operating system. While another
// process runs the profile it waits up to wait, then says which process
// that is. It prints the outcome as the window words it and exits with one
// of the codes above.
func runTask(svc *app.Services, args []string, profileID uint, f runFlags, stdout, stderr io.Writer) int {
	preview, wait := f.preview, f.wait
	if len(args) != 1 {
		fmt.Fprintln(stderr, svc.Text("cli.runUsage", "s-connect run [--preview] [--full] [--profile ID] [--wait 15m] orders|ordersStock"))
		return exitUsage
	}
	if profileID == 0 {
		ps, err := svc.Profiles.List()
		if err != nil || len(ps) == 0 {
			fmt.Fprintln(stderr, "s-connect run:", svc.Text("cli.noProfile", ""))
			return exitFailed
		}
		profileID = ps[0].ID
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "s-connect run "+args[0]+":", svc.FailedText(err))
		return exitFailed
	}
	if preview {
		results, err := svc.Tasks.Preview(profileID, args[0])
		if err != nil {
			return fail(err)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return exitFailed
		}
		return exitOK
	}
	res, err := svc.RunCommand(profileID, args[0], wait, f.full)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "s-connect run %s: %s (%s)\n", args[0], res.Run.Message, svc.CountsText(res.Counts))
	if res.Run.Held > 0 {
		return exitHeld
	}
	return exitOK
}
