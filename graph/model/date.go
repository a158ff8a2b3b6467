// Package model holds the GraphQL types that are not domain types: payloads,
// page info and scalars.
package model

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"casusnet/internal/casus"
)

// Date is a calendar date, serialised as YYYY-MM-DD. Its time of day is
// midnight UTC.
type Date = time.Time

const dateLayout = "2006-01-02"

// MarshalDate writes t as a YYYY-MM-DD string.
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(dateLayout)))
	})
}

// UnmarshalDate reads a YYYY-MM-DD string.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, casus.Invalid("", "a date must be a string like 2026-01-31, got %T", v)
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, casus.Invalid("", "%q is not a date like 2026-01-31", s)
	}
	return t, nil
}
