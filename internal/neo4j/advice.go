package neo4j

import (
	"context"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// AdviceService asks, gives and answers advice on escalated cases on Neo4j:
// (:Case)-[:HAS_ADVICE]->(:Advice). The case director or coordinator asks
// (the case must be readable to them and escalated above LOCAL); an adviser
// answers what is asked on the cases of their levels, at level 1 or 2; the
// director takes the advice up or declines it.
type AdviceService struct{ db *DB }

var _ casus.AdviceService = (*AdviceService)(nil)

// NewAdviceService returns the advice service of db.
func NewAdviceService(db *DB) *AdviceService { return &AdviceService{db: db} }

const adviceProjection = `a {.id, .question, .level, .askedBy, .askedAt, .text, .givenBy, .organisation, .givenAt, .status,
	.response, .answeredBy, .answeredAt, case: [(a)<-[:HAS_ADVICE]-(ac:Case) | ac.id][0],
	reference: [(a)<-[:HAS_ADVICE]-(ac:Case) | ac.reference][0]}`

func decodeAdvice(v any) (*casus.Advice, error) {
	m, err := asMap("advice", v)
	if err != nil {
		return nil, err
	}
	return &casus.Advice{ID: str(m["id"]), CaseID: str(m["case"]), CaseReference: str(m["reference"]),
		Level: casus.EscalationLevel(str(m["level"])), Question: str(m["question"]), AskedBy: str(m["askedBy"]),
		AskedAt: tm(m["askedAt"]), Text: str(m["text"]), GivenBy: str(m["givenBy"]), Organisation: str(m["organisation"]),
		GivenAt: tmPtr(m["givenAt"]), Status: casus.AdviceStatus(str(m["status"])), Response: str(m["response"]),
		AnsweredBy: str(m["answeredBy"]), AnsweredAt: tmPtr(m["answeredAt"])}, nil
}

// AskAdvice asks the participants of an escalated, open case for expertise.
func (s *AdviceService) AskAdvice(ctx context.Context, in casus.AskAdviceInput) (*casus.Advice, error) {
	if err := casus.Permit(ctx, casus.ActAskAdvice); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	actor, _ := casus.ActorFrom(ctx)
	id := uuid.NewString()
	_, err := changeCase(ctx, s.db, casus.ActAskAdvice, casus.CaseChange{CaseID: in.CaseID}, func(_ txRunner, c *casus.Case, _ time.Time) (caseEdit, error) {
		switch {
		case c.Closed():
			return caseEdit{}, casus.Invalid("case", "case %s is closed", c.Reference)
		case c.EscalationLevel == casus.EscalationLocal:
			return caseEdit{}, casus.Invalid("case", "advice is asked of the levels a case is escalated to; escalate the case first")
		}
		return caseEdit{
			cypher: `WITH c CREATE (c)-[:HAS_ADVICE]->(:Advice {id: $aid, question: $question, level: $level, askedById: $actorId,
				askedBy: $actorName, askedAt: $now, status: 'ASKED'})`,
			params: map[string]any{"aid": id, "question": in.Question, "level": string(c.EscalationLevel),
				"actorId": actor.ID, "actorName": actor.Name},
			event:   casus.EventAdviceAsked,
			changes: []casus.Change{{Field: "advice." + id, After: map[string]any{"status": string(casus.AdviceAsked)}}},
		}, nil
	})
	if err != nil {
		return nil, err
	}
	return s.one(ctx, id)
}

// GiveAdvice answers a question on a case the adviser takes part in, at
// either information level; NOT_FOUND for any other.
func (s *AdviceService) GiveAdvice(ctx context.Context, in casus.GiveAdviceInput) (*casus.Advice, error) {
	sc, err := permitted(ctx, casus.ActGiveAdvice, &in)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, sc, in.AdviceID, "("+escalated("c", "readers")+" OR "+sc.context("c")+") AND "+addressed, true, casus.EventAdviceGiven,
		`SET a.text = $text, a.givenById = $actorId, a.givenBy = $actorName, a.organisation = $scopeOrganisation,
		     a.givenAt = $now, a.status = 'GIVEN'`, map[string]any{"text": in.Text})
}

// AnswerAdvice takes advice given on a readable case up or declines it.
func (s *AdviceService) AnswerAdvice(ctx context.Context, in casus.AnswerAdviceInput) (*casus.Advice, error) {
	sc, err := permitted(ctx, casus.ActAskAdvice, &in)
	if err != nil {
		return nil, err
	}
	sc.steer = true
	status := casus.AdviceDeclined
	if in.TakeUp {
		status = casus.AdviceTakenUp
	}
	return s.change(ctx, sc, in.AdviceID, sc.cases("c"), false, casus.EventAdviceAnswered,
		`SET a.status = $status, a.response = $reason, a.answeredById = $actorId, a.answeredBy = $actorName, a.answeredAt = $now`,
		map[string]any{"status": string(status), "reason": in.Reason})
}

// addressed is true for advice a asked at a level where the actor takes
// part: a question asked of the Actiecentrum is not the national level's
// to read, even once the case went up.
const addressed = `EXISTS { MATCH (al:EscalationLevel {code: a.level}) WHERE $scopeParticipant IN al.readers OR $scopeParticipant IN al.contextReaders }`

// change locks the advice's case where visible says the caller may reach
// it, checks the advice's status, applies set and records the event.
func (s *AdviceService) change(ctx context.Context, sc scope, adviceID, visible string, give bool, event, set string, params map[string]any) (*casus.Advice, error) {
	_, err := write(ctx, s.db, func(tx txRunner) (struct{}, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (c:Case)-[:HAS_ADVICE]->(a:Advice {id: $id}) WHERE `+visible+`
			SET c._lock = true REMOVE c._lock
			RETURN c.id AS case, c.phase AS phase, a.status AS status`, sc.params(map[string]any{"id": adviceID}))
		if err != nil {
			return struct{}{}, err
		}
		if len(recs) == 0 {
			return struct{}{}, casus.NotFound("advice", "advice")
		}
		vs, err := columns(recs[0], "case", "phase", "status")
		if err != nil {
			return struct{}{}, err
		}
		if casus.Phase(str(vs[1])) == casus.PhaseClosed {
			return struct{}{}, casus.Invalid("advice", "the case is closed")
		}
		if err := casus.AdviceStatus(str(vs[2])).Check(give); err != nil {
			return struct{}{}, err
		}
		now := s.db.now()
		p := sc.params(map[string]any{"id": adviceID, "now": now, "actorId": sc.actor.ID, "actorName": sc.actor.Name})
		for k, v := range params {
			p[k] = v
		}
		if _, err := s.db.collect(ctx, tx, `MATCH (c:Case)-[:HAS_ADVICE]->(a:Advice {id: $id})
			SET c.version = c.version + 1, c.updatedAt = $now `+set, p); err != nil {
			return struct{}{}, err
		}
		after := map[string]any{"status": string(casus.AdviceGiven)}
		if st, ok := params["status"]; ok {
			after["status"] = st
		}
		return struct{}{}, s.db.appendEvent(ctx, tx, str(vs[0]), event, sc.actor, "", now,
			[]casus.Change{{Field: "advice." + adviceID, After: after}})
	})
	if err != nil {
		return nil, err
	}
	return s.one(ctx, adviceID)
}

// one reads advice just written, as its writer may.
func (s *AdviceService) one(ctx context.Context, id string) (*casus.Advice, error) {
	return read(ctx, s.db, func(tx txRunner) (*casus.Advice, error) {
		recs, err := s.db.collect(ctx, tx, `MATCH (a:Advice {id: $id}) RETURN `+adviceProjection+` AS advice`, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		v, err := only(recs, "advice")
		if err != nil {
			return nil, err
		}
		return decodeAdvice(v)
	})
}

// AdviceOfCases returns each readable case's advice, oldest first.
func (s *AdviceService) AdviceOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Advice, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "advice of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (c:Case {id: id})-[:HAS_ADVICE]->(a:Advice) WHERE `+sc.cases("c")+`
		WITH id, a ORDER BY a.askedAt, a.id
		RETURN id, collect(`+adviceProjection+`) AS rows`, sc.params(nil), decodeAdvice)
}

// OpenQuestions returns the questions asked on the cases the caller takes
// part in, at either level, that nobody has answered yet.
func (s *AdviceService) OpenQuestions(ctx context.Context) ([]*casus.Advice, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if sc.actor.Role != casus.RoleAdviser {
		return []*casus.Advice{}, nil
	}
	return read(ctx, s.db, func(tx txRunner) ([]*casus.Advice, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (c:Case)-[:HAS_ADVICE]->(a:Advice {status: 'ASKED'}) WHERE (`+escalated("c", "readers")+` OR `+sc.context("c")+`) AND `+addressed+`
			RETURN `+adviceProjection+` AS advice, `+escalated("c", "readers")+` AS full ORDER BY a.askedAt, a.id`, sc.params(nil))
		if err != nil {
			return nil, err
		}
		out := make([]*casus.Advice, 0, len(recs))
		for _, r := range recs {
			vs, err := columns(r, "advice", "full")
			if err != nil {
				return nil, err
			}
			a, err := decodeAdvice(vs[0])
			if err != nil {
				return nil, err
			}
			if !boolean(vs[1]) {
				a.AskedBy = "" // at information level 1: no names, not even the staff's
			}
			out = append(out, a)
		}
		return out, nil
	})
}
