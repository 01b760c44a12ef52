package opencart

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Discounts is what the shop's coupon and product tables say about an
// order's coupon and reward discount: which of its products OpenCart took
// them off, and whether a coupon gave free shipping (docs/refunds.md). The
// order rows keep only the totals; a return needs the products. Read for
// orders with a return (ReadDiscounts), nil on an order otherwise.
type Discounts struct {
	// Coupon is the order's coupon, nil when the order has none or it could
	// not be read (CouponUnknown).
	Coupon *Coupon `json:",omitempty"`
	// CouponUnknown is the title of a coupon total whose coupon could not
	// be read: deleted since, changed so it no longer fits the order, or
	// not readable through this transport (a bridge placed by an older
	// S-Connect).
	CouponUnknown string `json:",omitempty"`
	// Points are the order's products that could be paid with reward points
	// (product.points not 0); nil when they could not be read
	// (PointsUnknown).
	Points        []int `json:",omitempty"`
	PointsUnknown bool  `json:",omitempty"`
}

// Coupon is a coupon as the shop has it now.
type Coupon struct {
	Code     string
	Type     string // P (percentage) or F (fixed amount)
	Discount decimal.Decimal
	Shipping bool // free shipping: the shipping cost is part of the coupon total
	// Products are the order's products the coupon applied to: of its
	// coupon_product rows, and in its coupon_category categories or their
	// subcategories. Nil: every product (the coupon names none).
	Products []int `json:",omitempty"`
}

// AppliesTo reports whether the coupon took something off the product.
func (c *Coupon) AppliesTo(productID int) bool {
	return c.Products == nil || slices.Contains(c.Products, productID)
}

// discountTables are the tables ReadDiscounts needs for a coupon.
var discountTables = []string{"coupon", "coupon_history", "coupon_product", "coupon_category", "category_path", "product_to_category"}

// ReadDiscounts fills Discounts of the orders with a coupon or reward
// total, in a few reads for all of them. What cannot be read is marked
// unknown, not guessed; only a failing read is an error.
func (s *Shop) ReadDiscounts(ctx context.Context, orders []Order) error {
	var withCoupon, withReward []int
	idx := map[int]int{}
	for i, o := range orders {
		for _, t := range o.Totals {
			if t.Value.IsZero() || (t.Code != "coupon" && t.Code != "reward") {
				continue
			}
			if orders[i].Discounts == nil {
				orders[i].Discounts = &Discounts{}
			}
			idx[o.ID] = i
			if t.Code == "coupon" {
				orders[i].Discounts.CouponUnknown = t.Title // until read
				withCoupon = append(withCoupon, o.ID)
			} else {
				withReward = append(withReward, o.ID)
			}
		}
	}
	if len(withCoupon) > 0 {
		if err := s.readCoupons(ctx, orders, idx, withCoupon); err != nil {
			return err
		}
	}
	if len(withReward) > 0 {
		return s.readPoints(ctx, orders, idx, withReward)
	}
	return nil
}

func (s *Shop) readCoupons(ctx context.Context, orders []Order, idx map[int]int, ids []int) error {
	for _, t := range discountTables {
		if !s.schema.HasTable(t) {
			return nil // an older bridge: every coupon stays unknown
		}
	}
	if !s.schema.Has("coupon", "shipping") {
		return nil
	}
	// The coupon of an order: its coupon_history row (written when the
	// order was confirmed), else the code between the title's brackets.
	rows, err := s.t.Select(ctx, Query{Table: "coupon_history", Columns: []string{"coupon_id", "order_id"},
		Where: []Cond{In("order_id", sortInts(slices.Clone(ids)))}, OrderBy: []string{"coupon_history_id"}})
	if err != nil {
		return fmt.Errorf("opencart: coupon history: %w", err)
	}
	couponOf := map[int]int{} // order → coupon_id
	for _, r := range rows {
		couponOf[atoi(r["order_id"])] = atoi(r["coupon_id"])
	}
	codeOf := map[int]string{} // order → code, without a history row
	var codes []string
	for _, id := range ids {
		if _, ok := couponOf[id]; ok {
			continue
		}
		title := orders[idx[id]].Discounts.CouponUnknown
		open, end := strings.Index(title, "("), strings.LastIndex(title, ")")
		if open >= 0 && end > open+1 {
			code := title[open+1 : end]
			codeOf[id] = code
			codes = append(codes, code, Escape(code))
		}
	}
	var couponIDs []int
	for _, c := range couponOf {
		couponIDs = append(couponIDs, c)
	}
	where := []Cond{In("coupon_id", sortInts(couponIDs))}
	if len(couponIDs) == 0 {
		where = nil
	}
	coupons := map[int]*Coupon{}
	byCode := map[string]int{}
	read := func(where []Cond) error {
		rows, err := s.t.Select(ctx, Query{Table: "coupon", Columns: []string{"coupon_id", "code", "type", "discount", "shipping"},
			Where: where, OrderBy: []string{"coupon_id"}})
		if err != nil {
			return fmt.Errorf("opencart: coupons: %w", err)
		}
		for _, r := range rows {
			c := &Coupon{Code: Decode(r["code"]), Type: strings.ToUpper(strings.TrimSpace(r["type"])), Discount: dec(r["discount"]),
				Shipping: atoi(r["shipping"]) != 0}
			coupons[atoi(r["coupon_id"])] = c
			byCode[c.Code] = atoi(r["coupon_id"])
		}
		return nil
	}
	if where != nil {
		if err := read(where); err != nil {
			return err
		}
	}
	if len(codes) > 0 {
		if err := read([]Cond{In("code", codes)}); err != nil {
			return err
		}
	}
	for id, code := range codeOf {
		if c, ok := byCode[code]; ok {
			couponOf[id] = c
		}
	}
	if len(coupons) == 0 {
		return nil
	}
	all := make([]int, 0, len(coupons))
	for id := range coupons {
		all = append(all, id)
	}
	sortInts(all)
	// The products a coupon names, and its categories with every
	// subcategory (category_path), as OpenCart's getCoupon expands them.
	named := map[int][]int{}
	restricted := map[int]bool{}
	rows, err = s.t.Select(ctx, Query{Table: "coupon_product", Columns: []string{"coupon_id", "product_id"},
		Where: []Cond{In("coupon_id", all)}})
	if err != nil {
		return fmt.Errorf("opencart: coupon products: %w", err)
	}
	for _, r := range rows {
		c := atoi(r["coupon_id"])
		named[c], restricted[c] = append(named[c], atoi(r["product_id"])), true
	}
	rows, err = s.t.Select(ctx, Query{Table: "coupon_category", Columns: []string{"coupon_id", "category_id"},
		Where: []Cond{In("coupon_id", all)}})
	if err != nil {
		return fmt.Errorf("opencart: coupon categories: %w", err)
	}
	catsOf := map[int][]int{} // coupon → its categories
	var cats []int
	for _, r := range rows {
		c, cat := atoi(r["coupon_id"]), atoi(r["category_id"])
		catsOf[c], restricted[c] = append(catsOf[c], cat), true
		cats = append(cats, cat)
	}
	inCategory := map[int]map[int]bool{} // coupon → product ids in its categories (of these orders)
	if len(cats) > 0 {
		rows, err = s.t.Select(ctx, Query{Table: "category_path", Columns: []string{"category_id", "path_id"},
			Where: []Cond{In("path_id", sortInts(slices.Compact(sortInts(cats))))}})
		if err != nil {
			return fmt.Errorf("opencart: category paths: %w", err)
		}
		below := map[int][]int{} // category → it and its subcategories
		for _, c := range cats {
			below[c] = []int{c}
		}
		var every []int
		for _, r := range rows {
			p, c := atoi(r["path_id"]), atoi(r["category_id"])
			below[p] = append(below[p], c)
		}
		for _, l := range below {
			every = append(every, l...)
		}
		var products []int
		for _, id := range ids {
			for _, l := range orders[idx[id]].Lines {
				products = append(products, l.ProductID)
			}
		}
		rows, err = s.t.Select(ctx, Query{Table: "product_to_category", Columns: []string{"product_id", "category_id"},
			Where: []Cond{In("category_id", slices.Compact(sortInts(every))), In("product_id", slices.Compact(sortInts(products)))}})
		if err != nil {
			return fmt.Errorf("opencart: product categories: %w", err)
		}
		for c, list := range catsOf {
			inCategory[c] = map[int]bool{}
			for _, r := range rows {
				for _, cat := range list {
					if slices.Contains(below[cat], atoi(r["category_id"])) {
						inCategory[c][atoi(r["product_id"])] = true
					}
				}
			}
		}
	}
	for _, id := range ids {
		o := &orders[idx[id]]
		c := coupons[couponOf[id]]
		if c == nil || (c.Type != "P" && c.Type != "F") {
			continue
		}
		cp := *c
		if restricted[couponOf[id]] {
			cp.Products = []int{}
			for _, l := range o.Lines {
				if (slices.Contains(named[couponOf[id]], l.ProductID) || inCategory[couponOf[id]][l.ProductID]) && !slices.Contains(cp.Products, l.ProductID) {
					cp.Products = append(cp.Products, l.ProductID)
				}
			}
			if len(cp.Products) == 0 {
				continue // none of the order's products: not the coupon it was
			}
		}
		o.Discounts.Coupon, o.Discounts.CouponUnknown = &cp, ""
	}
	return nil
}

// readPoints reads which of the orders' products can be paid with points:
// the reward total is taken off those alone (Cart::getProducts gives the
// others no points).
func (s *Shop) readPoints(ctx context.Context, orders []Order, idx map[int]int, ids []int) error {
	if !s.schema.Has("product", "points") {
		for _, id := range ids {
			orders[idx[id]].Discounts.PointsUnknown = true
		}
		return nil
	}
	var products []int
	for _, id := range ids {
		for _, l := range orders[idx[id]].Lines {
			products = append(products, l.ProductID)
		}
	}
	rows, err := s.t.Select(ctx, Query{Table: "product", Columns: []string{"product_id", "points"},
		Where: []Cond{In("product_id", slices.Compact(sortInts(products)))}})
	if err != nil {
		return fmt.Errorf("opencart: product points: %w", err)
	}
	points := map[int]bool{}
	found := map[int]bool{}
	for _, r := range rows {
		found[atoi(r["product_id"])] = true
		points[atoi(r["product_id"])] = atoi(r["points"]) != 0
	}
	for _, id := range ids {
		d := orders[idx[id]].Discounts
		d.Points = []int{}
		for _, l := range orders[idx[id]].Lines {
			if !found[l.ProductID] {
				d.Points, d.PointsUnknown = nil, true // deleted since
				break
			}
			if points[l.ProductID] && !slices.Contains(d.Points, l.ProductID) {
				d.Points = append(d.Points, l.ProductID)
			}
		}
		if d.Points != nil && len(d.Points) == 0 {
			d.Points, d.PointsUnknown = nil, true // none has points now: changed since
		}
	}
	return nil
}
