package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"casusnet/internal/casus"
)

// NetworkService is casus.NetworkService on Neo4j.
//
// Need-to-know holds here as everywhere: a person outside the caller's scope
// that a tie reaches comes back redacted (its id only) and the network does
// not go on through it; a case outside the scope does not appear at all,
// since that a case concerns someone is itself sensitive.
type NetworkService struct{ db *DB }

var _ casus.NetworkService = (*NetworkService)(nil)

// NewNetworkService returns the network service of db.
func NewNetworkService(db *DB) *NetworkService { return &NetworkService{db: db} }

// Each part of the expansion query follows one relation from one kind of
// frontier node and returns the same columns: the frontier node, the tie
// (with outgoing set when the frontier node is the tie's From), and the
// node at the other end with whether the caller may see it.
const (
	tieWindow = `($since IS NULL OR date(r.since) >= $since) AND ($until IS NULL OR date(r.since) <= $until)`
	personEnd = `'PERSON' AS tk, q.id AS t, {visible q} AS visible, q.firstName + ' ' + q.lastName AS label`
)

// expansionPart is one part of the expansion query: it follows ties from
// the frontier nodes of one kind.
type expansionPart struct {
	from   casus.NodeKind
	cypher string
}

// expansionParts returns the parts for the relations asked for. In them,
// {visible q} stands for the scope's person predicate on q and {visible c}
// for its case predicate on c.
func expansionParts(rels []casus.Relation) []expansionPart {
	var parts []expansionPart
	has := func(r casus.Relation) bool { return slices.Contains(rels, r) }
	var ties []string
	for _, r := range casus.PersonRelations {
		if has(r) {
			ties = append(ties, string(r))
		}
	}
	if len(ties) > 0 {
		// Family ties and contacts in one expansion: most ties are these.
		parts = append(parts, expansionPart{casus.NodePerson, `UNWIND $persons AS f MATCH (p:Person {id: f})-[r:` + strings.Join(ties, "|") + `]-(q:Person)
			WHERE (type(r) = 'RELATIVE' OR size($networks) = 0 OR r.network IN $networks) AND ` + tieWindow + `
			RETURN 'PERSON' AS fk, f, type(r) AS rel, coalesce(r.id, elementId(r)) AS rid, startNode(r) = p AS outgoing,
				{kind: coalesce(r.role, r.kind), network: r.network, since: date(r.since), source: r.source, confidence: r.confidence} AS props, ` + personEnd})
	}
	if has(casus.RelMember) {
		parts = append(parts,
			expansionPart{casus.NodePerson, `UNWIND $persons AS f MATCH (p:Person {id: f})-[r:IN_GROUP]->(g:Group)
			RETURN 'PERSON' AS fk, f, 'MEMBER_OF' AS rel, elementId(r) AS rid, true AS outgoing, {} AS props,
				'GROUP' AS tk, g.id AS t, true AS visible, g.name AS label`},
			expansionPart{casus.NodeGroup, `UNWIND $groups AS f MATCH (g:Group {id: f})<-[r:IN_GROUP]-(q:Person)
			RETURN 'GROUP' AS fk, f, 'MEMBER_OF' AS rel, elementId(r) AS rid, false AS outgoing, {} AS props, ` + personEnd})
	}
	if has(casus.RelSubject) {
		parts = append(parts,
			expansionPart{casus.NodePerson, `UNWIND $persons AS f MATCH (p:Person {id: f})<-[r:CONCERNS]-(c:Case) WHERE {visible c}
			RETURN 'PERSON' AS fk, f, 'SUBJECT_OF' AS rel, elementId(r) AS rid, true AS outgoing, {} AS props,
				'CASE' AS tk, c.id AS t, true AS visible, c.reference AS label`},
			expansionPart{casus.NodeGroup, `UNWIND $groups AS f MATCH (g:Group {id: f})<-[r:CONCERNS]-(c:Case) WHERE {visible c}
			RETURN 'GROUP' AS fk, f, 'SUBJECT_OF' AS rel, elementId(r) AS rid, true AS outgoing, {} AS props,
				'CASE' AS tk, c.id AS t, true AS visible, c.reference AS label`},
			expansionPart{casus.NodeCase, `UNWIND $cases AS f MATCH (c:Case {id: f})-[r:CONCERNS]->(q:Person)
			RETURN 'CASE' AS fk, f, 'SUBJECT_OF' AS rel, elementId(r) AS rid, false AS outgoing, {} AS props, ` + personEnd},
			expansionPart{casus.NodeCase, `UNWIND $cases AS f MATCH (c:Case {id: f})-[r:CONCERNS]->(g:Group)
			RETURN 'CASE' AS fk, f, 'SUBJECT_OF' AS rel, elementId(r) AS rid, false AS outgoing, {} AS props,
				'GROUP' AS tk, g.id AS t, true AS visible, g.name AS label`})
	}
	if has(casus.RelPartner) {
		parts = append(parts, expansionPart{casus.NodeCase, `UNWIND $cases AS f
			MATCH (:Case {id: f})-[:HAS]->(:Intervention)-[:OF]->(:InterventionOffering)<-[:OFFERS]-(o:Organisation)
			WITH DISTINCT f, o
			RETURN 'CASE' AS fk, f, 'PARTNER_IN' AS rel, f + '|' + o.id AS rid, false AS outgoing, {} AS props,
				'ORGANISATION' AS tk, o.id AS t, true AS visible, o.name AS label`})
	}
	return parts
}

// query returns the expansion query for the parts that start from kinds
// the frontier has.
func (f *frontier) query(parts []expansionPart, visible *strings.Replacer) string {
	var qs []string
	for _, p := range parts {
		if (p.from == casus.NodePerson && len(f.persons) > 0) || (p.from == casus.NodeGroup && len(f.groups) > 0) ||
			(p.from == casus.NodeCase && len(f.cases) > 0) {
			qs = append(qs, p.cypher)
		}
	}
	return visible.Replace(strings.Join(qs, "\nUNION ALL\n"))
}

// analysisScope returns the scope of an actor who may analyse the network:
// their read scope without the persons whose processing is restricted.
func analysisScope(ctx context.Context) (scope, error) {
	if err := casus.PermitRead(ctx, casus.ReadNetwork); err != nil {
		return scope{}, err
	}
	sc, err := scopeOf(ctx)
	sc.analysis = true
	return sc, err
}

// first checks a result size: 1 to 500, 50 when not given.
func first(n int) (int, error) {
	if n == 0 {
		return 50, nil
	}
	if n < 1 || n > 500 {
		return 0, casus.Invalid("first", "first must be 1 to 500")
	}
	return n, nil
}

// frontier is the nodes of one level to expand, by kind.
type frontier struct{ persons, groups, cases []string }

func (f *frontier) add(n *casus.NetworkNode) {
	switch n.Kind {
	case casus.NodePerson:
		f.persons = append(f.persons, n.ID)
	case casus.NodeGroup:
		f.groups = append(f.groups, n.ID)
	case casus.NodeCase:
		f.cases = append(f.cases, n.ID)
	}
}

func (f *frontier) empty() bool { return len(f.persons)+len(f.groups)+len(f.cases) == 0 }

// Network returns the neighbourhood the query asks for, level by level:
// each level is one query, and the last level is expanded once more only
// for ties among the nodes already found.
func (s *NetworkService) Network(ctx context.Context, q casus.NetworkQuery) (*casus.NetworkGraph, error) {
	if err := casus.PermitRead(ctx, casus.ReadNetwork); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	sc, err := analysisScope(ctx)
	if err != nil {
		return nil, err
	}
	parts := expansionParts(q.Relations)
	visible := strings.NewReplacer("{visible q}", sc.persons("q"), "{visible c}", sc.cases("c"))
	networks := make([]string, len(q.Networks))
	for i, n := range q.Networks {
		networks[i] = string(n)
	}
	g, err := read(ctx, s.db, func(tx txRunner) (*casus.NetworkGraph, error) {
		g := &casus.NetworkGraph{}
		nodes := map[string]*casus.NetworkNode{}
		edges := map[string]bool{}
		// The start persons must be visible: anything else is NOT_FOUND.
		recs, err := s.db.collect(ctx, tx, `
			UNWIND $ids AS id
			OPTIONAL MATCH (q:Person {id: id}) WHERE `+sc.persons("q")+`
			RETURN id, q.firstName + ' ' + q.lastName AS label, q IS NOT NULL AS found`,
			sc.params(map[string]any{"ids": nonNil(q.From)}))
		if err != nil {
			return nil, err
		}
		var next frontier
		for _, r := range recs {
			c, err := columns(r, "id", "label", "found")
			if err != nil {
				return nil, err
			}
			if !boolean(c[2]) {
				return nil, casus.Errorf(casus.ENOTFOUND, "person not found")
			}
			n := &casus.NetworkNode{Kind: casus.NodePerson, ID: str(c[0]), Label: str(c[1])}
			if nodes[n.Key()] == nil {
				nodes[n.Key()] = n
				g.Nodes = append(g.Nodes, n)
				next.add(n)
			}
		}
		if g.PurposeCases, err = s.db.analysisPurpose(ctx, tx, sc, q.Purpose, q.From); err != nil {
			return nil, err
		}
		g.Question = q.Purpose.Question
		for depth := 1; depth <= q.Depth+1 && !next.empty(); depth++ {
			expand := next.query(parts, visible)
			if expand == "" {
				break
			}
			recs, err := s.db.collect(ctx, tx, expand, sc.params(map[string]any{
				"persons": nonNil(next.persons), "groups": nonNil(next.groups), "cases": nonNil(next.cases),
				"networks": networks, "since": datePtrParam(q.Since), "until": datePtrParam(q.Until),
			}))
			if err != nil {
				return nil, err
			}
			next = frontier{}
			for _, r := range recs {
				m := r.AsMap()
				from := casus.NodeRef{Kind: casus.NodeKind(str(m["fk"])), ID: str(m["f"])}
				to := casus.NodeRef{Kind: casus.NodeKind(str(m["tk"])), ID: str(m["t"])}
				if nodes[to.Key()] == nil {
					if depth > q.Depth {
						continue // the extra level only ties nodes already found
					}
					if len(nodes) >= q.Limit {
						g.Truncated = true
						continue
					}
					n := &casus.NetworkNode{Kind: to.Kind, ID: to.ID, Depth: depth, Redacted: !boolean(m["visible"])}
					if !n.Redacted {
						n.Label = str(m["label"])
						if n.Kind != casus.NodeOrganisation {
							next.add(n)
						}
					}
					nodes[n.Key()] = n
					g.Nodes = append(g.Nodes, n)
				}
				e := decodeNetworkEdge(m, from, to)
				if key := string(e.Relation) + "|" + e.ID; !edges[key] {
					edges[key] = true
					g.Edges = append(g.Edges, e)
				}
			}
		}
		return g, s.db.markPersons(ctx, tx, sc, g)
	})
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	return g, nil
}

// decodeNetworkEdge reads the tie of an expansion row found from from to to.
func decodeNetworkEdge(m map[string]any, from, to casus.NodeRef) *casus.NetworkEdge {
	props, _ := m["props"].(map[string]any)
	e := &casus.NetworkEdge{
		ID: str(m["rid"]), Relation: casus.Relation(str(m["rel"])), From: from, To: to,
		Kind: str(props["kind"]), Network: casus.Network(str(props["network"])), Since: datePtr(props["since"]),
		Source: str(props["source"]), Confidence: float(props["confidence"]),
	}
	if !boolean(m["outgoing"]) {
		e.From, e.To = to, from
	}
	return e
}

// ShortestPaths returns every shortest path of person ties from one person
// to another through persons the caller may see, at most maxDepth ties
// long, as person ids; and the persons and ties on them.
func (s *NetworkService) ShortestPaths(ctx context.Context, from, to string, maxDepth int, relations []casus.Relation) ([][]string, *casus.NetworkGraph, error) {
	if err := casus.PermitRead(ctx, casus.ReadNetwork); err != nil {
		return nil, nil, err
	}
	if maxDepth == 0 {
		maxDepth = 6
	}
	if maxDepth < 1 || maxDepth > casus.MaxPathDepth {
		return nil, nil, casus.Invalid("maxDepth", "maxDepth must be 1 to %d", casus.MaxPathDepth)
	}
	if len(relations) == 0 {
		relations = casus.PersonRelations
	}
	var types []string
	for _, r := range relations {
		if !slices.Contains(casus.PersonRelations, r) {
			return nil, nil, casus.Invalid("relations", "paths run over RELATIVE and CONTACT ties only")
		}
		types = append(types, string(r))
	}
	slices.Sort(types)
	types = slices.Compact(types)
	sc, err := analysisScope(ctx)
	if err != nil {
		return nil, nil, err
	}
	// The bound of a quantified path must be a literal; maxDepth is checked
	// above and the types come from a fixed list.
	cypher := fmt.Sprintf(`
		OPTIONAL MATCH (a:Person {id: $from}) WHERE %[1]s
		OPTIONAL MATCH (b:Person {id: $to}) WHERE %[2]s
		WITH a, b
		CALL (a, b) {
			WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
			MATCH p = ALL SHORTEST (a) ((x)-[:%[3]s]-(y:Person WHERE %[4]s)){1,%[5]d} (b)
			RETURN collect([n IN nodes(p) | n.id]) AS paths,
				collect([r IN relationships(p) | {rel: type(r), rid: coalesce(r.id, elementId(r)), from: startNode(r).id, to: endNode(r).id,
					props: {kind: coalesce(r.role, r.kind), network: r.network, since: date(r.since), source: r.source, confidence: r.confidence}}]) AS ties,
				collect([n IN nodes(p) | n.firstName + ' ' + n.lastName]) AS labels
		}
		RETURN a IS NOT NULL AND b IS NOT NULL AS found, paths, ties, labels`,
		sc.persons("a"), sc.persons("b"),
		strings.Join(types, "|"), sc.persons("y"), maxDepth)
	type result struct {
		paths [][]string
		g     *casus.NetworkGraph
	}
	res, err := read(ctx, s.db, func(tx txRunner) (result, error) {
		recs, err := s.db.collect(ctx, tx, cypher, sc.params(map[string]any{"from": from, "to": to}))
		if err != nil {
			return result{}, err
		}
		m := recs[0].AsMap()
		if !boolean(m["found"]) {
			return result{}, casus.Errorf(casus.ENOTFOUND, "person not found")
		}
		out := result{g: &casus.NetworkGraph{}}
		nodes, edges := map[string]bool{}, map[string]bool{}
		labels := list(m["labels"])
		for i, p := range list(m["paths"]) {
			ids := strList(p)
			out.paths = append(out.paths, ids)
			for j, id := range ids {
				if !nodes[id] {
					nodes[id] = true
					out.g.Nodes = append(out.g.Nodes, &casus.NetworkNode{Kind: casus.NodePerson, ID: id, Label: str(list(labels[i])[j]), Depth: j})
				}
			}
			for _, t := range list(list(m["ties"])[i]) {
				tm, _ := t.(map[string]any)
				key := str(tm["rel"]) + "|" + str(tm["rid"])
				if edges[key] {
					continue
				}
				edges[key] = true
				tm["outgoing"] = true
				out.g.Edges = append(out.g.Edges, decodeNetworkEdge(tm,
					casus.NodeRef{Kind: casus.NodePerson, ID: str(tm["from"])}, casus.NodeRef{Kind: casus.NodePerson, ID: str(tm["to"])}))
			}
		}
		slices.SortFunc(out.paths, func(a, b []string) int { return slices.Compare(a, b) })
		return out, nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("shortest paths: %w", err)
	}
	return res.paths, res.g, nil
}

// CommonContacts returns the persons tied (as relative or contact) to both
// a and b, ordered by id. Both must be visible to analysis; a common one
// outside the scope comes back redacted, and one whose processing is
// restricted is left out: their ties are not used.
func (s *NetworkService) CommonContacts(ctx context.Context, a, b string) ([]casus.PersonRef, error) {
	sc, err := analysisScope(ctx)
	if err != nil {
		return nil, err
	}
	refs, err := read(ctx, s.db, func(tx txRunner) ([]casus.PersonRef, error) {
		recs, err := s.db.collect(ctx, tx, `
			OPTIONAL MATCH (a:Person {id: $a}) WHERE `+sc.persons("a")+`
			OPTIONAL MATCH (b:Person {id: $b}) WHERE `+sc.persons("b")+`
			WITH a, b
			OPTIONAL MATCH (a)-[:RELATIVE|CONTACT]-(x:Person)-[:RELATIVE|CONTACT]-(b) WHERE x <> a AND x <> b AND NOT coalesce(x.restricted, false)
			WITH DISTINCT a, b, x
			WITH a, b, x ORDER BY x.id
			RETURN a IS NOT NULL AND b IS NOT NULL AS found,
				collect(CASE WHEN x IS NOT NULL THEN {id: x.id, visible: `+sc.persons("x")+`} END) AS common`, sc.params(map[string]any{"a": a, "b": b}))
		if err != nil {
			return nil, err
		}
		if len(recs) != 1 {
			return nil, fmt.Errorf("common contacts: %d rows", len(recs))
		}
		c, err := columns(recs[0], "found", "common")
		if err != nil {
			return nil, err
		}
		if !boolean(c[0]) {
			return nil, casus.Errorf(casus.ENOTFOUND, "person not found")
		}
		out := []casus.PersonRef{}
		for _, x := range list(c[1]) {
			m, _ := x.(map[string]any)
			out = append(out, casus.PersonRef{ID: str(m["id"]), Redacted: !boolean(m["visible"])})
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("common contacts: %w", err)
	}
	return refs, nil
}

// Bridges returns persons tied directly, or through one person, to the
// subjects of at least minCases visible cases, most cases first (then most
// direct ones, then id). Persons whose processing is restricted take no
// part: not as a subject, not in between, not as a bridge.
func (s *NetworkService) Bridges(ctx context.Context, minCases, limit int) ([]casus.Bridge, error) {
	if minCases == 0 {
		minCases = 2
	}
	if minCases < 2 || minCases > 100 {
		return nil, casus.Invalid("minCases", "minCases must be 2 to 100")
	}
	limit, err := first(limit)
	if err != nil {
		return nil, err
	}
	sc, err := analysisScope(ctx)
	if err != nil {
		return nil, err
	}
	out, err := read(ctx, s.db, func(tx txRunner) ([]casus.Bridge, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (c:Case)-[:CONCERNS]->(:Group|Person)<-[:IN_GROUP*0..1]-(s:Person) WHERE `+sc.cases("c")+` AND NOT coalesce(s.restricted, false)
			WITH DISTINCT c, s
			CALL (c, s) {
				MATCH (s)-[:RELATIVE|CONTACT]-(x:Person) WHERE NOT coalesce(x.restricted, false) RETURN x, true AS direct
				UNION
				MATCH (s)-[:RELATIVE|CONTACT]-(y:Person)-[:RELATIVE|CONTACT]-(x:Person)
				WHERE x <> s AND NOT coalesce(y.restricted, false) AND NOT coalesce(x.restricted, false) RETURN x, false AS direct
			}
			WITH x, c, max(CASE WHEN direct THEN 1 ELSE 0 END) AS direct
			WITH x, collect(c.id) AS cases, [i IN collect(CASE WHEN direct = 1 THEN c.id END) WHERE i IS NOT NULL] AS directCases
			WHERE size(cases) >= $min
			RETURN x.id AS id, `+sc.persons("x")+` AS visible, cases, directCases
			ORDER BY size(cases) DESC, size(directCases) DESC, id
			LIMIT $limit`, sc.params(map[string]any{"min": minCases, "limit": limit}))
		if err != nil {
			return nil, err
		}
		out := make([]casus.Bridge, 0, len(recs))
		for _, r := range recs {
			m := r.AsMap()
			b := casus.Bridge{PersonID: str(m["id"]), Redacted: !boolean(m["visible"]), CaseIDs: strList(m["cases"]), DirectCaseIDs: strList(m["directCases"])}
			slices.Sort(b.CaseIDs)
			slices.Sort(b.DirectCaseIDs)
			out = append(out, b)
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("bridges: %w", err)
	}
	return out, nil
}

// Subgraph returns the visible persons of scope and the person ties among
// them.
func (s *NetworkService) Subgraph(ctx context.Context, scope casus.AnalysisScope) (*casus.NetworkGraph, error) {
	if err := casus.PermitRead(ctx, casus.ReadNetwork); err != nil {
		return nil, err
	}
	if err := scope.Validate(); err != nil {
		return nil, err
	}
	if len(scope.From) > 0 {
		g, err := s.Network(ctx, casus.NetworkQuery{Purpose: scope.Purpose, From: scope.From, Depth: scope.Depth, Relations: casus.PersonRelations, Limit: min(scope.Limit, casus.MaxNetworkLimit)})
		if err != nil {
			return nil, err
		}
		return visibleOnly(g), nil
	}
	// A whole municipality: a coordinator's or analyst's decision, with the
	// question it answers (scope.Validate).
	if err := casus.PermitRead(ctx, casus.ReadRegion); err != nil {
		return nil, err
	}
	sc, err := analysisScope(ctx)
	if err != nil {
		return nil, err
	}
	g, err := read(ctx, s.db, func(tx txRunner) (*casus.NetworkGraph, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (p:Person)-[:LIVES_IN]->(:Municipality {code: $municipality}) WHERE `+sc.persons("p")+`
			WITH p ORDER BY p.id LIMIT $limit
			RETURN p.id AS id, p.firstName + ' ' + p.lastName AS label,
				[(p)-[r:RELATIVE|CONTACT]->(q:Person) | [type(r), coalesce(r.id, elementId(r)), q.id, coalesce(r.role, r.kind), r.network, date(r.since), r.source, r.confidence]] AS ties`,
			sc.params(map[string]any{"municipality": scope.Municipality, "limit": scope.Limit + 1}))
		if err != nil {
			return nil, err
		}
		g := &casus.NetworkGraph{}
		if len(recs) > scope.Limit {
			g.Truncated, recs = true, recs[:scope.Limit]
		}
		in := map[string]bool{}
		rows := make([][]any, len(recs))
		for i, r := range recs {
			c, err := columns(r, "id", "label", "ties")
			if err != nil {
				return nil, err
			}
			rows[i] = c
			in[str(c[0])] = true
			g.Nodes = append(g.Nodes, &casus.NetworkNode{Kind: casus.NodePerson, ID: str(c[0]), Label: str(c[1])})
		}
		for _, c := range rows {
			for _, t := range list(c[2]) {
				v := list(t)
				if !in[str(v[2])] {
					continue
				}
				g.Edges = append(g.Edges, &casus.NetworkEdge{
					Relation: casus.Relation(str(v[0])), ID: str(v[1]),
					From: casus.NodeRef{Kind: casus.NodePerson, ID: str(c[0])}, To: casus.NodeRef{Kind: casus.NodePerson, ID: str(v[2])},
					Kind: str(v[3]), Network: casus.Network(str(v[4])), Since: datePtr(v[5]), Source: str(v[6]), Confidence: float(v[7]),
				})
			}
		}
		return g, nil
	})
	if err != nil {
		return nil, fmt.Errorf("subgraph: %w", err)
	}
	return g, nil
}

// visibleOnly drops redacted nodes and the ties to them.
func visibleOnly(g *casus.NetworkGraph) *casus.NetworkGraph {
	out := &casus.NetworkGraph{Truncated: g.Truncated}
	keep := map[string]bool{}
	for _, n := range g.Nodes {
		if !n.Redacted && n.Kind == casus.NodePerson {
			keep[n.Key()] = true
			out.Nodes = append(out.Nodes, n)
		}
	}
	for _, e := range g.Edges {
		if keep[e.From.Key()] && keep[e.To.Key()] {
			out.Edges = append(out.Edges, e)
		}
	}
	return out
}

// PossibleDuplicates returns pairs of visible persons that may be the same
// person: the same birth date and alike names (names or aliases, compared
// without case, diacritics and punctuation), or the same name where one
// birth date is unknown. Candidates are blocked in the database (by birth
// date and the last name's first letter, or by the whole name), so the
// comparison in Go stays small; the scan itself reads every visible person.
func (s *NetworkService) PossibleDuplicates(ctx context.Context, minScore float64, limit int) ([]*casus.DuplicatePair, error) {
	if minScore == 0 {
		minScore = 0.85
	}
	if minScore < 0.5 || minScore > 1 {
		return nil, casus.Invalid("minScore", "minScore must be 0.5 to 1")
	}
	limit, err := first(limit)
	if err != nil {
		return nil, err
	}
	sc, err := analysisScope(ctx)
	if err != nil {
		return nil, err
	}
	type candidate struct {
		id, name string
		aliases  []string
		birth    *time.Time
	}
	blocks, err := read(ctx, s.db, func(tx txRunner) ([][]candidate, error) {
		recs, err := s.db.collect(ctx, tx, `
			MATCH (p:Person) WHERE `+sc.persons("p")+`
			WITH p, p {.id, .firstName, .lastName, .aliases, .birthDate} AS c
			CALL (p) {
				WITH p WHERE p.birthDate IS NOT NULL
				RETURN 'b|' + toString(p.birthDate) + '|' + toLower(left(trim(p.lastName), 1)) AS block
				UNION
				RETURN 'n|' + toLower(trim(p.firstName) + ' ' + trim(p.lastName)) AS block
			}
			WITH block, collect(c) AS cs WHERE 1 < size(cs) <= 200
			RETURN cs`, sc.params(nil))
		if err != nil {
			return nil, err
		}
		out := make([][]candidate, len(recs))
		for i, r := range recs {
			cs, err := column(r, "cs")
			if err != nil {
				return nil, err
			}
			for _, v := range list(cs) {
				m, _ := v.(map[string]any)
				out[i] = append(out[i], candidate{id: str(m["id"]), name: str(m["firstName"]) + " " + str(m["lastName"]),
					aliases: strList(m["aliases"]), birth: datePtr(m["birthDate"])})
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("possible duplicates: %w", err)
	}
	pairs := map[[2]string]casus.DuplicatePair{}
	for _, block := range blocks {
		for i, a := range block {
			for _, b := range block[i+1:] {
				sim := casus.NameSimilarity(a.name, b.name)
				for _, n := range append([]string{a.name}, a.aliases...) {
					for _, m := range append([]string{b.name}, b.aliases...) {
						sim = max(sim, casus.NameSimilarity(n, m))
					}
				}
				p := casus.DuplicatePair{A: min(a.id, b.id), B: max(a.id, b.id)}
				switch {
				case a.birth != nil && b.birth != nil && a.birth.Equal(*b.birth):
					p.Score = sim
					p.Reasons = []string{"same birth date"}
				case (a.birth == nil || b.birth == nil) && sim == 1:
					p.Score = 0.85 // the same name, but nothing else to go on
					p.Reasons = []string{"one birth date unknown"}
				default:
					continue
				}
				if sim == 1 {
					p.Reasons = append(p.Reasons, "same name")
				} else {
					p.Reasons = append(p.Reasons, fmt.Sprintf("names %.0f%% alike", sim*100))
				}
				if p.Score >= minScore && p.Score > pairs[[2]string{p.A, p.B}].Score {
					pairs[[2]string{p.A, p.B}] = p
				}
			}
		}
	}
	out := make([]*casus.DuplicatePair, 0, len(pairs))
	for _, p := range pairs {
		out = append(out, &p)
	}
	slices.SortFunc(out, func(x, y *casus.DuplicatePair) int {
		if x.Score != y.Score {
			if x.Score > y.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(x.A+"|"+x.B, y.A+"|"+y.B)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
