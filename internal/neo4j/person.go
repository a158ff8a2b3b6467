package neo4j

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"casusnet/internal/casus"
)

// PersonService is casus.PersonService on Neo4j.
type PersonService struct {
	db *DB
}

var _ casus.PersonService = (*PersonService)(nil)

// NewPersonService returns a PersonService on db.
func NewPersonService(db *DB) *PersonService { return &PersonService{db: db} }

const personProjection = `p {.id, .firstName, .lastName, .aliases, .birthDate, .notes, .version, .createdAt, .updatedAt,
	municipality: [(p)-[:LIVES_IN]->(m:Municipality) | m.code][0]
}`

func decodePerson(v any) (*casus.Person, error) {
	m, err := asMap("person", v)
	if err != nil {
		return nil, err
	}
	return &casus.Person{
		ID: str(m["id"]), FirstName: str(m["firstName"]), LastName: str(m["lastName"]),
		Aliases: strList(m["aliases"]), BirthDate: datePtr(m["birthDate"]), MunicipalityCode: str(m["municipality"]),
		Notes: str(m["notes"]), Version: int(max(num(m["version"]), 1)), CreatedAt: tm(m["createdAt"]), UpdatedAt: tm(m["updatedAt"]),
	}, nil
}

// Person returns the person with id, or NOT_FOUND.
func (s *PersonService) Person(ctx context.Context, id string) (*casus.Person, error) {
	ps, err := s.PersonsByID(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if ps[0] == nil {
		return nil, casus.Errorf(casus.ENOTFOUND, "person not found")
	}
	return ps[0], nil
}

// PersonsByID returns the persons with ids, in order, nil for unknown ids.
func (s *PersonService) PersonsByID(ctx context.Context, ids []string) ([]*casus.Person, error) {
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return byID(ctx, s.db, "persons", ids,
		`MATCH (p:Person) WHERE p.id IN $ids AND `+sc.persons("p")+` RETURN p.id AS id, `+personProjection+` AS row`, sc.params(nil), decodePerson)
}

// Persons returns a page of persons ordered by last name, first name and id.
func (s *PersonService) Persons(ctx context.Context, filter casus.PersonFilter, page casus.Page) (*casus.PersonPage, error) {
	if len(filter.Name) > casus.MaxName {
		return nil, casus.Invalid("filter.name", "longer than %d characters", casus.MaxName)
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	q := listQuery{
		match: "MATCH (p:Person)",
		where: []string{
			"($municipality = '' OR EXISTS { (p)-[:LIVES_IN]->(:Municipality {code: $municipality}) })",
			sc.persons("p"),
		},
		params:  sc.params(map[string]any{"municipality": filter.MunicipalityCode}),
		keys:    []string{"p.lastName", "coalesce(p.firstName, '')", "p.id"},
		project: personProjection,
	}
	if search := nameSearch(filter.Name); search != "" {
		q.match = "CALL db.index.fulltext.queryNodes('person_names', $search) YIELD node AS p"
		q.params["search"] = search
	}
	res, err := s.db.list(ctx, q, page)
	if err != nil {
		return nil, fmt.Errorf("list persons: %w", err)
	}
	out := &casus.PersonPage{TotalCount: res.total, HasNextPage: res.hasNextPage, HasPreviousPage: res.hasPreviousPage}
	for i, row := range res.rows {
		p, err := decodePerson(row)
		if err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, casus.PersonEdge{Cursor: res.cursors[i], Person: p})
	}
	return out, nil
}

// nameSearch is the query of the person_names index that finds persons
// by a name as someone types it: every word of it begins a word of the
// first name, last name or an alias ("kar ben" finds Karim Benali, "jong"
// finds Zoë de Jong), in any case and with or without diacritics. It is ""
// for a name without words.
func nameSearch(name string) string {
	folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), strings.ToLower(name))
	if err != nil {
		folded = strings.ToLower(name)
	}
	words := strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
	for i, w := range words {
		words[i] = w + "*" // letters, digits and apostrophes: nothing Lucene reads as syntax
	}
	return strings.Join(words, " AND ")
}

// missingPersons returns the ids among ids that are no person the scope
// sees, in tx.
func (db *DB) missingPersons(ctx context.Context, tx runner, sc scope, ids []string) ([]string, error) {
	recs, err := db.collect(ctx, tx, `
		UNWIND $ids AS id
		OPTIONAL MATCH (p:Person {id: id}) WHERE `+sc.persons("p")+`
		WITH id, p WHERE p IS NULL
		RETURN collect(id) AS missing`, sc.params(map[string]any{"ids": nonNil(ids)}))
	if err != nil {
		return nil, err
	}
	missing, err := only(recs, "missing")
	return strList(missing), err
}

// CreatePerson registers a person.
func (s *PersonService) CreatePerson(ctx context.Context, in casus.CreatePersonInput) (*casus.Person, error) {
	if err := casus.Permit(ctx, casus.ActEditNetwork); err != nil {
		return nil, err
	}
	if err := in.Validate(s.db.now()); err != nil {
		return nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := casus.CheckResidence(sc.actor, in.MunicipalityCode); err != nil {
		return nil, err
	}
	key := idempotencyKey(ctx, "createPerson", in.IdempotencyKey)
	p, err := writeOnce(ctx, s.db, key, func(tx txRunner) (*casus.Person, error) {
		if id, err := s.db.createdBefore(ctx, tx, key); err != nil || id != "" {
			if err != nil {
				return nil, err
			}
			// A replay answers with the person as the caller may read them
			// now, not as they were.
			return s.db.personInScope(ctx, tx, sc, id)
		}
		if in.MunicipalityCode != "" {
			if ok, err := s.db.exists(ctx, tx, "MATCH (m:Municipality {code: $id}) RETURN count(m) > 0 AS found", in.MunicipalityCode); err != nil || !ok {
				if err == nil {
					err = casus.Invalid("municipality", "unknown municipality %q", in.MunicipalityCode)
				}
				return nil, err
			}
		}
		id, now := uuid.NewString(), s.db.now()
		if _, err := s.db.collect(ctx, tx, `
			CREATE (p:Person {id: $id, firstName: $firstName, lastName: $lastName, aliases: $aliases,
				birthDate: $birthDate, notes: $notes, version: 1, createdAt: $now, updatedAt: $now, recordedBy: $recordedBy})
			WITH p
			OPTIONAL MATCH (m:Municipality {code: $municipality})
			FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | CREATE (p)-[:LIVES_IN]->(m))`,
			map[string]any{"id": id, "firstName": in.FirstName, "lastName": in.LastName, "aliases": nonNil(in.Aliases),
				"birthDate": datePtrParam(in.BirthDate), "notes": in.Notes, "now": now, "municipality": in.MunicipalityCode,
				"recordedBy": sc.actor.ID}); err != nil {
			return nil, err
		}
		if err := s.db.remember(ctx, tx, key, id); err != nil {
			return nil, err
		}
		return s.db.personInTx(ctx, tx, id)
	})
	if err != nil {
		return nil, fmt.Errorf("create person: %w", err)
	}
	return p, nil
}

// personInScope reads the person with id in tx as the scope may see them,
// NOT_FOUND otherwise.
func (db *DB) personInScope(ctx context.Context, tx runner, sc scope, id string) (*casus.Person, error) {
	ps, err := inTx(ctx, db, tx, []string{id}, `MATCH (p:Person) WHERE p.id IN $ids AND `+sc.persons("p")+` RETURN p.id AS id, `+personProjection+` AS row`,
		sc.params(nil), decodePerson)
	if err != nil {
		return nil, err
	}
	if ps[0] == nil {
		return nil, casus.NotFound("person", "person")
	}
	return ps[0], nil
}

// personInTx reads the person with id in tx, in or out of any scope: only
// for answering a write that has just checked the person is the caller's.
func (db *DB) personInTx(ctx context.Context, tx runner, id string) (*casus.Person, error) {
	ps, err := inTx(ctx, db, tx, []string{id}, `MATCH (p:Person) WHERE p.id IN $ids RETURN p.id AS id, `+personProjection+` AS row`, nil, decodePerson)
	if err != nil {
		return nil, err
	}
	if ps[0] == nil {
		return nil, casus.Errorf(casus.ENOTFOUND, "person not found")
	}
	return ps[0], nil
}

// exists runs a query with $id that returns one boolean, as "found".
func (db *DB) exists(ctx context.Context, tx runner, cypher, id string) (bool, error) {
	recs, err := db.collect(ctx, tx, cypher, map[string]any{"id": id})
	if err != nil {
		return false, err
	}
	found, err := only(recs, "found")
	return boolean(found), err
}

// UpdatePerson changes the given fields of a person.
func (s *PersonService) UpdatePerson(ctx context.Context, in casus.UpdatePersonInput) (*casus.Person, error) {
	sc, err := editScope(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(s.db.now()); err != nil {
		return nil, err
	}
	p, err := write(ctx, s.db, func(tx txRunner) (*casus.Person, error) {
		recs, err := s.db.collect(ctx, tx, `MATCH (p:Person {id: $id}) WHERE `+sc.persons("p")+` SET p._lock = true REMOVE p._lock RETURN p.id`,
			sc.params(map[string]any{"id": in.ID}))
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, casus.Errorf(casus.ENOTFOUND, "person not found")
		}
		cur, err := s.db.personInTx(ctx, tx, in.ID)
		if err != nil {
			return nil, err
		}
		if in.ExpectedVersion != nil && *in.ExpectedVersion != cur.Version {
			return nil, casus.Errorf(casus.ECONFLICT, "the person changed since you read it (version %d, you had %d); reload and try again",
				cur.Version, *in.ExpectedVersion)
		}
		set := map[string]any{}
		if in.FirstName != nil {
			set["firstName"] = *in.FirstName
		}
		if in.LastName != nil {
			set["lastName"] = *in.LastName
		}
		if in.Aliases != nil {
			set["aliases"] = in.Aliases
		}
		if in.BirthDate != nil {
			set["birthDate"] = date(*in.BirthDate)
		}
		if in.ClearBirthDate {
			set["birthDate"] = nil
		}
		if in.Notes != nil {
			set["notes"] = *in.Notes
		}
		muni := ""
		if in.MunicipalityCode != nil {
			rec, err := s.db.collect(ctx, tx, `MATCH (p:Person {id: $id}) RETURN coalesce(p.recordedBy, '') AS recordedBy`, map[string]any{"id": in.ID})
			if err != nil {
				return nil, err
			}
			recordedBy, err := field[string](rec[0], "recordedBy")
			if err != nil {
				return nil, err
			}
			who := casus.Resident{ID: in.ID, Municipality: cur.MunicipalityCode, RecordedBy: recordedBy}
			if err := casus.CheckMove(sc.actor, who, *in.MunicipalityCode); err != nil {
				return nil, err
			}
		}
		if in.MunicipalityCode != nil && *in.MunicipalityCode != "" {
			muni = *in.MunicipalityCode
			if ok, err := s.db.exists(ctx, tx, "MATCH (m:Municipality {code: $id}) RETURN count(m) > 0 AS found", muni); err != nil || !ok {
				if err == nil {
					err = casus.Invalid("municipality", "unknown municipality %q", muni)
				}
				return nil, err
			}
		}
		if _, err := s.db.collect(ctx, tx, `
			MATCH (p:Person {id: $id})
			SET p += $set, p.version = coalesce(p.version, 1) + 1, p.updatedAt = $now
			WITH p
			CALL (p) {
				WITH p WHERE $moveMunicipality
				OPTIONAL MATCH (p)-[old:LIVES_IN]->()
				DELETE old
				WITH DISTINCT p
				MATCH (m:Municipality {code: $municipality})
				CREATE (p)-[:LIVES_IN]->(m)
			}`,
			map[string]any{"id": in.ID, "set": set, "now": s.db.now(),
				"moveMunicipality": in.MunicipalityCode != nil, "municipality": muni}); err != nil {
			return nil, err
		}
		return s.db.personInTx(ctx, tx, in.ID)
	})
	if err != nil {
		return nil, fmt.Errorf("update person %s: %w", in.ID, err)
	}
	return p, nil
}

// datePtrParam returns *t as a Neo4j date, nil for nil.
func datePtrParam(t *time.Time) any {
	if t == nil {
		return nil
	}
	return date(*t)
}

// editScope permits changing persons and their networks, and returns the
// actor's scope: what they may change is what they may see.
func editScope(ctx context.Context) (scope, error) {
	if err := casus.Permit(ctx, casus.ActEditNetwork); err != nil {
		return scope{}, err
	}
	return scopeOf(ctx)
}

// checkPersons answers NOT_FOUND, on the field of the first one missing,
// unless the scope sees both persons: a tie may only be drawn between
// persons the writer can read, or it would open the one to the readers of
// the other.
func (db *DB) checkPersons(ctx context.Context, tx runner, sc scope, anchor, anchorField, other, otherField string) error {
	missing, err := db.missingPersons(ctx, tx, sc, []string{anchor, other})
	switch {
	case err != nil:
		return err
	case len(missing) == 0:
		return nil
	case missing[0] == anchor:
		return casus.NotFound(anchorField, "person")
	}
	return casus.NotFound(otherField, "person")
}
