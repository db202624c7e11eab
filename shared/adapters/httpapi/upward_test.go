package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/adapters/dynamo"
	"github.com/carecoach/carecoach/shared/core/care"
)

// The lead's team answered three times in November (shown: its results
// went on Friday 13 Nov) and twice in October (withheld).
func TestTheScorecardsAPIShowsUpwardFeedbackOnlyFromThreeAnswers(t *testing.T) {
	h, db, table, token := dashboards(t, 3, 0)
	store := dynamo.New(db, table, func() time.Time { return now })
	for i, a := range []struct {
		month string
		score int
	}{{"2026-11", 5}, {"2026-11", 4}, {"2026-11", 3}, {"2026-10", 1}, {"2026-10", 2}} {
		answer := care.UpwardAnswer{UpwardRef: care.UpwardRef{Team: "support", Manager: lead, Month: a.month}, Key: fmt.Sprint("k", i), Score: a.score, Words: "secret words"}
		if _, err := store.SaveUpwardAnswer(context.Background(), answer); err != nil {
			t.Fatal(err)
		}
	}
	rec := get(h, "/api/teams/support/scorecards?t="+token)
	if strings.Contains(rec.Body.String(), "secret words") {
		t.Error("the API shows the words")
	}
	var sc struct {
		Upward struct {
			ShowFrom int `json:"showFrom"`
			Managers []struct {
				Manager string           `json:"manager"`
				Months  []map[string]any `json:"months"`
			} `json:"managers"`
		} `json:"upward"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &sc); err != nil {
		t.Fatal(err)
	}
	u := sc.Upward
	if u.ShowFrom != 3 || len(u.Managers) != 1 || u.Managers[0].Manager != lead || len(u.Managers[0].Months) != 6 {
		t.Fatalf("upward %+v, want the lead's six months", u)
	}
	months := u.Managers[0].Months
	if nov := fmt.Sprint(months[5]); nov != fmt.Sprint(map[string]any{"month": "2026-11", "withheld": false, "answers": 3.0, "average": 4.0}) {
		t.Errorf("November %s, want 3 answers averaging 4", nov)
	}
	if oct := fmt.Sprint(months[4]); oct != fmt.Sprint(map[string]any{"month": "2026-10", "withheld": true}) {
		t.Errorf("October %s, want withheld without figures", oct)
	}
}
