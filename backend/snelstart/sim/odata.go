package sim

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"
)

// The OData $filter subset of reference §3: eq ne gt lt ge le and or not,
// parentheses, literals ('text' with '' for ', guid'…', datetime'…', numbers,
// true/false, null), the functions startswith, endswith, substringof,
// tolower, toupper, year, month, day, nested paths (A/B/C) and
// Collection/any(x: …) / all(x: …). Property names match case-insensitively.

// Node is a parsed filter; String gives a canonical form (for tests).
type Node interface {
	eval(env *scope) (any, error)
	String() string
}

type scope struct {
	item        map[string]any
	shape       shape            // the item's known properties
	lambda      map[string]any   // variable → element
	lambdaShape map[string]shape // variable → the element's properties
}

type (
	binary struct {
		op   string
		l, r Node
	}
	not  struct{ x Node }
	lit  struct{ v any } // string, guid, time.Time, decimal.Decimal, bool, nil
	guid string
	path struct{ parts []string }
	call struct {
		name string
		args []Node
	}
	lambda struct {
		coll      path
		all       bool
		variable  string
		predicate Node
	}
)

func (b binary) String() string { return "(" + b.op + " " + b.l.String() + " " + b.r.String() + ")" }
func (n not) String() string    { return "(not " + n.x.String() + ")" }
func (l lit) String() string {
	switch v := l.v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case guid:
		return "guid:" + string(v)
	case time.Time:
		return "datetime:" + v.Format(time.RFC3339Nano)
	case nil:
		return "null"
	}
	return fmt.Sprint(l.v)
}
func (p path) String() string { return strings.Join(p.parts, "/") }
func (c call) String() string {
	parts := make([]string, len(c.args))
	for i, a := range c.args {
		parts[i] = a.String()
	}
	return c.name + "(" + strings.Join(parts, ",") + ")"
}
func (l lambda) String() string {
	kind := "any"
	if l.all {
		kind = "all"
	}
	return l.coll.String() + "/" + kind + "(" + l.variable + ":" + l.predicate.String() + ")"
}

// ParseFilter parses a $filter expression.
func ParseFilter(s string) (Node, error) {
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.pos].text)
	}
	return n, nil
}

// Match reports whether item, an object of the given shape, passes the
// filter. A property outside the shape is an error (as SnelStart answers
// ALG-0104); one in the shape but absent from the item is null.
func Match(n Node, item map[string]any, sh shape) (bool, error) {
	v, err := n.eval(&scope{item: item, shape: sh})
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("filter is not a condition")
	}
	return b, nil
}

type token struct {
	kind string // ident, string, guid, datetime, number, punct
	text string
}

func tokenize(s string) ([]token, error) {
	var out []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case strings.ContainsRune("(),/:", r):
			out = append(out, token{"punct", string(r)})
			i++
		case r == '\'':
			str, n, err := quoted(rs[i:])
			if err != nil {
				return nil, err
			}
			out = append(out, token{"string", str})
			i += n
		case r == '-' || unicode.IsDigit(r):
			j := i + 1
			for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.') {
				j++
			}
			out = append(out, token{"number", string(rs[i:j])})
			i = j
		case unicode.IsLetter(r) || r == '_' || r == '$':
			j := i + 1
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_') {
				j++
			}
			word := string(rs[i:j])
			if j < len(rs) && rs[j] == '\'' && (strings.EqualFold(word, "guid") || strings.EqualFold(word, "datetime")) {
				str, n, err := quoted(rs[j:])
				if err != nil {
					return nil, err
				}
				out = append(out, token{strings.ToLower(word), str})
				i = j + n
				continue
			}
			out = append(out, token{"ident", word})
			i = j
		default:
			return nil, fmt.Errorf("unexpected character %q", r)
		}
	}
	return out, nil
}

// quoted reads 'text' with ” as an escaped quote; it returns the text and
// the number of runes used.
func quoted(rs []rune) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(rs); i++ {
		if rs[i] == '\'' {
			if i+1 < len(rs) && rs[i+1] == '\'' {
				b.WriteRune('\'')
				i++
				continue
			}
			return b.String(), i + 1, nil
		}
		b.WriteRune(rs[i])
	}
	return "", 0, fmt.Errorf("unterminated string")
}

type parser struct {
	toks []token
	pos  int
}

func (p *parser) peekWord(w string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == "ident" && strings.EqualFold(p.toks[p.pos].text, w)
}
func (p *parser) peekPunct(c string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == "punct" && p.toks[p.pos].text == c
}
func (p *parser) expect(c string) error {
	if !p.peekPunct(c) {
		return fmt.Errorf("expected %q", c)
	}
	p.pos++
	return nil
}

func (p *parser) or() (Node, error) {
	l, err := p.and()
	for err == nil && p.peekWord("or") {
		p.pos++
		var r Node
		if r, err = p.and(); err == nil {
			l = binary{"or", l, r}
		}
	}
	return l, err
}

func (p *parser) and() (Node, error) {
	l, err := p.comparison()
	for err == nil && p.peekWord("and") {
		p.pos++
		var r Node
		if r, err = p.comparison(); err == nil {
			l = binary{"and", l, r}
		}
	}
	return l, err
}

var comparisons = []string{"eq", "ne", "gt", "lt", "ge", "le"}

func (p *parser) comparison() (Node, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for _, op := range comparisons {
		if p.peekWord(op) {
			p.pos++
			r, err := p.unary()
			if err != nil {
				return nil, err
			}
			return binary{op, l, r}, nil
		}
	}
	return l, nil
}

func (p *parser) unary() (Node, error) {
	if p.peekWord("not") {
		p.pos++
		x, err := p.unary()
		return not{x}, err
	}
	return p.primary()
}

func (p *parser) primary() (Node, error) {
	if p.pos >= len(p.toks) {
		return nil, fmt.Errorf("unexpected end of filter")
	}
	t := p.toks[p.pos]
	p.pos++
	switch t.kind {
	case "punct":
		if t.text != "(" {
			return nil, fmt.Errorf("unexpected %q", t.text)
		}
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		return n, p.expect(")")
	case "string":
		return lit{t.text}, nil
	case "guid":
		return lit{guid(strings.ToLower(t.text))}, nil
	case "datetime":
		tm, err := parseTime(t.text)
		if err != nil {
			return nil, fmt.Errorf("datetime'%s': %w", t.text, err)
		}
		return lit{tm}, nil
	case "number":
		d, err := decimal.NewFromString(t.text)
		if err != nil {
			return nil, fmt.Errorf("number %q", t.text)
		}
		return lit{d}, nil
	}
	// An identifier: a keyword literal, a function call or a path.
	switch strings.ToLower(t.text) {
	case "true":
		return lit{true}, nil
	case "false":
		return lit{false}, nil
	case "null":
		return lit{nil}, nil
	}
	if p.peekPunct("(") {
		return p.call(strings.ToLower(t.text))
	}
	return p.path(t.text)
}

var functions = map[string]int{"startswith": 2, "endswith": 2, "substringof": 2, "tolower": 1, "toupper": 1,
	"year": 1, "month": 1, "day": 1}

func (p *parser) call(name string) (Node, error) {
	arity, ok := functions[name]
	if !ok {
		return nil, fmt.Errorf("unknown function %s", name)
	}
	p.pos++ // (
	var args []Node
	for len(args) < arity {
		if len(args) > 0 {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
		a, err := p.or()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	return call{name, args}, p.expect(")")
}

func (p *parser) path(first string) (Node, error) {
	pt := path{parts: []string{first}}
	for p.peekPunct("/") {
		p.pos++
		if p.pos >= len(p.toks) || p.toks[p.pos].kind != "ident" {
			return nil, fmt.Errorf("expected a property after /")
		}
		name := p.toks[p.pos].text
		p.pos++
		if (strings.EqualFold(name, "any") || strings.EqualFold(name, "all")) && p.peekPunct("(") {
			p.pos++
			if p.pos+1 >= len(p.toks) || p.toks[p.pos].kind != "ident" || p.toks[p.pos+1].text != ":" {
				return nil, fmt.Errorf("expected x: in %s()", name)
			}
			variable := p.toks[p.pos].text
			p.pos += 2
			pred, err := p.or()
			if err != nil {
				return nil, err
			}
			return lambda{pt, strings.EqualFold(name, "all"), variable, pred}, p.expect(")")
		}
		pt.parts = append(pt.parts, name)
	}
	return pt, nil
}

// lookup finds a property case-insensitively.
func lookup(obj map[string]any, name string) (any, bool) {
	if v, ok := obj[name]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

func (pt path) eval(env *scope) (any, error) {
	v, _, err := pt.resolve(env)
	return v, err
}

// resolve walks the path through the item and its shape together.
func (pt path) resolve(env *scope) (any, shape, error) {
	var cur any = env.item
	sh := env.shape
	parts := pt.parts
	if v, ok := env.lambda[parts[0]]; ok {
		cur, sh, parts = v, env.lambdaShape[parts[0]], parts[1:]
	}
	for _, part := range parts {
		name, sub, known := canonical(sh, part)
		if !known {
			return nil, nil, fmt.Errorf("unknown property %s", part)
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, sub, nil // a null on the way gives null, as OData does
		}
		v, _ := lookup(obj, name)
		cur, sh = v, sub
	}
	return cur, sh, nil
}

func (l lit) eval(*scope) (any, error) { return l.v, nil }

func (n not) eval(env *scope) (any, error) {
	v, err := n.x.eval(env)
	b, ok := v.(bool)
	if err == nil && !ok {
		err = fmt.Errorf("not needs a condition")
	}
	return !b, err
}

func (l lambda) eval(env *scope) (any, error) {
	v, sh, err := l.coll.resolve(env)
	if err != nil {
		return nil, err
	}
	list, _ := v.([]any)
	for _, el := range list {
		inner := &scope{item: env.item, shape: env.shape,
			lambda: map[string]any{l.variable: el}, lambdaShape: map[string]shape{l.variable: sh}}
		for k, vv := range env.lambda {
			inner.lambda[k], inner.lambdaShape[k] = vv, env.lambdaShape[k]
		}
		res, err := l.predicate.eval(inner)
		if err != nil {
			return nil, err
		}
		if b, _ := res.(bool); b != l.all {
			return !l.all, nil
		}
	}
	return l.all, nil
}

func (c call) eval(env *scope) (any, error) {
	args := make([]any, len(c.args))
	for i, a := range c.args {
		v, err := a.eval(env)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	str := func(i int) string { s, _ := args[i].(string); return strings.ToLower(s) }
	switch c.name {
	case "startswith":
		return strings.HasPrefix(str(0), str(1)), nil
	case "endswith":
		return strings.HasSuffix(str(0), str(1)), nil
	case "substringof":
		return strings.Contains(str(1), str(0)), nil
	case "tolower":
		return strings.ToLower(fmt.Sprint(args[0])), nil
	case "toupper":
		return strings.ToUpper(fmt.Sprint(args[0])), nil
	}
	t, err := asTime(args[0])
	if err != nil {
		return nil, err
	}
	switch c.name {
	case "year":
		return decimal.NewFromInt(int64(t.Year())), nil
	case "month":
		return decimal.NewFromInt(int64(t.Month())), nil
	}
	return decimal.NewFromInt(int64(t.Day())), nil
}

func (b binary) eval(env *scope) (any, error) {
	l, err := b.l.eval(env)
	if err != nil {
		return nil, err
	}
	if b.op == "and" || b.op == "or" {
		lb, ok := l.(bool)
		if !ok {
			return nil, fmt.Errorf("%s needs conditions", b.op)
		}
		if (b.op == "and" && !lb) || (b.op == "or" && lb) {
			return lb, nil
		}
		r, err := b.r.eval(env)
		rb, ok := r.(bool)
		if err == nil && !ok {
			err = fmt.Errorf("%s needs conditions", b.op)
		}
		return rb, err
	}
	r, err := b.r.eval(env)
	if err != nil {
		return nil, err
	}
	c, comparable, err := compare(l, r)
	if err != nil {
		return nil, err
	}
	switch b.op {
	case "eq":
		return comparable && c == 0, nil
	case "ne":
		return !comparable || c != 0, nil
	}
	if !comparable {
		return false, nil
	}
	switch b.op {
	case "gt":
		return c > 0, nil
	case "lt":
		return c < 0, nil
	case "ge":
		return c >= 0, nil
	}
	return c <= 0, nil
}

// compare orders a property value and a literal. Text compares without
// regard to case, as SnelStart's SQL Server collation does [I]. A null only
// equals null.
func compare(a, b any) (int, bool, error) {
	a, b = plain(a), plain(b)
	if a == nil || b == nil {
		return 0, a == nil && b == nil, nil
	}
	if _, isTime := a.(time.Time); isTime {
		if _, bTime := b.(time.Time); !bTime {
			c, ok, err := compare(b, a)
			return -c, ok, err
		}
	}
	switch y := b.(type) {
	case time.Time:
		x, err := asTime(a)
		return x.Compare(y), true, err
	case decimal.Decimal:
		x, err := asDecimal(a)
		return x.Cmp(y), true, err
	case bool:
		x, ok := a.(bool)
		if !ok {
			return 0, false, fmt.Errorf("cannot compare %v with a boolean", a)
		}
		if x == y {
			return 0, true, nil
		}
		return 1, true, nil
	case string:
		if _, isNum := a.(decimal.Decimal); isNum {
			c, ok, err := compare(b, a)
			return -c, ok, err
		}
		x, ok := a.(string)
		if !ok {
			return 0, false, fmt.Errorf("cannot compare %v with text", a)
		}
		return strings.Compare(strings.ToLower(x), strings.ToLower(y)), true, nil
	}
	return 0, false, fmt.Errorf("cannot compare %v", b)
}

// plain turns stored JSON values into comparable ones.
func plain(v any) any {
	switch x := v.(type) {
	case json.Number:
		if d, err := decimal.NewFromString(string(x)); err == nil {
			return d
		}
	case guid:
		return string(x)
	}
	return v
}

func asDecimal(v any) (decimal.Decimal, error) {
	switch x := v.(type) {
	case json.Number:
		return decimal.NewFromString(string(x))
	case decimal.Decimal:
		return x, nil
	case string:
		return decimal.NewFromString(x)
	}
	return decimal.Zero, fmt.Errorf("%v is not a number", v)
}

func asTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case string:
		return parseTime(x)
	}
	return time.Time{}, fmt.Errorf("%v is not a date", v)
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date-time: %q", s)
}
