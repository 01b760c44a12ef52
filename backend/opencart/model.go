// Package opencart is the one place that knows OpenCart's database: the
// model of a shop's orders and products, and how versions 2.3, 3.0, 4.0 and
// 4.1 store them (docs/opencart-text.md, docs/vat.md). Transports (direct
// MySQL, the PHP bridge) only move rows of whitelisted tables and columns;
// this package turns rows into orders, whichever transport brought them.
// Text comes out decoded: what the customer or the shop owner typed.
package opencart

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Order is one webshop order. Amounts are in the shop's default currency
// (Currency), as OpenCart stores them; CurrencyValue converts to what the
// customer saw in CurrencyCode.
type Order struct {
	ID              int
	StoreID         int
	StoreName       string
	CustomerID      int // 0 for a guest
	CustomerGroupID int
	FirstName       string
	LastName        string
	Email           string
	Telephone       string
	Payment         Address
	Shipping        Address
	PaymentMethod   Method
	ShippingMethod  Method
	Comment         string
	Total           decimal.Decimal
	StatusID        int
	LanguageID      int
	Currency        string // the shop's default currency: the one of every amount
	CurrencyCode    string
	CurrencyValue   decimal.Decimal
	Added           time.Time // in the shop's time zone
	Modified        time.Time
	Lines           []Line
	Totals          []Total
	Vouchers        []Voucher // gift vouchers bought in this order (2.3–4.0)
	// Discounts: which products the coupon and reward points were taken
	// off; read only for orders with a return (ReadDiscounts).
	Discounts *Discounts `json:",omitempty"`
}

// Voucher is a gift voucher sold in an order (order_voucher): its face
// value is part of the sub_total, without VAT.
type Voucher struct {
	Code        string
	Description string
	Amount      decimal.Decimal
}

// Address is a billing or shipping address as the order stores it.
type Address struct {
	FirstName  string
	LastName   string
	Company    string
	Address1   string
	Address2   string
	City       string
	Postcode   string
	Country    string
	CountryID  int
	CountryISO string // ISO 3166 alpha-2, from the country table
	Zone       string
	ZoneID     int
}

// Method is a payment or shipping method: its title and its code
// (e.g. "flat.flat"); 4.0.2+ keep both in one JSON column, a shipping
// method also its tax class.
type Method struct {
	Name       string
	Code       string
	TaxClassID *int `json:",omitempty"`
}

// Line is a product line. Price and Tax are per unit excluding tax; Total
// is Price × Quantity, Tax the tax of one unit before any discount
// (docs/vat.md).
type Line struct {
	ID        int
	ProductID int
	MasterID  int // 4.x: the parent product of a variant
	Name      string
	Model     string
	Quantity  int
	Price     decimal.Decimal
	Total     decimal.Decimal
	Tax       decimal.Decimal
	Options   []LineOption
}

// LineOption is a chosen product option (size, colour).
type LineOption struct {
	ID                   int
	ProductOptionID      int
	ProductOptionValueID int
	Name                 string
	Value                string
	Type                 string
}

// Total is one order_total row: sub_total, shipping, tax, coupon, …
// Discounts are negative.
type Total struct {
	Code      string
	Title     string
	Value     decimal.Decimal
	SortOrder int
	// Rate is the VAT percentage the row is about, when the shop tells: a
	// tax row's rate (by its title), or the rate of the tax class of
	// shipping, handling or low_order_fee. Fixed marks a tax row of a
	// fixed-amount rate.
	Rate  *decimal.Decimal `json:",omitempty"`
	Fixed bool             `json:",omitempty"`
}

// Product is a catalogue product with every code field and its stock.
type Product struct {
	ID       int
	MasterID int // 4.x variants
	Model    string
	Codes    map[string]string // sku, upc, ean, jan, isbn, mpn (4.1: from product_code)
	Quantity int
	Subtract bool
	Status   bool
	Price    decimal.Decimal
	Name     string // in the shop's default language
	Options  []OptionValue
}

// Code is the product's value of a code field (one of CodeFields): the
// SnelStart article code when that field is Veld SnelStart-artikelcode.
func (p Product) Code(field string) string {
	switch field {
	case "", "model":
		return strings.TrimSpace(p.Model)
	case "product_id":
		return strconv.Itoa(p.ID)
	}
	return strings.TrimSpace(p.Codes[field])
}

// OptionValue is a product option value with its own stock.
type OptionValue struct {
	ID              int // product_option_value_id
	ProductOptionID int
	OptionID        int
	OptionValueID   int
	Quantity        int
	Subtract        bool
	OptionName      string // "Maat", in the shop's default language
	ValueName       string // "L"
	Code            string // its own article code, where an option-SKU extension keeps one
}

// Status is an order status with its name in the shop's language.
type Status struct {
	ID   int
	Name string
}

// CodeFields are the product fields that may hold the SnelStart article
// code (Veld SnelStart-artikelcode).
var CodeFields = []string{"model", "sku", "upc", "ean", "jan", "isbn", "mpn", "product_id"}
