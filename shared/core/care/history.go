package care

// HistoryPage is one page of what a help desk's API says happened: the
// facts, read into interactions with the keys their webhook twins carry
// (fact.go), and where to resume. Reconcile applies a page, then stores
// Next; a run that fails resumes at the last page it stored.
type HistoryPage struct {
	Interactions []Interaction
	// Next is the cursor after this page, opaque to all but the help
	// desk's reader; "" when the page did not move it.
	Next string
	// Done is true when the page reached the present.
	Done bool
	// Skipped says, per entry, what could not be read at all.
	Skipped []string
}
