package neo4j

import (
	"context"
	"fmt"

	"casusnet/internal/casus"
)

// MergePersons folds the merged record into the kept one in one
// transaction: every tie of the merged record (family, contacts, groups,
// cases, signals) moves to the kept one, except ties between the two and
// structural ties the kept one already has; the merged names become
// aliases; a MergedPerson node remembers the merged id, who merged and why;
// the merged record is deleted.
func (s *PersonService) MergePersons(ctx context.Context, in casus.MergePersonsInput) (*casus.Person, error) {
	sc, err := permitted(ctx, casus.ActMergePersons, &in)
	if err != nil {
		return nil, err
	}
	p, err := write(ctx, s.db, func(tx txRunner) (*casus.Person, error) {
		recs, err := s.db.collect(ctx, tx, `
			UNWIND [$keep, $merge] AS id
			MATCH (p:Person {id: id}) WHERE `+sc.persons("p")+`
			SET p._lock = true REMOVE p._lock
			RETURN p.id AS id, p.version AS version`, sc.params(map[string]any{"keep": in.KeepID, "merge": in.MergeID}))
		if err != nil {
			return nil, err
		}
		if len(recs) != 2 {
			return nil, casus.Errorf(casus.ENOTFOUND, "person not found")
		}
		for _, r := range recs {
			id, version, err := idAnd(r, "version")
			if err != nil {
				return nil, err
			}
			if v := int(max(num(version), 1)); id == in.KeepID && in.ExpectedVersion != nil && *in.ExpectedVersion != v {
				return nil, casus.Errorf(casus.ECONFLICT, "the person changed since you read it (version %d, you had %d); reload and try again", v, *in.ExpectedVersion)
			}
		}
		actor, _ := casus.ActorFrom(ctx)
		_, err = s.db.collect(ctx, tx, `
			MATCH (k:Person {id: $keep}), (m:Person {id: $merge})
			CALL (k, m) {
				MATCH (m)-[r]->(x) WHERE x <> k
				  AND NOT (type(r) IN $single AND EXISTS { (k)-[o]->(x) WHERE type(o) = type(r) })
				  AND NOT (type(r) = 'LIVES_IN' AND EXISTS { (k)-[:LIVES_IN]->() })
				CREATE (k)-[n:$(type(r))]->(x) SET n = properties(r)
				DELETE r
			}
			CALL (k, m) {
				MATCH (x)-[r]->(m) WHERE x <> k
				  AND NOT (type(r) IN $single AND EXISTS { (x)-[o]->(k) WHERE type(o) = type(r) })
				CREATE (x)-[n:$(type(r))]->(k) SET n = properties(r)
				DELETE r
			}
			WITH k, m, [m.firstName + ' ' + m.lastName] + coalesce(m.aliases, []) AS names
			SET k.aliases = reduce(a = coalesce(k.aliases, []), n IN names |
					CASE WHEN n IN a OR n = k.firstName + ' ' + k.lastName THEN a ELSE a + n END),
				k.birthDate = coalesce(k.birthDate, m.birthDate),
				k.notes = CASE WHEN coalesce(m.notes, '') = '' THEN k.notes
					ELSE trim(coalesce(k.notes, '') + '\n' + m.notes) END,
				k.version = coalesce(k.version, 1) + 1, k.updatedAt = $now
			CREATE (:MergedPerson {id: m.id, into: k.id, at: $now, byId: $actorId, byName: $actorName, reason: $reason})
			DETACH DELETE m`,
			map[string]any{"keep": in.KeepID, "merge": in.MergeID, "now": s.db.now(), "reason": in.Reason,
				"actorId": actor.ID, "actorName": actor.Name,
				// Ties of which one is enough: a second one says nothing new.
				"single": []string{"IN_GROUP", "CONCERNS", "RELATIVE", "LIVES_IN", "ABOUT"}})
		if err != nil {
			return nil, err
		}
		return s.db.personInTx(ctx, tx, in.KeepID)
	})
	if err != nil {
		return nil, fmt.Errorf("merge person %s into %s: %w", in.MergeID, in.KeepID, err)
	}
	return p, nil
}
