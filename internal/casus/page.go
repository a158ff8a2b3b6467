package casus

// Page asks for a window of a list, Relay style: First items after the cursor
// After, or Last items before the cursor Before.
type Page struct {
	First  *int
	After  string
	Last   *int
	Before string
	// SkipTotal says the caller does not need the total count, which
	// costs a second pass over everything that matches.
	SkipTotal bool
}

// Validate checks the window's sizes. Cursors are checked by whoever decodes them.
func (p Page) Validate() error {
	switch {
	case p.First != nil && p.Last != nil:
		return Invalid("first", "use first or last, not both")
	case p.First != nil && (*p.First < 0 || *p.First > MaxPageSize):
		return Invalid("first", "first must be between 0 and %d", MaxPageSize)
	case p.Last != nil && (*p.Last < 0 || *p.Last > MaxPageSize):
		return Invalid("last", "last must be between 0 and %d", MaxPageSize)
	}
	return nil
}
