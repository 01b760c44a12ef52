package snelstart

import "strings"

// FromSettings builds a client from a profile's settings (the keys of
// backend/config: snelstart.clientKey, snelstart.subscriptionKey and the
// advanced addresses). Missing lists the required settings left empty.
func FromSettings(v map[string]string) (c *Client, missing []string, err error) {
	for _, k := range []string{"snelstart.clientKey", "snelstart.subscriptionKey", "snelstart.apiBaseURL", "snelstart.authBaseURL"} {
		if strings.TrimSpace(v[k]) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, missing, nil
	}
	c, err = NewClient(Options{
		APIBaseURL:      v["snelstart.apiBaseURL"],
		AuthBaseURL:     v["snelstart.authBaseURL"],
		ClientKey:       strings.TrimSpace(v["snelstart.clientKey"]),
		SubscriptionKey: strings.TrimSpace(v["snelstart.subscriptionKey"]),
	})
	return c, nil, err
}
