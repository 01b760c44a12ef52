package sim

import (
	"encoding/json"
	"strings"
	"time"
)

// SetStock changes an article's stock the way SnelStart's own screens do
// (a stock count, goods received), which the API cannot: for tests, the
// benchmarks and the demo. touch also moves modifiedOn, as an edit of the
// article does; whether a stock movement alone moves it is not known, so a
// client must not rely on it (reference §4.6). It reports whether the
// article exists.
func (s *Server) SetStock(code string, free, technical int, touch bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.coll["artikelen"].items {
		if strings.EqualFold(str(a, "artikelcode"), code) {
			a["vrijeVoorraad"], a["technischeVoorraad"] = json.Number(itoa(free)), json.Number(itoa(technical))
			if touch {
				a["modifiedOn"] = time.Now().Format("2006-01-02T15:04:05")
			}
			return true
		}
	}
	return false
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
