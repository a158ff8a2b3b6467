package neo4j

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// SignalService is casus.SignalService on Neo4j.
type SignalService struct {
	db *DB
}

var _ casus.SignalService = (*SignalService)(nil)

// NewSignalService returns a SignalService on db.
func NewSignalService(db *DB) *SignalService { return &SignalService{db: db} }

const signalProjection = `s {.id, .reporterId, .reporterName, .description, .indicators, .receivedAt, .status, .dismissReason,
	.subjectFirstName, .subjectLastName, .subjectBirthDate, .subjectDetails,
	organisation: [(s)-[:FROM]->(o:Organisation) | o.id][0],
	.municipality,
	about: [(s)-[:ABOUT]->(p:Person) | p.id],
	case: [(s)-[:LED_TO]->(c:Case) | c.id][0]
}`

func decodeSignal(v any) (*casus.Signal, error) {
	m, err := asMap("signal", v)
	if err != nil {
		return nil, err
	}
	return &casus.Signal{
		ID: str(m["id"]), ReporterID: str(m["reporterId"]), ReporterName: str(m["reporterName"]),
		OrganisationID: str(m["organisation"]), MunicipalityCode: str(m["municipality"]), Description: str(m["description"]),
		Indicators: strList(m["indicators"]), ReceivedAt: tm(m["receivedAt"]), Status: casus.SignalStatus(str(m["status"])),
		AboutIDs: strList(m["about"]), CaseID: str(m["case"]), DismissReason: str(m["dismissReason"]),
		Subject: decodeSubject(m),
	}, nil
}

func decodeSubject(m map[string]any) *casus.SignalSubject {
	if m["subjectLastName"] == nil {
		return nil
	}
	return &casus.SignalSubject{FirstName: str(m["subjectFirstName"]), LastName: str(m["subjectLastName"]),
		BirthDate: datePtr(m["subjectBirthDate"]), Details: str(m["subjectDetails"])}
}

// LinkSignal records that an open signal the caller may triage is about a
// person they can read; either unreadable answers NOT_FOUND.
func (s *SignalService) LinkSignal(ctx context.Context, in casus.LinkSignalInput) (*casus.Signal, error) {
	if err := casus.Permit(ctx, casus.ActDismissSignal); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return write(ctx, s.db, func(tx txRunner) (*casus.Signal, error) {
		recs, err := s.db.collect(ctx, tx, `
			OPTIONAL MATCH (s:Signal {id: $signal}) WHERE `+sc.signals("s")+`
			OPTIONAL MATCH (p:Person {id: $person}) WHERE `+sc.persons("p")+`
			RETURN s IS NOT NULL AS signal, p IS NOT NULL AS person, s.status AS status`,
			sc.params(map[string]any{"signal": in.SignalID, "person": in.PersonID}))
		if err != nil {
			return nil, err
		}
		vs, err := columns(recs[0], "signal", "person", "status")
		if err != nil {
			return nil, err
		}
		switch {
		case !boolean(vs[0]):
			return nil, casus.NotFound("signal", "signal")
		case !boolean(vs[1]):
			return nil, casus.NotFound("person", "person")
		case !casus.SignalStatus(str(vs[2])).Open():
			return nil, casus.Invalid("signal", "the signal was handled already")
		}
		if _, err := s.db.collect(ctx, tx, `
			MATCH (s:Signal {id: $signal}), (p:Person {id: $person})
			MERGE (s)-[:ABOUT]->(p)`, map[string]any{"signal": in.SignalID, "person": in.PersonID}); err != nil {
			return nil, err
		}
		if err := s.db.appendPersonEvents(ctx, tx, []personEvent{{typ: casus.AlertSignal, person: in.PersonID, signal: in.SignalID}}); err != nil {
			return nil, err
		}
		ss, err := inTx(ctx, s.db, tx, []string{in.SignalID}, `MATCH (s:Signal) WHERE s.id IN $ids RETURN s.id AS id, `+signalProjection+` AS row`,
			nil, decodeSignal)
		if err != nil {
			return nil, err
		}
		return ss[0], nil
	})
}

// Signal returns the signal with id, or NOT_FOUND.
func (s *SignalService) Signal(ctx context.Context, id string) (*casus.Signal, error) {
	ss, err := s.SignalsByID(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if ss[0] == nil {
		return nil, casus.Errorf(casus.ENOTFOUND, "signal not found")
	}
	return ss[0], nil
}

// SignalsByID returns the signals with ids, in order.
func (s *SignalService) SignalsByID(ctx context.Context, ids []string) ([]*casus.Signal, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return byID(ctx, s.db, "signals", ids, `MATCH (s:Signal) WHERE s.id IN $ids AND `+sc.signals("s")+` RETURN s.id AS id, `+signalProjection+` AS row`,
		sc.params(nil), decodeSignal)
}

// Signals returns a page of signals, newest first.
func (s *SignalService) Signals(ctx context.Context, filter casus.SignalFilter, page casus.Page) (*casus.SignalPage, error) {
	if filter.Status != "" && !filter.Status.Valid() {
		return nil, casus.Invalid("filter.status", "unknown status %q", filter.Status)
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.db.list(ctx, listQuery{
		match: "MATCH (s:Signal)",
		where: []string{
			"($status = '' OR s.status = $status)",
			"($municipality = '' OR s.municipality = $municipality)",
			sc.signals("s"),
		},
		params:  sc.params(map[string]any{"status": string(filter.Status), "municipality": filter.MunicipalityCode}),
		keys:    []string{"s.receivedAt", "s.id"},
		desc:    true,
		project: signalProjection,
	}, page)
	if err != nil {
		return nil, fmt.Errorf("list signals: %w", err)
	}
	out := &casus.SignalPage{TotalCount: res.total, HasNextPage: res.hasNextPage, HasPreviousPage: res.hasPreviousPage}
	for i, row := range res.rows {
		sig, err := decodeSignal(row)
		if err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, casus.SignalEdge{Cursor: res.cursors[i], Signal: sig})
	}
	return out, nil
}

// SignalsOfCases returns, for each case, the signals that led to it that
// the caller may read as signals: a signal names its reporter, whom only the
// reporter, the directors of its municipality and the coordinators may know,
// so a case's readers without that right see none (as signal(id) answers).
func (s *SignalService) SignalsOfCases(ctx context.Context, caseIDs []string) ([][]*casus.Signal, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return groupedBy(ctx, s.db, "signals of cases", caseIDs, `
		UNWIND $ids AS id
		MATCH (s:Signal)-[:LED_TO]->(c:Case {id: id}) WHERE `+sc.cases("c")+` AND `+sc.signals("s")+`
		WITH id, s ORDER BY s.receivedAt
		RETURN id, collect(`+signalProjection+`) AS rows`, sc.params(nil), decodeSignal)
}

// SubmitSignal records a new signal from the caller.
func (s *SignalService) SubmitSignal(ctx context.Context, in casus.SubmitSignalInput) (*casus.Signal, error) {
	sc, err := permitted(ctx, casus.ActSubmitSignal, &in)
	if err != nil {
		return nil, err
	}
	actor := sc.actor
	if in.OrganisationID, err = casus.SignalOrganisation(actor, in.OrganisationID); err != nil {
		return nil, err
	}
	key := idempotencyKey(ctx, "submitSignal", in.IdempotencyKey)
	sig, err := writeOnce(ctx, s.db, key, func(tx txRunner) (*casus.Signal, error) {
		id, err := s.db.createdBefore(ctx, tx, key)
		if err != nil {
			return nil, err
		}
		if id != "" {
			// A replay answers with the signal as the caller may read it now.
			ss, err := inTx(ctx, s.db, tx, []string{id}, `MATCH (s:Signal) WHERE s.id IN $ids AND `+sc.signals("s")+` RETURN s.id AS id, `+signalProjection+` AS row`,
				sc.params(nil), decodeSignal)
			if err != nil {
				return nil, err
			}
			if ss[0] == nil {
				return nil, casus.NotFound("signal", "signal")
			}
			return ss[0], nil
		}
		// A signal may name only persons the reporter can read: anyone else
		// is described in words, and linked by whoever triages it.
		if len(in.AboutIDs) > 0 {
			missing, err := s.db.missingPersons(ctx, tx, sc, in.AboutIDs)
			if err != nil {
				return nil, err
			}
			if len(missing) > 0 {
				return nil, casus.NotFound("about", "person")
			}
		}
		// One statement checks the municipality and organisation, creates
		// the signal and returns it; it creates nothing when either is
		// unknown, and only then is it worth asking which. The signal
		// names its municipality by code: a relationship to it would lock
		// that node, which every signal of the municipality shares, until
		// the commit. The key is remembered first, and goes with the
		// rollback if the signal is refused.
		id = uuid.NewString()
		if err := s.db.remember(ctx, tx, key, id); err != nil {
			return nil, err
		}
		// A lookup of a key that no node has locks that key until the
		// commit, so that every signal without an organisation would wait
		// for the one before: the organisation is looked up only when there
		// is one, and so are the persons.
		var origin, from, about string
		if in.OrganisationID != "" {
			origin = "MATCH (o:Organisation {id: $organisation})"
			from = "CREATE (s)-[:FROM]->(o)"
		}
		if len(in.AboutIDs) > 0 {
			about = "WITH s CALL (s) { UNWIND $about AS pid MATCH (p:Person {id: pid}) CREATE (s)-[:ABOUT]->(p) }"
		}
		ss, err := inTx(ctx, s.db, tx, []string{id}, `
			MATCH (m:Municipality {code: $municipality})
			`+origin+`
			CREATE (s:Signal {id: $id, reporterId: $reporterId, reporterName: $reporterName, description: $description,
				indicators: $indicators, receivedAt: $now, status: 'NEW', municipality: m.code})
			SET s += $subject
			`+from+`
			`+about+`
			RETURN s.id AS id, `+signalProjection+` AS row`,
			map[string]any{"ids": []string{id}, "id": id, "municipality": in.MunicipalityCode, "organisation": in.OrganisationID,
				"reporterId": actor.ID, "reporterName": actor.Name, "description": in.Description,
				"indicators": nonNil(in.Indicators), "about": nonNil(in.AboutIDs), "now": s.db.now(), "subject": subjectProps(in.Subject)}, decodeSignal)
		if err != nil {
			return nil, err
		}
		if ss[0] == nil {
			return nil, s.unknownOrigin(ctx, tx, in)
		}
		var events []personEvent
		for _, pid := range in.AboutIDs {
			events = append(events, personEvent{typ: casus.AlertSignal, person: pid, signal: id})
		}
		return ss[0], s.db.appendPersonEvents(ctx, tx, events)
	})
	if err != nil {
		return nil, fmt.Errorf("submit signal: %w", err)
	}
	return sig, nil
}

// unknownOrigin says which of a signal's municipality and organisation
// does not exist.
func (s *SignalService) unknownOrigin(ctx context.Context, tx runner, in casus.SubmitSignalInput) error {
	recs, err := s.db.collect(ctx, tx, `
		OPTIONAL MATCH (m:Municipality {code: $municipality})
		RETURN m IS NOT NULL AS known`,
		map[string]any{"municipality": in.MunicipalityCode})
	if err != nil {
		return err
	}
	known, err := only(recs, "known")
	if err != nil {
		return err
	}
	if !boolean(known) {
		return casus.Invalid("municipality", "unknown municipality %q", in.MunicipalityCode)
	}
	return casus.Invalid("organisation", "unknown organisation")
}

func (s *SignalService) signalInTx(ctx context.Context, tx runner, id string) (*casus.Signal, error) {
	ss, err := inTx(ctx, s.db, tx, []string{id}, `MATCH (s:Signal) WHERE s.id IN $ids RETURN s.id AS id, `+signalProjection+` AS row`, nil, decodeSignal)
	if err != nil {
		return nil, err
	}
	if ss[0] == nil {
		return nil, casus.Errorf(casus.ENOTFOUND, "signal not found")
	}
	return ss[0], nil
}

// DismissSignal closes an open signal without a case, with a reason.
func (s *SignalService) DismissSignal(ctx context.Context, id, reason string) (*casus.Signal, error) {
	reason = trim(reason)
	switch {
	case reason == "":
		return nil, casus.Invalid("reason", "say why no case is needed")
	case len(reason) > casus.MaxReason:
		return nil, casus.Invalid("reason", "the reason is longer than %d characters", casus.MaxReason)
	}
	if err := casus.Permit(ctx, casus.ActDismissSignal); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	actor := sc.actor
	sig, err := write(ctx, s.db, func(tx txRunner) (*casus.Signal, error) {
		recs, err := s.db.collect(ctx, tx, `MATCH (s:Signal {id: $id}) WHERE `+sc.signals("s")+` SET s._lock = true REMOVE s._lock RETURN s.id`,
			sc.params(map[string]any{"id": id}))
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, casus.Errorf(casus.ENOTFOUND, "signal not found")
		}
		cur, err := s.signalInTx(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if !cur.Status.Open() {
			return nil, casus.Invalid("signal", "the signal is %s; only a new or reviewed signal can be dismissed", cur.Status)
		}
		if _, err := s.db.collect(ctx, tx, `
			MATCH (s:Signal {id: $id})
			SET s.status = 'DISMISSED', s.dismissReason = $reason, s.dismissedById = $actorId, s.dismissedAt = $now`,
			map[string]any{"id": id, "reason": reason, "actorId": actor.ID, "now": s.db.now()}); err != nil {
			return nil, err
		}
		return s.signalInTx(ctx, tx, id)
	})
	if err != nil {
		return nil, fmt.Errorf("dismiss signal %s: %w", id, err)
	}
	return sig, nil
}

// subjectProps returns the signal properties of whom it is about.
func subjectProps(x *casus.SignalSubject) map[string]any {
	if x == nil {
		return map[string]any{}
	}
	return map[string]any{"subjectFirstName": x.FirstName, "subjectLastName": x.LastName,
		"subjectBirthDate": datePtrParam(x.BirthDate), "subjectDetails": x.Details}
}
