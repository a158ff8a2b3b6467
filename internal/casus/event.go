package casus

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// Change is one field of a case before and after a change: together the
// changes of an event are a patch and its reverse.
type Change struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// CaseEvent is one accepted change of a case, written in the same transaction
// as the change itself.
type CaseEvent struct {
	ID     string
	Seq    int64 // position in the global event log; gapless and increasing
	CaseID string
	// MunicipalityCode is the case's municipality, for filtering streams.
	MunicipalityCode string
	Type             string
	Actor            Actor
	At               time.Time
	Reason           string
	Changes          []Change
	// Case is the case as a live stream read it for this delivery, shared by
	// the subscribers of one scope; nil when the stream did not read it.
	Case *Case
}

// ChangesJSON returns the changes as stored.
func ChangesJSON(changes []Change) string {
	if len(changes) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(changes)
	return string(b)
}

// Event types.
const (
	EventCaseOpened            = "CASE_OPENED"
	EventPhaseChanged          = "PHASE_CHANGED"
	EventEscalated             = "ESCALATED"
	EventDeescalated           = "DEESCALATED"
	EventDirectorAssigned      = "DIRECTOR_ASSIGNED"
	EventReviewScheduled       = "REVIEW_SCHEDULED"
	EventInterventionProposed  = "INTERVENTION_PROPOSED"
	EventInterventionStarted   = "INTERVENTION_STARTED"
	EventInterventionCompleted = "INTERVENTION_COMPLETED"
	EventInterventionStopped   = "INTERVENTION_STOPPED"
	EventMeasureDecided        = "MEASURE_DECIDED"
	EventCaseClosed            = "CASE_CLOSED"
	EventAccessGranted         = "ACCESS_GRANTED"
	EventWeighed               = "WEIGHED"
	EventConferenceScheduled   = "CONFERENCE_SCHEDULED"
	EventConferenceHeld        = "CONFERENCE_HELD"
	EventGoalAdded             = "GOAL_ADDED"
	EventActionAdded           = "ACTION_ADDED"
	EventActionReported        = "ACTION_REPORTED"
	EventAssessed              = "ASSESSED"
	EventRiskOverridden        = "RISK_LEVEL_OVERRIDDEN"
	EventInformed              = "INFORMING_RECORDED"
	EventAdviceAsked           = "ADVICE_ASKED"
	EventAdviceGiven           = "ADVICE_GIVEN"
	EventAdviceAnswered        = "ADVICE_ANSWERED"
	EventSubjectAdded          = "SUBJECT_ADDED"
	EventConferenceMoved       = "CONFERENCE_MOVED"
	EventConferenceCancelled   = "CONFERENCE_CANCELLED"
)

// EventTypes lists every event type.
var EventTypes = []string{EventCaseOpened, EventPhaseChanged, EventEscalated, EventDeescalated,
	EventDirectorAssigned, EventReviewScheduled, EventInterventionProposed, EventInterventionStarted,
	EventInterventionCompleted, EventInterventionStopped, EventMeasureDecided, EventCaseClosed, EventAccessGranted,
	EventWeighed, EventConferenceScheduled, EventConferenceHeld, EventGoalAdded, EventActionAdded,
	EventActionReported, EventAssessed, EventRiskOverridden, EventInformed}

// EventEdge is a case event with its cursor.
type EventEdge struct {
	Cursor string
	Event  *CaseEvent
}

// EventPage is one window of a case's timeline.
type EventPage struct {
	Edges           []EventEdge
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
}

// EventFilter narrows a stream of case events. Zero values mean "any".
type EventFilter struct {
	CaseID           string
	MunicipalityCode string
	Types            []string
}

// Match reports whether e passes the filter.
func (f EventFilter) Match(e *CaseEvent) bool {
	return (f.CaseID == "" || e.CaseID == f.CaseID) &&
		(f.MunicipalityCode == "" || e.MunicipalityCode == f.MunicipalityCode) &&
		(len(f.Types) == 0 || slices.Contains(f.Types, e.Type))
}

// EventService reads the case event log: a case's timeline, and the log
// in order for the subscriptions.
type EventService interface {
	// Timeline returns a page of a case's events, oldest first.
	Timeline(ctx context.Context, caseID string, page Page) (*EventPage, error)
	// EventsAfter returns up to limit events after sequence number after, in
	// order, of the cases the caller may see that match filter.
	EventsAfter(ctx context.Context, after int64, filter EventFilter, limit int) ([]*CaseEvent, error)
	// VisibleCases returns which of the cases the caller may see. The
	// cases must exist, as those named by events do.
	VisibleCases(ctx context.Context, caseIDs []string) (map[string]bool, error)
	// LastEventSeq returns the sequence number of the newest event.
	LastEventSeq(ctx context.Context) (int64, error)
}
