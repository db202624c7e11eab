package playbook

import (
	"time"

	"github.com/carecoach/carecoach/shared/core/care"
)

// NextOpening exposes the business-hours rule to the tests.
func NextOpening(b *care.BusinessHours, t time.Time, loc *time.Location) time.Time {
	return newHours(b).next(t, loc)
}
