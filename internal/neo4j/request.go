package neo4j

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// RequestService keeps the requests of persons concerned on Neo4j.
type RequestService struct{ db *DB }

var _ casus.RequestService = (*RequestService)(nil)

// NewRequestService returns the request service of db.
func NewRequestService(db *DB) *RequestService { return &RequestService{db: db} }

const requestProjection = `r {
	.id, .kind, .receivedOn, .identityCheckedBy, .notes, .deadline, .extensionReason, .decision, .decisionReason, .decidedOn, .registeredBy,
	person: [(r)-[:CONCERNS]->(rp:Person) | rp.id][0],
	personName: [(r)-[:CONCERNS]->(rp:Person) | trim(coalesce(rp.firstName, '') + ' ' + rp.lastName)][0],
	restricted: [(r)-[:CONCERNS]->(rp:Person) | coalesce(rp.restricted, false)][0],
	corrections: COLLECT { MATCH (r)<-[:ON]-(x:Rectification) WITH x ORDER BY x.at RETURN x {.fields, .before, .after} }
}`

// Requesters finds the persons of the officer's municipalities by name, as
// the person search does (nameSearch).
func (s *RequestService) Requesters(ctx context.Context, name string) ([]*casus.Person, error) {
	sc, err := s.permitted(ctx)
	if err != nil {
		return nil, err
	}
	name = trim(name)
	search := nameSearch(name)
	if len(name) < 2 || len(name) > casus.MaxName || search == "" {
		return nil, casus.Invalid("name", "give at least two letters of the name")
	}
	return read(ctx, s.db, func(tx txRunner) ([]*casus.Person, error) {
		recs, err := s.db.collect(ctx, tx, `
			CALL db.index.fulltext.queryNodes('person_names', $search) YIELD node AS p
			WITH p WHERE `+sc.concerned("p")+`
			RETURN `+personProjection+` AS row ORDER BY p.lastName, p.id LIMIT 50`, sc.params(map[string]any{"search": search}))
		if err != nil {
			return nil, err
		}
		out := make([]*casus.Person, 0, len(recs))
		for _, r := range recs {
			row, err := column(r, "row")
			if err != nil {
				return nil, err
			}
			p, err := decodePerson(row)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		return out, nil
	})
}

// Requests returns the requests about persons of the officer's
// municipalities, soonest deadline first.
func (s *RequestService) Requests(ctx context.Context, f casus.RequestFilter) ([]*casus.Request, error) {
	sc, err := s.permitted(ctx)
	if err != nil {
		return nil, err
	}
	return read(ctx, s.db, func(tx txRunner) ([]*casus.Request, error) {
		return s.db.requests(ctx, tx, sc, `($open = false OR r.decision IS NULL) AND ($overdue = false OR (r.decision IS NULL AND r.deadline < $today))`,
			map[string]any{"open": f.Open, "overdue": f.Overdue, "today": date(s.db.now())})
	})
}

func (db *DB) requests(ctx context.Context, tx runner, sc scope, where string, params map[string]any) ([]*casus.Request, error) {
	recs, err := db.collect(ctx, tx, `
		MATCH (r:SubjectRequest)-[:CONCERNS]->(p:Person) WHERE `+sc.concerned("p")+` AND `+where+`
		RETURN `+requestProjection+` AS row ORDER BY r.deadline, r.id LIMIT 500`, sc.params(params))
	if err != nil {
		return nil, fmt.Errorf("read requests: %w", err)
	}
	out := make([]*casus.Request, 0, len(recs))
	for _, rec := range recs {
		row, err := column(rec, "row")
		if err != nil {
			return nil, err
		}
		out = append(out, decodeRequest(row))
	}
	return out, nil
}

// permitted is the officer's scope, or FORBIDDEN for anyone else.
func (s *RequestService) permitted(ctx context.Context) (scope, error) {
	if err := casus.Permit(ctx, casus.ActHandleRequest); err != nil {
		return scope{}, err
	}
	return scopeOf(ctx)
}

// RegisterRequest registers a request about a person of the officer's
// municipalities, with its deadline.
func (s *RequestService) RegisterRequest(ctx context.Context, in casus.RequestInput) (*casus.Request, error) {
	sc, err := s.permitted(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(s.db.now()); err != nil {
		return nil, err
	}
	id := uuid.NewString()
	_, err = write(ctx, s.db, func(tx txRunner) (struct{}, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (p:Person {id: $person}) WHERE `+sc.concerned("p")+`
			CREATE (r:SubjectRequest {id: $id, kind: $kind, receivedOn: $received, identityCheckedBy: $checked, notes: $notes,
				deadline: $deadline, registeredBy: $by, registeredAt: $now})-[:CONCERNS]->(p)
			RETURN r.id AS id`, sc.params(map[string]any{"person": in.PersonID, "id": id, "kind": string(in.Kind),
			"received": date(in.ReceivedOn), "checked": in.IdentityCheckedBy, "notes": textOrNil(in.Notes),
			"deadline": date(casus.FirstDeadline(in.ReceivedOn)), "by": sc.actor.Name, "now": s.db.now()}))
		if err != nil {
			return struct{}{}, err
		}
		if len(recs) == 0 {
			return struct{}{}, casus.Invalid("person", "no such person in your municipalities")
		}
		return struct{}{}, nil
	})
	if err != nil {
		return nil, err
	}
	return s.request(ctx, sc, id)
}

// ExtendRequest extends a request's deadline by two months, once, with a
// reason.
func (s *RequestService) ExtendRequest(ctx context.Context, id, reason string) (*casus.Request, error) {
	return s.change(ctx, id, func(r *casus.Request) (requestEdit, error) {
		deadline, err := r.Extend(reason)
		return requestEdit{set: map[string]any{"deadline": date(deadline), "extensionReason": trim(reason)}}, err
	})
}

// DecideRequest records the decision on a request.
func (s *RequestService) DecideRequest(ctx context.Context, id string, d casus.RequestDecision, reason string) (*casus.Request, error) {
	return s.change(ctx, id, func(r *casus.Request) (requestEdit, error) {
		err := r.Decide(d, reason)
		return requestEdit{set: map[string]any{"decision": string(d), "decisionReason": textOrNil(reason), "decidedOn": date(s.db.now())}}, err
	})
}

// Restrict restricts the processing of the request's person, or lifts the
// restriction, noting the request it was done on.
func (s *RequestService) Restrict(ctx context.Context, id string, lift bool) (*casus.Request, error) {
	return s.change(ctx, id, func(r *casus.Request) (requestEdit, error) {
		return requestEdit{
			cypher: `WITH r MATCH (r)-[:CONCERNS]->(p:Person) SET p.restricted = $restricted, p.restrictedOn = $request, p.restrictedAt = $now`,
			params: map[string]any{"restricted": !lift, "request": id, "now": s.db.now()},
		}, r.Restrict()
	})
}

// Rectify corrects the person's record on a request for rectification,
// noting each field's value before and after on the request.
func (s *RequestService) Rectify(ctx context.Context, id string, in casus.Rectification) (*casus.Request, error) {
	if err := in.Validate(s.db.now()); err != nil {
		return nil, err
	}
	return s.change(ctx, id, func(r *casus.Request) (requestEdit, error) {
		if err := r.Rectify(); err != nil {
			return requestEdit{}, err
		}
		return requestEdit{cypher: `WITH r MATCH (r)-[:CONCERNS]->(p:Person)
			WITH r, p, [f IN $fields | CASE f WHEN 'aliases' THEN reduce(t = '', a IN coalesce(p.aliases, []) | t + CASE WHEN t = '' THEN '' ELSE ', ' END + a)
				ELSE coalesce(toString(p[f]), '') END] AS before
			SET p += $fix, p.version = coalesce(p.version, 1) + 1, p.updatedAt = $now
			CREATE (r)<-[:ON]-(:Rectification {at: $now, fields: $fields, before: before, after: $after})-[:OF]->(p)`,
			params: rectificationParams(in, s.db.now())}, nil
	})
}

// rectificationParams are the fields a rectification sets, in order, and
// their new values as the request records them.
func rectificationParams(in casus.Rectification, now time.Time) map[string]any {
	fix := map[string]any{}
	var fields, after []string
	add := func(field string, v any, shown string) {
		fix[field] = v
		fields, after = append(fields, field), append(after, shown)
	}
	if in.FirstName != nil {
		add("firstName", *in.FirstName, *in.FirstName)
	}
	if in.LastName != nil {
		add("lastName", *in.LastName, *in.LastName)
	}
	if in.Aliases != nil {
		add("aliases", in.Aliases, strings.Join(in.Aliases, ", "))
	}
	if in.BirthDate != nil {
		add("birthDate", date(*in.BirthDate), in.BirthDate.Format(time.DateOnly))
	}
	if in.Notes != nil {
		add("notes", *in.Notes, *in.Notes)
	}
	return map[string]any{"fix": fix, "fields": fields, "after": after, "now": now}
}

// corrections decodes the rectifications noted on a request.
func corrections(v any) []casus.Change {
	var out []casus.Change
	for _, x := range list(v) {
		m, _ := x.(map[string]any)
		fields, before, after := strList(m["fields"]), strList(m["before"]), strList(m["after"])
		for i := range min(len(fields), len(before), len(after)) {
			out = append(out, casus.Change{Field: fields[i], Before: before[i], After: after[i]})
		}
	}
	return out
}

// requestEdit is what a change does: properties of the request to set, and
// more Cypher to run with r bound (and its parameters).
type requestEdit struct {
	set    map[string]any
	cypher string
	params map[string]any
}

// change reads a request under its lock, lets edit check it and say what
// to do, and does it.
func (s *RequestService) change(ctx context.Context, id string, edit func(*casus.Request) (requestEdit, error)) (*casus.Request, error) {
	sc, err := s.permitted(ctx)
	if err != nil {
		return nil, err
	}
	_, err = write(ctx, s.db, func(tx txRunner) (struct{}, error) {
		if _, err := s.db.collect(ctx, tx, `MATCH (r:SubjectRequest {id: $id}) SET r._lock = true REMOVE r._lock`, map[string]any{"id": id}); err != nil {
			return struct{}{}, err
		}
		rs, err := s.db.requests(ctx, tx, sc, "r.id = $id", map[string]any{"id": id})
		if err != nil {
			return struct{}{}, err
		}
		if len(rs) == 0 {
			return struct{}{}, casus.Errorf(casus.ENOTFOUND, "request not found")
		}
		e, err := edit(rs[0])
		if err != nil {
			return struct{}{}, err
		}
		params := map[string]any{"id": id, "set": nonNilMap(e.set)}
		for k, v := range e.params {
			params[k] = v
		}
		_, err = s.db.collect(ctx, tx, `MATCH (r:SubjectRequest {id: $id}) SET r += $set `+e.cypher, params)
		return struct{}{}, err
	})
	if err != nil {
		return nil, err
	}
	return s.request(ctx, sc, id)
}

func (s *RequestService) request(ctx context.Context, sc scope, id string) (*casus.Request, error) {
	rs, err := read(ctx, s.db, func(tx txRunner) ([]*casus.Request, error) {
		return s.db.requests(ctx, tx, sc, "r.id = $id", map[string]any{"id": id})
	})
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, casus.Errorf(casus.ENOTFOUND, "request not found")
	}
	return rs[0], nil
}

func decodeRequest(v any) *casus.Request {
	m, _ := v.(map[string]any)
	r := &casus.Request{ID: str(m["id"]), Kind: casus.RequestKind(str(m["kind"])), PersonID: str(m["person"]),
		IdentityCheckedBy: str(m["identityCheckedBy"]), Notes: str(m["notes"]), ExtensionReason: str(m["extensionReason"]),
		PersonName: str(m["personName"]), Restricted: boolean(m["restricted"]), Corrections: corrections(m["corrections"]), Decision: casus.RequestDecision(str(m["decision"])), DecisionReason: str(m["decisionReason"]), DecidedOn: datePtr(m["decidedOn"]),
		RegisteredBy: str(m["registeredBy"])}
	for k, t := range map[string]*time.Time{"receivedOn": &r.ReceivedOn, "deadline": &r.Deadline} {
		if d := datePtr(m[k]); d != nil {
			*t = *d
		}
	}
	return r
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// RequestRetention is how long a decided request is kept (the register's
// "2 jaar na de beslissing").
const RequestRetention = 2 * 365 * 24 * time.Hour

// PruneRequests removes, unless dry, the requests decided before cutoff,
// and returns how many go. Dossiers are not stored: each is compiled when
// asked for, and only its compilation is in the access log.
func (db *DB) PruneRequests(ctx context.Context, cutoff time.Time, dry bool) (int64, error) {
	return write(ctx, db, func(tx txRunner) (int64, error) {
		recs, err := db.collect(ctx, tx, `
			MATCH (r:SubjectRequest) WHERE r.decidedOn IS NOT NULL AND r.decidedOn < $cutoff
			WITH collect(r) AS rs
			FOREACH (r IN CASE WHEN $dry THEN [] ELSE rs END | DETACH DELETE r)
			RETURN size(rs) AS n`, map[string]any{"cutoff": date(cutoff), "dry": dry})
		if err != nil {
			return 0, err
		}
		n, err := only(recs, "n")
		return num(n), err
	})
}
