package neo4j

import (
	"context"
	"fmt"
	"time"

	"casusnet/internal/casus"
)

// Removal is what a retention run removes (or, dry, would remove).
type Removal struct {
	Cases   []string // closed before the cut-off
	Persons []string // needed by those cases only
	Groups  []string // with no remaining case and no remaining member
	Signals []string // that led to those cases
	Events  int      // the cases' events
}

// retentionPlan finds what goes: closed cases closed before cutoff; the
// persons those cases needed (subjects, directly or through a group, and
// those tied to a subject) that no remaining case needs the same way and no
// remaining signal is about; the signals that led to those cases; the
// groups left without case and members. Persons that no case ever needed
// stay: they may belong to a case being prepared.
const retentionPlan = `
MATCH (c:Case) WHERE c.id IN $goneIDs
WITH collect(c) AS gone
CALL (gone) {
	UNWIND gone AS c
	MATCH (c)-[:CONCERNS]->(x)
	OPTIONAL MATCH (x)<-[:IN_GROUP]-(m:Person)
	WITH [s IN collect(DISTINCT x) + collect(DISTINCT m) WHERE s:Person] AS subjects
	UNWIND subjects AS s
	OPTIONAL MATCH (s)-[:RELATIVE|CONTACT]-(t:Person)
	WITH subjects, collect(DISTINCT t) AS tied
	UNWIND subjects + tied AS p
	WITH DISTINCT p WHERE p IS NOT NULL
	  AND NOT EXISTS { MATCH (k:Case)-[:CONCERNS]->(p) WHERE NOT k.id IN $goneIDs }
	  AND NOT EXISTS { MATCH (k:Case)-[:CONCERNS]->(:Group)<-[:IN_GROUP]-(p) WHERE NOT k.id IN $goneIDs }
	  AND NOT EXISTS { MATCH (k:Case)-[:CONCERNS]->(:Person)-[:RELATIVE|CONTACT]-(p) WHERE NOT k.id IN $goneIDs }
	  AND NOT EXISTS { MATCH (k:Case)-[:CONCERNS]->(:Group)<-[:IN_GROUP]-(:Person)-[:RELATIVE|CONTACT]-(p) WHERE NOT k.id IN $goneIDs }
	  AND NOT EXISTS { MATCH (sig:Signal)-[:ABOUT]->(p) WHERE NOT EXISTS { MATCH (sig)-[:LED_TO]->(k:Case) WHERE k.id IN $goneIDs } }
	RETURN collect(p.id) AS persons
}
CALL (gone) {
	UNWIND gone AS c
	OPTIONAL MATCH (sig:Signal)-[:LED_TO]->(c)
	RETURN collect(DISTINCT sig.id) AS signals
}
CALL (gone) {
	UNWIND gone AS c
	OPTIONAL MATCH (e:CaseEvent)-[:ON]->(c)
	RETURN count(e) AS events
}
RETURN persons, signals, events`

// Retention removes, unless dry, what is due for removal at cutoff, in one
// transaction, and returns it. The access log is not touched here: the
// caller writes what was removed to it.
func (db *DB) Retention(ctx context.Context, cutoff time.Time, dry bool) (*Removal, error) {
	work := func(tx txRunner) (*Removal, error) {
		recs, err := db.collect(ctx, tx, `MATCH (c:Case) WHERE c.phase = 'CLOSED' AND c.closedAt < $cutoff
			WITH c ORDER BY c.id RETURN collect(c.id) AS cases`, map[string]any{"cutoff": cutoff})
		if err != nil {
			return nil, err
		}
		gone, err := only(recs, "cases")
		if err != nil {
			return nil, err
		}
		cases := strList(gone)
		recs, err = db.collect(ctx, tx, retentionPlan, map[string]any{"goneIDs": cases})
		if err != nil {
			return nil, err
		}
		if len(recs) != 1 {
			return nil, fmt.Errorf("retention plan: %d rows", len(recs))
		}
		plan, err := columns(recs[0], "persons", "signals", "events")
		if err != nil {
			return nil, err
		}
		r := &Removal{Cases: cases, Persons: strList(plan[0]), Signals: strList(plan[1]), Events: int(num(plan[2]))}
		if dry || len(cases) == 0 {
			return r, nil
		}
		recs, err = db.collect(ctx, tx, `
			MATCH (c:Case) WHERE c.id IN $cases
			OPTIONAL MATCH (c)-[:HAS|HAS_REPORT]->(part)
			OPTIONAL MATCH (e:CaseEvent)-[:ON]->(c)
			OPTIONAL MATCH (gr:Grant)-[:ON]->(c)
			OPTIONAL MATCH (c)-[:CONCERNS]->(g:Group)
			WITH collect(DISTINCT c) AS cs, collect(DISTINCT part) AS parts, collect(DISTINCT e) AS es,
				collect(DISTINCT gr) AS grants, collect(DISTINCT g) AS groups
			FOREACH (x IN parts + es + grants | DETACH DELETE x)
			FOREACH (x IN cs | DETACH DELETE x)
			WITH groups
			CALL (groups) {
				MATCH (p:Person) WHERE p.id IN $persons
				DETACH DELETE p
			}
			CALL (groups) {
				MATCH (s:Signal) WHERE s.id IN $signals
				DETACH DELETE s
			}
			UNWIND groups AS g
			WITH g WHERE NOT EXISTS { (:Case)-[:CONCERNS]->(g) } AND NOT EXISTS { (:Person)-[:IN_GROUP]->(g) }
			WITH collect(g) AS empty, collect(g.id) AS ids
			FOREACH (x IN empty | DETACH DELETE x)
			RETURN ids`, map[string]any{"cases": cases, "persons": nonNil(r.Persons), "signals": nonNil(r.Signals)})
		if err != nil {
			return nil, err
		}
		if len(recs) > 0 {
			ids, err := column(recs[0], "ids")
			if err != nil {
				return nil, err
			}
			r.Groups = strList(ids)
		}
		return r, nil
	}
	var r *Removal
	var err error
	if dry {
		r, err = read(ctx, db, work)
	} else {
		r, err = write(ctx, db, work)
	}
	if err != nil {
		return nil, fmt.Errorf("retention before %s: %w", cutoff.Format(time.DateOnly), err)
	}
	return r, nil
}

// RetentionEntries are the access log entries of a removal.
func RetentionEntries(r *Removal, at time.Time) []*casus.AuditEntry {
	var objects []string
	for _, id := range r.Cases {
		objects = append(objects, "Case:"+id)
	}
	for _, id := range r.Persons {
		objects = append(objects, "Person:"+id)
	}
	for _, id := range r.Signals {
		objects = append(objects, "Signal:"+id)
	}
	for _, id := range r.Groups {
		objects = append(objects, "Group:"+id)
	}
	return SystemEntries(casus.AuditDelete, "retention", objects, at)
}

// SystemEntries are the access log entries of work done by casusnet itself
// (retention, import) on objects: action, at most 200 objects each.
func SystemEntries(action, operation string, objects []string, at time.Time) []*casus.AuditEntry {
	var out []*casus.AuditEntry
	for start := 0; start < len(objects); start += 200 {
		out = append(out, &casus.AuditEntry{At: at, Action: action, Outcome: casus.OutcomeSuccess,
			UserID: "system:" + operation, UserName: operation, Role: "SYSTEM", Operation: operation,
			Objects: objects[start:min(start+200, len(objects))]})
	}
	return out
}

// IDs returns the ids (or, for municipalities, codes) of every node with
// the label, for checking references before an import.
func (db *DB) IDs(ctx context.Context, label string) (map[string]bool, error) {
	key := map[string]string{"Person": "id", "Municipality": "code"}[label]
	if key == "" {
		return nil, fmt.Errorf("ids of %s: not a label to list", label)
	}
	ids, err := read(ctx, db, func(tx txRunner) ([]string, error) {
		recs, err := db.collect(ctx, tx, fmt.Sprintf("MATCH (n:%s) RETURN collect(n.%s) AS ids", label, key), nil)
		if err != nil {
			return nil, err
		}
		ids, err := only(recs, "ids")
		return strList(ids), err
	})
	if err != nil {
		return nil, fmt.Errorf("ids of %s: %w", label, err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
