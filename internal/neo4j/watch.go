package neo4j

import (
	"context"
	"fmt"
	"sync"

	"casusnet/internal/casus"
)

// WatchService keeps watchlists and their alerts on Neo4j.
type WatchService struct{ db *DB }

var _ casus.Watchlist = (*WatchService)(nil)

// NewWatchService returns the watch service of db.
func NewWatchService(db *DB) *WatchService { return &WatchService{db: db} }

// personEvent is one row of the person event log: what happened to one
// person, for watchlists.
type personEvent struct {
	typ                           casus.WatchAlertType
	person, other, caseID, signal string
}

// appendPersonEvents writes events to the person event log in tx, not yet
// numbered: numbers are gapless and in the order the log gives them, so that
// a watcher that reads after its last number misses nothing, and giving them
// takes the log's lock. Taken in every writing transaction, that lock would
// make every write about a person wait for the one before (make bench,
// query 5); so once tx has committed, write has the events numbered by
// personEvents.flush, which numbers the events of every transaction
// committed meanwhile in one go, and only then answers.
func (db *DB) appendPersonEvents(ctx context.Context, tx *Tx, events []personEvent) error {
	if len(events) == 0 {
		return nil
	}
	rows := make([]map[string]any, len(events))
	for i, e := range events {
		rows[i] = map[string]any{"type": string(e.typ), "person": e.person, "other": orNull(e.other), "case": orNull(e.caseID), "signal": orNull(e.signal)}
	}
	actor, _ := casus.ActorFrom(ctx)
	_, err := db.collect(ctx, tx, `
		UNWIND range(0, size($rows) - 1) AS i
		WITH i, $rows[i] AS r
		CREATE (:PersonEvent {pending: true, order: i, type: r.type, personId: r.person, otherId: r.other,
			caseId: r.case, signalId: r.signal, at: $now, actorId: $actor})`, map[string]any{"rows": rows, "now": db.now(), "actor": actor.ID})
	if err != nil {
		return fmt.Errorf("append person events: %w", err)
	}
	tx.appendedPersonEvents = true
	return nil
}

// sequencer numbers the pending events of the person event log, in rounds:
// a caller whose events have committed joins the next round, and one caller
// of each round numbers every event committed before it began. While one
// round runs, the next gathers, so under load one transaction numbers the
// events of many writes.
type sequencer struct {
	mu      sync.Mutex
	next    *round     // the round that has not begun; nil when nobody waits
	running sync.Mutex // held by the caller running a round
}

type round struct {
	done chan struct{}
	err  error
}

// flush returns once every event committed before it was called is
// numbered. The numbering goes on when ctx ends: the events have committed
// and are numbered now or by the next flush.
func (q *sequencer) flush(ctx context.Context, db *DB) error {
	q.mu.Lock()
	r := q.next
	if r == nil {
		r = &round{done: make(chan struct{})}
		q.next = r
	}
	q.mu.Unlock()
	q.running.Lock()
	defer q.running.Unlock()
	select {
	case <-r.done:
		return r.err // another caller ran this round
	default:
	}
	q.mu.Lock()
	if q.next == r {
		q.next = nil // who comes now joins the round after this one
	}
	q.mu.Unlock()
	r.err = db.numberPersonEvents(context.WithoutCancel(ctx))
	close(r.done)
	return r.err
}

// personEventBatch bounds the events numbered in one transaction.
const personEventBatch = 5000

// numberPersonEvents numbers the pending events of the person event log
// after the counter, in the order they were written, under the counter's
// lock: the lock is taken by the first statement, so that the second reads
// the pending events as they are once every other numbering has committed.
func (db *DB) numberPersonEvents(ctx context.Context) error {
	for {
		n, err := write(ctx, db, func(tx *Tx) (int64, error) {
			if _, err := db.collect(ctx, tx, `
				MERGE (k:Counter {name: 'person-event'})
				ON CREATE SET k.value = 0
				SET k._lock = true REMOVE k._lock`, nil); err != nil {
				return 0, err
			}
			recs, err := db.collect(ctx, tx, `
				MATCH (k:Counter {name: 'person-event'})
				MATCH (e:PersonEvent) WHERE e.pending = true
				WITH k, e ORDER BY e.at, e.order LIMIT $batch
				WITH k, k.value AS base, collect(e) AS events
				UNWIND range(0, size(events) - 1) AS i
				WITH k, base, events[i] AS e, i
				SET e.seq = base + i + 1
				REMOVE e.pending, e.order
				WITH k, base, count(*) AS n
				SET k.value = base + n
				RETURN n`, map[string]any{"batch": personEventBatch})
			if err != nil || len(recs) == 0 {
				return 0, err
			}
			n, err := only(recs, "n")
			return num(n), err
		})
		if err != nil {
			return fmt.Errorf("number person events: %w", err)
		}
		if n < personEventBatch {
			return nil
		}
	}
}

// Watch adds a person the caller may see to their watchlist; watching twice
// is harmless. The watch starts now: alerts from before it began are not
// the watcher's, whatever cursor they resume from.
func (s *WatchService) Watch(ctx context.Context, personID string) error {
	if err := casus.Permit(ctx, casus.ActWatch); err != nil {
		return err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return err
	}
	_, err = write(ctx, s.db, func(tx txRunner) (struct{}, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (p:Person {id: $person}) WHERE `+sc.persons("p")+`
			OPTIONAL MATCH (k:Counter {name: 'person-event'})
			MERGE (w:Watch {userId: $scopeUser, personId: $person})
			ON CREATE SET w.since = $now, w.fromSeq = coalesce(k.value, 0)
			RETURN count(w) AS watches`, sc.params(map[string]any{"person": personID, "now": s.db.now()}))
		if err != nil {
			return struct{}{}, err
		}
		watches, err := only(recs, "watches")
		if err != nil {
			return struct{}{}, err
		}
		if num(watches) == 0 {
			return struct{}{}, casus.Errorf(casus.ENOTFOUND, "person not found")
		}
		return struct{}{}, nil
	})
	if err != nil {
		return fmt.Errorf("watch %s: %w", personID, err)
	}
	return nil
}

// Unwatch removes a person from the caller's watchlist.
func (s *WatchService) Unwatch(ctx context.Context, personID string) error {
	if err := casus.Permit(ctx, casus.ActWatch); err != nil {
		return err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return err
	}
	_, err = write(ctx, s.db, func(tx txRunner) (struct{}, error) {
		_, err := s.db.collect(ctx, tx, `MATCH (w:Watch {userId: $scopeUser, personId: $person}) DELETE w`,
			sc.params(map[string]any{"person": personID}))
		return struct{}{}, err
	})
	if err != nil {
		return fmt.Errorf("unwatch %s: %w", personID, err)
	}
	return nil
}

// Watched returns the caller's watched persons they may still see, in the
// order they were watched.
func (s *WatchService) Watched(ctx context.Context) ([]string, error) {
	sc, err := analysisScope(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := read(ctx, s.db, func(tx txRunner) ([]string, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (w:Watch {userId: $scopeUser})
			MATCH (p:Person {id: w.personId}) WHERE `+sc.persons("p")+`
			WITH p, w ORDER BY w.since, p.id
			RETURN collect(p.id) AS watched`, sc.params(nil))
		if err != nil {
			return nil, err
		}
		watched, err := only(recs, "watched")
		return strList(watched), err
	})
	if err != nil {
		return nil, fmt.Errorf("watchlist: %w", err)
	}
	return ids, nil
}

// AlertsAfter returns alerts about the caller's watched persons after
// sequence number after, as the caller may see them now: the person must be
// in scope, and so must the case or signal an alert names (else it is left
// out, since that it exists would say too much).
func (s *WatchService) AlertsAfter(ctx context.Context, after int64, limit int) ([]*casus.WatchAlert, int64, error) {
	if err := casus.Permit(ctx, casus.ActWatch); err != nil {
		return nil, 0, err
	}
	sc, err := analysisScope(ctx)
	if err != nil {
		return nil, 0, err
	}
	type result struct {
		alerts []*casus.WatchAlert
		last   int64
	}
	res, err := read(ctx, s.db, func(tx txRunner) (result, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (w:Watch {userId: $scopeUser})
			MATCH (e:PersonEvent {personId: w.personId}) WHERE e.seq > $after AND e.seq > coalesce(w.fromSeq, 0)
			WITH e ORDER BY e.seq LIMIT $limit
			WITH collect(e) AS examined
			UNWIND CASE WHEN size(examined) = 0 THEN [null] ELSE examined END AS e
			OPTIONAL MATCH (p:Person {id: e.personId}) WHERE `+sc.persons("p")+`
			OPTIONAL MATCH (c:Case {id: e.caseId}) WHERE `+sc.cases("c")+`
			OPTIONAL MATCH (s:Signal {id: e.signalId}) WHERE `+sc.signals("s")+`
			WITH examined, e, p IS NOT NULL AND (e.caseId IS NULL OR c IS NOT NULL) AND (e.signalId IS NULL OR s IS NOT NULL) AS visible
			RETURN coalesce(examined[-1].seq, $after) AS last,
				[x IN collect(CASE WHEN visible THEN e END) WHERE x IS NOT NULL | x {.*}] AS alerts`,
			sc.params(map[string]any{"after": after, "limit": limit}))
		if err != nil {
			return result{}, err
		}
		if len(recs) != 1 {
			return result{}, fmt.Errorf("alerts: %d rows", len(recs))
		}
		c, err := columns(recs[0], "last", "alerts")
		if err != nil {
			return result{}, err
		}
		out := result{last: num(c[0])}
		for _, v := range list(c[1]) {
			m, _ := v.(map[string]any)
			out.alerts = append(out.alerts, &casus.WatchAlert{
				Seq: num(m["seq"]), Type: casus.WatchAlertType(str(m["type"])), PersonID: str(m["personId"]), OtherID: str(m["otherId"]),
				CaseID: str(m["caseId"]), SignalID: str(m["signalId"]), At: tm(m["at"]),
			})
		}
		return out, nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("watch alerts: %w", err)
	}
	return res.alerts, res.last, nil
}

// LastAlertSeq returns the newest position in the person event log.
func (s *WatchService) LastAlertSeq(ctx context.Context) (int64, error) {
	if err := casus.Permit(ctx, casus.ActWatch); err != nil {
		return 0, err
	}
	n, err := read(ctx, s.db, func(tx txRunner) (int64, error) {
		recs, err := s.db.collect(ctx, tx, `OPTIONAL MATCH (k:Counter {name: 'person-event'}) RETURN coalesce(k.value, 0) AS head`, nil)
		if err != nil {
			return 0, err
		}
		head, err := only(recs, "head")
		return num(head), err
	})
	if err != nil {
		return 0, fmt.Errorf("last person event: %w", err)
	}
	return n, nil
}

// orNull is nil for the empty string, so that no property is written.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}
