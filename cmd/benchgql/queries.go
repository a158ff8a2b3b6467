package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// query is one of the four, done three ways, each answer normalised so
// that the three can be compared.
type query struct {
	name     string
	write    bool
	casusnet func(ctx context.Context, b *bench, i int) (any, error)
	library  func(ctx context.Context, b *bench, i int) (any, error)
	floor    func(ctx context.Context, b *bench, i int) (any, error)
}

// The normalised answers.
type (
	casePage  []pagedCase
	pagedCase struct {
		ID, Municipality, Director string
		Subjects                   []string
		Interventions              []string // id offering provider
	}
	caseNetwork []subjectTies // per subject, ordered by id
	subjectTies struct {
		ID                 string
		Relatives, Contact []string
	}
	personIDs []string
)

var queries = []query{
	{name: "1. page of 20 cases, three levels", casusnet: casesCasusnet, library: casesLibrary, floor: casesFloor},
	{name: "2. one case, subjects' relatives and contacts", casusnet: caseCasusnet, library: caseLibrary, floor: caseFloor},
	{name: "3. person search by name prefix, first 20", casusnet: personsCasusnet, library: personsLibrary, floor: personsFloor},
	{name: "4. submit a signal (write)", write: true, casusnet: signalCasusnet, library: signalLibrary, floor: signalFloor},
	{name: "5. submit a signal about a person (write)", write: true, casusnet: aboutCasusnet, library: aboutLibrary, floor: aboutFloor},
}

// rawID turns casusnet's global id (base64 of Kind:key) into the key.
func rawID(id string) string {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return id
	}
	_, key, _ := strings.Cut(string(b), ":")
	return key
}

func sorted(xs []string) []string {
	if xs == nil {
		xs = []string{}
	}
	slices.Sort(xs)
	return xs
}

// --- 1. A page of 20 cases ---

const casesGQL = `{ cases(first: 20, orderBy: OPENED_AT_DESC) { edges { node { id reference openedAt municipality { code name }
  director { id name } subjects { id fullName } interventions { id status offering { name provider { name } } } } } } }`

func casesCasusnet(ctx context.Context, b *bench, _ int) (any, error) {
	var out struct {
		Cases struct {
			Edges []struct {
				Node struct {
					ID            string
					Municipality  struct{ Code string }
					Director      *struct{ ID string }
					Subjects      []struct{ ID string }
					Interventions []struct {
						ID       string
						Offering struct {
							Name     string
							Provider struct{ Name string }
						}
					}
				}
			}
		}
	}
	if err := b.casusnet.Do(ctx, casesGQL, nil, &out); err != nil {
		return nil, err
	}
	page := casePage{}
	for _, e := range out.Cases.Edges {
		c := pagedCase{ID: rawID(e.Node.ID), Municipality: e.Node.Municipality.Code}
		if e.Node.Director != nil {
			c.Director = rawID(e.Node.Director.ID)
		}
		for _, s := range e.Node.Subjects {
			c.Subjects = append(c.Subjects, rawID(s.ID))
		}
		for _, i := range e.Node.Interventions {
			c.Interventions = append(c.Interventions, rawID(i.ID)+" "+i.Offering.Name+" "+i.Offering.Provider.Name)
		}
		c.Subjects, c.Interventions = sorted(c.Subjects), sorted(c.Interventions)
		page = append(page, c)
	}
	return page, nil
}

const casesLibraryGQL = `{ cases(sort: [{openedAt: DESC}, {id: DESC}], limit: 20) { id reference openedAt municipality { code name }
  director { id name } subjects { id firstName lastName } interventions { id status offering { name provider { name } } } } }`

func casesLibrary(ctx context.Context, b *bench, _ int) (any, error) {
	var out struct {
		Cases []struct {
			ID            string
			Municipality  struct{ Code string }
			Director      *struct{ ID string }
			Subjects      []struct{ ID string }
			Interventions []struct {
				ID       string
				Offering struct {
					Name     string
					Provider struct{ Name string }
				}
			}
		}
	}
	if err := b.library.Do(ctx, casesLibraryGQL, nil, &out); err != nil {
		return nil, err
	}
	page := casePage{}
	for _, n := range out.Cases {
		c := pagedCase{ID: n.ID, Municipality: n.Municipality.Code}
		if n.Director != nil {
			c.Director = n.Director.ID
		}
		for _, s := range n.Subjects {
			c.Subjects = append(c.Subjects, s.ID)
		}
		for _, i := range n.Interventions {
			c.Interventions = append(c.Interventions, i.ID+" "+i.Offering.Name+" "+i.Offering.Provider.Name)
		}
		c.Subjects, c.Interventions = sorted(c.Subjects), sorted(c.Interventions)
		page = append(page, c)
	}
	return page, nil
}

// casesCypher is what an engineer would write by hand for query 1: one
// statement, nested results by pattern comprehensions.
const casesCypher = `
MATCH (c:Case)
WITH c ORDER BY c.openedAt DESC, c.id DESC LIMIT 20
MATCH (c)-[:IN]->(m:Municipality)
OPTIONAL MATCH (d:Director)-[:DIRECTS]->(c)
RETURN c.id AS id, c.reference AS reference, c.openedAt AS openedAt, m.code AS municipality, m.name AS municipalityName,
  d.id AS director, d.name AS directorName,
  [(c)-[:CONCERNS]->(p:Person) | p {.id, .firstName, .lastName}] AS subjects,
  [(c)-[:HAS]->(i:Intervention)-[:OF]->(f:InterventionOffering)<-[:OFFERS]-(o:Organisation) |
     i {.id, .status, offering: f.name, provider: o.name}] AS interventions`

func casesFloor(ctx context.Context, b *bench, _ int) (any, error) {
	res, err := neo4j.ExecuteQuery(ctx, b.driver, casesCypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, err
	}
	page := casePage{}
	for _, r := range res.Records {
		m := r.AsMap()
		c := pagedCase{ID: m["id"].(string), Municipality: m["municipality"].(string)}
		if d, ok := m["director"].(string); ok {
			c.Director = d
		}
		for _, s := range m["subjects"].([]any) {
			c.Subjects = append(c.Subjects, s.(map[string]any)["id"].(string))
		}
		for _, x := range m["interventions"].([]any) {
			i := x.(map[string]any)
			c.Interventions = append(c.Interventions, fmt.Sprint(i["id"], " ", i["offering"], " ", i["provider"]))
		}
		c.Subjects, c.Interventions = sorted(c.Subjects), sorted(c.Interventions)
		page = append(page, c)
	}
	return page, nil
}

// --- 2. One case with its subjects' relatives and contacts ---

const caseGQL = `query($id: ID!) { case(id: $id) { id reference subjects { id fullName
  relatives { kind person { id fullName } } contacts { network role from { id fullName } to { id fullName } } } } }`

func (b *bench) caseID(i int) string { return b.caseIDs[i%len(b.caseIDs)] }

func caseCasusnet(ctx context.Context, b *bench, i int) (any, error) {
	id := b.caseID(i)
	var out struct {
		Case struct {
			Subjects []struct {
				ID        string
				Relatives []struct{ Person struct{ ID string } }
				Contacts  []struct{ From, To struct{ ID string } }
			}
		}
	}
	gid := base64.RawURLEncoding.EncodeToString([]byte("Case:" + id))
	if err := b.casusnet.Do(ctx, caseGQL, map[string]any{"id": gid}, &out); err != nil {
		return nil, err
	}
	n := caseNetwork{}
	for _, s := range out.Case.Subjects {
		t := subjectTies{ID: rawID(s.ID)}
		for _, r := range s.Relatives {
			t.Relatives = append(t.Relatives, rawID(r.Person.ID))
		}
		for _, c := range s.Contacts {
			other := c.From.ID
			if other == s.ID {
				other = c.To.ID
			}
			t.Contact = append(t.Contact, rawID(other))
		}
		t.Relatives, t.Contact = sorted(t.Relatives), sorted(t.Contact)
		n = append(n, t)
	}
	slices.SortFunc(n, func(a, b subjectTies) int { return strings.Compare(a.ID, b.ID) })
	return n, nil
}

const caseLibraryGQL = `query($id: ID!) { cases(where: {id: {eq: $id}}) { id reference subjects { id firstName lastName
  relatives { id firstName lastName } contacts { id firstName lastName } } } }`

func caseLibrary(ctx context.Context, b *bench, i int) (any, error) {
	var out struct {
		Cases []struct {
			Subjects []struct {
				ID        string
				Relatives []struct{ ID string }
				Contacts  []struct{ ID string }
			}
		}
	}
	if err := b.library.Do(ctx, caseLibraryGQL, map[string]any{"id": b.caseID(i)}, &out); err != nil {
		return nil, err
	}
	n := caseNetwork{}
	if len(out.Cases) != 1 {
		return nil, fmt.Errorf("%d cases with id %s", len(out.Cases), b.caseID(i))
	}
	for _, s := range out.Cases[0].Subjects {
		t := subjectTies{ID: s.ID}
		for _, r := range s.Relatives {
			t.Relatives = append(t.Relatives, r.ID)
		}
		for _, c := range s.Contacts {
			t.Contact = append(t.Contact, c.ID)
		}
		t.Relatives, t.Contact = sorted(t.Relatives), sorted(t.Contact)
		n = append(n, t)
	}
	slices.SortFunc(n, func(a, b subjectTies) int { return strings.Compare(a.ID, b.ID) })
	return n, nil
}

const caseCypher = `
MATCH (c:Case {id: $id})
RETURN c.id AS id, c.reference AS reference,
  [(c)-[:CONCERNS]->(p:Person) | p {.id, .firstName, .lastName,
     relatives: [(p)-[r:RELATIVE]-(x:Person) | x {.id, .firstName, .lastName, kind: r.kind}],
     contacts: [(p)-[k:CONTACT]-(y:Person) | y {.id, .firstName, .lastName, network: k.network, role: k.role}]}] AS subjects`

func caseFloor(ctx context.Context, b *bench, i int) (any, error) {
	res, err := neo4j.ExecuteQuery(ctx, b.driver, caseCypher, map[string]any{"id": b.caseID(i)}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, err
	}
	if len(res.Records) != 1 {
		return nil, fmt.Errorf("%d cases with id %s", len(res.Records), b.caseID(i))
	}
	n := caseNetwork{}
	subjects, _ := res.Records[0].Get("subjects")
	for _, x := range subjects.([]any) {
		s := x.(map[string]any)
		t := subjectTies{ID: s["id"].(string)}
		for _, r := range s["relatives"].([]any) {
			t.Relatives = append(t.Relatives, r.(map[string]any)["id"].(string))
		}
		for _, c := range s["contacts"].([]any) {
			t.Contact = append(t.Contact, c.(map[string]any)["id"].(string))
		}
		t.Relatives, t.Contact = sorted(t.Relatives), sorted(t.Contact)
		n = append(n, t)
	}
	slices.SortFunc(n, func(a, b subjectTies) int { return strings.Compare(a.ID, b.ID) })
	return n, nil
}

// --- 3. Person search by name prefix ---

func (b *bench) prefix(i int) string { return b.prefixes[i%len(b.prefixes)] }

const personsGQL = `query($p: String!) { persons(first: 20, filter: {name: $p}) { edges { node { id firstName lastName } } } }`

func personsCasusnet(ctx context.Context, b *bench, i int) (any, error) {
	var out struct {
		Persons struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	if err := b.casusnet.Do(ctx, personsGQL, map[string]any{"p": b.prefix(i)}, &out); err != nil {
		return nil, err
	}
	ids := personIDs{}
	for _, e := range out.Persons.Edges {
		ids = append(ids, rawID(e.Node.ID))
	}
	return ids, nil
}

const personsLibraryGQL = `query($p: String!) { people(where: {OR: [{lastName: {caseInsensitive: {startsWith: $p}}}, {firstName: {caseInsensitive: {startsWith: $p}}}]},
  sort: [{lastName: ASC}, {firstName: ASC}, {id: ASC}], limit: 20) { id firstName lastName } }`

func personsLibrary(ctx context.Context, b *bench, i int) (any, error) {
	var out struct{ People []struct{ ID string } }
	if err := b.library.Do(ctx, personsLibraryGQL, map[string]any{"p": b.prefix(i)}, &out); err != nil {
		return nil, err
	}
	ids := personIDs{}
	for _, p := range out.People {
		ids = append(ids, p.ID)
	}
	return ids, nil
}

// personsCypher searches as casusnet does, through its index of names:
// every word of the prefix begins a word of a first name, last name or
// alias.
const personsCypher = `
CALL db.index.fulltext.queryNodes('person_names', $p + '*') YIELD node AS p
RETURN p.id AS id, p.firstName AS firstName, p.lastName AS lastName
ORDER BY p.lastName, coalesce(p.firstName, ''), p.id LIMIT 20`

func personsFloor(ctx context.Context, b *bench, i int) (any, error) {
	res, err := neo4j.ExecuteQuery(ctx, b.driver, personsCypher, map[string]any{"p": b.prefix(i)}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, err
	}
	ids := personIDs{}
	for _, r := range res.Records {
		id, _ := r.Get("id")
		ids = append(ids, id.(string))
	}
	return ids, nil
}

// --- 4. Submit a signal ---

const signalGQL = `mutation($in: SubmitSignalInput!) { submitSignal(input: $in) { signal { id status receivedAt } } }`

func signalCasusnet(ctx context.Context, b *bench, i int) (any, error) {
	n := b.signals.Add(1)
	return nil, b.casusnet.Do(ctx, signalGQL, map[string]any{"in": map[string]any{
		"municipality": "GM0362", "description": fmt.Sprintf("Benchmark signal %d", n), "indicators": []string{"ONLINE_PROPAGANDA"},
		"idempotencyKey": fmt.Sprintf("bench-%s-%d-%d", b.run, i, n)}}, nil)
}

const signalLibraryGQL = `mutation($id: ID!, $d: String!) { createSignals(input: [{id: $id, description: $d, indicators: ["ONLINE_PROPAGANDA"],
  status: "NEW", reporterId: "bench-coordinator", reporterName: "Bench",
  municipality: {connect: [{where: {node: {code: {eq: "GM0362"}}}}]}}]) { signals { id status receivedAt } } }`

func signalLibrary(ctx context.Context, b *bench, i int) (any, error) {
	n := b.signals.Add(1)
	return nil, b.library.Do(ctx, signalLibraryGQL, map[string]any{"id": fmt.Sprintf("bench-lib-%s-%d-%d", b.run, i, n), "d": fmt.Sprintf("Benchmark signal %d", n)}, nil)
}

const signalCypher = `
MATCH (m:Municipality {code: $municipality})
CREATE (s:Signal {id: randomUUID(), reporterId: $reporter, reporterName: $name, description: $description,
  indicators: $indicators, receivedAt: datetime(), status: 'NEW', municipality: m.code})
RETURN s.id AS id, s.status AS status, s.receivedAt AS receivedAt`

func signalFloor(ctx context.Context, b *bench, _ int) (any, error) {
	n := b.signals.Add(1)
	_, err := neo4j.ExecuteQuery(ctx, b.driver, signalCypher, map[string]any{"municipality": "GM0362", "reporter": "bench-coordinator",
		"name": "Bench", "description": fmt.Sprintf("Benchmark signal %d", n), "indicators": []string{"ONLINE_PROPAGANDA"}}, neo4j.EagerResultTransformer)
	return nil, err
}

// --- 5. Submit a signal about a person ---
//
// As 4, about one person drawn from a thousand. casusnet also writes the
// alert for the person's watchers to the person event log, which is gapless
// and in commit order, and so takes the log's lock until the commit: this
// query shows what that costs.

const aboutGQL = `mutation($in: SubmitSignalInput!) { submitSignal(input: $in) { signal { id status receivedAt } } }`

func aboutCasusnet(ctx context.Context, b *bench, i int) (any, error) {
	n := b.signals.Add(1)
	return nil, b.casusnet.Do(ctx, aboutGQL, map[string]any{"in": map[string]any{
		"municipality": "GM0362", "description": fmt.Sprintf("Benchmark signal %d", n), "indicators": []string{"ONLINE_PROPAGANDA"},
		"about":          []string{base64.RawURLEncoding.EncodeToString([]byte("Person:" + b.person(n)))},
		"idempotencyKey": fmt.Sprintf("bench-%s-%d-%d", b.run, i, n)}}, nil)
}

const aboutLibraryGQL = `mutation($id: ID!, $d: String!, $p: ID!) { createSignals(input: [{id: $id, description: $d, indicators: ["ONLINE_PROPAGANDA"],
  status: "NEW", reporterId: "bench-coordinator", reporterName: "Bench",
  municipality: {connect: [{where: {node: {code: {eq: "GM0362"}}}}]},
  about: {connect: [{where: {node: {id: {eq: $p}}}}]}}]) { signals { id status receivedAt } } }`

func aboutLibrary(ctx context.Context, b *bench, i int) (any, error) {
	n := b.signals.Add(1)
	return nil, b.library.Do(ctx, aboutLibraryGQL, map[string]any{"id": fmt.Sprintf("bench-lib-%s-%d-%d", b.run, i, n),
		"d": fmt.Sprintf("Benchmark signal %d", n), "p": b.person(n)}, nil)
}

const aboutCypher = `
MATCH (m:Municipality {code: $municipality}), (p:Person {id: $person})
CREATE (s:Signal {id: randomUUID(), reporterId: $reporter, reporterName: $name, description: $description,
  indicators: $indicators, receivedAt: datetime(), status: 'NEW', municipality: m.code})-[:ABOUT]->(p)
RETURN s.id AS id, s.status AS status, s.receivedAt AS receivedAt`

func aboutFloor(ctx context.Context, b *bench, _ int) (any, error) {
	n := b.signals.Add(1)
	_, err := neo4j.ExecuteQuery(ctx, b.driver, aboutCypher, map[string]any{"municipality": "GM0362", "person": b.person(n), "reporter": "bench-coordinator",
		"name": "Bench", "description": fmt.Sprintf("Benchmark signal %d", n), "indicators": []string{"ONLINE_PROPAGANDA"}}, neo4j.EagerResultTransformer)
	return nil, err
}
