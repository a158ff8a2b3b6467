package neo4j

import (
	"context"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// KnownService answers "known elsewhere?" and handles requests to share on
// Neo4j. Every question is kept as (:KnownQuestion) with the persons and
// hidden cases it touched, which counts the questions per user and hour
// and lets a request to share name what to share without the asker ever
// learning it.
type KnownService struct{ db *DB }

var _ casus.KnownService = (*KnownService)(nil)

// NewKnownService returns the known-elsewhere service of db.
func NewKnownService(db *DB) *KnownService { return &KnownService{db: db} }

// Ask answers whether the person is known in an open case or signal the
// caller cannot read. Every no-hit is the same answer, whether the person
// is unknown, known only where the caller reads, restricted (AVG art. 18),
// or the identity was too incomplete to match; every hit names the same
// contact, the region's coordinator, so that it tells nothing of where the
// person is known or by whom.
func (s *KnownService) Ask(ctx context.Context, q casus.KnownQuestion) (*casus.KnownAnswer, error) {
	if err := casus.Permit(ctx, casus.ActAskKnown); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if q.PurposeID == "" {
		return nil, casus.Invalid("purpose", "name the signal or case you ask this for")
	}
	first, last, complete := q.Identity()
	var birth any
	if q.BirthDate != nil {
		birth = date(*q.BirthDate)
	}
	return write(ctx, s.db, func(tx txRunner) (*casus.KnownAnswer, error) {
		purpose := sc.cases("x")
		if q.PurposeKind == "Signal" {
			purpose = sc.signals("x")
		}
		label := map[string]string{"Signal": "Signal", "Case": "Case"}[q.PurposeKind]
		if label == "" {
			return nil, casus.NotFound("purpose", "purpose")
		}
		now := s.db.now()
		recs, err := s.db.collect(ctx, tx, `
			OPTIONAL MATCH (x:`+label+` {id: $purpose}) WHERE `+purpose+`
			WITH x
			MERGE (u:KnownAsker {userId: $scopeUser})
			SET u._lock = true REMOVE u._lock
			RETURN x IS NOT NULL AS purpose,
			       COUNT { (k:KnownQuestion {userId: $scopeUser}) WHERE k.at > $since } AS asked`,
			sc.params(map[string]any{"purpose": q.PurposeID, "since": now.Add(-time.Hour)}))
		if err != nil {
			return nil, err
		}
		vs, err := columns(recs[0], "purpose", "asked")
		if err != nil {
			return nil, err
		}
		if !boolean(vs[0]) {
			return nil, casus.NotFound("purpose", "purpose")
		}
		if num(vs[1]) >= casus.KnownElsewhereLimit {
			return nil, casus.Errorf(casus.ERATELIMITED, "you asked %d times in the last hour: ask again later", casus.KnownElsewhereLimit)
		}
		ans := &casus.KnownAnswer{QuestionID: uuid.NewString()}
		var hidden []string
		if complete {
			recs, err = s.db.collect(ctx, tx, `
				MATCH (p:Person) WHERE toLower(trim(p.lastName)) = $last AND toLower(trim(p.firstName)) = $first AND p.birthDate = $birth
				      AND NOT coalesce(p.restricted, false)
				OPTIONAL MATCH (c:Case)-[:CONCERNS]->(:Group|Person)<-[:IN_GROUP*0..1]-(p) WHERE c.phase <> 'CLOSED' AND NOT `+sc.cases("c")+`
				WITH p, c ORDER BY c.openedAt, c.id
				RETURN p.id AS person, collect(DISTINCT c.id) AS cases,
				       EXISTS { MATCH (g:Signal)-[:ABOUT]->(p) WHERE g.status IN ['NEW', 'IN_REVIEW'] AND NOT `+sc.signals("g")+` } AS signalled`,
				sc.params(map[string]any{"first": first, "last": last, "birth": birth}))
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				vs, err := columns(r, "person", "cases", "signalled")
				if err != nil {
					return nil, err
				}
				ans.PersonIDs = append(ans.PersonIDs, str(vs[0]))
				cases := strList(vs[1])
				hidden = append(hidden, cases...)
				ans.Hit = ans.Hit || len(cases) > 0 || boolean(vs[2])
			}
			if ans.Hit {
				ans.Contact = casus.RegionalContact
			}
		}
		_, err = s.db.collect(ctx, tx, `
			CREATE (:KnownQuestion {id: $id, userId: $scopeUser, userName: $name, purposeKind: $kind, purpose: $purpose,
				at: $now, hit: $hit, persons: $persons, cases: $cases})`,
			sc.params(map[string]any{"id": ans.QuestionID, "name": sc.actor.Name, "kind": q.PurposeKind, "purpose": q.PurposeID,
				"now": now, "hit": ans.Hit, "persons": nonNil(ans.PersonIDs), "cases": nonNil(hidden)}))
		return ans, err
	})
}

const shareProjection = `r {.id, .question, .askerId, .askerName, .reason, .askedAt, .status, .decision, .decidedBy, .decidedAt, .until, .cases}`

func decodeShare(v any) (*casus.ShareRequest, error) {
	m, err := asMap("share request", v)
	if err != nil {
		return nil, err
	}
	return &casus.ShareRequest{ID: str(m["id"]), QuestionID: str(m["question"]), AskerID: str(m["askerId"]), AskerName: str(m["askerName"]),
		Reason: str(m["reason"]), AskedAt: tm(m["askedAt"]), Status: casus.ShareStatus(str(m["status"])), Decision: str(m["decision"]),
		DecidedBy: str(m["decidedBy"]), DecidedAt: tmPtr(m["decidedAt"]), Until: tmPtr(m["until"]), CaseIDs: strList(m["cases"])}, nil
}

// RequestShare asks the coordinator to share what the caller's own
// question found; only a question with a hit can be followed up, and only
// once. Any other question answers NOT_FOUND.
func (s *KnownService) RequestShare(ctx context.Context, questionID, reason string) (*casus.ShareRequest, error) {
	if err := casus.Permit(ctx, casus.ActAskKnown); err != nil {
		return nil, err
	}
	if err := casus.CheckText("reason", &reason); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return write(ctx, s.db, func(tx txRunner) (*casus.ShareRequest, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (q:KnownQuestion {id: $question, userId: $scopeUser, hit: true})
			SET q._lock = true REMOVE q._lock
			WITH q WHERE NOT EXISTS { MATCH (x:ShareRequest) WHERE x.question = q.id }
			CREATE (r:ShareRequest {id: $id, question: q.id, cases: q.cases, askerId: $scopeUser, askerName: $name, reason: $reason, askedAt: $now, status: 'PENDING'})
			RETURN `+shareProjection+` AS request`,
			sc.params(map[string]any{"question": questionID, "id": uuid.NewString(), "name": sc.actor.Name, "reason": reason, "now": s.db.now()}))
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, casus.NotFound("question", "question with a hit")
		}
		v, err := column(recs[0], "request")
		if err != nil {
			return nil, err
		}
		r, err := decodeShare(v)
		if err != nil {
			return nil, err
		}
		r.CaseIDs = nil // the asker does not learn which cases
		return r, nil
	})
}

// DecideShare grants the asker access to the cases the hit found, until
// d.Until, with the existing case grants (each on its case's timeline), or
// declines with a reason.
func (s *KnownService) DecideShare(ctx context.Context, d casus.ShareDecision) (*casus.ShareRequest, error) {
	if err := casus.Permit(ctx, casus.ActDecideShare); err != nil {
		return nil, err
	}
	if err := d.Validate(s.db.now()); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return write(ctx, s.db, func(tx txRunner) (*casus.ShareRequest, error) {
		now := s.db.now()
		status, until := casus.ShareDeclined, any(nil)
		if d.Grant {
			status, until = casus.ShareGranted, d.Until.UTC()
		}
		recs, err := s.db.collect(ctx, tx, `
			MATCH (r:ShareRequest {id: $id}) SET r._lock = true REMOVE r._lock
			RETURN r.status AS status, r.askerId AS asker, r.askerName AS askerName, r.cases AS cases`, map[string]any{"id": d.RequestID})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, casus.NotFound("request", "request")
		}
		vs, err := columns(recs[0], "status", "asker", "askerName", "cases")
		if err != nil {
			return nil, err
		}
		if casus.ShareStatus(str(vs[0])) != casus.SharePending {
			return nil, casus.Invalid("request", "this request was decided already")
		}
		if d.Grant {
			for _, c := range strList(vs[3]) {
				gid := uuid.NewString()
				if _, err := s.db.collect(ctx, tx, `
					MATCH (c:Case {id: $case}) WHERE c.phase <> 'CLOSED'
					CREATE (:Grant {id: $gid, userId: $user, userName: $userName, until: $until, reason: $reason,
						grantedById: $scopeUser, grantedByName: $name, grantedAt: $now})-[:ON]->(c)`,
					sc.params(map[string]any{"case": c, "gid": gid, "user": str(vs[1]), "userName": str(vs[2]), "until": until,
						"reason": d.Reason, "name": sc.actor.Name, "now": now})); err != nil {
					return nil, err
				}
				if err := s.db.appendEvent(ctx, tx, c, casus.EventAccessGranted, sc.actor, d.Reason, now,
					[]casus.Change{{Field: "grants." + gid, After: map[string]any{"user": str(vs[1]), "until": d.Until.UTC().Format(time.RFC3339)}}}); err != nil {
					return nil, err
				}
			}
		}
		recs, err = s.db.collect(ctx, tx, `
			MATCH (r:ShareRequest {id: $id})
			SET r.status = $status, r.decision = $reason, r.decidedBy = $name, r.decidedAt = $now, r.until = $until
			RETURN `+shareProjection+` AS request`,
			map[string]any{"id": d.RequestID, "status": string(status), "reason": d.Reason, "name": sc.actor.Name, "now": now, "until": until})
		if err != nil {
			return nil, err
		}
		v, err := only(recs, "request")
		if err != nil {
			return nil, err
		}
		return decodeShare(v)
	})
}

// ShareRequests returns the caller's own requests, without the cases; for
// a coordinator every request, with them.
func (s *KnownService) ShareRequests(ctx context.Context) ([]*casus.ShareRequest, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	all := sc.actor.Role == casus.RoleCoordinator
	return read(ctx, s.db, func(tx txRunner) ([]*casus.ShareRequest, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (r:ShareRequest) WHERE $all OR r.askerId = $scopeUser
			RETURN `+shareProjection+` AS request ORDER BY r.askedAt DESC, r.id`, sc.params(map[string]any{"all": all}))
		if err != nil {
			return nil, err
		}
		out := make([]*casus.ShareRequest, 0, len(recs))
		for _, rec := range recs {
			v, err := column(rec, "request")
			if err != nil {
				return nil, err
			}
			r, err := decodeShare(v)
			if err != nil {
				return nil, err
			}
			if !all {
				r.CaseIDs = nil
			}
			out = append(out, r)
		}
		return out, nil
	})
}
