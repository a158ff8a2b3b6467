package neo4j

import (
	"testing"
	"time"

	"casusnet/internal/casus"
)

// FuzzDecodeCursor feeds arbitrary cursors to the pager: a cursor it did not
// make is INVALID, never a panic, and one it made decodes to what it holds.
func FuzzDecodeCursor(f *testing.F) {
	good, _ := encodeCursor([]any{time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), "case-1"})
	f.Add(good, 2)
	f.Add("", 1)
	f.Add("not a cursor", 1)
	f.Add("W10", 1)
	f.Add("W3t9XQ", 1)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 8 {
			return
		}
		vals, err := decodeCursor("after", s, n)
		if err != nil {
			if casus.ErrorCode(err) != casus.EINVALID || casus.ErrorField(err) != "after" {
				t.Fatalf("decode %q: %v is not INVALID on after", s, err)
			}
			return
		}
		if s == "" {
			return
		}
		again, err := encodeCursor(vals)
		if err != nil {
			t.Fatalf("re-encode %v: %v", vals, err)
		}
		back, err := decodeCursor("after", again, n)
		if err != nil || len(back) != len(vals) {
			t.Fatalf("round trip of %q: %v %v", s, back, err)
		}
	})
}
