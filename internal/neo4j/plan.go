package neo4j

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// PlanService keeps the plans of action on Neo4j.
type PlanService struct{ db *DB }

var _ casus.PlanService = (*PlanService)(nil)

// NewPlanService returns the plan service of db.
func NewPlanService(db *DB) *PlanService { return &PlanService{db: db} }

// actions returns the predicate for a visible action of a plan bound to v:
// those of visible cases, and for partners those their organisation owns.
func (s scope) actions(v string) string {
	if s.actor.Role == casus.RolePartner {
		return v + ".organisation = $scopeOrganisation"
	}
	return fmt.Sprintf("EXISTS { MATCH (scopeC:Case)-[:HAS_GOAL]->(:Goal)-[:HAS_ACTION]->(%s) WHERE %s }", v, s.cases("scopeC"))
}

// actionProjection turns a matched (pa:PlanAction) into the map decodeAction
// reads.
const actionProjection = `pa {
	.id, .description, .organisation, .owner, .due, .condition, .status, .result, .updatedAt,
	goal: [(ag:Goal)-[:HAS_ACTION]->(pa) | ag.id][0],
	case: [(ac:Case)-[:HAS_GOAL]->(:Goal)-[:HAS_ACTION]->(pa) | ac.id][0],
	conference: [(pa)-[:DECIDED_AT]->(ak:Conference) | ak.id][0],
	subjectNames: [(ac:Case)-[:HAS_GOAL]->(:Goal)-[:HAS_ACTION]->(pa) | [(ac)-[:CONCERNS]->(ap:Person) | trim(coalesce(ap.firstName, '') + ' ' + ap.lastName)]][0]
}`

// goalProjection turns a matched (g:Goal) into the map decodeGoal reads.
const goalProjection = `g {
	.id, .domain, .description, .createdAt, .progressAt,
	case: [(gc:Case)-[:HAS_GOAL]->(g) | gc.id][0],
	actions: COLLECT { MATCH (g)-[:HAS_ACTION]->(pa:PlanAction) WITH pa ORDER BY pa.createdAt, pa.id RETURN ` + actionProjection + ` },
	interventions: COLLECT { MATCH (gi:Intervention)-[:SERVES]->(g) RETURN gi.id ORDER BY gi.id }
}`

// GoalsOfCases returns each visible case's goals, oldest first, with their
// actions. A partner sees no goals: only its actions (Actions).
func (s *PlanService) GoalsOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Goal, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	goals, err := groupedBy(ctx, s.db, "goals of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (c:Case {id: id})-[:HAS_GOAL]->(g:Goal) WHERE `+sc.cases("c")+`
		WITH id, g ORDER BY g.createdAt, g.id
		RETURN id, collect(`+goalProjection+`) AS rows`, sc.params(nil), decodeGoal)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	for _, gs := range goals {
		for _, g := range gs {
			g.Stagnating = g.Stagnant(now, s.db.stagnation)
		}
	}
	return goals, nil
}

// Actions returns a page of the visible actions, soonest due first.
func (s *PlanService) Actions(ctx context.Context, f casus.ActionFilter, page casus.Page) (*casus.ActionPage, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, casus.Invalid("status", "unknown status %q", f.Status)
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	where := []string{"($status = '' OR pa.status = $status)", sc.actions("pa")}
	if f.Overdue {
		where = append(where, "pa.status = 'OPEN' AND pa.due < $today")
	}
	res, err := s.db.list(ctx, listQuery{
		match:   "MATCH (pa:PlanAction)",
		where:   where,
		params:  sc.params(map[string]any{"status": string(f.Status), "today": date(s.db.now())}),
		keys:    []string{"coalesce(toString(pa.due), '9999-12-31')", "pa.id"},
		project: actionProjection,
	}, page)
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	out := &casus.ActionPage{TotalCount: res.total, HasNextPage: res.hasNextPage, HasPreviousPage: res.hasPreviousPage}
	for i, row := range res.rows {
		a, err := decodeAction(row)
		if err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, casus.ActionEdge{Cursor: res.cursors[i], Action: a})
	}
	return out, nil
}

// AddGoal adds a goal to a case's plan, served by some of its interventions.
func (s *PlanService) AddGoal(ctx context.Context, in casus.GoalInput) (*casus.Goal, error) {
	if _, err := permitted(ctx, casus.ActPlan, &in); err != nil {
		return nil, err
	}
	id := uuid.NewString()
	_, err := changeCase(ctx, s.db, casus.ActPlan, casus.CaseChange{CaseID: in.CaseID},
		func(tx txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
			if err := c.PlanGoal(); err != nil {
				return caseEdit{}, err
			}
			recs, err := s.db.collect(ctx, tx, `MATCH (:Case {id: $id})-[:HAS]->(i:Intervention) WHERE i.id IN $ivs RETURN count(DISTINCT i) AS n`,
				map[string]any{"id": c.ID, "ivs": nonNil(in.InterventionIDs)})
			if err != nil {
				return caseEdit{}, err
			}
			n, err := only(recs, "n")
			if err != nil {
				return caseEdit{}, err
			}
			ivs := slices.Compact(slices.Sorted(slices.Values(in.InterventionIDs)))
			if int(num(n)) != len(ivs) {
				return caseEdit{}, casus.Invalid("interventions", "a goal is served by interventions of its own case")
			}
			return caseEdit{
				cypher: `WITH c
					CREATE (c)-[:HAS_GOAL]->(g:Goal {id: $gid, domain: $domain, description: $description, createdAt: $now, progressAt: $now})
					WITH c, g
					CALL (c, g) { MATCH (c)-[:HAS]->(i:Intervention) WHERE i.id IN $ivs CREATE (i)-[:SERVES]->(g) }`,
				params: map[string]any{"gid": id, "domain": string(in.Domain), "description": in.Description, "ivs": nonNil(in.InterventionIDs)},
				event:  casus.EventGoalAdded,
				changes: []casus.Change{{Field: "goals." + id + ".domain", After: in.Domain},
					{Field: "goals." + id + ".description", After: in.Description}},
			}, nil
		})
	if err != nil {
		return nil, err
	}
	gs, err := s.GoalsOfCases(ctx, []string{in.CaseID})
	if err != nil {
		return nil, err
	}
	for _, g := range gs[0] {
		if g.ID == id {
			return g, nil
		}
	}
	return nil, fmt.Errorf("goal %s not read back", id)
}

// AddAction adds an action to a goal, owned by an organisation, perhaps
// decided at one of the case's conferences.
func (s *PlanService) AddAction(ctx context.Context, in casus.ActionInput) (*casus.PlanAction, error) {
	sc, err := permitted(ctx, casus.ActPlan, &in)
	if err != nil {
		return nil, err
	}
	caseID, err := read(ctx, s.db, func(tx txRunner) (string, error) {
		recs, err := s.db.collect(ctx, tx, `MATCH (c:Case)-[:HAS_GOAL]->(g:Goal {id: $gid}) WHERE `+sc.cases("c")+` RETURN c.id AS id`,
			sc.params(map[string]any{"gid": in.GoalID}))
		if err != nil || len(recs) == 0 {
			return "", err
		}
		id, err := only(recs, "id")
		return str(id), err
	})
	switch {
	case err != nil:
		return nil, err
	case caseID == "":
		return nil, casus.Errorf(casus.ENOTFOUND, "goal not found")
	}
	id := uuid.NewString()
	_, err = changeCase(ctx, s.db, casus.ActPlan, casus.CaseChange{CaseID: caseID},
		func(tx txRunner, c *casus.Case, now time.Time) (caseEdit, error) {
			if err := c.PlanGoal(); err != nil {
				return caseEdit{}, err
			}
			if err := s.db.checkOrganisations(ctx, tx, "organisation", []string{in.OrganisationID}); err != nil {
				return caseEdit{}, err
			}
			var k *casus.Conference
			if in.ConferenceID != "" {
				ks, err := s.db.conferencesOf(ctx, tx, sc, c.ID)
				if err != nil {
					return caseEdit{}, err
				}
				for _, x := range ks {
					if x.ID == in.ConferenceID {
						k = x
					}
				}
				if k == nil {
					return caseEdit{}, casus.Invalid("conference", "not a conference of this case")
				}
			}
			if err := in.CheckDue(k, now); err != nil {
				return caseEdit{}, err
			}
			ch := []casus.Change{{Field: "actions." + id + ".status", After: casus.ActionOpen},
				{Field: "actions." + id + ".organisation", After: in.OrganisationID}}
			return caseEdit{
				cypher: `WITH c
					MATCH (c)-[:HAS_GOAL]->(g:Goal {id: $gid})
					SET g.progressAt = $now
					CREATE (g)-[:HAS_ACTION]->(pa:PlanAction {id: $aid, description: $description, organisation: $organisation,
						owner: $owner, due: $due, condition: $condition, status: 'OPEN', createdAt: $now, updatedAt: $now})
					WITH c, pa
					CALL (c, pa) { MATCH (c)-[:HAS_CONFERENCE]->(k:Conference {id: $conference}) CREATE (pa)-[:DECIDED_AT]->(k) }`,
				params: map[string]any{"gid": in.GoalID, "aid": id, "description": in.Description, "organisation": in.OrganisationID,
					"owner": textOrNil(in.Owner), "due": datePtrParam(in.Due), "condition": textOrNil(in.Condition), "conference": in.ConferenceID},
				event: casus.EventActionAdded, changes: ch,
			}, nil
		})
	if err != nil {
		return nil, err
	}
	return s.action(ctx, id)
}

// ReportAction records the owner's status and result of an action. A
// partner reports on the actions its organisation owns, in cases it may
// not read.
func (s *PlanService) ReportAction(ctx context.Context, in casus.ActionReport) (*casus.PlanAction, error) {
	if _, err := permitted(ctx, casus.ActReportAction, &in); err != nil {
		return nil, err
	}
	a, err := s.action(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	_, err = changeCase(ctx, s.db, casus.ActReportAction, casus.CaseChange{CaseID: a.CaseID},
		func(tx txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
			// Read the action again under the case's lock.
			recs, err := s.db.collect(ctx, tx, `MATCH (:Case {id: $id})-[:HAS_GOAL]->(:Goal)-[:HAS_ACTION]->(pa:PlanAction {id: $aid}) RETURN `+actionProjection+` AS row`,
				map[string]any{"id": c.ID, "aid": in.ID})
			if err != nil {
				return caseEdit{}, err
			}
			row, err := only(recs, "row")
			if err != nil {
				return caseEdit{}, err
			}
			cur, err := decodeAction(row)
			if err != nil {
				return caseEdit{}, err
			}
			ch, err := cur.Report(c, in)
			if err != nil {
				return caseEdit{}, err
			}
			return caseEdit{
				cypher: `WITH c
					MATCH (c)-[:HAS_GOAL]->(g:Goal)-[:HAS_ACTION]->(pa:PlanAction {id: $aid})
					SET pa.status = $status, pa.result = $result, pa.updatedAt = $now, g.progressAt = $now`,
				params: map[string]any{"aid": in.ID, "status": string(in.Status), "result": textOrNil(in.Result)},
				event:  casus.EventActionReported, changes: ch,
			}, nil
		})
	if err != nil {
		return nil, err
	}
	return s.action(ctx, in.ID)
}

// action returns the visible action with id, or NOT_FOUND.
func (s *PlanService) action(ctx context.Context, id string) (*casus.PlanAction, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	as, err := byID(ctx, s.db, "action", []string{id},
		`MATCH (pa:PlanAction) WHERE pa.id IN $ids AND `+sc.actions("pa")+` RETURN pa.id AS id, `+actionProjection+` AS row`,
		sc.params(nil), decodeAction)
	if err != nil {
		return nil, err
	}
	if as[0] == nil {
		return nil, casus.Errorf(casus.ENOTFOUND, "action not found")
	}
	return as[0], nil
}

// conferencesOf reads a visible case's conferences in tx.
func (db *DB) conferencesOf(ctx context.Context, tx runner, sc scope, caseID string) ([]*casus.Conference, error) {
	recs, err := db.collect(ctx, tx, `MATCH (:Case {id: $id})-[:HAS_CONFERENCE]->(k:Conference) RETURN `+conferenceProjection(sc)+` AS row`,
		sc.params(map[string]any{"id": caseID}))
	if err != nil {
		return nil, err
	}
	out := make([]*casus.Conference, 0, len(recs))
	for _, r := range recs {
		row, err := column(r, "row")
		if err != nil {
			return nil, err
		}
		k, err := decodeConference(row)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}

func decodeAction(v any) (*casus.PlanAction, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode action: got %T", v)
	}
	return &casus.PlanAction{
		ID: str(m["id"]), GoalID: str(m["goal"]), CaseID: str(m["case"]), ConferenceID: str(m["conference"]),
		Description: str(m["description"]), OrganisationID: str(m["organisation"]), Owner: str(m["owner"]),
		Due: datePtr(m["due"]), Condition: str(m["condition"]), Status: casus.ActionStatus(str(m["status"])),
		Result: str(m["result"]), UpdatedAt: tm(m["updatedAt"]), SubjectNames: strList(m["subjectNames"]),
	}, nil
}

func decodeGoal(v any) (*casus.Goal, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode goal: got %T", v)
	}
	g := &casus.Goal{
		ID: str(m["id"]), CaseID: str(m["case"]), Domain: casus.LifeDomain(str(m["domain"])),
		Description: str(m["description"]), CreatedAt: tm(m["createdAt"]), ProgressAt: tm(m["progressAt"]),
		InterventionIDs: strList(m["interventions"]),
	}
	for _, x := range list(m["actions"]) {
		a, err := decodeAction(x)
		if err != nil {
			return nil, err
		}
		g.Actions = append(g.Actions, a)
	}
	return g, nil
}
