package config

import (
	"time"

	"github.com/s-connect/s-connect/backend/snelstart"
)

// BuiltinSubscriptionKey is the SnelStart Ocp-Apim-Subscription-Key a vendor
// build may carry (set with -ldflags "-X …/config.BuiltinSubscriptionKey=…").
// Without one, the user must enter their own.
var BuiltinSubscriptionKey = ""

// DateTimeLayout is how date-time settings are stored: local time, to the
// minute, as an HTML datetime-local input gives it.
const DateTimeLayout = "2006-01-02T15:04"

// Placeholders are the fields that *Omschrijving order* may use.
var Placeholders = []string{
	"ordernummer", "klantnaam", "bedrijf", "winkelnaam", "datum", "betaalmethode", "verzendmethode",
}

// Intervals of a scheduled task (Planning): "off" up to daily at a set time.
var intervals = []string{"off", "5m", "10m", "15m", "30m", "1h", "2h", "4h", "12h", "daily"}

func choices(values ...string) []Choice {
	out := make([]Choice, len(values))
	for i, v := range values {
		out[i] = Choice{Value: v}
	}
	return out
}

// taskSettings declares the three settings of one scheduled task.
func taskSettings(task string) []Setting {
	p := "planning." + task + "."
	return []Setting{
		{Key: p + "interval", Kind: KindChoice, Default: "off", Choices: choices(intervals...)},
		{Key: p + "dailyAt", Kind: KindTime, Default: "07:00", Required: true, ShowIf: is(p+"interval", "daily")},
		{Key: p + "nextRun", Kind: KindDateTime, ShowIf: is(p+"interval", intervals[1:]...)},
	}
}

var (
	bridge   = is("shop.transport", "bridge")
	viaFTP   = &Expr{Any: []Expr{*bridge, {Key: "shop.db.viaSSH", In: []string{"true"}}}}
	sftp     = is("shop.ftp.protocol", "sftp")
	ftps     = is("shop.ftp.protocol", "ftps-explicit", "ftps-implicit")
	direct   = is("shop.transport", "mysql")
	online   = is("snelstart.type", "online")
	articleN = 50 // SnelStart's artikelcode is at most artikelcodeMaxLengte long; 50 bounds any administration
)

// Settings is the declaration of every setting, in no particular order; the
// tabs below place them. Keys and Dutch labels follow shared/SETTINGS.md.
var Settings = buildSettings()

func buildSettings() []Setting {
	s := []Setting{
		// Profile (F12)
		{Key: "profile.name", Kind: KindText, Default: "Mijn webshop", Required: true, MaxLen: 60},

		// Koppeling SnelStart (F3). Local SQL/MDB are not offered until they work.
		{Key: "snelstart.type", Kind: KindChoice, Default: "online", Choices: choices("online")},
		{Key: "snelstart.clientKey", Kind: KindSecret, Required: true, ShowIf: online},
		{Key: "snelstart.subscriptionKey", Kind: KindSecret, Required: BuiltinSubscriptionKey == "", ShowIf: online},
		{Key: "snelstart.administration", Kind: KindReadOnly, ReadOnly: true, ShowIf: online},
		// companyInfo's administratieIdentifier, kept by connection tests and
		// runs: two profiles with the same one book into one administration.
		{Key: "snelstart.administrationId", Kind: KindReadOnly, ReadOnly: true, Hidden: true},
		{Key: "snelstart.apiBaseURL", Kind: KindURL, Default: snelstart.DefaultAPIBaseURL, Required: true, Advanced: true, ShowIf: online},
		{Key: "snelstart.authBaseURL", Kind: KindURL, Default: snelstart.DefaultAuthBaseURL, Required: true, Advanced: true, ShowIf: online},

		// Koppeling OpenCart (F4)
		{Key: "shop.transport", Kind: KindChoice, Default: "bridge", Choices: choices("bridge", "mysql")},
		{Key: "shop.since", Kind: KindDateTime, Required: true,
			defaultFunc: func(now time.Time) string { return now.Format(DateTimeLayout) }},
		// Explicit FTPS is the default; plain FTP needs shop.ftp.plainOK too.
		{Key: "shop.ftp.protocol", Kind: KindChoice, Default: "ftps-explicit", ShowIf: viaFTP, Choices: []Choice{
			{Value: "ftp", Sets: map[string]string{"shop.ftp.port": "21", "shop.ftp.tls": "none"}},
			{Value: "ftps-explicit", Sets: map[string]string{"shop.ftp.port": "21", "shop.ftp.tls": "explicit"}},
			{Value: "ftps-implicit", Sets: map[string]string{"shop.ftp.port": "990", "shop.ftp.tls": "implicit"}},
			{Value: "sftp", Sets: map[string]string{"shop.ftp.port": "22", "shop.ftp.tls": "ssh"}},
		}},
		{Key: "shop.ftp.tls", Kind: KindChoice, Default: "explicit", ReadOnly: true, ShowIf: viaFTP,
			Choices: choices("none", "explicit", "implicit", "ssh")},
		{Key: "shop.ftp.plainOK", Kind: KindBool, Default: "false", ShowIf: &Expr{All: []Expr{*viaFTP, *is("shop.ftp.protocol", "ftp")}}},
		{Key: "shop.ftp.host", Kind: KindHost, Required: true, ShowIf: viaFTP},
		{Key: "shop.ftp.port", Kind: KindPort, Default: "21", Required: true, ShowIf: viaFTP},
		{Key: "shop.ftp.user", Kind: KindText, Required: true, MaxLen: 255, ShowIf: viaFTP},
		{Key: "shop.ftp.password", Kind: KindSecret, ShowIf: viaFTP},
		{Key: "shop.ssh.privateKey", Kind: KindSecretFile, ShowIf: &Expr{All: []Expr{*viaFTP, *sftp}}},
		{Key: "shop.ssh.hostKey", Kind: KindReadOnly, ReadOnly: true, ShowIf: &Expr{All: []Expr{*viaFTP, *sftp}}},
		{Key: "shop.ftp.certFingerprint", Kind: KindReadOnly, ReadOnly: true, ShowIf: &Expr{All: []Expr{*viaFTP, *ftps}}},
		{Key: "shop.ftp.root", Kind: KindPath, ShowIf: bridge},
		{Key: "shop.url", Kind: KindURL, Required: true, ShowIf: bridge},
		{Key: "shop.allowHTTP", Kind: KindBool, Default: "false", ShowIf: bridge},
		{Key: "shop.tablePrefix", Kind: KindText, Pattern: `[A-Za-z0-9_]{0,32}`, MaxLen: 32},
		// The bridge belongs to this profile alone: a copy makes its own.
		{Key: "shop.bridge.path", Kind: KindReadOnly, ReadOnly: true, Local: true, ShowIf: bridge},
		{Key: "shop.bridge.secret", Kind: KindSecret, ReadOnly: true, Hidden: true, Local: true},
		{Key: "shop.db.host", Kind: KindHost, Required: true, ShowIf: direct},
		{Key: "shop.db.port", Kind: KindPort, Default: "3306", Required: true, ShowIf: direct},
		{Key: "shop.db.name", Kind: KindText, Required: true, MaxLen: 64, ShowIf: direct},
		{Key: "shop.db.user", Kind: KindText, Required: true, MaxLen: 80, ShowIf: direct},
		{Key: "shop.db.password", Kind: KindSecret, ShowIf: direct},
		{Key: "shop.db.viaSSH", Kind: KindBool, Default: "false", ShowIf: direct},
		// TLS to the database unless the SSH tunnel already encrypts.
		{Key: "shop.db.tls", Kind: KindBool, Default: "true", ShowIf: &Expr{All: []Expr{*direct, *is("shop.db.viaSSH", "false")}}},
		{Key: "shop.db.certFingerprint", Kind: KindReadOnly, ReadOnly: true,
			ShowIf: &Expr{All: []Expr{*direct, *is("shop.db.viaSSH", "false"), *is("shop.db.tls", "true")}}},
		// The shop's own address as its database says (config_url), for the
		// licence of a profile without a Webshop URL.
		{Key: "shop.db.shopURL", Kind: KindReadOnly, ReadOnly: true, ShowIf: direct},
		{Key: "shop.storeIDs", Kind: KindIDList},
		{Key: "shop.orderStatuses", Kind: KindIDList},

		// Aansluiting → Verkopen (F5)
		{Key: "sales.template", Kind: KindPick, PickList: "verkoopordersjablonen", MaxLen: 100},
		{Key: "sales.costCentre", Kind: KindPick, PickList: "kostenplaatsen", MaxLen: 100},
		{Key: "sales.processStatus", Kind: KindChoice, Default: "Order",
			Choices: choices("Order", "Offerte", "Bevestiging", "Werkbon", "Pakbon", "Afhaalbon", "Contantbon", "Factuur")},
		{Key: "sales.paymentReference", Kind: KindBool, Default: "true"},
		// Before the order number in betalingskenmerk, orderreferentie and the
		// klantnummer memo line: tells the shops of one administration apart.
		{Key: "sales.referencePrefix", Kind: KindText, Pattern: `[A-Za-z0-9_./-]{0,20}`, MaxLen: 20},
		{Key: "sales.descriptionTemplate", Kind: KindTemplate, Default: "Webshop order {ordernummer} {klantnaam}", Required: true, MaxLen: 200},
		{Key: "sales.addresses", Kind: KindChoice, Default: "extern", Choices: choices("extern", "klantkaart")},
		{Key: "sales.linePrice", Kind: KindChoice, Default: "webshop", Choices: choices("webshop", "snelstart")},
		{Key: "sales.lineOptions", Kind: KindChoice, Default: "omschrijving", Choices: choices("omschrijving", "aparte-regel", "negeren")},
		{Key: "sales.recipes", Kind: KindBool, Default: "false"},
		{Key: "sales.shippingArticle", Kind: KindArticle, PickList: "artikelen", MaxLen: articleN},
		{Key: "sales.discountArticle", Kind: KindArticle, PickList: "artikelen", MaxLen: articleN},
		{Key: "sales.discountArticleByVat", Kind: KindRateMap, PickList: "artikelen"},
		{Key: "sales.voucherArticle", Kind: KindArticle, PickList: "artikelen", MaxLen: articleN},
		{Key: "sales.paymentFeeArticle", Kind: KindArticle, PickList: "artikelen", MaxLen: articleN},
		{Key: "sales.differenceArticle", Kind: KindArticle, PickList: "artikelen", MaxLen: articleN},
		{Key: "sales.differenceThreshold", Kind: KindMoney, Default: "0.05", Required: true},
		{Key: "sales.defaultArticle", Kind: KindArticle, PickList: "artikelen", MaxLen: articleN,
			Required: true, RequiredIf: is("articles.processing", "standaard-artikelcode")},
		// Refunds (B7): an order moved to one of these statuses after it was
		// booked becomes a credit verkooporder; off, refunds stay by hand.
		{Key: "sales.refundCredit", Kind: KindBool, Default: "false"},
		{Key: "sales.refundStatuses", Kind: KindIDList, Default: "11,12,13", Required: true, ShowIf: is("sales.refundCredit", "true")},

		// Aansluiting → Artikelen (F6)
		{Key: "articles.codeField", Kind: KindChoice, Default: "model",
			Choices: choices("model", "sku", "ean", "upc", "jan", "isbn", "mpn", "product_id")},
		{Key: "articles.revenueGroup", Kind: KindPick, PickList: "artikelomzetgroepen", MaxLen: 100,
			Required: true, RequiredIf: is("articles.processing", "aanmaken")},
		{Key: "articles.revenueGroupByVat", Kind: KindRateMap, PickList: "artikelomzetgroepen"},
		{Key: "articles.processing", Kind: KindChoice, Default: "aanmaken",
			Choices: choices("aanmaken", "alleen-bestaande", "standaard-artikelcode")},
		{Key: "articles.optionMap", Kind: KindOptionMap, PickList: "artikelen"},

		// Aansluiting → Klanten (F7)
		{Key: "customers.matchBy", Kind: KindChoice, Default: "email",
			Choices: choices("email", "klantnummer", "naam-postcode", "btw-nummer")},
		{Key: "customers.processing", Kind: KindChoice, Default: "aanmaken",
			Choices: choices("aanmaken", "aanmaken-bijwerken", "handmatig")},
		{Key: "customers.defaultCode", Kind: KindRelCode, Required: true, ShowIf: is("customers.processing", "handmatig")},

		// Voorraad (F10/B5)
		{Key: "stock.kind", Kind: KindChoice, Default: "vrij", Choices: choices("vrij", "technisch")},
		{Key: "stock.buffer", Kind: KindInt, Default: "0", Min: 0, Max: 1000000},
		{Key: "stock.reserveOpenOrders", Kind: KindBool, Default: "true"},
		// The guard: one run never sets more than this share of the managed
		// products to 0, nor lowers their total stock by more than that,
		// unless the user allowed it once.
		{Key: "stock.guard", Kind: KindBool, Default: "true"},
		{Key: "stock.guardZeroPercent", Kind: KindInt, Default: "20", Min: 1, Max: 100, Required: true, ShowIf: is("stock.guard", "true")},
		{Key: "stock.guardDropPercent", Kind: KindInt, Default: "50", Min: 1, Max: 100, Required: true, ShowIf: is("stock.guard", "true")},
		// Between full passes only the articles SnelStart changed are read.
		{Key: "stock.fullPassHours", Kind: KindInt, Default: "24", Min: 1, Max: 24, Required: true},

		// Instellingen: the program's own settings, kept once for all profiles.
		{Key: "license.text", Kind: KindReadOnly, Scope: ScopeProgram, ReadOnly: true, Hidden: true},
		{Key: "ui.language", Kind: KindChoice, Scope: ScopeProgram, Default: "nl", Choices: choices("nl", "en")},
		{Key: "app.autostart", Kind: KindBool, Scope: ScopeProgram, Default: "false"},
		{Key: "app.notify", Kind: KindBool, Scope: ScopeProgram, Default: "true"},
		{Key: "app.staleHours", Kind: KindInt, Scope: ScopeProgram, Default: "24", Min: 1, Max: 720,
			Required: true, ShowIf: is("app.notify", "true")},
		// Kept by the tray, on no tab: *Pauzeren* survives a restart (a
		// paused program started at login stays paused), and the causes
		// already notified are not notified again after a restart.
		{Key: "app.paused", Kind: KindReadOnly, Scope: ScopeProgram, Default: "false", ReadOnly: true, Hidden: true},
		{Key: "app.notified", Kind: KindReadOnly, Scope: ScopeProgram, ReadOnly: true, Hidden: true},
	}
	s = append(s, taskSettings("orders")...)
	s = append(s, taskSettings("ordersStock")...)
	for i := range s {
		if s[i].Scope == "" {
			s[i].Scope = ScopeProfile
		}
	}
	return s
}

// Tabs is the configuration window, in the manual's order.
var Tabs = []Tab{
	{ID: "snelstart", Actions: []string{"testSnelStart"}, Sections: []Section{
		{ID: "snelstart", Keys: []string{"snelstart.type", "snelstart.clientKey", "snelstart.subscriptionKey", "snelstart.administration"}},
		{ID: "snelstartAdvanced", Keys: []string{"snelstart.apiBaseURL", "snelstart.authBaseURL"}},
	}},
	{ID: "opencart", Actions: []string{"removeBridge", "testOpenCart"}, Sections: []Section{
		{ID: "opencartGeneral", Keys: []string{"shop.transport", "shop.since"}},
		{ID: "opencartFTP", Keys: []string{"shop.ftp.protocol", "shop.ftp.tls", "shop.ftp.host", "shop.ftp.port",
			"shop.ftp.plainOK", "shop.ftp.user", "shop.ftp.password", "shop.ssh.privateKey", "shop.ssh.hostKey", "shop.ftp.certFingerprint"}},
		{ID: "opencartShop", Keys: []string{"shop.ftp.root", "shop.url", "shop.allowHTTP", "shop.tablePrefix", "shop.bridge.path"}},
		{ID: "opencartDatabase", Keys: []string{"shop.db.host", "shop.db.port", "shop.db.name", "shop.db.user",
			"shop.db.password", "shop.db.viaSSH", "shop.db.tls", "shop.db.certFingerprint", "shop.db.shopURL"}},
		{ID: "opencartOrders", Keys: []string{"shop.storeIDs", "shop.orderStatuses"}},
	}},
	{ID: "mapping", Sub: []Tab{
		{ID: "sales", Sections: []Section{
			{ID: "salesOrder", Keys: []string{"sales.template", "sales.costCentre", "sales.processStatus",
				"sales.paymentReference", "sales.referencePrefix", "sales.descriptionTemplate", "sales.addresses"}},
			{ID: "salesLines", Keys: []string{"sales.linePrice", "sales.lineOptions", "sales.recipes"}},
			{ID: "salesArticles", Keys: []string{"sales.shippingArticle", "sales.discountArticle", "sales.discountArticleByVat",
				"sales.voucherArticle", "sales.paymentFeeArticle"}},
			{ID: "salesDifference", Keys: []string{"sales.differenceArticle", "sales.differenceThreshold", "sales.defaultArticle"}},
			{ID: "salesRefunds", Keys: []string{"sales.refundCredit", "sales.refundStatuses"}},
		}},
		{ID: "articles", Sections: []Section{
			{ID: "articles", Keys: []string{"articles.codeField", "articles.revenueGroup", "articles.revenueGroupByVat", "articles.processing"}},
			{ID: "articlesOptions", Keys: []string{"articles.optionMap"}},
		}},
		{ID: "customers", Sections: []Section{
			{ID: "customers", Keys: []string{"customers.matchBy", "customers.processing", "customers.defaultCode"}},
		}},
	}},
	{ID: "planning", Sections: []Section{
		{ID: "taskOrders", Keys: []string{"planning.orders.interval", "planning.orders.dailyAt", "planning.orders.nextRun"}},
		{ID: "taskOrdersStock", Keys: []string{"planning.ordersStock.interval", "planning.ordersStock.dailyAt", "planning.ordersStock.nextRun"}},
		{ID: "stock", Keys: []string{"stock.kind", "stock.buffer", "stock.reserveOpenOrders", "stock.guard",
			"stock.guardZeroPercent", "stock.guardDropPercent", "stock.fullPassHours"}},
	}},
	{ID: "execution", Panel: "execution"},
	{ID: "program", Actions: []string{"importLicense"}, Sections: []Section{
		{ID: "profile", Keys: []string{"profile.name"}},
		{ID: "program", Keys: []string{"ui.language", "app.autostart", "app.notify", "app.staleHours"}},
	}},
}

var byKey = func() map[string]*Setting {
	m := make(map[string]*Setting, len(Settings))
	for i := range Settings {
		m[Settings[i].Key] = &Settings[i]
	}
	return m
}()

// Lookup returns the declaration of key, or nil.
func Lookup(key string) *Setting { return byKey[key] }

// IsSecret reports whether key names a secret setting (for log redaction).
func IsSecret(key string) bool {
	s := byKey[key]
	return s != nil && s.IsSecret()
}

// GetSchema returns the declaration as the frontend needs it.
func GetSchema() Schema {
	return Schema{Settings: Settings, Tabs: Tabs, Placeholders: Placeholders}
}

// Defaults returns every setting's default at the moment now, for a new
// profile and for settings a profile has never saved.
func Defaults(now time.Time) map[string]string {
	d := make(map[string]string, len(Settings))
	for _, s := range Settings {
		if s.defaultFunc != nil {
			d[s.Key] = s.defaultFunc(now)
		} else {
			d[s.Key] = s.Default
		}
	}
	return d
}
