package neo4j

import (
	"context"
	"sync"

	"casusnet/internal/casus"
)

// Readable is what an actor can read: the ids of the persons, cases,
// signals and groups their scope admits, and the persons a network
// analysis of theirs may use. The scope model test compares it before and
// after every write.
type Readable struct {
	Persons, Cases, Signals, Groups map[string]bool
	Analysable                      map[string]bool
}

// ReadableBy returns what actor can read, straight from the scope
// predicates every read goes through.
func ReadableBy(ctx context.Context, db *DB, actor casus.Actor) (Readable, error) {
	sc := scope{actor: actor}
	analysed := scope{actor: actor, analysis: true}
	return read(ctx, db, func(tx *Tx) (Readable, error) {
		recs, err := db.collect(ctx, tx, `
			CALL () { MATCH (p:Person) WHERE `+sc.persons("p")+` RETURN collect(p.id) AS persons }
			CALL () { MATCH (c:Case) WHERE `+sc.cases("c")+` RETURN collect(c.id) AS cases }
			CALL () { MATCH (s:Signal) WHERE `+sc.signals("s")+` RETURN collect(s.id) AS signals }
			CALL () { MATCH (g:Group) WHERE EXISTS { MATCH (p:Person)-[:IN_GROUP]->(g) WHERE `+sc.persons("p")+` }
				RETURN collect(g.id) AS groups }
			CALL () { MATCH (p:Person) WHERE `+analysed.persons("p")+` RETURN collect(p.id) AS analysable }
			RETURN persons, cases, signals, groups, analysable`, sc.params(nil))
		if err != nil {
			return Readable{}, err
		}
		set := func(key string) map[string]bool {
			v, _ := recs[0].Get(key)
			m := map[string]bool{}
			for _, id := range strList(v) {
				m[id] = true
			}
			return m
		}
		return Readable{Persons: set("persons"), Cases: set("cases"), Signals: set("signals"), Groups: set("groups"), Analysable: set("analysable")}, nil
	})
}

// Query runs cypher in a read transaction and returns its records as maps,
// for tests that look at the graph as it is.
func Query(ctx context.Context, db *DB, cypher string, params map[string]any) ([]map[string]any, error) {
	return read(ctx, db, func(tx *Tx) ([]map[string]any, error) {
		recs, err := db.collect(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		out := make([]map[string]any, len(recs))
		for i, r := range recs {
			out[i] = r.AsMap()
		}
		return out, nil
	})
}

// AppendPersonEventAndWait appends an event about person to the person event
// log in a write transaction, closes appended, and commits once release is
// closed.
func AppendPersonEventAndWait(ctx context.Context, db *DB, person string, appended chan<- struct{}, release <-chan struct{}) error {
	var once sync.Once
	_, err := write(ctx, db, func(tx *Tx) (struct{}, error) {
		if err := db.appendPersonEvents(ctx, tx, []personEvent{{typ: casus.AlertSignal, person: person}}); err != nil {
			return struct{}{}, err
		}
		once.Do(func() { close(appended) })
		<-release
		return struct{}{}, nil
	})
	return err
}
