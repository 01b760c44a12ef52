package app

import (
	"context"
	"time"

	"github.com/s-connect/s-connect/backend/connect"
	"github.com/s-connect/s-connect/backend/suggest"
)

// Suggestion is a proposal of the setup assistant for one setting: the
// value found, the value the profile has now, and why, in the user's words.
type Suggestion struct {
	Key     string `json:"key"`
	Value   string `json:"value"`
	Current string `json:"current"`
	Message string `json:"message"`
}

// Suggestions is the assistant's Aansluiting step: the proposals, and a
// note for each connection that could not be read, saying what to do.
type Suggestions struct {
	Suggestions []Suggestion `json:"suggestions"`
	Notes       []string     `json:"notes"`
}

// Suggest proposes the Aansluiting settings from what SnelStart and the
// shop say (backend/suggest makes the proposals); nothing is saved.
func (c *Connections) Suggest(profileID uint) (*Suggestions, error) {
	v, err := c.s.store.Values(profileID)
	if err != nil {
		return nil, err
	}
	lang := c.s.language()
	t := func(key, arg string) string { return c.s.msgs.T(lang, key, arg) }
	out := &Suggestions{Suggestions: []Suggestion{}, Notes: []string{}}
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	f := suggest.Facts{Now: time.Now()}

	client, missing, err := c.snelstartClient(profileID)
	switch {
	case err != nil:
		return nil, err
	case len(missing) > 0:
		names := ""
		for i, k := range missing {
			if i > 0 {
				names += ", "
			}
			names += t("setting."+k+".label", "")
		}
		out.Notes = append(out.Notes, t("suggest.noSnelStart", t("test.missing", names)))
	default:
		if err := f.ReadSnelStart(ctx, client); err != nil {
			c.s.log.Warn("suggest: snelstart", "err", err)
			out.Notes = append(out.Notes, t("suggest.noSnelStart", snelstartMessage(t, err, "")))
			f.HaveSnelStart = false
		}
	}

	conn, err := connect.OpenShop(ctx, v)
	if err == nil {
		defer conn.Close()
		err = f.ReadShop(ctx, conn.Shop)
	}
	if err != nil {
		c.s.log.Warn("suggest: shop", "err", err)
		cause := runCause(err, v)
		out.Notes = append(out.Notes, t("suggest.noShop", c.s.causeText(lang, cause.Key, cause.Arg)))
		f.HaveShop = false
	}

	for _, s := range suggest.Suggest(f) {
		out.Suggestions = append(out.Suggestions, Suggestion{Key: s.Key, Value: s.Value, Current: v[s.Key],
			Message: t("suggest."+s.Reason, s.Arg)})
	}
	return out, nil
}
