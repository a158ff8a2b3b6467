package graph_test

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
)

// networkRegion is a small network whose answers are checked by hand:
//
//	case-1 (Aalsmeer) is about s1, case-2 (Aalsmeer) about s2, case-3
//	(Amstelveen) about s3.
//	r  — RECRUITER of s1 (2025-01-01) and of s2 (2025-06-01); FRIEND of f
//	m  — PARENT of s1; FRIEND of s2 (2025-02-01)
//	f  — FRIEND of r (2024-03-01), of q and of x
//	q  — FRIEND of s2
//	x  — FRIEND of s3
//
// An analyst of Aalsmeer sees s1 and s2 (subjects of their cases) and r, m
// and q (tied directly to those subjects); f, x and s3 are outside their
// scope.
func networkRegion() demo.Data {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	at := d("2026-01-05")
	person := func(id, name, m string) demo.Person {
		return demo.Person{ID: id, FirstName: name, LastName: "Test", Municipality: m}
	}
	contact := func(from, to, role, since string) demo.Contact {
		c := demo.Contact{From: from, To: to, Network: "INFORMAL", Role: casus.ContactRole(role), Source: "politie", Confidence: 0.8}
		if since != "" {
			c.Since = d(since)
		}
		return c
	}
	kase := func(id, ref, m, subject string) demo.Case {
		return demo.Case{ID: id, Reference: ref, Municipality: m, Subjects: []string{subject}, RiskGroups: []casus.RiskGroup{"RADICALISING"},
			Ideology: "OTHER", RiskLevel: "LOW", Phase: "ASSESSMENT", EscalationLevel: "LOCAL", Summary: ref, OpenedAt: at}
	}
	return demo.Data{
		Municipalities: []demo.Municipality{{Code: "GM0358", Name: "Aalsmeer"}, {Code: "GM0362", Name: "Amstelveen"}},
		Organisations:  []demo.Organisation{{ID: "org-avz", Name: "AVZ", Type: "OTHER", ProvidesDirectors: true}},
		Persons: []demo.Person{
			person("p-s1", "Sem", "GM0358"), person("p-s2", "Sara", "GM0358"), person("p-s3", "Stijn", "GM0362"),
			person("p-r", "Rik", "GM0358"), person("p-m", "Mila", "GM0358"), person("p-f", "Finn", "GM0362"),
			person("p-q", "Quinten", "GM0358"), person("p-x", "Xavi", "GM0362"),
		},
		Relatives: []demo.Relative{{From: "p-m", To: "p-s1", Kind: "PARENT"}},
		Contacts: []demo.Contact{
			contact("p-s1", "p-r", "RECRUITER", "2025-01-01"), contact("p-s2", "p-r", "RECRUITER", "2025-06-01"),
			contact("p-s2", "p-m", "FRIEND", "2025-02-01"), contact("p-r", "p-f", "FRIEND", "2024-03-01"),
			contact("p-f", "p-q", "FRIEND", ""), contact("p-s2", "p-q", "FRIEND", ""),
			contact("p-f", "p-x", "FRIEND", ""), contact("p-x", "p-s3", "FRIEND", ""),
		},
		Cases: []demo.Case{
			kase("case-1", "AM-2026-0101", "GM0358", "p-s1"), kase("case-2", "AM-2026-0102", "GM0358", "p-s2"),
			kase("case-3", "AM-2026-0103", "GM0362", "p-s3"),
		},
	}
}

var (
	analystA     = casus.Actor{ID: "u-analyst-a", Name: "Analist A", Role: casus.RoleAnalyst, Municipalities: []string{"GM0358"}}
	analystB     = casus.Actor{ID: "u-analyst-b", Name: "Analist B", Role: casus.RoleAnalyst, Municipalities: []string{"GM0362"}}
	networkMayor = casus.Actor{ID: "u-mayor-a", Role: casus.RoleMayor, Municipalities: []string{"GM0358"}}
)

type netNode struct {
	ID       string
	Kind     string
	Label    *string
	Redacted bool
	Depth    int
}

type netEdge struct {
	Relation, From, To string
	Kind               *string
	Since              *string
}

type netGraph struct {
	Nodes     []netNode
	Edges     []netEdge
	Truncated bool
	Timeline  []netEdge
}

// describe renders nodes as "kind:key@depth" (with "!" when redacted),
// sorted, and edges as "from-relation-to", sorted.
func (g netGraph) describe() (nodes, edges string) {
	var ns, es []string
	for _, n := range g.Nodes {
		s := fmt.Sprintf("%s@%d", keyOfGID(n.ID), n.Depth)
		if n.Redacted {
			s += "!"
			if n.Label != nil {
				s += "(label shown)"
			}
		}
		ns = append(ns, s)
	}
	for _, e := range g.Edges {
		es = append(es, keyOfGID(e.From)+"-"+e.Relation+"-"+keyOfGID(e.To))
	}
	slices.Sort(ns)
	slices.Sort(es)
	return strings.Join(ns, " "), strings.Join(es, " ")
}

// keyOfGID turns a global id back into the key the test data uses, and
// the pseudonym of a person outside the caller's scope into "~".
func keyOfGID(id string) string {
	if b, err := base64.StdEncoding.DecodeString(id); err == nil && strings.HasPrefix(string(b), "Person:~") {
		return "~"
	}
	for _, kind := range []string{"Person", "Case", "Group", "Organisation"} {
		for _, key := range []string{"p-s1", "p-s2", "p-s3", "p-r", "p-m", "p-f", "p-q", "p-x", "case-1", "case-2", "case-3", "org-avz"} {
			if gid(kind, key) == id {
				return key
			}
		}
	}
	return id
}

const networkFields = `nodes { id kind label redacted depth } edges { relation from to kind since } truncated timeline { relation from to since }`

func (a *api) network(t *testing.T, vars map[string]any) (netGraph, response) {
	t.Helper()
	var out struct{ Network netGraph }
	r := a.do(`query($from: [ID!]!, $depth: Int, $relations: [Relation!], $networks: [Network!], $since: Date, $until: Date, $limit: Int) {
		network(from: $from, depth: $depth, relations: $relations, networks: $networks, since: $since, until: $until, limit: $limit) { `+networkFields+` } }`, vars, &out)
	return out.Network, r
}

// TestNetwork checks the neighbourhood query against the hand-checked
// region: depth, redaction at the scope's edge, limits, relation, network
// and time filters, and who may ask.
func TestNetwork(t *testing.T) {
	a := newAPI(t, networkRegion())
	from := []string{gid("Person", "p-s1")}

	g, r := a.as(analystA).network(t, map[string]any{"from": from})
	if len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	nodes, edges := g.describe()
	if nodes != "case-1@1 p-m@1 p-r@1 p-s1@0 p-s2@2 ~@2!" || g.Truncated {
		t.Errorf("analyst's nodes = %s (truncated %v)", nodes, g.Truncated)
	}
	if edges != "p-m-RELATIVE-p-s1 p-r-CONTACT-~ p-s1-CONTACT-p-r p-s1-SUBJECT_OF-case-1 p-s2-CONTACT-p-m p-s2-CONTACT-p-r" {
		t.Errorf("analyst's edges = %s", edges)
	}
	var since []string
	for _, e := range g.Timeline {
		since = append(since, *e.Since)
	}
	// The tie to f began in 2024, but when is a fact about f.
	if strings.Join(since, " ") != "2025-01-01 2025-02-01 2025-06-01" {
		t.Errorf("timeline = %v", since)
	}

	// The coordinator sees f, and so goes on through it at depth 3.
	g, _ = a.network(t, map[string]any{"from": from, "depth": 3})
	if nodes, _ := g.describe(); nodes != "case-1@1 case-2@3 p-f@2 p-m@1 p-q@3 p-r@1 p-s1@0 p-s2@2 p-x@3" {
		t.Errorf("coordinator's nodes at depth 3 = %s", nodes)
	}
	// The analyst does not go on through the redacted f at depth 3.
	g, _ = a.as(analystA).network(t, map[string]any{"from": from, "depth": 3})
	if nodes, _ := g.describe(); nodes != "case-1@1 case-2@3 p-m@1 p-q@3 p-r@1 p-s1@0 p-s2@2 ~@2!" {
		t.Errorf("analyst's nodes at depth 3 = %s", nodes)
	}

	g, _ = a.as(analystA).network(t, map[string]any{"from": from, "limit": 3})
	if len(g.Nodes) != 3 || !g.Truncated {
		t.Errorf("limit 3: %d nodes, truncated %v", len(g.Nodes), g.Truncated)
	}
	g, _ = a.as(analystA).network(t, map[string]any{"from": from, "relations": []string{"CONTACT"}, "networks": []string{"FORMAL"}})
	if nodes, _ := g.describe(); nodes != "p-s1@0" {
		t.Errorf("formal contacts only = %s", nodes)
	}
	g, _ = a.as(analystA).network(t, map[string]any{"from": from, "relations": []string{"CONTACT", "RELATIVE"}, "since": "2025-01-01", "until": "2025-03-01"})
	if nodes, edges := g.describe(); nodes != "p-r@1 p-s1@0" || edges != "p-s1-CONTACT-p-r" {
		t.Errorf("ties begun in 2025-01..03 = %s / %s", nodes, edges)
	}

	for name, c := range map[string]struct {
		actor casus.Actor
		vars  map[string]any
		code  string
	}{
		"mayor":                 {networkMayor, map[string]any{"from": from}, "FORBIDDEN"},
		"partner":               {actors["partner JW"], map[string]any{"from": from}, "FORBIDDEN"},
		"auditor":               {actors["auditor"], map[string]any{"from": from}, "FORBIDDEN"},
		"start out of scope":    {analystB, map[string]any{"from": from}, "NOT_FOUND"},
		"depth 5":               {analystA, map[string]any{"from": from, "depth": 5}, "INVALID"},
		"limit -1":              {analystA, map[string]any{"from": from, "limit": -1}, "INVALID"},
		"until before since":    {analystA, map[string]any{"from": from, "since": "2025-02-01", "until": "2025-01-01"}, "INVALID"},
		"not a person's id":     {analystA, map[string]any{"from": []string{gid("Case", "case-1")}}, "INVALID"},
		"no start":              {analystA, map[string]any{"from": []string{}}, "INVALID"},
		"redacted person start": {analystA, map[string]any{"from": []string{gid("Person", "p-f")}}, "NOT_FOUND"},
	} {
		if _, r := a.as(c.actor).network(t, c.vars); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code || string(r.Data) != "null" {
			t.Errorf("%s: %+v %s, want %s", name, r.Errors, r.Data, c.code)
		}
	}
}

// TestShortestPaths checks all shortest paths, that they go only through
// persons the caller may see, and the bounds.
func TestShortestPaths(t *testing.T) {
	a := newAPI(t, networkRegion())
	paths := func(api *api, from, to string, maxDepth int) (string, int, response) {
		var out struct {
			ShortestPaths struct {
				Length int
				Paths  [][]string
				Graph  netGraph
			}
		}
		r := api.do(`query($a: ID!, $b: ID!, $d: Int) { shortestPaths(from: $a, to: $b, maxDepth: $d) { length paths graph { `+networkFields+` } } }`,
			map[string]any{"a": gid("Person", from), "b": gid("Person", to), "d": maxDepth}, &out)
		var ps []string
		for _, p := range out.ShortestPaths.Paths {
			var keys []string
			for _, id := range p {
				keys = append(keys, keyOfGID(id))
			}
			ps = append(ps, strings.Join(keys, ">"))
		}
		return strings.Join(ps, " "), out.ShortestPaths.Length, r
	}
	if got, n, _ := paths(a.as(analystA), "p-s1", "p-s2", 6); got != "p-s1>p-m>p-s2 p-s1>p-r>p-s2" || n != 2 {
		t.Errorf("s1 to s2 = %s (length %d)", got, n)
	}
	// r to q: through s2 (visible) or through f (not visible to the analyst).
	if got, _, _ := paths(a.as(analystA), "p-r", "p-q", 6); got != "p-r>p-s2>p-q" {
		t.Errorf("analyst: r to q = %s", got)
	}
	if got, _, _ := paths(a, "p-r", "p-q", 6); got != "p-r>p-f>p-q p-r>p-s2>p-q" {
		t.Errorf("coordinator: r to q = %s", got)
	}
	if got, n, _ := paths(a, "p-s1", "p-s3", 6); got != "p-s1>p-r>p-f>p-x>p-s3" || n != 4 {
		t.Errorf("coordinator: s1 to s3 = %s (%d)", got, n)
	}
	if got, n, r := paths(a, "p-s1", "p-s3", 3); got != "" || n != 0 || len(r.Errors) > 0 {
		t.Errorf("s1 to s3 within 3 ties = %q %d %v", got, n, r.Errors)
	}
	if _, _, r := paths(a.as(analystA), "p-s1", "p-s3", 6); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
		t.Errorf("analyst: path to a person out of scope: %+v", r.Errors)
	}
	if _, _, r := paths(a, "p-s1", "p-s3", 11); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INVALID" {
		t.Errorf("maxDepth 11: %+v", r.Errors)
	}
	if _, _, r := paths(a.as(networkMayor), "p-s1", "p-s2", 6); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Errorf("mayor: %+v", r.Errors)
	}
}

// TestCommonContactsAndBridges checks common contacts (redacting those out
// of scope) and the ranking of persons who reach several cases.
func TestCommonContactsAndBridges(t *testing.T) {
	a := newAPI(t, networkRegion())
	common := func(api *api, x, y string) string {
		var out struct {
			CommonContacts []struct {
				ID        string
				FirstName string
				Redacted  bool
			}
		}
		api.must(`query($a: ID!, $b: ID!) { commonContacts(a: $a, b: $b) { id firstName redacted } }`,
			map[string]any{"a": gid("Person", x), "b": gid("Person", y)}, &out)
		var s []string
		for _, p := range out.CommonContacts {
			k := keyOfGID(p.ID)
			if p.Redacted {
				k += "!"
				if p.FirstName != "" {
					k += "(name shown)"
				}
			}
			s = append(s, k)
		}
		return strings.Join(s, " ")
	}
	if got := common(a.as(analystA), "p-s1", "p-s2"); got != "p-m p-r" {
		t.Errorf("common contacts of s1 and s2 = %s", got)
	}
	if got := common(a.as(analystA), "p-r", "p-q"); got != "~! p-s2" {
		t.Errorf("analyst: common contacts of r and q = %s", got)
	}
	if got := common(a, "p-r", "p-q"); got != "p-f p-s2" {
		t.Errorf("coordinator: common contacts of r and q = %s", got)
	}

	bridges := func(api *api) string {
		var out struct {
			Bridges []struct {
				Person             struct{ ID string }
				CaseCount          int
				Cases, DirectCases []struct{ Reference string }
			}
		}
		api.must(`{ bridges { person { id } caseCount cases { reference } directCases { reference } } }`, nil, &out)
		var s []string
		for _, b := range out.Bridges {
			s = append(s, fmt.Sprintf("%s:%d/%d/%d", keyOfGID(b.Person.ID), b.CaseCount, len(b.Cases), len(b.DirectCases)))
		}
		return strings.Join(s, " ")
	}
	// The analyst: m and r are tied directly to both Aalsmeer subjects; f
	// reaches both through r, and its third case is not the analyst's.
	if got := bridges(a.as(analystA)); got != "p-m:2/2/2 p-r:2/2/2 ~:2/2/0" {
		t.Errorf("analyst's bridges = %s", got)
	}
	if got := bridges(a); got != "p-f:3/3/0 p-m:2/2/2 p-r:2/2/2" {
		t.Errorf("coordinator's bridges = %s", got)
	}
	if r := a.as(networkMayor).do(`{ bridges { caseCount } }`, nil, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Errorf("mayor: %+v", r.Errors)
	}
}

// TestCentralityAndCommunities runs the gonum analyses on the persons of
// Aalsmeer. Its ties: s1-r, s2-r, s2-m, m-s1 (a square) and s2-q. By hand,
// betweenness: q reaches the others only through s2 (3 pairs), and r and m
// are opposite corners with two shortest paths (s2 gets ½); r and m each
// carry half of s1–s2 and half of q–s1; s1 half of r–m.
func TestCentralityAndCommunities(t *testing.T) {
	a := newAPI(t, networkRegion())
	centrality := func(api *api, measure string, scope map[string]any) (string, response) {
		var out struct {
			Centrality []struct {
				Person struct{ ID string }
				Score  float64
			}
		}
		r := api.do(`query($s: AnalysisScope!, $m: CentralityMeasure!) { centrality(scope: $s, measure: $m) { person { id } score } }`,
			map[string]any{"s": scope, "m": measure}, &out)
		var s []string
		for _, c := range out.Centrality {
			s = append(s, fmt.Sprintf("%s=%g", keyOfGID(c.Person.ID), c.Score))
		}
		return strings.Join(s, " "), r
	}
	aalsmeer := map[string]any{"municipality": "GM0358", "question": "Welke sleutelfiguren verbinden de casussen in Aalsmeer?"}
	if got, r := centrality(a.as(analystA), "BETWEENNESS", aalsmeer); got != "p-s2=3.5 p-m=1 p-r=1 p-s1=0.5 p-q=0" {
		t.Errorf("betweenness in Aalsmeer = %s %v", got, r.Errors)
	}
	if got, _ := centrality(a.as(analystA), "DEGREE", aalsmeer); got != "p-s2=3 p-m=2 p-r=2 p-s1=2 p-q=1" {
		t.Errorf("degree in Aalsmeer = %s", got)
	}
	// From s1, the analyst's subgraph leaves out the redacted f.
	if got, _ := centrality(a.as(analystA), "DEGREE", map[string]any{"from": []string{gid("Person", "p-s1")}, "depth": 2}); got != "p-m=2 p-r=2 p-s1=2 p-s2=2" {
		t.Errorf("degree around s1 = %s", got)
	}
	// Amstelveen's analyst sees no one living in Aalsmeer.
	if got, r := centrality(a.as(analystB), "PAGERANK", aalsmeer); got != "" || len(r.Errors) > 0 {
		t.Errorf("analyst B in Aalsmeer = %q %v", got, r.Errors)
	}
	for name, c := range map[string]struct {
		api   *api
		scope map[string]any
		code  string
	}{
		"mayor":        {a.as(networkMayor), aalsmeer, "FORBIDDEN"},
		"no question":  {a.as(analystA), map[string]any{"municipality": "GM0358"}, "INVALID"},
		"both":         {a, map[string]any{"municipality": "GM0358", "from": []string{gid("Person", "p-s1")}}, "INVALID"},
		"neither":      {a, map[string]any{}, "INVALID"},
		"out of scope": {a.as(analystB), map[string]any{"from": []string{gid("Person", "p-s1")}}, "NOT_FOUND"},
	} {
		if _, r := centrality(c.api, "DEGREE", c.scope); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}

	var out struct {
		Communities struct {
			Modularity  float64
			Communities []struct {
				Size    int
				Members []struct{ ID string }
			}
		}
	}
	a.as(analystA).must(`query($s: AnalysisScope!) { communities(scope: $s) { modularity communities { size members { id } } } }`,
		map[string]any{"s": aalsmeer}, &out)
	seen := map[string]int{}
	for _, c := range out.Communities.Communities {
		if c.Size != len(c.Members) {
			t.Errorf("community size %d with %d members", c.Size, len(c.Members))
		}
		for _, m := range c.Members {
			seen[keyOfGID(m.ID)]++
		}
	}
	if fmt.Sprint(seen) != "map[p-m:1 p-q:1 p-r:1 p-s1:1 p-s2:1]" {
		t.Errorf("community members = %v", seen)
	}
}

// TestNetworkReadsAreLogged checks that a network query's persons and
// cases are in the access log, the redacted ones not.
func TestNetworkReadsAreLogged(t *testing.T) {
	a := newAPI(t, networkRegion())
	analyst := a.as(analystA)
	analyst.must(`query($from: [ID!]!) { network(from: $from) { nodes { id } } }`, map[string]any{"from": []string{gid("Person", "p-s1")}}, nil)
	analyst.must(`query($a: ID!, $b: ID!) { shortestPaths(from: $a, to: $b) { paths } }`, map[string]any{"a": gid("Person", "p-r"), "b": gid("Person", "p-q")}, nil)
	var log struct {
		AuditLog struct {
			Edges []struct{ Node struct{ Objects []string } }
		}
	}
	a.as(actors["auditor"]).must(`{ auditLog(filter: {user: "u-analyst-a"}) { edges { node { objects } } } }`, nil, &log)
	if len(log.AuditLog.Edges) != 2 {
		t.Fatalf("%d entries, want one per query", len(log.AuditLog.Edges))
	}
	paths, network := log.AuditLog.Edges[0].Node.Objects, log.AuditLog.Edges[1].Node.Objects
	if !slices.Contains(network, personObject("p-s1")) || !slices.Contains(network, "Case:case-1") || slices.Contains(network, personObject("p-f")) {
		t.Errorf("network entry = %v", network)
	}
	if !slices.Contains(paths, personObject("p-q")) || !slices.Contains(paths, personObject("p-s2")) {
		t.Errorf("paths entry = %v", paths)
	}
}
