package casus

import "slices"

// Need-to-know: the invariant every read and every write keeps.
//
// What an actor may read is their scope: the cases of the municipalities
// they serve or govern, the cases they direct or were granted, the persons
// those cases concern and the persons tied directly to them, the signals
// they may triage or filed, and for partners the interventions given to
// their organisation. The adapters turn the scope into query predicates, so
// that nothing outside it is read, counted or returned.
//
// Because a person is readable through the cases and ties that reach them,
// writes that create cases and ties would widen scopes if they could point
// anywhere. So:
//
//  1. A write may only reference objects its writer can read: the persons it
//     ties, relates, groups, reports about or opens a case about; the group,
//     signals and case it names. A reference the writer cannot read answers
//     NOT_FOUND exactly as an id that does not exist, without the id, so that
//     a write is no oracle for what exists.
//  2. A case belongs to the municipality where its subjects live (the mayor of
//     that municipality is responsible for it), and its writer must serve that
//     municipality. Every subject — named, from a signal, or a member of the
//     group — must live there; a person whose residence is unknown cannot be
//     a subject until it is recorded. Opening a case is what opens a subject's
//     network to the case's readers, and only the municipality of residence
//     may do that.
//  3. Only someone who serves both the old and the new municipality, or who
//     recorded the person, may say where a person lives: otherwise moving a
//     contact into one's own municipality would launder rule 2.
//  4. A person a user records stays readable to that user, so that the
//     recorder can tie them into a case's network; nobody else reads them
//     until a tie or a case puts them in their scope. The recording lapses
//     once another municipality holds the person — they live, or a case
//     concerns them, where the recorder does not serve — so that a recorder
//     cannot follow a person (and what others write about them) elsewhere.
//
// Information levels (after the national reference model for care and
// safety cooperation): a person outside the caller's scope whom a network
// traversal reaches is shown at level 0 — that someone exists there, under a
// pseudonym valid for one answer, with ties that carry only their kind;
// level 1 (context without personal data) is what dashboards and figures
// show; level 2 (the full record) is the scope above.

// Serves reports whether the actor may act for municipality code: a
// coordinator for every municipality of the region, anyone else for the
// municipalities of their claim. A missing claim serves nothing.
func (a Actor) Serves(code string) bool {
	if a.Role == RoleCoordinator {
		return true
	}
	return code != "" && slices.Contains(a.Municipalities, code)
}

// Resident is a person as the rules about residence see them: where they
// live (a CBS code, "" when unknown) and who recorded them.
type Resident struct {
	ID           string
	Municipality string
	RecordedBy   string
}

// CheckCaseSubjects answers whether the actor may open a case in
// municipality about subjects (every person the case will concern): the
// actor must serve the municipality, and every subject must live there
// (rule 2 above).
func CheckCaseSubjects(a Actor, municipality string, subjects []Resident) error {
	if !a.Serves(municipality) {
		return Invalid("municipality", "you do not serve municipality %q", municipality)
	}
	for _, s := range subjects {
		switch s.Municipality {
		case municipality:
		case "":
			return Invalid("subjects", "record where every subject lives first: a case belongs to the municipality of residence")
		default:
			return Invalid("municipality", "a case belongs to the municipality where its subjects live, and a subject lives elsewhere")
		}
	}
	return nil
}

// CheckMove answers whether the actor may record that person p lives in
// municipality to ("" for unknown) (rule 3 above).
func CheckMove(a Actor, p Resident, to string) error {
	if a.Role == RoleCoordinator || p.RecordedBy == a.ID || p.Municipality == to {
		return nil
	}
	if p.Municipality == "" || !a.Serves(p.Municipality) {
		return Invalid("municipality", "only the coordinator or someone serving the person's municipality may record where they live")
	}
	if to != "" && !a.Serves(to) {
		return Invalid("municipality", "you do not serve municipality %q", to)
	}
	return nil
}

// CheckResidence answers whether the actor may record a new person as
// living in municipality: one they serve, or unknown (rule 3; and by rule 4
// a record of a person who lives where its recorder does not serve would
// be unreadable to its recorder from the start).
func CheckResidence(a Actor, municipality string) error {
	if municipality == "" || a.Serves(municipality) {
		return nil
	}
	return Invalid("municipality", "you do not serve municipality %q: record where the person lives only for a municipality you serve, or leave it open", municipality)
}

// NotFound returns the NOT_FOUND error for a reference in field that the
// caller cannot read or that does not exist; the two are the same answer.
func NotFound(field, what string) *Error {
	return &Error{Code: ENOTFOUND, Field: field, Message: what + " not found"}
}
