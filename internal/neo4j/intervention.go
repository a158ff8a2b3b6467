package neo4j

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// InterventionService reads and changes interventions on Neo4j.
type InterventionService struct{ db *DB }

var _ casus.InterventionService = (*InterventionService)(nil)

// NewInterventionService returns the intervention service of db.
func NewInterventionService(db *DB) *InterventionService { return &InterventionService{db: db} }

// interventionProjection turns a matched (i:Intervention) into the map
// decodeIntervention reads.
var interventionProjection = interventionProjectionOf(true)

// interventionProjectionOf is interventionProjection, with the subjects'
// names only when names is set.
func interventionProjectionOf(names bool) string {
	subjectNames := ""
	if names {
		subjectNames = `,
	subjectNames: [(ic:Case)-[:HAS]->(i) | [(ic)-[:CONCERNS]->(ip:Person) | trim(coalesce(ip.firstName, '') + ' ' + ip.lastName)]][0]`
	}
	return `i {
	.id, .status, .goal, .startedOn, .endedOn, .outcome, .proposedAt,
	case: [(ic:Case)-[:HAS]->(i) | ic.id][0],
	offering: [(i)-[:OF]->(f:InterventionOffering) | f.id][0]` + subjectNames + `
}`
}

// Interventions returns a page of the interventions the caller may see.
func (s *InterventionService) Interventions(ctx context.Context, f casus.InterventionFilter, page casus.Page) (*casus.InterventionPage, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, casus.Invalid("filter.status", "unknown status %q", f.Status)
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.db.list(ctx, listQuery{
		match:   "MATCH (i:Intervention)",
		where:   []string{"($status = '' OR i.status = $status)", sc.interventions("i")},
		params:  sc.params(map[string]any{"status": string(f.Status)}),
		keys:    []string{"i.proposedAt", "i.id"},
		desc:    true,
		project: interventionProjection,
	}, page)
	if err != nil {
		return nil, fmt.Errorf("list interventions: %w", err)
	}
	out := &casus.InterventionPage{TotalCount: res.total, HasNextPage: res.hasNextPage, HasPreviousPage: res.hasPreviousPage}
	for i, row := range res.rows {
		iv, err := decodeIntervention(row)
		if err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, casus.InterventionEdge{Cursor: res.cursors[i], Intervention: iv})
	}
	return out, nil
}

// InterventionsOfCases returns each case's interventions, oldest first.
func (s *InterventionService) InterventionsOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Intervention, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "interventions of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (:Case {id: id})-[:HAS]->(i:Intervention) WHERE `+sc.interventions("i")+`
		WITH id, i ORDER BY i.proposedAt, i.id
		RETURN id, collect(`+interventionProjection+`) AS rows`, sc.params(nil), decodeIntervention)
}

// Intervention returns the intervention with id, or NOT_FOUND.
func (s *InterventionService) Intervention(ctx context.Context, id string) (*casus.Intervention, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	is, err := byID(ctx, s.db, "intervention", []string{id},
		`MATCH (i:Intervention) WHERE i.id IN $ids AND `+sc.interventions("i")+` RETURN i.id AS id, `+interventionProjection+` AS row`,
		sc.params(nil), decodeIntervention)
	if err != nil {
		return nil, err
	}
	if is[0] == nil {
		return nil, casus.Errorf(casus.ENOTFOUND, "intervention not found")
	}
	return is[0], nil
}

// interventionsOf reads a case's interventions in tx.
func (db *DB) interventionsOf(ctx context.Context, tx runner, caseID string) ([]*casus.Intervention, error) {
	recs, err := db.collect(ctx, tx, `MATCH (:Case {id: $id})-[:HAS]->(i:Intervention) RETURN `+interventionProjection+` AS row`,
		map[string]any{"id": caseID})
	if err != nil {
		return nil, err
	}
	out := make([]*casus.Intervention, 0, len(recs))
	for _, r := range recs {
		row, err := column(r, "row")
		if err != nil {
			return nil, err
		}
		i, err := decodeIntervention(row)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, nil
}

// ProposeIntervention proposes an offering for a case.
func (s *InterventionService) ProposeIntervention(ctx context.Context, in casus.ProposeInterventionInput) (*casus.Intervention, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	key := idempotencyKey(ctx, "proposeIntervention", in.IdempotencyKey)
	var created *casus.Intervention
	work := func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
		if id, err := s.db.createdBefore(ctx, tx, key); err != nil || id != "" {
			if err == nil {
				err = errDone{id}
			}
			return caseEdit{}, err
		}
		if err := c.ProposeIntervention(); err != nil {
			return caseEdit{}, err
		}
		offs, err := s.db.offeringsByID(ctx, tx, []string{in.OfferingID})
		if err != nil {
			return caseEdit{}, err
		}
		if offs[0] == nil {
			return caseEdit{}, casus.Invalid("offering", "unknown intervention offering")
		}
		id := uuid.NewString()
		created = &casus.Intervention{ID: id}
		return caseEdit{
			cypher: `WITH c
				MATCH (f:InterventionOffering {id: $offering})
				CREATE (c)-[:HAS]->(i:Intervention {id: $iid, status: 'PROPOSED', goal: $goal, proposedAt: $now})-[:OF]->(f)
				FOREACH (_ IN CASE WHEN $key <> '' THEN [1] ELSE [] END |
					CREATE (:IdempotencyKey {key: $key, id: $iid, createdAt: $now}))`,
			params: map[string]any{"offering": in.OfferingID, "iid": id, "goal": in.Goal, "key": key},
			event:  casus.EventInterventionProposed,
			changes: []casus.Change{{Field: "interventions." + id + ".status", After: casus.InterventionProposed},
				{Field: "interventions." + id + ".offering", After: in.OfferingID}},
		}, nil
	}
	_, err := changeCase(ctx, s.db, casus.ActProposeIntervention, casus.CaseChange{CaseID: in.CaseID}, work)
	var done errDone
	switch {
	case asErr(err, &done):
		return s.Intervention(ctx, done.id)
	case err != nil:
		return nil, err
	}
	return s.Intervention(ctx, created.ID)
}

// errDone ends a change early because an earlier request with the same
// idempotency key already made it; id is what that request created.
type errDone struct{ id string }

func (e errDone) Error() string { return "already done as " + e.id }

// MoveIntervention starts, completes or stops an intervention.
func (s *InterventionService) MoveIntervention(ctx context.Context, in casus.InterventionChange, to casus.InterventionStatus) (*casus.Intervention, error) {
	if err := casus.Permit(ctx, casus.ActMoveIntervention); err != nil {
		return nil, err
	}
	if !to.Valid() || to == casus.InterventionProposed {
		return nil, casus.Invalid("status", "an intervention cannot be moved to %q", to)
	}
	if err := in.Validate(to, s.db.now()); err != nil {
		return nil, err
	}
	iv, err := s.Intervention(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	event := map[casus.InterventionStatus]string{
		casus.InterventionActive:    casus.EventInterventionStarted,
		casus.InterventionCompleted: casus.EventInterventionCompleted,
		casus.InterventionStopped:   casus.EventInterventionStopped,
	}[to]
	_, err = changeCase(ctx, s.db, casus.ActMoveIntervention, casus.CaseChange{CaseID: iv.CaseID, Reason: in.Reason},
		func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
			// Read the intervention again under the case's lock.
			ivs, err := s.db.interventionsOf(ctx, tx, c.ID)
			if err != nil {
				return caseEdit{}, err
			}
			var cur *casus.Intervention
			for _, i := range ivs {
				if i.ID == in.ID {
					cur = i
				}
			}
			if cur == nil {
				return caseEdit{}, casus.Errorf(casus.ENOTFOUND, "intervention not found")
			}
			ch, err := c.MoveIntervention(cur, to)
			if err != nil {
				return caseEdit{}, err
			}
			on := now
			if in.On != nil {
				on = *in.On
			}
			set := map[string]any{"status": string(to)}
			if to == casus.InterventionActive {
				set["startedOn"] = date(on)
			} else {
				set["endedOn"] = date(on)
				set["outcome"] = in.Outcome
			}
			return caseEdit{
				cypher: `WITH c MATCH (c)-[:HAS]->(i:Intervention {id: $iid}) SET i += $set`,
				params: map[string]any{"iid": cur.ID, "set": set},
				event:  event, changes: []casus.Change{ch},
			}, nil
		})
	if err != nil {
		return nil, err
	}
	return s.Intervention(ctx, in.ID)
}

func decodeIntervention(v any) (*casus.Intervention, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode intervention: got %T", v)
	}
	return &casus.Intervention{
		ID: str(m["id"]), CaseID: str(m["case"]), OfferingID: str(m["offering"]),
		Status: casus.InterventionStatus(str(m["status"])), Goal: str(m["goal"]),
		StartedOn: datePtr(m["startedOn"]), EndedOn: datePtr(m["endedOn"]), Outcome: str(m["outcome"]),
		ProposedAt: tm(m["proposedAt"]), SubjectNames: strList(m["subjectNames"]),
	}, nil
}
