package stockexport

// Guard is the check that no run sets many products to 0 at once, or
// lowers the shop's total stock a lot, without the user's say (a wrong
// code field, another administration, a first run against articles that
// were never counted). Only product rows count: an option value's stock
// reaches its product through the product's total.
type Guard struct {
	On          bool   `json:"on"`
	Managed     int    `json:"managed"`  // products whose stock the export manages
	Zeroed      int    `json:"zeroed"`   // products the run takes from above 0 to 0
	Lowered     int    `json:"lowered"`  // products whose stock goes down
	OldTotal    int    `json:"oldTotal"` // their total stock before
	NewTotal    int    `json:"newTotal"` // and after
	ZeroPercent int    `json:"zeroPercent"`
	DropPercent int    `json:"dropPercent"`
	Tripped     string `json:"tripped,omitempty"` // "zero" or "drop": the run would pass a threshold
	Confirmed   bool   `json:"confirmed"`         // the user allowed this run once
}

// minProducts: a single product that sells out, or is counted lower, is
// never a surprise, however small the shop.
const minProducts = 2

// Check computes the guard of a plan. managed and total are the figures of
// the last full pass, used when this pass reads only what changed (the
// share is of the whole shop, not of the few rows read).
func Check(rows []Row, s Settings, managed, total int, partial bool) Guard {
	g := Guard{On: s.Guard, ZeroPercent: s.GuardZeroPercent, DropPercent: s.GuardDropPercent}
	for _, r := range rows {
		if r.OptionValueID != 0 || r.Skip != "" {
			continue
		}
		g.Managed++
		g.OldTotal += max(r.Old, 0)
		g.NewTotal += max(r.New, 0)
		if r.Skip == "" && r.Old > 0 && r.New <= 0 {
			g.Zeroed++
		}
		if r.Skip == "" && r.New < r.Old {
			g.Lowered++
		}
	}
	if partial {
		// The products not planned keep their stock: the rest of the shop is
		// as the last full pass left it.
		if rest := total - g.OldTotal; rest > 0 {
			g.OldTotal += rest
			g.NewTotal += rest
		}
		g.Managed = max(g.Managed, managed)
	}
	if !g.On {
		return g
	}
	switch {
	case g.Zeroed >= minProducts && g.Zeroed*100 > g.ZeroPercent*g.Managed:
		g.Tripped = "zero"
	case g.Lowered >= minProducts && g.OldTotal > 0 && (g.OldTotal-g.NewTotal)*100 > g.DropPercent*g.OldTotal:
		g.Tripped = "drop"
	}
	return g
}
