package snelstart

import "encoding/json"

// The models follow reference/snelstart-b2b-api.md §4: lowerCamelCase JSON,
// enums as strings, references as {id, uri}. Read-only fields (stock,
// totals, nummer) are absent from the create models, so a create cannot send
// them by accident.

// CompanyInfo is the administration behind the koppelsleutel (§4.1).
type CompanyInfo struct {
	AdministratieIdentifier                string `json:"administratieIdentifier"`
	AdministratieNaam                      string `json:"administratieNaam"`
	Bedrijfsnaam                           string `json:"bedrijfsnaam"`
	VolgendVerkoopordernummer              int    `json:"volgendVerkoopordernummer"`
	VoorraadcontroleOrderinvoer            bool   `json:"voorraadcontroleOrderinvoer"`
	VerkoopprijsArtikelbestandExclusiefBtw bool   `json:"verkoopprijsArtikelbestandExclusiefBtw"`
	ArtikelcodeSoort                       string `json:"artikelcodeSoort"` // Numeriek | Alfanumeriek
	ArtikelcodeMaxLengte                   int    `json:"artikelcodeMaxLengte"`
	AantalDecimalenArtikelprijzen          int    `json:"aantalDecimalenArtikelprijzen"`
	AantalDecimalenArtikelaantallen        int    `json:"aantalDecimalenArtikelaantallen"`
	VerkooporderVoorraadVanafNiveau        string `json:"verkooporderVoorraadVanafNiveau"`
	RegelkortingVerkooporder               string `json:"regelkortingVerkooporder"`
}

// Land is a country (§4.2); addresses refer to it by id.
type Land struct {
	ID          string `json:"id"`
	URI         string `json:"uri"`
	Naam        string `json:"naam"`
	LandcodeISO string `json:"landcodeISO"`
	Landcode    string `json:"landcode"`
}

// BtwTarief is a VAT rate by kind and period (§4.3).
type BtwTarief struct {
	BtwSoort      string `json:"btwSoort"` // Geen | Laag | Hoog | Overig
	BtwPercentage Number `json:"btwPercentage"`
	DatumVanaf    Time   `json:"datumVanaf"`
	DatumTotEnMet Time   `json:"datumTotEnMet"`
}

// Kostenplaats is a cost centre (§4.4).
type Kostenplaats struct {
	ID           string `json:"id"`
	URI          string `json:"uri"`
	Omschrijving string `json:"omschrijving"`
	Nonactief    bool   `json:"nonactief"`
	Nummer       int    `json:"nummer"`
}

// Artikelomzetgroep is an article revenue group; it fixes the VAT kind (§4.5).
type Artikelomzetgroep struct {
	ID                       string `json:"id"`
	URI                      string `json:"uri"`
	Nummer                   int    `json:"nummer"`
	Omschrijving             string `json:"omschrijving"`
	VerkoopNederlandBtwSoort string `json:"verkoopNederlandBtwSoort"`
}

// SubArtikel is a component of a recipe (hoofdartikel).
type SubArtikel struct {
	ID          string `json:"id"`
	URI         string `json:"uri"`
	Artikelcode string `json:"artikelcode"`
	Aantal      Number `json:"aantal"`
}

// Artikel is an article as SnelStart returns it (§4.6).
type Artikel struct {
	ID                 string       `json:"id"`
	URI                string       `json:"uri"`
	Artikelcode        string       `json:"artikelcode"`
	Omschrijving       string       `json:"omschrijving"`
	ArtikelOmzetgroep  *Ref         `json:"artikelOmzetgroep"`
	Verkoopprijs       Number       `json:"verkoopprijs"`
	Inkoopprijs        Number       `json:"inkoopprijs"`
	Eenheid            string       `json:"eenheid"`
	ModifiedOn         Time         `json:"modifiedOn"`
	IsNonActief        bool         `json:"isNonActief"`
	VoorraadControle   bool         `json:"voorraadControle"`
	TechnischeVoorraad Number       `json:"technischeVoorraad"`
	VrijeVoorraad      Number       `json:"vrijeVoorraad"`
	IsHoofdartikel     bool         `json:"isHoofdartikel"`
	Subartikelen       []SubArtikel `json:"subartikelen"`
	// StockKnown: SnelStart sent a figure for both stocks (null or missing
	// reads as 0 above, which would be a claim of "none").
	StockKnown bool `json:"-"`
}

// UnmarshalJSON reads an article and notes whether its stock was sent.
func (a *Artikel) UnmarshalJSON(b []byte) error {
	type plain Artikel
	var stock struct {
		Technisch json.RawMessage `json:"technischeVoorraad"`
		Vrij      json.RawMessage `json:"vrijeVoorraad"`
	}
	if err := json.Unmarshal(b, (*plain)(a)); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &stock); err != nil {
		return err
	}
	sent := func(m json.RawMessage) bool { return len(m) > 0 && string(m) != "null" }
	a.StockKnown = sent(stock.Technisch) && sent(stock.Vrij)
	return nil
}

// NewArtikel is what S-Connect sends to create an article. Stock cannot be
// set through the API (the reference's NET2 models it read-only).
type NewArtikel struct {
	Artikelcode       string  `json:"artikelcode"`
	Omschrijving      string  `json:"omschrijving"`
	ArtikelOmzetgroep *Ref    `json:"artikelOmzetgroep"`
	Verkoopprijs      Number  `json:"verkoopprijs"`
	Eenheid           string  `json:"eenheid,omitempty"`
	VoorraadControle  bool    `json:"voorraadControle"`
	Inkoopprijs       *Number `json:"inkoopprijs,omitempty"`
}

// Relatie kinds.
const (
	RelatieKlant       = "Klant"
	RelatieLeverancier = "Leverancier"
)

// Relatie is a customer or supplier (§4.7). Its create and update use the
// same shape; the server assigns id, uri and (when 0) relatiecode.
type Relatie struct {
	ID                   string   `json:"id,omitempty"`
	URI                  string   `json:"uri,omitempty"`
	Relatiesoort         []string `json:"relatiesoort"`
	Relatiecode          int      `json:"relatiecode,omitempty"`
	Naam                 string   `json:"naam"`
	VestigingsAdres      *Adres   `json:"vestigingsAdres,omitempty"`
	CorrespondentieAdres *Adres   `json:"correspondentieAdres,omitempty"`
	Telefoon             string   `json:"telefoon,omitempty"`
	MobieleTelefoon      string   `json:"mobieleTelefoon,omitempty"`
	Email                string   `json:"email,omitempty"`
	BtwNummer            string   `json:"btwNummer,omitempty"`
	KvkNummer            string   `json:"kvkNummer,omitempty"`
	Memo                 string   `json:"memo,omitempty"`
	Nonactief            bool     `json:"nonactief"`
	ModifiedOn           *Time    `json:"modifiedOn,omitempty"`
}

// Verkoopordersjabloon is a sales order template (§4.9).
type Verkoopordersjabloon struct {
	ID                      string `json:"id"`
	URI                     string `json:"uri"`
	Omschrijving            string `json:"omschrijving"`
	Nonactief               bool   `json:"nonactief"`
	PrijsIngaveExclusiefBtw bool   `json:"prijsIngaveExclusiefBtw"`
	NieuweOrdersBlokkeren   bool   `json:"nieuweOrdersBlokkeren"`
}

// ProcesStatus values of a verkooporder (§4.8).
var ProcesStatussen = []string{"Order", "Offerte", "Bevestiging", "Werkbon", "Pakbon", "Afhaalbon", "Contantbon", "Factuur"}

// BTW-ingave of a verkooporder: are the line prices incl. or excl. VAT.
const (
	BtwInclusief = "Inclusief"
	BtwExclusief = "Exclusief"
)

// Regel is a line of a verkooporder.
type Regel struct {
	Artikel            *Ref   `json:"artikel,omitempty"`
	Omschrijving       string `json:"omschrijving"`
	Stuksprijs         Number `json:"stuksprijs"`
	Aantal             Number `json:"aantal"`
	KortingsPercentage Number `json:"kortingsPercentage"`
	Totaal             Number `json:"totaal"`
}

// Verkooporder is a sales order (§4.8). On create, Nummer must stay nil
// (VOR-0005) and the totals are the server's.
type Verkooporder struct {
	ID                         string  `json:"id,omitempty"`
	URI                        string  `json:"uri,omitempty"`
	Relatie                    *Ref    `json:"relatie"`
	ProcesStatus               string  `json:"procesStatus"`
	Nummer                     *int    `json:"nummer,omitempty"`
	Datum                      Time    `json:"datum"`
	Krediettermijn             *int    `json:"krediettermijn,omitempty"`
	Omschrijving               string  `json:"omschrijving"`
	Betalingskenmerk           string  `json:"betalingskenmerk,omitempty"`
	Orderreferentie            string  `json:"orderreferentie,omitempty"`
	Memo                       string  `json:"memo,omitempty"`
	Afleveradres               *Adres  `json:"afleveradres,omitempty"`
	Factuuradres               *Adres  `json:"factuuradres,omitempty"`
	VerkooporderBtwIngaveModel string  `json:"verkooporderBtwIngaveModel"`
	Kostenplaats               *Ref    `json:"kostenplaats,omitempty"`
	Verkoopordersjabloon       *Ref    `json:"verkoopordersjabloon,omitempty"`
	Regels                     []Regel `json:"regels"`
	// Filled by SnelStart.
	ModifiedOn         *Time   `json:"modifiedOn,omitempty"`
	VerkoopOrderStatus string  `json:"verkoopOrderStatus,omitempty"`
	TotaalExclusiefBtw *Number `json:"totaalExclusiefBtw,omitempty"`
	TotaalInclusiefBtw *Number `json:"totaalInclusiefBtw,omitempty"`
}
