package neo4j

import (
	"context"
	"fmt"
	"time"

	"casusnet/internal/casus"
)

// PhaseService moves cases through the work process on Neo4j.
type PhaseService struct{ db *DB }

var _ casus.PhaseService = (*PhaseService)(nil)

// NewPhaseService returns the phase service of db.
func NewPhaseService(db *DB) *PhaseService { return &PhaseService{db: db} }

// changeCase runs one change of an existing case in one transaction: it
// locks the case, checks the expected version, lets decide check the rules on
// the current state and say what to change, applies that, bumps the version
// and appends the event.
func changeCase(ctx context.Context, db *DB, action casus.Action, in casus.CaseChange,
	decide func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error)) (*casus.Case, error) {
	if err := casus.Permit(ctx, action); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	sc.throughOwned = action == casus.ActMoveIntervention || action == casus.ActReportAction
	sc.steer = action == casus.ActEscalate || action == casus.ActAskAdvice || action == casus.ActDecideMeasure || action == casus.ActAddSubject
	actor := sc.actor
	c, err := write(ctx, db, func(tx txRunner) (*casus.Case, error) {
		c, err := db.lockCase(ctx, tx, sc, in.CaseID)
		if err != nil {
			return nil, err
		}
		if err := c.CheckVersion(in.ExpectedVersion); err != nil {
			return nil, err
		}
		now := db.now()
		edit, err := decide(tx, c, now)
		if err != nil {
			return nil, err
		}
		params := map[string]any{"id": c.ID, "props": edit.props, "now": now}
		for k, v := range edit.params {
			params[k] = v
		}
		if _, err := db.collect(ctx, tx, `
			MATCH (c:Case {id: $id})
			SET c += $props, c.version = c.version + 1, c.updatedAt = $now
			`+edit.cypher, params); err != nil {
			return nil, err
		}
		if err := db.appendEvent(ctx, tx, c.ID, edit.event, actor, in.Reason, now, edit.changes); err != nil {
			return nil, err
		}
		return db.caseByID(ctx, tx, sc, c.ID)
	})
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", action, in.CaseID, err)
	}
	return c, nil
}

// caseEdit is what a change does to a case: properties to set, more Cypher
// to run with c bound (and its parameters), and the event to record.
type caseEdit struct {
	props   map[string]any
	cypher  string
	params  map[string]any
	event   string
	changes []casus.Change
}

// AdvanceCase moves the case to the next phase of the work process.
func (s *PhaseService) AdvanceCase(ctx context.Context, in casus.CaseChange, to casus.Phase) (*casus.Case, error) {
	if err := in.Validate(true); err != nil {
		return nil, err
	}
	return changeCase(ctx, s.db, casus.ActAdvanceCase, in, func(tx txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
		content, err := s.db.contentOf(ctx, tx, c.ID)
		if err != nil {
			return caseEdit{}, err
		}
		ch, err := c.Advance(to, content)
		if err != nil {
			return caseEdit{}, err
		}
		return caseEdit{props: map[string]any{"phase": string(to)}, event: casus.EventPhaseChanged,
			changes: []casus.Change{ch}}, nil
	})
}

// Contents counts, for each case the caller may read, what it holds of the
// work its phases ask for; nil for one they cannot.
func (s *PhaseService) Contents(ctx context.Context, caseIDs []string) ([]*casus.Content, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return byID(ctx, s.db, "case contents", caseIDs, `
		MATCH (c:Case) WHERE c.id IN $ids AND `+sc.cases("c")+`
		RETURN c.id AS id, {held: COUNT { (c)-[:HAS_CONFERENCE]->(:Conference {held: true}) },
		       goals: COUNT { (c)-[:HAS_GOAL]->(:Goal) },
		       actions: COUNT { (c)-[:HAS_GOAL]->(:Goal)-[:HAS_ACTION]->(a:PlanAction) WHERE a.status <> 'CANCELLED' }} AS row`,
		sc.params(nil), func(v any) (*casus.Content, error) {
			m, err := asMap("case content", v)
			if err != nil {
				return nil, err
			}
			return &casus.Content{HeldConferences: int(num(m["held"])), Goals: int(num(m["goals"])), Actions: int(num(m["actions"]))}, nil
		})
}

// contentOf counts, in tx, what the case holds of the work its phases ask
// for.
func (db *DB) contentOf(ctx context.Context, tx runner, caseID string) (casus.Content, error) {
	recs, err := db.collect(ctx, tx, `MATCH (c:Case {id: $id})
		RETURN COUNT { (c)-[:HAS_CONFERENCE]->(:Conference {held: true}) } AS held,
		       COUNT { (c)-[:HAS_GOAL]->(:Goal) } AS goals,
		       COUNT { (c)-[:HAS_GOAL]->(:Goal)-[:HAS_ACTION]->(a:PlanAction) WHERE a.status <> 'CANCELLED' } AS actions`,
		map[string]any{"id": caseID})
	if err != nil {
		return casus.Content{}, err
	}
	if len(recs) != 1 {
		return casus.Content{}, casus.Errorf(casus.ENOTFOUND, "case not found")
	}
	vs, err := columns(recs[0], "held", "goals", "actions")
	if err != nil {
		return casus.Content{}, err
	}
	return casus.Content{HeldConferences: int(num(vs[0])), Goals: int(num(vs[1])), Actions: int(num(vs[2]))}, nil
}

// AssignDirector makes the director the case's one director.
func (s *PhaseService) AssignDirector(ctx context.Context, in casus.CaseChange, directorID string) (*casus.Case, error) {
	if err := in.Validate(false); err != nil {
		return nil, err
	}
	return changeCase(ctx, s.db, casus.ActAssignDirector, in, func(tx txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
		ds, err := s.db.directorsByID(ctx, tx, []string{directorID})
		if err != nil {
			return caseEdit{}, err
		}
		if ds[0] == nil {
			return caseEdit{}, casus.Invalid("director", "unknown director")
		}
		ch, err := c.AssignDirector(ds[0])
		if err != nil {
			return caseEdit{}, err
		}
		return caseEdit{
			cypher: `WITH c
				OPTIONAL MATCH (:Director)-[old:DIRECTS]->(c)
				DELETE old
				WITH DISTINCT c
				MATCH (d:Director {id: $director})
				CREATE (d)-[:DIRECTS {since: $now}]->(c)`,
			params: map[string]any{"director": directorID},
			event:  casus.EventDirectorAssigned, changes: []casus.Change{ch},
		}, nil
	})
}

// ScheduleReview sets the case's next review date.
func (s *PhaseService) ScheduleReview(ctx context.Context, in casus.CaseChange, on time.Time) (*casus.Case, error) {
	if err := in.Validate(false); err != nil {
		return nil, err
	}
	return changeCase(ctx, s.db, casus.ActScheduleReview, in, func(_ txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
		ch, err := c.ScheduleReview(on, now)
		if err != nil {
			return caseEdit{}, err
		}
		return caseEdit{props: map[string]any{"nextReview": date(on)}, event: casus.EventReviewScheduled,
			changes: []casus.Change{ch}}, nil
	})
}
