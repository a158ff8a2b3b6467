package casus

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Conference (casusoverleg) is a meeting of the partners about one case: the
// first one draws up the integrated plan of action, follow-ups review it.
// Partners see only the conferences they are invited to, and of those only
// the date, their own invitation and agenda items, the decisions that
// concern them and the actions they own (plan.go): the adapters leave the
// rest out of a partner's answer.
type Conference struct {
	ID       string
	CaseID   string
	Date     time.Time // the day
	StartsAt string    // "14:00"
	EndsAt   string    // "15:30"
	Chair    string    // the chair's name; empty for a partner
	// Invitations are the invited organisations with the person invited and,
	// once held, whether they attended.
	Invitations   []Invitation
	Agenda        []AgendaItem
	Contributions []Contribution
	Decisions     []Decision
	Minutes       string // empty until held, and for a partner
	Held          bool   // the minutes are recorded
	// Actions are the actions of the plan this conference decided.
	Actions      []*PlanAction
	SubjectNames []string
	CreatedAt    time.Time
}

// ConferenceEdge is a conference with its cursor.
type ConferenceEdge struct {
	Cursor     string
	Conference *Conference
}

// ConferencePage is one window of a list of conferences.
type ConferencePage struct {
	Edges           []ConferenceEdge
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
}

// Invitation invites an organisation, and optionally one of its people, to
// a conference.
type Invitation struct {
	OrganisationID string
	Person         string
	Attended       *bool // nil until the conference is held
}

// AgendaItem is one item of a conference's agenda, optionally brought by an
// organisation (it is then that organisation's own item).
type AgendaItem struct {
	Title          string
	OrganisationID string
}

// Contribution is what one partner brought to a conference and under which
// legal ground or covenant article it shared it.
type Contribution struct {
	OrganisationID string
	Summary        string
	LegalGround    string // e.g. "Wgs art. 2.6", "convenant art. 7 lid 2"
}

// Decision is one decision of a conference, concerning some organisations.
type Decision struct {
	Text            string
	OrganisationIDs []string
}

// ScheduleConferenceInput plans a conference.
type ScheduleConferenceInput struct {
	CaseID      string
	Date        time.Time
	StartsAt    string
	EndsAt      string
	Chair       string
	Invitations []Invitation
	Agenda      []AgendaItem
}

// Validate checks and trims the input.
func (in *ScheduleConferenceInput) Validate() error {
	in.Chair = strings.TrimSpace(in.Chair)
	switch {
	case in.Date.IsZero():
		return Invalid("date", "give the conference's date")
	case !clock(in.StartsAt):
		return Invalid("startsAt", "give the start as HH:MM")
	case !clock(in.EndsAt) || in.EndsAt <= in.StartsAt:
		return Invalid("endsAt", "give the end as HH:MM, after the start")
	case in.Chair == "" || len(in.Chair) > MaxName:
		return Invalid("chair", "name the chair (1 to %d characters)", MaxName)
	case len(in.Invitations) == 0 || len(in.Invitations) > MaxMembers:
		return Invalid("invitations", "invite the partners (1 to %d)", MaxMembers)
	case len(in.Agenda) > MaxMembers:
		return Invalid("agenda", "at most %d agenda items", MaxMembers)
	}
	for i := range in.Invitations {
		in.Invitations[i].Person = strings.TrimSpace(in.Invitations[i].Person)
		in.Invitations[i].Attended = nil
		if len(in.Invitations[i].Person) > MaxName {
			return Invalid("invitations", "a name is longer than %d characters", MaxName)
		}
	}
	for i := range in.Agenda {
		in.Agenda[i].Title = strings.TrimSpace(in.Agenda[i].Title)
		if in.Agenda[i].Title == "" || len(in.Agenda[i].Title) > MaxReason {
			return Invalid("agenda", "give each item a title (1 to %d characters)", MaxReason)
		}
	}
	return nil
}

// MoveConferenceInput moves a planned conference to another day and time
// (Cancel set: calls it off), with the reason, which the case's timeline
// and the invited partners' view show.
type MoveConferenceInput struct {
	ConferenceID string
	Cancel       bool
	Date         time.Time
	StartsAt     string
	EndsAt       string
	Reason       string
}

// Validate checks the input: a reason always, a day and times to move.
func (in *MoveConferenceInput) Validate() error {
	if err := CheckText("reason", &in.Reason); err != nil {
		return err
	}
	switch {
	case in.Cancel:
	case in.Date.IsZero():
		return Invalid("date", "give the new date")
	case !clock(in.StartsAt):
		return Invalid("startsAt", "give the start as HH:MM")
	case !clock(in.EndsAt) || in.EndsAt <= in.StartsAt:
		return Invalid("endsAt", "give the end as HH:MM, after the start")
	}
	return nil
}

// CheckPlanned answers whether k may still be moved or cancelled: not
// once it was held, for its minutes stand.
func (k *Conference) CheckPlanned() error {
	if k.Held {
		return Invalid("conference", "this conference was held; its minutes stand and it cannot be moved or cancelled")
	}
	return nil
}

// Organisations returns the organisations the input names, each once.
func (in *ScheduleConferenceInput) Organisations() []string {
	var ids []string
	for _, v := range in.Invitations {
		ids = append(ids, v.OrganisationID)
	}
	for _, a := range in.Agenda {
		if a.OrganisationID != "" {
			ids = append(ids, a.OrganisationID)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// RecordConferenceInput records what happened at a conference.
type RecordConferenceInput struct {
	ConferenceID  string
	Attended      []string // organisations present; the other invited were absent
	Contributions []Contribution
	Decisions     []Decision
	Minutes       string
}

// Validate checks and trims the input.
func (in *RecordConferenceInput) Validate() error {
	in.Minutes = strings.TrimSpace(in.Minutes)
	switch {
	case in.Minutes == "":
		return Invalid("minutes", "record the minutes")
	case len(in.Minutes) > 4*MaxSummary:
		return Invalid("minutes", "the minutes are longer than %d characters", 4*MaxSummary)
	case len(in.Contributions) > MaxMembers || len(in.Decisions) > MaxMembers:
		return Invalid("decisions", "at most %d contributions and decisions", MaxMembers)
	}
	for i := range in.Contributions {
		c := &in.Contributions[i]
		c.Summary, c.LegalGround = strings.TrimSpace(c.Summary), strings.TrimSpace(c.LegalGround)
		switch {
		case c.Summary == "" || len(c.Summary) > MaxReason:
			return Invalid("contributions", "say what each partner contributed (1 to %d characters)", MaxReason)
		case c.LegalGround == "" || len(c.LegalGround) > MaxName:
			return Invalid("contributions", "name the legal ground or covenant article each partner shared under")
		}
	}
	for i := range in.Decisions {
		d := &in.Decisions[i]
		d.Text = strings.TrimSpace(d.Text)
		if d.Text == "" || len(d.Text) > MaxReason {
			return Invalid("decisions", "word each decision (1 to %d characters)", MaxReason)
		}
		slices.Sort(d.OrganisationIDs)
		d.OrganisationIDs = slices.Compact(d.OrganisationIDs)
	}
	return nil
}

// Record checks that the minutes of k may be recorded: by organisations
// it invited, once, and not before the day it takes place.
func (k *Conference) Record(in RecordConferenceInput, now time.Time) error {
	invited := func(id string) bool {
		return slices.ContainsFunc(k.Invitations, func(v Invitation) bool { return v.OrganisationID == id })
	}
	switch {
	case k.Held:
		return Invalid("conference", "the minutes of this conference are recorded already")
	case k.Date.After(now):
		return Invalid("conference", "the conference has not taken place yet")
	}
	for _, id := range in.Attended {
		if !invited(id) {
			return Invalid("attended", "only invited organisations attend")
		}
	}
	for _, c := range in.Contributions {
		if !slices.Contains(in.Attended, c.OrganisationID) {
			return Invalid("contributions", "only an organisation that attended contributes")
		}
	}
	for _, d := range in.Decisions {
		for _, id := range d.OrganisationIDs {
			if !invited(id) {
				return Invalid("decisions", "a decision concerns invited organisations only")
			}
		}
	}
	return nil
}

// ScheduleConference checks that c may get a conference.
func (c *Case) ScheduleConference() error {
	if err := c.checkOpen(); err != nil {
		return err
	}
	if slices.Index(Phases, c.Phase) < slices.Index(Phases, PhaseCaseConference) {
		return Invalid("case", "a case conference follows a weighing that includes the case; case %s is in %s", c.Reference, c.Phase)
	}
	return nil
}

// RecordConference checks that c's conferences may be recorded: while open.
func (c *Case) RecordConference() error { return c.checkOpen() }

// clock reports whether s is a time of day as HH:MM.
func clock(s string) bool {
	_, err := time.Parse("15:04", s)
	return err == nil && len(s) == 5
}

// ConferenceService plans case conferences and records them.
type ConferenceService interface {
	// ConferencesOfCases returns, for each case, its conferences by date.
	ConferencesOfCases(ctx context.Context, caseIDs []string) ([][]*Conference, error)
	// Conferences returns the conferences the caller may see, from the day
	// given on (all for the zero time), by date: for a partner, those its organisation is invited
	// to, with only what concerns it.
	Conferences(ctx context.Context, from time.Time, page Page) (*ConferencePage, error)
	// Conference returns the conference with id, or NOT_FOUND.
	Conference(ctx context.Context, id string) (*Conference, error)
	ScheduleConference(ctx context.Context, in ScheduleConferenceInput) (*Conference, error)
	RecordConference(ctx context.Context, in RecordConferenceInput) (*Conference, error)
	// MoveConference moves a planned conference, or cancels it (then it is
	// gone, and its case is returned through the event).
	MoveConference(ctx context.Context, in MoveConferenceInput) (*Conference, error)
}
