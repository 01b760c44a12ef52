package config

import (
	"fmt"
	"testing"
	"time"
)

func TestCreatedArticlesAreRememberedOnce(t *testing.T) {
	s, _ := openTest(t)
	p, _ := s.CreateProfile("Winkel")
	other, _ := s.CreateProfile("Andere")
	first := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	if err := s.RememberArticle(p.ID, " Shirt-L ", "id-1", first); err != nil {
		t.Fatal(err)
	}
	if err := s.RememberArticle(p.ID, "SHIRT-L", "id-2", first.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := s.CreatedArticles(p.ID)
	if err != nil || len(got) != 1 || got["shirt-l"].ArticleID != "id-1" || !got["shirt-l"].ModifiedOn.Equal(first) || got["shirt-l"].ReleasedAt != nil {
		t.Fatalf("created %+v %v", got, err)
	}
	if none, _ := s.CreatedArticles(other.ID); len(none) != 0 {
		t.Fatalf("another profile sees %v", none)
	}
	if err := s.ReleaseArticles(p.ID, []string{"shirt-l", "unknown"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.CreatedArticles(p.ID); got["shirt-l"].ReleasedAt == nil {
		t.Fatal("not released")
	}
}

func TestStockStateAndResults(t *testing.T) {
	s, _ := openTest(t)
	p, _ := s.CreateProfile("Winkel")
	st, err := s.StockState(p.ID)
	if err != nil || st.LastFull != nil || st.ConfirmedAt != nil {
		t.Fatalf("new state %+v %v", st, err)
	}
	if err := s.ConfirmStock(p.ID); err != nil {
		t.Fatal(err)
	}
	st, _ = s.StockState(p.ID)
	if st.ConfirmedAt == nil {
		t.Fatal("confirmation not kept")
	}
	st.ConfirmedAt, st.Managed = nil, 12
	if err := s.SaveStockState(st); err != nil {
		t.Fatal(err)
	}
	if st, _ = s.StockState(p.ID); st.ConfirmedAt != nil || st.Managed != 12 {
		t.Fatalf("state %+v", st)
	}
	for run := uint(1); run <= keepStockResults+5; run++ {
		if err := s.PutStockResult(p.ID, run, []byte(fmt.Sprintf(`{"run":%d}`, run))); err != nil {
			t.Fatal(err)
		}
	}
	if old, err := s.StockResult(p.ID, 5); err != nil || old != nil {
		t.Fatalf("run 5 kept: %s %v", old, err)
	}
	if last, err := s.StockResult(p.ID, keepStockResults+5); err != nil || string(last) != `{"run":55}` {
		t.Fatalf("last run: %s %v", last, err)
	}
	if first, _ := s.StockResult(p.ID, 6); string(first) != `{"run":6}` {
		t.Fatalf("the oldest kept run: %s", first)
	}
}
