package opencart

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Return is a product of an order the customer sent back, with an action
// that gave the money back (Refunded or Credit Issued): the lines a partial
// credit order books. A return with another action (Replacement Sent,
// Waiting for return, none yet) is not read.
type Return struct {
	ID        int
	OrderID   int
	ProductID int
	Product   string // its name, as typed
	Model     string
	Quantity  int
	Action    string // the action's name as the shop has it
	Added     time.Time
	Modified  time.Time // date_modified: every change OpenCart makes to a return sets it
}

// refundActions are the names of the return actions that give money back:
// OpenCart's own (every version installs them in English, 4.1 under other
// ids than 2.3–4.0) and their Dutch translations.
var refundActions = []string{"refunded", "credit issued", "terugbetaald", "tegoed verstrekt", "creditnota verstuurd"}

// RefundActions reads the ids of the return actions that give money back,
// once per shop: return_action is a short list, read whole.
func (s *Shop) RefundActions(ctx context.Context) (map[int]string, error) {
	if s.refundActions != nil {
		return s.refundActions, nil
	}
	out := map[int]string{}
	if s.schema.HasTable("return_action") {
		rows, err := s.t.Select(ctx, Query{Table: "return_action", Columns: []string{"return_action_id", "language_id", "name"},
			OrderBy: []string{"return_action_id", "language_id"}})
		if err != nil {
			return nil, fmt.Errorf("opencart: return actions: %w", err)
		}
		for _, r := range rows {
			name := Decode(r["name"])
			for _, want := range refundActions {
				if strings.EqualFold(strings.TrimSpace(name), want) {
					if _, seen := out[atoi(r["return_action_id"])]; !seen {
						out[atoi(r["return_action_id"])] = name
					}
				}
			}
		}
	}
	s.refundActions = out
	return out, nil
}

// Returns reads the refunded returns of these orders in one read (orders
// of one page), ordered by return id. A shop without the return table has
// none.
func (s *Shop) Returns(ctx context.Context, orderIDs []int) ([]Return, error) {
	if len(orderIDs) == 0 || !s.schema.HasTable("return") {
		return nil, nil
	}
	actions, err := s.RefundActions(ctx)
	if err != nil || len(actions) == 0 {
		return nil, err
	}
	rows, err := s.t.Select(ctx, Query{Table: "return", Columns: s.present("return", Whitelist["return"]),
		Where:   []Cond{In("order_id", sortInts(append([]int(nil), orderIDs...))), In("return_action_id", actionIDs(actions))},
		OrderBy: []string{"return_id"}})
	if err != nil {
		return nil, fmt.Errorf("opencart: returns: %w", err)
	}
	return s.returnsOf(rows, actions), nil
}

func actionIDs(actions map[int]string) []int {
	ids := make([]int, 0, len(actions))
	for id := range actions {
		ids = append(ids, id)
	}
	return sortInts(ids)
}

func (s *Shop) returnsOf(rows []Row, actions map[int]string) []Return {
	out := make([]Return, 0, len(rows))
	for _, r := range rows {
		out = append(out, Return{ID: atoi(r["return_id"]), OrderID: atoi(r["order_id"]), ProductID: atoi(r["product_id"]),
			Product: Decode(r["product"]), Model: Decode(r["model"]), Quantity: atoi(r["quantity"]),
			Action: actions[atoi(r["return_action_id"])], Added: s.parseTime(r["date_added"]), Modified: s.parseTime(r["date_modified"])})
	}
	return out
}

// ReturnsWatermarkable reports whether returns can be read by their
// date_modified: a bridge placed by an older S-Connect does not allow the
// column yet.
func (s *Shop) ReturnsWatermarkable() bool { return s.schema.Has("return", "date_modified") }

// ReturnsChangedSince reads the refunded returns whose date_modified is at
// or after since, ordered by return id. Every version sets date_modified
// when a return is added, edited (its action chosen) or given a status, so
// a return that came to give money back shows here. Read in pages of 1000:
// one read in a steady state.
func (s *Shop) ReturnsChangedSince(ctx context.Context, since time.Time) ([]Return, error) {
	if !s.schema.HasTable("return") || !s.ReturnsWatermarkable() {
		return nil, fmt.Errorf("opencart: returns cannot be read by date_modified")
	}
	actions, err := s.RefundActions(ctx)
	if err != nil || len(actions) == 0 {
		return nil, err
	}
	var out []Return
	after := 0
	for {
		rows, err := s.t.Select(ctx, Query{Table: "return", Columns: s.present("return", Whitelist["return"]),
			Where:   []Cond{Gt("return_id", after), Ge("date_modified", s.formatTime(since)), In("return_action_id", actionIDs(actions))},
			OrderBy: []string{"return_id"}, Limit: 1000})
		if err != nil {
			return nil, fmt.Errorf("opencart: returns changed: %w", err)
		}
		page := s.returnsOf(rows, actions)
		out = append(out, page...)
		if len(rows) < 1000 {
			return out, nil
		}
		after = page[len(page)-1].ID
	}
}
