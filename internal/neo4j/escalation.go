package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
	"casusnet/internal/region"
)

// EscalationService moves cases between escalation levels and reads the
// region's agreements about them on Neo4j.
//
// The agreements are stored one node per level, (:EscalationLevel {code}),
// with the agreement itself as JSON and, worked out once when they are
// loaded, who reads a case at that level: readers at information level 2
// and contextReaders at level 1, as participant keys (casus.ParticipantKey).
// The read scope (scope.go) matches a case's level to its node, so that
// de-escalating or closing a case takes its participants' access away in the
// same commit, from every read, list, export and live event.
type EscalationService struct{ db *DB }

var _ casus.EscalationService = (*EscalationService)(nil)

// NewEscalationService returns the escalation service of db.
func NewEscalationService(db *DB) *EscalationService { return &EscalationService{db: db} }

// agreementRows returns the seed parameter of the agreements: one row per
// level with its readers.
func agreementRows(as casus.Agreements) []map[string]any {
	rows := []map[string]any{}
	for i, a := range as {
		raw, _ := json.Marshal(a) // plain strings and numbers: it cannot fail
		rows = append(rows, map[string]any{"level": string(a.Level), "rank": i, "agreement": string(raw),
			"readers":        nonNil(as.Readers(a.Level, casus.InformationFull)),
			"contextReaders": nonNil(as.Readers(a.Level, casus.InformationContext))})
	}
	return rows
}

// knownRows returns the seed parameters of the questions and requests to
// share.
func knownRows(data region.Data) (questions, shares []map[string]any) {
	questions, shares = []map[string]any{}, []map[string]any{}
	for _, q := range data.Questions {
		questions = append(questions, map[string]any{"id": q.ID, "user": q.UserID, "userName": q.UserName, "kind": q.PurposeKind,
			"purpose": q.PurposeID, "at": q.At.UTC(), "hit": q.Hit, "persons": nonNil(q.PersonIDs), "cases": nonNil(q.CaseIDs)})
	}
	for _, r := range data.Shares {
		shares = append(shares, map[string]any{"id": r.ID, "question": r.QuestionID, "reason": r.Reason, "askedAt": r.AskedAt.UTC(),
			"status": string(r.Status), "decision": textOrNil(r.Decision), "decidedBy": textOrNil(r.DecidedBy),
			"decidedAt": timePtrOrNil(r.DecidedAt), "until": timePtrOrNil(r.Until)})
	}
	return questions, shares
}

// escalationRows returns the seed parameters of the cases' recorded moves
// and advice.
func escalationRows(cases []region.Case) (moves, advice []map[string]any) {
	moves, advice = []map[string]any{}, []map[string]any{}
	for _, c := range cases {
		for _, x := range c.Escalations {
			codes, explanations := []string{}, []string{}
			for _, k := range x.Criteria {
				codes, explanations = append(codes, k.Code), append(explanations, k.Explanation)
			}
			moves = append(moves, map[string]any{"case": c.ID, "id": x.ID, "from": string(x.From), "to": string(x.To), "up": x.Up,
				"criteria": codes, "explanations": explanations, "reason": x.Reason, "ground": x.Ground, "by": x.ByName, "at": x.At.UTC()})
		}
		for _, a := range c.Advice {
			advice = append(advice, map[string]any{"case": c.ID, "id": a.ID, "question": a.Question, "level": string(a.Level), "askedBy": a.AskedBy,
				"askedAt": a.AskedAt.UTC(), "text": textOrNil(a.Text), "givenBy": textOrNil(a.GivenBy), "organisation": textOrNil(a.Organisation),
				"givenAt": timePtrOrNil(a.GivenAt), "status": string(a.Status), "response": textOrNil(a.Response),
				"answeredBy": textOrNil(a.AnsweredBy), "answeredAt": timePtrOrNil(a.AnsweredAt)})
		}
	}
	return moves, advice
}

var seedEscalation = []struct{ name, cypher string }{
	{"escalation agreements", `
		UNWIND $agreements AS r
		MERGE (e:EscalationLevel {code: r.level})
		SET e.rank = r.rank, e.agreement = r.agreement, e.readers = r.readers, e.contextReaders = r.contextReaders`},
	{"escalations", `
		UNWIND $escalations AS r
		MATCH (c:Case {id: r.case})
		MERGE (c)-[:ESCALATED]->(x:Escalation {id: r.id})
		SET x.from = r.from, x.to = r.to, x.up = r.up, x.criteria = r.criteria, x.explanations = r.explanations,
		    x.reason = r.reason, x.ground = r.ground, x.byId = 'seed', x.byName = r.by, x.at = r.at`},
	{"known elsewhere questions", `
		UNWIND $questions AS r
		MERGE (q:KnownQuestion {id: r.id})
		SET q.userId = r.user, q.userName = r.userName, q.purposeKind = r.kind, q.purpose = r.purpose, q.at = r.at,
		    q.hit = r.hit, q.persons = r.persons, q.cases = r.cases`},
	{"requests to share", `
		UNWIND $shares AS r
		MATCH (q:KnownQuestion {id: r.question})
		MERGE (s:ShareRequest {id: r.id})
		SET s.question = q.id, s.cases = q.cases, s.askerId = q.userId, s.askerName = q.userName, s.reason = r.reason,
		    s.askedAt = r.askedAt, s.status = r.status, s.decision = r.decision, s.decidedBy = r.decidedBy,
		    s.decidedAt = r.decidedAt, s.until = r.until
		WITH s, q, r WHERE r.status = 'GRANTED'
		UNWIND q.cases AS cid
		MATCH (c:Case {id: cid})
		MERGE (g:Grant {id: s.id + '-' + cid})
		SET g.userId = q.userId, g.userName = q.userName, g.until = r.until, g.reason = r.decision,
		    g.grantedById = 'seed', g.grantedByName = r.decidedBy, g.grantedAt = r.decidedAt
		MERGE (g)-[:ON]->(c)`},
	{"advice", `
		UNWIND $advice AS r
		MATCH (c:Case {id: r.case})
		MERGE (c)-[:HAS_ADVICE]->(a:Advice {id: r.id})
		SET a.question = r.question, a.level = r.level, a.askedById = 'seed', a.askedBy = r.askedBy, a.askedAt = r.askedAt,
		    a.text = r.text, a.givenBy = r.givenBy, a.organisation = r.organisation, a.givenAt = r.givenAt,
		    a.status = r.status, a.response = r.response, a.answeredBy = r.answeredBy, a.answeredAt = r.answeredAt`},
}

// Agreements returns the region's agreements, or casus.DefaultAgreements
// when none were loaded.
func (s *EscalationService) Agreements(ctx context.Context) (casus.Agreements, error) {
	if _, err := scopeOf(ctx); err != nil {
		return nil, err
	}
	return read(ctx, s.db, func(tx txRunner) (casus.Agreements, error) { return s.db.agreements(ctx, tx) })
}

func (db *DB) agreements(ctx context.Context, tx runner) (casus.Agreements, error) {
	recs, err := db.collect(ctx, tx, `MATCH (e:EscalationLevel) RETURN e.agreement AS agreement ORDER BY e.rank`, nil)
	if err != nil {
		return nil, fmt.Errorf("read escalation agreements: %w", err)
	}
	if len(recs) == 0 {
		return casus.DefaultAgreements(), nil
	}
	out := make(casus.Agreements, 0, len(recs))
	for _, r := range recs {
		v, err := field[string](r, "agreement")
		if err != nil {
			return nil, err
		}
		var a casus.Agreement
		if err := jsonUnmarshal(v, &a); err != nil {
			return nil, fmt.Errorf("escalation agreement: %w", err)
		}
		out = append(out, a)
	}
	return out, nil
}

// Escalate raises the case's level and records the criteria met, the
// reason and the level's legal ground; the level's participants read and
// work the case from this commit on.
func (s *EscalationService) Escalate(ctx context.Context, in casus.EscalationInput) (*casus.Case, error) {
	return s.move(ctx, in, true)
}

// Deescalate lowers the case's level, with criteria and reason; every
// participant above the new level loses access in the same commit.
func (s *EscalationService) Deescalate(ctx context.Context, in casus.EscalationInput) (*casus.Case, error) {
	return s.move(ctx, in, false)
}

func (s *EscalationService) move(ctx context.Context, in casus.EscalationInput, up bool) (*casus.Case, error) {
	if err := casus.Permit(ctx, casus.ActEscalate); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	event := casus.EventEscalated
	if !up {
		event = casus.EventDeescalated
	}
	actor, _ := casus.ActorFrom(ctx)
	return changeCase(ctx, s.db, casus.ActEscalate, in.CaseChange, func(tx txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
		var ch casus.Change
		var err error
		if up {
			ch, err = c.Escalate(in.To)
		} else {
			ch, err = c.Deescalate(in.To)
		}
		if err != nil {
			return caseEdit{}, err
		}
		as, err := s.db.agreements(ctx, tx)
		if err != nil {
			return caseEdit{}, err
		}
		from, to := c.EscalationLevel, ch.After.(casus.EscalationLevel)
		if err := as.CheckCriteria(in, from, to, up); err != nil {
			return caseEdit{}, err
		}
		higher := to
		if !up {
			higher = from
		}
		a, _ := as.For(higher)
		codes, explanations := make([]string, len(in.Criteria)), make([]string, len(in.Criteria))
		for i, k := range in.Criteria {
			codes[i], explanations[i] = k.Code, k.Explanation
		}
		return caseEdit{
			props: map[string]any{"escalationLevel": string(to)},
			cypher: `WITH c CREATE (c)-[:ESCALATED]->(:Escalation {id: $eid, from: $from, to: $to, up: $up,
				criteria: $codes, explanations: $explanations, reason: $reason, ground: $ground,
				byId: $actorId, byName: $actorName, at: $now})`,
			params: map[string]any{"eid": uuid.NewString(), "from": string(from), "to": string(to), "up": up,
				"codes": codes, "explanations": explanations, "reason": in.Reason, "ground": a.Ground,
				"actorId": actor.ID, "actorName": actor.Name},
			event: event, changes: []casus.Change{ch},
		}, nil
	})
}

const escalationProjection = `x {.id, .from, .to, .up, .criteria, .explanations, .reason, .ground, .byName, .at, case: id}`

func decodeEscalation(v any) (*casus.Escalation, error) {
	m, err := asMap("escalation", v)
	if err != nil {
		return nil, err
	}
	codes, explanations := strList(m["criteria"]), strList(m["explanations"])
	notes := make([]casus.CriterionNote, len(codes))
	for i, c := range codes {
		notes[i].Code = c
		if i < len(explanations) {
			notes[i].Explanation = explanations[i]
		}
	}
	return &casus.Escalation{ID: str(m["id"]), CaseID: str(m["case"]), From: casus.EscalationLevel(str(m["from"])), To: casus.EscalationLevel(str(m["to"])),
		Up: boolean(m["up"]), Criteria: notes, Reason: str(m["reason"]), Ground: str(m["ground"]), ByName: str(m["byName"]),
		At: tm(m["at"])}, nil
}

// Escalations returns each readable case's moves between levels, oldest
// first; a case the caller cannot read has none.
func (s *EscalationService) Escalations(ctx context.Context, caseIDs []string) ([][]*casus.Escalation, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "escalations of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (c:Case {id: id})-[:ESCALATED]->(x:Escalation) WHERE `+sc.cases("c")+`
		WITH id, x ORDER BY x.at, x.id
		RETURN id, collect(`+escalationProjection+`) AS rows`, sc.params(nil), decodeEscalation)
}

// Contexts returns the open cases the caller takes part in at information
// level 1, with their process and no personal data: the escalation history
// names the criteria, not their explanations or reasons, which may name
// persons; the advice shows what was asked and answered by the caller's
// own organisation only.
func (s *EscalationService) Contexts(ctx context.Context) ([]*casus.CaseContext, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return read(ctx, s.db, func(tx txRunner) ([]*casus.CaseContext, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (c:Case) WHERE `+sc.context("c")+`
			RETURN c.id AS id, c.reference AS reference, c.phase AS phase, c.escalationLevel AS level,
			       c.riskGroups AS riskGroups, c.openedAt AS openedAt,
			       [(c)-[:ESCALATED]->(x:Escalation) | x {.id, .from, .to, .up, .criteria, .ground, .at, case: c.id}] AS escalations,
			       [(c)-[:HAS_ADVICE]->(a:Advice) WHERE `+addressed+` | `+adviceProjection+`] AS advice
			ORDER BY c.openedAt DESC, c.id`, sc.params(nil))
		if err != nil {
			return nil, err
		}
		out := make([]*casus.CaseContext, 0, len(recs))
		for _, r := range recs {
			vs, err := columns(r, "id", "reference", "phase", "level", "riskGroups", "openedAt", "escalations", "advice")
			if err != nil {
				return nil, err
			}
			cc := &casus.CaseContext{CaseID: str(vs[0]), Reference: str(vs[1]), Phase: casus.Phase(str(vs[2])),
				EscalationLevel: casus.EscalationLevel(str(vs[3])), OpenedAt: tm(vs[5])}
			for _, g := range strList(vs[4]) {
				cc.RiskGroups = append(cc.RiskGroups, casus.RiskGroup(g))
			}
			for _, x := range list(vs[6]) {
				e, err := decodeEscalation(x)
				if err != nil {
					return nil, err
				}
				for i := range e.Criteria {
					e.Criteria[i].Explanation = ""
				}
				cc.Escalations = append(cc.Escalations, e)
			}
			slices.SortFunc(cc.Escalations, func(a, b *casus.Escalation) int { return a.At.Compare(b.At) })
			for _, x := range list(vs[7]) {
				a, err := decodeAdvice(x)
				if err != nil {
					return nil, err
				}
				// No names at level 1, not even the staff's; the
				// director's answer may name the person.
				a.AskedBy, a.AnsweredBy, a.Response = "", "", ""
				if a.Organisation != "" && a.Organisation != sc.actor.OrganisationID {
					a.Text, a.GivenBy = "", ""
				}
				cc.Advice = append(cc.Advice, a)
			}
			slices.SortFunc(cc.Advice, func(a, b *casus.Advice) int { return a.AskedAt.Compare(b.AskedAt) })
			out = append(out, cc)
		}
		return out, nil
	})
}
