package playbook_test

import (
	"testing"
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
	"github.com/carecoach/carecoach/shared/core/playbook"
)

func TestBusinessHours(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	weekdays := &care.BusinessHours{Days: []string{"mon", "tue", "wed", "thu", "fri"}, Start: "09:00", End: "17:00"}
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, berlin) }
	tests := []struct {
		name  string
		hours *care.BusinessHours
		in    time.Time
		want  time.Time
	}{
		{"a time within hours stays", weekdays, at(2026, 12, 2, 10, 30), at(2026, 12, 2, 10, 30)},
		{"early morning moves to the opening", weekdays, at(2026, 12, 2, 6, 0), at(2026, 12, 2, 9, 0)},
		{"evening moves to the next morning", weekdays, at(2026, 12, 2, 18, 0), at(2026, 12, 3, 9, 0)},
		{"Friday evening moves to Monday", weekdays, at(2026, 12, 4, 17, 0), at(2026, 12, 7, 9, 0)},
		{"Saturday moves to Monday", weekdays, at(2026, 12, 5, 11, 0), at(2026, 12, 7, 9, 0)},
		{"the opening keeps its wall time across a DST change", weekdays, at(2026, 3, 28, 12, 0), at(2026, 3, 30, 9, 0)},
		{"no business hours means any time", nil, at(2026, 12, 5, 3, 0), at(2026, 12, 5, 3, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := playbook.NextOpening(tt.hours, tt.in, berlin); !got.Equal(tt.want) {
				t.Errorf("got %s, want %s", got.In(berlin), tt.want)
			}
		})
	}
}
