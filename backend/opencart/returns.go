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
	ids := make([]int, 0, len(actions))
	for id := range actions {
		ids = append(ids, id)
	}
	rows, err := s.t.Select(ctx, Query{Table: "return", Columns: s.present("return", Whitelist["return"]),
		Where:   []Cond{In("order_id", sortInts(append([]int(nil), orderIDs...))), In("return_action_id", sortInts(ids))},
		OrderBy: []string{"return_id"}})
	if err != nil {
		return nil, fmt.Errorf("opencart: returns: %w", err)
	}
	out := make([]Return, 0, len(rows))
	for _, r := range rows {
		out = append(out, Return{ID: atoi(r["return_id"]), OrderID: atoi(r["order_id"]), ProductID: atoi(r["product_id"]),
			Product: Decode(r["product"]), Model: Decode(r["model"]), Quantity: atoi(r["quantity"]),
			Action: actions[atoi(r["return_action_id"])], Added: s.parseTime(r["date_added"])})
	}
	return out, nil
}
