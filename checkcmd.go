package main

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/s-connect/s-connect/app"
	"github.com/s-connect/s-connect/backend/reconcile"
)

// Exit code of `s-connect check` when it found differences (otherwise the
// codes of `run`: 0 all is well, 1 the check could not run, 2 usage).
const exitDifferences = 3

// checkTask is `s-connect check --from YYYY-MM-DD --to YYYY-MM-DD [--csv
// FILE]`: Controle of Uitvoering for the command line. It prints the
// findings and the totals per VAT rate, and writes the CSV file when asked.
// It only reads, and runs beside a run of the same profile.
func checkTask(svc *app.Services, profileID uint, from, to, csvPath string, stdout, stderr io.Writer) int {
	if from == "" || to == "" {
		fmt.Fprintln(stderr, "usage: s-connect check [--profile ID] --from YYYY-MM-DD --to YYYY-MM-DD [--csv FILE]")
		return exitUsage
	}
	if profileID == 0 {
		ps, err := svc.Profiles.List()
		if err != nil || len(ps) == 0 {
			fmt.Fprintln(stderr, "s-connect check: no profile")
			return exitFailed
		}
		profileID = ps[0].ID
	}
	rep, err := svc.Tasks.Check(profileID, from, to)
	if err != nil {
		fmt.Fprintln(stderr, "s-connect check:", svc.ErrorText(err))
		return exitFailed
	}
	t := svc.Text
	fmt.Fprintf(stdout, "%s %s – %s\n", t("check.title", ""), rep.From, rep.To)
	fmt.Fprintf(stdout, "%s: %d · %s: %d · %s: %d\n", t("check.ordersShop", ""), rep.Orders,
		t("check.ordersSnelStart", ""), rep.SnelStartOrders, t("check.differences", ""), rep.Differences)
	if note := rep.SinceNote(reconcile.Label(t)); note != "" {
		fmt.Fprintln(stdout, note)
	}
	if !rep.WithLedger {
		fmt.Fprintln(stdout, t("check.noLedger", ""))
	}
	for _, f := range rep.Findings {
		line := t("check.kind."+f.Kind, "") + " · " + f.Reference
		if f.Text != "" {
			line += " · " + f.Text
		}
		fmt.Fprintln(stdout, line)
	}
	fmt.Fprintln(stdout, t("check.totals", ""))
	for _, r := range rep.Totals {
		fmt.Fprintf(stdout, "  %s%%: %s %s / %s, %s %s / %s\n", r.Rate, t("check.csv.shopExcl", ""), r.ShopExcl.StringFixed(2),
			r.SnelStartExcl.StringFixed(2), t("check.vat", ""), r.ShopVAT.StringFixed(2), r.SnelStartVAT.StringFixed(2))
	}
	if csvPath != "" {
		text, _ := svc.Tasks.CheckCSV(*rep)
		if err := os.WriteFile(csvPath, []byte(text), 0o644); err != nil {
			fmt.Fprintln(stderr, "s-connect check:", err)
			return exitFailed
		}
		fmt.Fprintln(stdout, "CSV: "+csvPath+" ("+strconv.Itoa(len(rep.Findings))+")")
	}
	if rep.Differences > 0 {
		return exitDifferences
	}
	return exitOK
}
