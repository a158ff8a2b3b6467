package casus

import (
	"context"
	"time"
)

// WatchAlertType is what happened to a watched person.
type WatchAlertType string

// Watch alert types.
const (
	AlertTie    WatchAlertType = "TIE_ADDED"
	AlertSignal WatchAlertType = "SIGNAL"
	AlertCase   WatchAlertType = "CASE_JOINED"
)

// WatchAlert is a change to a watched person: a new tie (to OtherID), a
// signal about them, or a case they became a subject of.
type WatchAlert struct {
	Seq               int64 // position in the person event log
	Type              WatchAlertType
	PersonID, OtherID string
	CaseID, SignalID  string
	At                time.Time
}

// Watchlist keeps the persons an analyst, director or coordinator follows.
type Watchlist interface {
	// Watch adds a person the caller may see to their watchlist.
	Watch(ctx context.Context, personID string) error
	// Unwatch removes a person from the caller's watchlist.
	Unwatch(ctx context.Context, personID string) error
	// Watched returns the caller's watched persons that they may still see.
	Watched(ctx context.Context) ([]string, error)
	// AlertsAfter returns up to limit alerts about the caller's watched
	// persons after sequence number after, those the caller may see now
	// (the person, and the case or signal an alert names), in order; and
	// the last sequence number it looked at.
	AlertsAfter(ctx context.Context, after int64, limit int) ([]*WatchAlert, int64, error)
	// LastAlertSeq returns the newest position in the person event log.
	LastAlertSeq(ctx context.Context) (int64, error)
}
