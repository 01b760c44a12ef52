package app

// sharedAdministration remembers which SnelStart administration a profile
// books into (companyInfo's identifier) and returns the name of another
// profile that books into the same one with the same reference prefix:
// their orders with the same number would carry the same betalingskenmerk.
// The order import holds such orders rather than take one for the other;
// this is what tells the user to set a Kenmerkvoorvoegsel.
func (s *Services) sharedAdministration(profileID uint, administration string) string {
	if administration == "" {
		return ""
	}
	if err := s.store.SetReadOnly(profileID, "snelstart.administrationId", administration); err != nil {
		s.log.Warn("remember the administration", "err", err)
	}
	mine, err := s.store.View(profileID)
	if err != nil {
		return ""
	}
	profiles, err := s.store.Profiles()
	if err != nil {
		return ""
	}
	for _, p := range profiles {
		if p.ID == profileID {
			continue
		}
		v, err := s.store.View(p.ID)
		if err == nil && v.Values["snelstart.administrationId"] == administration &&
			v.Values["sales.referencePrefix"] == mine.Values["sales.referencePrefix"] {
			return p.Name
		}
	}
	return ""
}
