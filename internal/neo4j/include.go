package neo4j

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"casusnet/internal/casus"
)

// A read of cases can bring along, in the same statement, the objects around
// them that the request's selection reaches (casus.CaseInclude): the graph
// layer says what the selection asks for, and one statement per root field
// reads exactly that, with the caller's scope predicates inside it.

// CaseWith returns the case with id and, in the same statement, what
// include names around it; or NOT_FOUND.
func (s *CaseService) CaseWith(ctx context.Context, id string, include casus.CaseInclude) (*casus.Case, *casus.CaseRelated, error) {
	if include == (casus.CaseInclude{}) {
		c, err := s.Case(ctx, id)
		return c, nil, err
	}
	sc, err := scopeOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	related := newRelatedRows(include)
	c, err := read(ctx, s.db, func(tx txRunner) (*casus.Case, error) {
		row, err := s.db.caseRow(ctx, tx, sc, id, includeProjection(sc, include))
		if err != nil {
			return nil, err
		}
		if row, err = related.add(row); err != nil {
			return nil, err
		}
		return decodeCase(row)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read case %s: %w", id, err)
	}
	return c, &related.CaseRelated, nil
}

// includeProjection returns the projection of a case bound to c with the
// objects around it that include names: one statement reads a whole page
// of cases with them, where loading them kind by kind costs a round trip
// each, and rounds in sequence where one kind leads to the next.
func includeProjection(sc scope, include casus.CaseInclude) string {
	parts := []string{"case: " + caseProjection}
	if include.Municipality {
		parts = append(parts, "municipality: [(c)-[:IN]->(m:Municipality) | "+municipalityProjection+"][0]")
	}
	if include.Director {
		parts = append(parts, "director: [(d:Director)-[:DIRECTS]->(c) | "+directorProjectionOf(sc, include.OpenCases)+"][0]")
	}
	if include.DirectorOrganisation {
		parts = append(parts, "employer: [(ed:Director)-[:DIRECTS]->(c) | [(ed)-[:EMPLOYED_BY]->(o:Organisation) | "+organisationProjection+"][0]][0]")
	}
	if include.Subjects {
		// A subject's ties are read as RelativesOf and ContactsOf read them.
		subject := []string{"person: " + personProjection}
		var ties []string
		if include.Relatives {
			subject = append(subject, "relatives: COLLECT { MATCH (p)-[r:RELATIVE]-(x:Person) WITH r, x, startNode(r) = p AS outgoing"+
				" ORDER BY x.lastName, x.firstName, x.id RETURN "+relativeRow+" }")
			ties = append(ties, "RELATIVE")
		}
		if include.Contacts {
			subject = append(subject, "contacts: COLLECT { MATCH (p)-[r:CONTACT]-(:Person) WITH r ORDER BY r.network, r.role, r.since RETURN "+
				contactProjection+" }")
			ties = append(ties, "CONTACT")
		}
		parts = append(parts, "subjects: [(c)-[:CONCERNS]->(p:Person) WHERE "+sc.persons("p")+" | {"+strings.Join(subject, ", ")+"}]")
		if include.Ties && ties != nil {
			parts = append(parts, "ties: COLLECT { MATCH (c)-[:CONCERNS]->(s:Person)-[:"+strings.Join(ties, "|")+"]-(p:Person) WHERE "+
				sc.persons("s")+" AND "+sc.persons("p")+" RETURN DISTINCT "+personProjection+" }")
		}
	}
	if include.Interventions {
		parts = append(parts, "interventions: COLLECT { MATCH (c)-[:HAS]->(i:Intervention) WHERE "+sc.interventions("i")+
			" WITH i ORDER BY i.proposedAt, i.id RETURN "+interventionProjectionOf(include.SubjectNames)+" }")
	}
	if include.Offerings {
		parts = append(parts, "offerings: COLLECT { MATCH (c)-[:HAS]->(i:Intervention)-[:OF]->(f:InterventionOffering) WHERE "+
			sc.interventions("i")+" RETURN DISTINCT "+offeringProjection+" }")
	}
	if include.Providers {
		parts = append(parts, "providers: COLLECT { MATCH (c)-[:HAS]->(i:Intervention)-[:OF]->(:InterventionOffering)<-[:OFFERS]-(o:Organisation) WHERE "+
			sc.interventions("i")+" RETURN DISTINCT "+organisationProjection+" }")
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// relatedRows gathers the objects around the cases of a page.
type relatedRows struct {
	casus.CaseRelated
	seen map[string]bool // kind and id of what is gathered
}

// newRelatedRows returns an empty gathering of what include asks for: what
// it asks for is never nil, so that missing means out of reach, not unasked.
func newRelatedRows(include casus.CaseInclude) *relatedRows {
	r := &relatedRows{seen: map[string]bool{}}
	r.Include = include
	if include.Municipality {
		r.Municipalities = []*casus.Municipality{}
	}
	if include.Director {
		r.Directors = []*casus.Director{}
	}
	if include.DirectorOrganisation || include.Providers {
		r.Organisations = []*casus.Organisation{}
	}
	if include.Subjects {
		r.Persons = []*casus.Person{}
	}
	if include.Interventions {
		r.Interventions = map[string][]*casus.Intervention{}
	}
	if include.Offerings {
		r.Offerings = []*casus.Offering{}
	}
	if include.Subjects && include.Relatives {
		r.Relatives = map[string][]casus.Relative{}
	}
	if include.Subjects && include.Contacts {
		r.Contacts = map[string][]*casus.Contact{}
	}
	return r
}

// add gathers the objects around one case row and returns the case.
func (r *relatedRows) add(row any) (any, error) {
	m, err := asMap("case with related objects", row)
	if err != nil {
		return nil, err
	}
	one := func(v any) []any {
		if v == nil {
			return nil
		}
		return []any{v}
	}
	err = errors.Join(
		gather(r, &r.Municipalities, one(m["municipality"]), decodeMunicipality, func(x *casus.Municipality) string { return "m:" + x.Code }),
		gather(r, &r.Directors, one(m["director"]), decodeDirector, func(x *casus.Director) string { return "d:" + x.ID }),
		gather(r, &r.Organisations, append(list(m["providers"]), one(m["employer"])...), decodeOrganisation, func(x *casus.Organisation) string { return "o:" + x.ID }),
		gather(r, &r.Persons, list(m["ties"]), decodePerson, func(x *casus.Person) string { return "p:" + x.ID }),
		gather(r, &r.Offerings, list(m["offerings"]), decodeOffering, func(x *casus.Offering) string { return "f:" + x.ID }),
	)
	if err != nil {
		return nil, err
	}
	for _, v := range list(m["subjects"]) {
		if err := r.addSubject(v); err != nil {
			return nil, err
		}
	}
	if v, ok := m["interventions"]; ok {
		var ivs []*casus.Intervention
		for _, v := range list(v) {
			x, err := decodeIntervention(v)
			if err != nil {
				return nil, err
			}
			ivs = append(ivs, x)
		}
		c, _ := m["case"].(map[string]any)
		r.Interventions[str(c["id"])] = ivs
	}
	return m["case"], nil
}

// addSubject gathers a subject and its ties.
func (r *relatedRows) addSubject(v any) error {
	m, err := asMap("subject", v)
	if err != nil {
		return err
	}
	var p *casus.Person
	if err := gather(r, &r.Persons, []any{m["person"]}, decodePerson, func(x *casus.Person) string { p = x; return "p:" + x.ID }); err != nil {
		return err
	}
	if r.Relatives != nil {
		rels := []casus.Relative{}
		for _, v := range list(m["relatives"]) {
			x, err := decodeRelative(v)
			if err != nil {
				return err
			}
			rels = append(rels, *x)
		}
		r.Relatives[p.ID] = rels
	}
	if r.Contacts != nil {
		contacts := []*casus.Contact{}
		for _, v := range list(m["contacts"]) {
			x, err := decodeContact(v)
			if err != nil {
				return err
			}
			contacts = append(contacts, x)
		}
		r.Contacts[p.ID] = contacts
	}
	return nil
}

// gather decodes vs and adds to out those not gathered before.
func gather[T any](r *relatedRows, out *[]*T, vs []any, decode func(any) (*T, error), key func(*T) string) error {
	for _, v := range vs {
		x, err := decode(v)
		if err != nil {
			return err
		}
		if k := key(x); !r.seen[k] {
			r.seen[k] = true
			*out = append(*out, x)
		}
	}
	return nil
}
