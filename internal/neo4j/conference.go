package neo4j

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// ConferenceService plans and records case conferences on Neo4j.
type ConferenceService struct{ db *DB }

var _ casus.ConferenceService = (*ConferenceService)(nil)

// NewConferenceService returns the conference service of db.
func NewConferenceService(db *DB) *ConferenceService { return &ConferenceService{db: db} }

// conferences returns the predicate for a visible conference bound to v:
// those of visible cases, and for partners those their organisation is
// invited to.
func (s scope) conferences(v string) string {
	if s.actor.Role == casus.RolePartner {
		return fmt.Sprintf("EXISTS { (%s)-[:INVITES]->(:Organisation {id: $scopeOrganisation}) }", v)
	}
	return fmt.Sprintf("EXISTS { MATCH (scopeC:Case)-[:HAS_CONFERENCE]->(%s) WHERE %s }", v, s.cases("scopeC"))
}

// conferenceProjection turns a matched (k:Conference) into the map
// decodeConference reads. A partner's projection holds only what concerns
// its organisation: its invitation, its agenda items and contributions, the
// decisions that name it (naming it alone: who else a decision concerns is
// not the partner's to know) and the actions it owns; no chair, no minutes.
func conferenceProjection(sc scope) string {
	own := func(string) string { return "true" }
	concerns, chair, named := "true", ".chair, .minutes,", ".organisations"
	if sc.actor.Role == casus.RolePartner {
		own = func(v string) string { return v + " = $scopeOrganisation" }
		concerns, chair = "$scopeOrganisation IN d.organisations", ""
		named = "organisations: [o IN d.organisations WHERE o = $scopeOrganisation]"
	}
	return `k {
	.id, .date, .startsAt, .endsAt, .held, .createdAt, ` + chair + `
	case: [(kc:Case)-[:HAS_CONFERENCE]->(k) | kc.id][0],
	subjectNames: [(kc:Case)-[:HAS_CONFERENCE]->(k) | [(kc)-[:CONCERNS]->(kp:Person) | trim(coalesce(kp.firstName, '') + ' ' + kp.lastName)]][0],
	invitations: [(k)-[v:INVITES]->(vo:Organisation) WHERE ` + own("vo.id") + ` | {organisation: vo.id, person: v.person, attended: v.attended}],
	agenda: [(k)-[:HAS_ITEM]->(a:AgendaItem) WHERE ` + own("coalesce(a.organisation, '')") + ` | a {.title, .organisation, .position}],
	contributions: [(k)-[:HAS_CONTRIBUTION]->(x:Contribution) WHERE ` + own("x.organisation") + ` | x {.organisation, .summary, .legalGround, .position}],
	decisions: [(k)-[:DECIDED]->(d:Decision) WHERE ` + concerns + ` | d {.text, ` + named + `, .position}],
	actions: [(k)<-[:DECIDED_AT]-(pa:PlanAction) WHERE ` + sc.actions("pa") + ` | ` + actionProjection + `]
}`
}

// ConferencesOfCases returns each visible case's conferences by date.
func (s *ConferenceService) ConferencesOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Conference, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "conferences of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (:Case {id: id})-[:HAS_CONFERENCE]->(k:Conference) WHERE `+sc.conferences("k")+`
		WITH id, k ORDER BY k.date, k.startsAt, k.id
		RETURN id, collect(`+conferenceProjection(sc)+`) AS rows`, sc.params(nil), decodeConference)
}

// Conferences returns a page of the visible conferences from the day from
// on (all of them for the zero time), soonest first.
func (s *ConferenceService) Conferences(ctx context.Context, from time.Time, page casus.Page) (*casus.ConferencePage, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.db.list(ctx, listQuery{
		match:   "MATCH (k:Conference)",
		where:   []string{"($from IS NULL OR k.date >= $from)", sc.conferences("k")},
		params:  sc.params(map[string]any{"from": date(from)}),
		keys:    []string{"toString(k.date) + k.startsAt", "k.id"},
		project: conferenceProjection(sc),
	}, page)
	if err != nil {
		return nil, fmt.Errorf("list conferences: %w", err)
	}
	out := &casus.ConferencePage{TotalCount: res.total, HasNextPage: res.hasNextPage, HasPreviousPage: res.hasPreviousPage}
	for i, row := range res.rows {
		k, err := decodeConference(row)
		if err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, casus.ConferenceEdge{Cursor: res.cursors[i], Conference: k})
	}
	return out, nil
}

// Conference returns the visible conference with id, or NOT_FOUND.
func (s *ConferenceService) Conference(ctx context.Context, id string) (*casus.Conference, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return read(ctx, s.db, func(tx txRunner) (*casus.Conference, error) { return s.db.conferenceByID(ctx, tx, sc, id) })
}

func (db *DB) conferenceByID(ctx context.Context, tx runner, sc scope, id string) (*casus.Conference, error) {
	recs, err := db.collect(ctx, tx, `MATCH (k:Conference {id: $kid}) WHERE `+sc.conferences("k")+` RETURN `+conferenceProjection(sc)+` AS row`,
		sc.params(map[string]any{"kid": id}))
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, casus.Errorf(casus.ENOTFOUND, "conference not found")
	}
	row, err := column(recs[0], "row")
	if err != nil {
		return nil, err
	}
	return decodeConference(row)
}

// ScheduleConference plans a conference of a case with its invitations and
// agenda.
func (s *ConferenceService) ScheduleConference(ctx context.Context, in casus.ScheduleConferenceInput) (*casus.Conference, error) {
	if _, err := permitted(ctx, casus.ActConference, &in); err != nil {
		return nil, err
	}
	id := uuid.NewString()
	_, err := changeCase(ctx, s.db, casus.ActConference, casus.CaseChange{CaseID: in.CaseID},
		func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
			if err := c.ScheduleConference(); err != nil {
				return caseEdit{}, err
			}
			if err := s.db.checkOrganisations(ctx, tx, "invitations", in.Organisations()); err != nil {
				return caseEdit{}, err
			}
			var invitations, agenda []map[string]any
			for _, v := range in.Invitations {
				invitations = append(invitations, map[string]any{"organisation": v.OrganisationID, "person": textOrNil(v.Person)})
			}
			for i, a := range in.Agenda {
				agenda = append(agenda, map[string]any{"title": a.Title, "organisation": textOrNil(a.OrganisationID), "position": i})
			}
			return caseEdit{
				cypher: `WITH c
					CREATE (c)-[:HAS_CONFERENCE]->(k:Conference {id: $kid, date: $date, startsAt: $startsAt, endsAt: $endsAt,
						chair: $chair, held: false, createdAt: $now})
					WITH k
					CALL (k) { UNWIND $invitations AS v MATCH (o:Organisation {id: v.organisation}) CREATE (k)-[:INVITES {person: v.person}]->(o) }
					CALL (k) { UNWIND $agenda AS a CREATE (k)-[:HAS_ITEM]->(:AgendaItem {title: a.title, organisation: a.organisation, position: a.position}) }`,
				params: map[string]any{"kid": id, "date": date(in.Date), "startsAt": in.StartsAt, "endsAt": in.EndsAt,
					"chair": in.Chair, "invitations": invitations, "agenda": nonNilMaps(agenda)},
				event:   casus.EventConferenceScheduled,
				changes: []casus.Change{{Field: "conferences." + id + ".date", After: in.Date.Format(time.DateOnly)}},
			}, nil
		})
	if err != nil {
		return nil, err
	}
	return s.Conference(ctx, id)
}

// RecordConference records the attendance, contributions, decisions and
// minutes of a conference that took place.
func (s *ConferenceService) RecordConference(ctx context.Context, in casus.RecordConferenceInput) (*casus.Conference, error) {
	if _, err := permitted(ctx, casus.ActConference, &in); err != nil {
		return nil, err
	}
	k, err := s.Conference(ctx, in.ConferenceID)
	if err != nil {
		return nil, err
	}
	_, err = changeCase(ctx, s.db, casus.ActConference, casus.CaseChange{CaseID: k.CaseID},
		func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
			sc, err := scopeOf(ctx)
			if err != nil {
				return caseEdit{}, err
			}
			// Read the conference again under the case's lock.
			k, err := s.db.conferenceByID(ctx, tx, sc, in.ConferenceID)
			if err != nil {
				return caseEdit{}, err
			}
			if err := c.RecordConference(); err != nil {
				return caseEdit{}, err
			}
			if err := k.Record(in, now); err != nil {
				return caseEdit{}, err
			}
			var contributions, decisions []map[string]any
			for i, x := range in.Contributions {
				contributions = append(contributions, map[string]any{"organisation": x.OrganisationID, "summary": x.Summary, "legalGround": x.LegalGround, "position": i})
			}
			for i, d := range in.Decisions {
				decisions = append(decisions, map[string]any{"text": d.Text, "organisations": nonNil(d.OrganisationIDs), "position": i})
			}
			return caseEdit{
				cypher: `WITH c
					MATCH (c)-[:HAS_CONFERENCE]->(k:Conference {id: $kid})
					SET k.held = true, k.minutes = $minutes, k.heldRecordedAt = $now
					WITH k
					CALL (k) { MATCH (k)-[v:INVITES]->(o:Organisation) SET v.attended = o.id IN $attended }
					CALL (k) { UNWIND $contributions AS x CREATE (k)-[:HAS_CONTRIBUTION]->(:Contribution {organisation: x.organisation, summary: x.summary, legalGround: x.legalGround, position: x.position}) }
					CALL (k) { UNWIND $decisions AS d CREATE (k)-[:DECIDED]->(:Decision {text: d.text, organisations: d.organisations, position: d.position}) }`,
				params: map[string]any{"kid": k.ID, "minutes": in.Minutes, "attended": nonNil(in.Attended),
					"contributions": nonNilMaps(contributions), "decisions": nonNilMaps(decisions)},
				event:   casus.EventConferenceHeld,
				changes: []casus.Change{{Field: "conferences." + k.ID + ".held", Before: false, After: true}},
			}, nil
		})
	if err != nil {
		return nil, err
	}
	return s.Conference(ctx, in.ConferenceID)
}

// MoveConference moves a planned conference to another day and time, or
// cancels it: a cancelled conference is removed with its invitations and
// agenda, and the case's timeline says when, why and by whom. A held
// conference is neither moved nor cancelled.
func (s *ConferenceService) MoveConference(ctx context.Context, in casus.MoveConferenceInput) (*casus.Conference, error) {
	if _, err := permitted(ctx, casus.ActConference, &in); err != nil {
		return nil, err
	}
	k, err := s.Conference(ctx, in.ConferenceID)
	if err != nil {
		return nil, err
	}
	_, err = changeCase(ctx, s.db, casus.ActConference, casus.CaseChange{CaseID: k.CaseID, Reason: in.Reason},
		func(tx txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
			sc, err := scopeOf(ctx)
			if err != nil {
				return caseEdit{}, err
			}
			k, err := s.db.conferenceByID(ctx, tx, sc, in.ConferenceID) // again, under the case's lock
			if err != nil {
				return caseEdit{}, err
			}
			if err := k.CheckPlanned(); err != nil {
				return caseEdit{}, err
			}
			if in.Cancel {
				return caseEdit{
					cypher: `WITH c MATCH (c)-[:HAS_CONFERENCE]->(k:Conference {id: $kid})
						OPTIONAL MATCH (k)-[:HAS_ITEM]->(item:AgendaItem)
						DETACH DELETE item, k`,
					params:  map[string]any{"kid": k.ID},
					event:   casus.EventConferenceCancelled,
					changes: []casus.Change{{Field: "conferences." + k.ID, Before: k.Date.Format(time.DateOnly)}},
				}, nil
			}
			return caseEdit{
				cypher: `WITH c MATCH (c)-[:HAS_CONFERENCE]->(k:Conference {id: $kid})
					SET k.date = $date, k.startsAt = $startsAt, k.endsAt = $endsAt`,
				params: map[string]any{"kid": k.ID, "date": date(in.Date), "startsAt": in.StartsAt, "endsAt": in.EndsAt},
				event:  casus.EventConferenceMoved,
				changes: []casus.Change{{Field: "conferences." + k.ID + ".date", Before: k.Date.Format(time.DateOnly) + " " + k.StartsAt,
					After: in.Date.Format(time.DateOnly) + " " + in.StartsAt}},
			}, nil
		})
	if err != nil {
		return nil, err
	}
	if in.Cancel {
		k.Date, k.StartsAt, k.EndsAt = time.Time{}, "", ""
		return k, nil
	}
	return s.Conference(ctx, in.ConferenceID)
}

// checkOrganisations answers INVALID on field when one of ids is not a
// known organisation.
func (db *DB) checkOrganisations(ctx context.Context, tx runner, field string, ids []string) error {
	types, err := db.organisationTypes(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, t := range types {
		if t == nil {
			return casus.Invalid(field, "unknown organisation")
		}
	}
	return nil
}

func nonNilMaps(rows []map[string]any) []map[string]any {
	if rows == nil {
		return []map[string]any{}
	}
	return rows
}

func decodeConference(v any) (*casus.Conference, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode conference: got %T", v)
	}
	k := &casus.Conference{
		ID: str(m["id"]), CaseID: str(m["case"]), StartsAt: str(m["startsAt"]), EndsAt: str(m["endsAt"]),
		Chair: str(m["chair"]), Minutes: str(m["minutes"]), Held: boolean(m["held"]),
		SubjectNames: strList(m["subjectNames"]), CreatedAt: tm(m["createdAt"]),
	}
	if d := datePtr(m["date"]); d != nil {
		k.Date = *d
	}
	for _, x := range list(m["invitations"]) {
		r, _ := x.(map[string]any)
		v := casus.Invitation{OrganisationID: str(r["organisation"]), Person: str(r["person"])}
		if b, ok := r["attended"].(bool); ok {
			v.Attended = &b
		}
		k.Invitations = append(k.Invitations, v)
	}
	for _, x := range sortedByPosition(list(m["agenda"])) {
		k.Agenda = append(k.Agenda, casus.AgendaItem{Title: str(x["title"]), OrganisationID: str(x["organisation"])})
	}
	for _, x := range sortedByPosition(list(m["contributions"])) {
		k.Contributions = append(k.Contributions, casus.Contribution{OrganisationID: str(x["organisation"]), Summary: str(x["summary"]), LegalGround: str(x["legalGround"])})
	}
	for _, x := range sortedByPosition(list(m["decisions"])) {
		k.Decisions = append(k.Decisions, casus.Decision{Text: str(x["text"]), OrganisationIDs: strList(x["organisations"])})
	}
	for _, x := range list(m["actions"]) {
		a, err := decodeAction(x)
		if err != nil {
			return nil, err
		}
		k.Actions = append(k.Actions, a)
	}
	return k, nil
}

// sortedByPosition returns the maps of rows ordered by their "position".
func sortedByPosition(rows []any) []map[string]any {
	out := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		if m, ok := r.(map[string]any); ok {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b map[string]any) int { return int(num(a["position"]) - num(b["position"])) })
	return out
}
