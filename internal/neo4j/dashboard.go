package neo4j

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"casusnet/internal/casus"
)

// DashboardService computes dashboards for many scopes in one query, so
// that the number of queries follows the number of distinct scopes watched
// at once, not the number of people watching.
type DashboardService struct{ db *DB }

// NewDashboardService returns the dashboard service of db.
func NewDashboardService(db *DB) *DashboardService { return &DashboardService{db: db} }

// dashboardQuery computes one row per scope. $scopes holds each scope's
// municipality codes, or null for all. The parts are separate subqueries so
// that each groups its own counts in the database. A director's load counts
// only the cases of the scope: what they direct elsewhere is not the
// viewer's to count.
const dashboardQuery = `
UNWIND range(0, size($scopes) - 1) AS i
WITH i, $scopes[i] AS codes
CALL (codes) {
	MATCH (c:Case)-[:IN]->(m:Municipality) WHERE codes IS NULL OR m.code IN codes
	WITH c.phase AS k, count(*) AS n
	RETURN collect([k, n]) AS byPhase
}
CALL (codes) {
	MATCH (c:Case)-[:IN]->(m:Municipality) WHERE (codes IS NULL OR m.code IN codes) AND c.phase <> 'CLOSED'
	RETURN count(*) AS open,
		count(CASE WHEN c.nextReview < $today THEN 1 END) AS overdue,
		count(CASE WHEN c.informed = false AND c.reconsiderOn < $today THEN 1 END) AS informingOverdue,
		count(CASE WHEN COLLECT { MATCH (c)-[:HAS_ASSESSMENT]->(r:RiskAssessment) RETURN r.nextOn ORDER BY r.on DESC, r.recordedAt DESC LIMIT 1 }[0] < $today THEN 1 END) AS reassessmentOverdue,
		collect(m.code) AS municipalities,
		collect(c.escalationLevel) AS levels,
		reduce(all = [], g IN collect(c.riskGroups) | all + g) AS riskGroups
}
CALL (codes) {
	MATCH (s:Signal) WHERE (codes IS NULL OR s.municipality IN codes) AND s.status = 'NEW'
	RETURN count(*) AS newSignals
}
CALL (codes) {
	OPTIONAL MATCH (t:Training)-[:IN]->(m:Municipality) WHERE codes IS NULL OR m.code IN codes
	RETURN coalesce(sum(t.participants), 0) AS trained
}
CALL (codes) {
	MATCH (s:Signal) WHERE (codes IS NULL OR s.municipality IN codes)
	  AND EXISTS { (s)-[:FROM]->(:Organisation)<-[:BY]-(:Training)-[:IN]->(:Municipality {code: s.municipality}) }
	RETURN count(s) AS fromTrained
}
CALL (codes) {
	OPTIONAL MATCH (m:Municipality)<-[:IN]-(c:Case)-[:HAS_GOAL]->(g:Goal)
	WHERE (codes IS NULL OR m.code IN codes) AND c.phase <> 'CLOSED' AND g.progressAt < $stagnantBefore
	  AND (NOT EXISTS { (g)-[:HAS_ACTION]->(:PlanAction) } OR EXISTS { (g)-[:HAS_ACTION]->(:PlanAction {status: 'OPEN'}) })
	RETURN count(g) AS stagnating
}
CALL (codes) {
	OPTIONAL MATCH (m:Municipality)<-[:IN]-(c:Case)-[:HAS_GOAL]->(:Goal)-[:HAS_ACTION]->(a:PlanAction {status: 'OPEN'})
	WHERE (codes IS NULL OR m.code IN codes) AND c.phase <> 'CLOSED' AND a.due < $today
	RETURN collect(a.organisation) AS overdueActions
}
CALL (codes) {
	MATCH (d:Director)
	WHERE codes IS NULL OR EXISTS { (d)-[:SERVES]->(m:Municipality) WHERE m.code IN codes }
	WITH d ORDER BY d.name, d.id
	WITH d, [(d)-[:DIRECTS]->(x:Case)-[:IN]->(xm:Municipality) WHERE x.phase <> 'CLOSED' AND (codes IS NULL OR xm.code IN codes) | x] AS load
	RETURN collect([d.id, coalesce(d.capacity, 0), size(load), [x IN load | x.phase],
		size([x IN load WHERE x.nextReview < $today])]) AS directors
}
RETURN i, byPhase, open, overdue, municipalities, levels, riskGroups, newSignals, directors, trained, fromTrained,
	informingOverdue, reassessmentOverdue, stagnating, overdueActions
ORDER BY i`

// Dashboards returns the dashboard of each scope, in order.
func (s *DashboardService) Dashboards(ctx context.Context, scopes []casus.DashboardScope) ([]*casus.Dashboard, error) {
	if len(scopes) == 0 {
		return nil, nil
	}
	param := make([]any, len(scopes))
	for i, sc := range scopes {
		if codes := sc.Codes(); codes != nil {
			param[i] = codes
		}
	}
	now := s.db.now()
	out, err := read(background(ctx), s.db, func(tx txRunner) ([]*casus.Dashboard, error) {
		recs, err := s.db.collect(background(ctx), tx, dashboardQuery, map[string]any{"scopes": param, "today": date(now),
			"stagnantBefore": now.Add(-s.db.stagnation)})
		if err != nil {
			return nil, err
		}
		out := make([]*casus.Dashboard, len(recs))
		for i, r := range recs {
			m := r.AsMap()
			d := &casus.Dashboard{
				Municipalities:       scopes[i].Codes(),
				OpenCases:            int(num(m["open"])),
				OverdueReviews:       int(num(m["overdue"])),
				NewSignals:           int(num(m["newSignals"])),
				TrainedStaff:         int(num(m["trained"])),
				SignalsFromTrained:   int(num(m["fromTrained"])),
				StagnatingGoals:      int(num(m["stagnating"])),
				OverdueActions:       tally(strList(m["overdueActions"])),
				OverdueReassessments: int(num(m["reassessmentOverdue"])),
				InformingOverdue:     int(num(m["informingOverdue"])),
				ByRiskGroup:          tally(strList(m["riskGroups"])),
				ByMunicipality:       tally(strList(m["municipalities"])),
				AsOf:                 now,
			}
			d.ByEscalationLevel = tally(strList(m["levels"]))
			for _, p := range list(m["byPhase"]) {
				kv := list(p)
				d.ByPhase = append(d.ByPhase, casus.Tally{Key: str(kv[0]), Count: int(num(kv[1]))})
			}
			slices.SortFunc(d.ByPhase, func(a, b casus.Tally) int { return cmp.Compare(a.Key, b.Key) })
			for _, x := range list(m["directors"]) {
				v := list(x)
				d.Directors = append(d.Directors, casus.DirectorLoad{DirectorID: str(v[0]), Capacity: int(num(v[1])), OpenCases: int(num(v[2])),
					ByPhase: tally(strList(v[3])), OverdueReviews: int(num(v[4]))})
			}
			out[i] = d
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("dashboards: %w", err)
	}
	return out, nil
}

// tally counts each distinct key, in key order.
func tally(keys []string) []casus.Tally {
	counts := map[string]int{}
	for _, k := range keys {
		counts[k]++
	}
	out := make([]casus.Tally, 0, len(counts))
	for k, n := range counts {
		out = append(out, casus.Tally{Key: k, Count: n})
	}
	slices.SortFunc(out, func(a, b casus.Tally) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// ProcessEvents returns the process events of the cases of scope, ordered
// by case and sequence number, and the number of cases in each phase.
func (s *DashboardService) ProcessEvents(ctx context.Context, scope casus.DashboardScope) ([]*casus.CaseEvent, map[casus.Phase]int, error) {
	var codes any
	if c := scope.Codes(); c != nil {
		codes = c
	}
	type result struct {
		events  []*casus.CaseEvent
		current map[casus.Phase]int
	}
	res, err := read(ctx, s.db, func(tx txRunner) (result, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (c:Case)-[:IN]->(m:Municipality) WHERE $codes IS NULL OR m.code IN $codes
			OPTIONAL MATCH (e:CaseEvent)-[:ON]->(c) WHERE e.type IN $types
			WITH c, e ORDER BY c.id, e.seq
			RETURN c.id AS id, c.phase AS phase, collect(e {.seq, .type, .at, .changes}) AS events`,
			map[string]any{"codes": codes, "types": []string{casus.EventCaseOpened, casus.EventPhaseChanged, casus.EventCaseClosed,
				casus.EventEscalated, casus.EventDeescalated}})
		if err != nil {
			return result{}, err
		}
		out := result{current: map[casus.Phase]int{}}
		for _, r := range recs {
			c, err := columns(r, "id", "phase", "events")
			if err != nil {
				return result{}, err
			}
			id := str(c[0])
			out.current[casus.Phase(str(c[1]))]++
			for _, v := range list(c[2]) {
				m, _ := v.(map[string]any)
				e := &casus.CaseEvent{CaseID: id, Seq: num(m["seq"]), Type: str(m["type"]), At: tm(m["at"])}
				if raw := str(m["changes"]); raw != "" {
					if err := jsonUnmarshal(raw, &e.Changes); err != nil {
						return result{}, fmt.Errorf("decode changes of an event of %s: %w", id, err)
					}
				}
				out.events = append(out.events, e)
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("process events: %w", err)
	}
	return res.events, res.current, nil
}
