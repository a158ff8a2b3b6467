package neo4j

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// EventService reads the case event log on Neo4j.
type EventService struct{ db *DB }

var _ casus.EventService = (*EventService)(nil)

// NewEventService returns the event service of db.
func NewEventService(db *DB) *EventService { return &EventService{db: db} }

const eventProjection = `e {
	.id, .seq, .type, .actorId, .actorName, .actorRole, .at, .reason, .changes,
	case: [(e)-[:ON]->(c:Case) | c.id][0],
	municipality: [(e)-[:ON]->(:Case)-[:IN]->(m:Municipality) | m.code][0]
}`

// EventsAfter returns up to limit events after sequence number after, of
// the cases the caller may see that match f, in order.
func (s *EventService) EventsAfter(ctx context.Context, after int64, f casus.EventFilter, limit int) ([]*casus.CaseEvent, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return all(ctx, s.db, "events", `
		MATCH (e:CaseEvent)-[:ON]->(c:Case)
		WHERE e.seq > $after AND `+sc.cases("c")+`
		  AND ($case = '' OR c.id = $case)
		  AND ($municipality = '' OR EXISTS { (c)-[:IN]->(:Municipality {code: $municipality}) })
		  AND (size($types) = 0 OR e.type IN $types)
		RETURN `+eventProjection+` AS row ORDER BY e.seq LIMIT $limit`, sc.params(map[string]any{
		"after": after, "case": f.CaseID, "municipality": f.MunicipalityCode, "types": nonNil(f.Types), "limit": limit,
	}), decodeEvent)
}

// VisibleCases returns which of the cases the caller may see.
func (s *EventService) VisibleCases(ctx context.Context, caseIDs []string) (map[string]bool, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if sc.cases("c") == "true" {
		// Every case: no need to ask (the ids come from the event log, so
		// the cases exist; cases are never deleted).
		out := make(map[string]bool, len(caseIDs))
		for _, id := range caseIDs {
			out[id] = true
		}
		return out, nil
	}
	ids, err := read(ctx, s.db, func(tx txRunner) ([]string, error) {
		recs, err := s.db.collect(ctx, tx, `MATCH (c:Case) WHERE c.id IN $ids AND `+sc.cases("c")+` RETURN collect(c.id) AS ids`,
			sc.params(map[string]any{"ids": nonNil(caseIDs)}))
		if err != nil {
			return nil, err
		}
		ids, err := only(recs, "ids")
		return strList(ids), err
	})
	if err != nil {
		return nil, fmt.Errorf("visible cases: %w", err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// LastEventSeq returns the sequence number of the newest case event.
func (s *EventService) LastEventSeq(ctx context.Context) (int64, error) {
	return s.db.lastEventSeq(ctx)
}

func (db *DB) lastEventSeq(ctx context.Context) (int64, error) {
	n, err := read(ctx, db, func(tx txRunner) (int64, error) {
		recs, err := db.collect(ctx, tx, `OPTIONAL MATCH (k:Counter {name: 'case-event'}) RETURN coalesce(k.value, 0) AS head`, nil)
		if err != nil {
			return 0, err
		}
		head, err := only(recs, "head")
		return num(head), err
	})
	if err != nil {
		return 0, fmt.Errorf("last event: %w", err)
	}
	return n, nil
}

// EventLog reads the case event log for the live event broker, without a
// caller's scope: every subscriber's scope is applied to what it forwards.
type EventLog struct{ db *DB }

// NewEventLog returns the event log of db.
func NewEventLog(db *DB) *EventLog { return &EventLog{db: db} }

// Since returns up to limit events after sequence number after, in order.
func (l *EventLog) Since(ctx context.Context, after int64, limit int) ([]*casus.CaseEvent, error) {
	return all(background(ctx), l.db, "events", `
		MATCH (e:CaseEvent) WHERE e.seq > $after
		RETURN `+eventProjection+` AS row ORDER BY e.seq LIMIT $limit`, map[string]any{"after": after, "limit": limit}, decodeEvent)
}

// Last returns the sequence number of the newest event.
func (l *EventLog) Last(ctx context.Context) (int64, error) {
	return l.db.lastEventSeq(background(ctx))
}

// Timeline returns a page of the case's events, oldest first.
func (s *EventService) Timeline(ctx context.Context, caseID string, page casus.Page) (*casus.EventPage, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.db.list(ctx, listQuery{
		match:   "MATCH (e:CaseEvent)-[:ON]->(c:Case {id: $case})",
		where:   []string{sc.cases("c")},
		params:  sc.params(map[string]any{"case": caseID}),
		keys:    []string{"e.seq"},
		project: eventProjection,
	}, page)
	if err != nil {
		return nil, fmt.Errorf("timeline of case %s: %w", caseID, err)
	}
	out := &casus.EventPage{TotalCount: res.total, HasNextPage: res.hasNextPage, HasPreviousPage: res.hasPreviousPage}
	for i, row := range res.rows {
		e, err := decodeEvent(row)
		if err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, casus.EventEdge{Cursor: res.cursors[i], Event: e})
	}
	return out, nil
}

// appendEvent writes the next event of the global case event log in tx. The
// counter node serialises writers, which gives every event a unique, gapless
// position that subscribers can resume from.
func (db *DB) appendEvent(ctx context.Context, tx *Tx, caseID, typ string, actor casus.Actor, reason string, at time.Time, changes []casus.Change) error {
	tx.appendedEvents = true
	_, err := db.collect(ctx, tx, `
		MATCH (c:Case {id: $caseId})
		MERGE (s:Counter {name: 'case-event'})
		ON CREATE SET s.value = 0
		SET s.value = s.value + 1
		CREATE (e:CaseEvent {
			id: $id, seq: s.value, type: $type, actorId: $actorId, actorName: $actorName,
			actorRole: $actorRole, at: $at, reason: $reason, changes: $changes
		})-[:ON]->(c)`,
		map[string]any{
			"caseId": caseID, "id": uuid.NewString(), "type": typ,
			"actorId": actor.ID, "actorName": actor.Name, "actorRole": actor.Role,
			"at": at, "reason": reason, "changes": casus.ChangesJSON(changes),
		})
	if err != nil {
		return fmt.Errorf("append %s event: %w", typ, err)
	}
	return nil
}

func decodeEvent(v any) (*casus.CaseEvent, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("decode event: got %T", v)
	}
	e := &casus.CaseEvent{
		ID: str(m["id"]), Seq: num(m["seq"]), CaseID: str(m["case"]), MunicipalityCode: str(m["municipality"]), Type: str(m["type"]),
		Actor: casus.Actor{ID: str(m["actorId"]), Name: str(m["actorName"]), Role: str(m["actorRole"])},
		At:    tm(m["at"]), Reason: str(m["reason"]),
	}
	if raw := str(m["changes"]); raw != "" {
		if err := jsonUnmarshal(raw, &e.Changes); err != nil {
			return nil, fmt.Errorf("decode event %s changes: %w", e.ID, err)
		}
	}
	return e, nil
}
