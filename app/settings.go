package app

import "github.com/s-connect/s-connect/backend/config"

// Settings reads and saves a profile's settings.
type Settings struct{ s *Services }

// Schema returns the declaration the form is drawn from.
func (st *Settings) Schema() config.Schema { return config.GetSchema() }

// Get returns a profile's settings; secrets are flagged as set, never sent.
func (st *Settings) Get(profileID uint) (config.View, error) { return st.s.store.View(profileID) }

// SaveResult is what a save left to do: required settings still empty, and
// a bridge at the old place that S-Connect could not remove.
type SaveResult struct {
	config.SaveResult
	LeftBehind []LeftBridge `json:"leftBehind"`
}

// Save checks and stores changes; on an invalid value nothing is saved and
// the error lists the fields. clear lists secrets to remove. A change of
// the shop's server, login or folder removes the bridge at the old place.
func (st *Settings) Save(profileID uint, changes map[string]string, clear []string) (SaveResult, error) {
	var res SaveResult
	before, berr := st.s.store.Values(profileID)
	saved, err := st.s.store.Save(profileID, changes, clear)
	if err != nil {
		return res, err
	}
	res.SaveResult = saved
	if after, err := st.s.store.Values(profileID); berr == nil && err == nil && movedBridge(before, after) {
		left, err := st.s.Connections.removeBridgeAt(profileID, before)
		if err != nil {
			return res, err
		}
		if left != nil {
			res.LeftBehind = append(res.LeftBehind, *left)
		}
	}
	st.s.replan() // first: it stores the next runs the reloaded form shows
	st.s.events.Emit(EventSettingsSaved, profileID)
	st.s.changed() // ui.language is saved here too
	if v, ok := changes["app.autostart"]; ok {
		if err := st.s.applyAutostart(v == "true"); err != nil {
			return res, err
		}
	}
	return res, nil
}

// sampleOrder is the order the description preview is filled from.
var sampleOrder = map[string]string{
	"ordernummer": "1042", "klantnaam": "Anna de Vries", "bedrijf": "De Vries B.V.",
	"winkelnaam": "Voorbeeldwinkel", "datum": "28-11-2026", "betaalmethode": "iDEAL",
	"verzendmethode": "PostNL",
}

// PreviewDescription shows *Omschrijving order* filled in for an example order.
func (st *Settings) PreviewDescription(template string) string {
	return config.ExpandTemplate(template, sampleOrder)
}
