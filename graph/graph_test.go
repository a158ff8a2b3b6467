package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"casusnet/graph"
	"casusnet/internal/auth"
	"casusnet/internal/casus"
	"casusnet/internal/demo"
	"casusnet/internal/live"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
	"casusnet/internal/server"
)

// api is a casusnet GraphQL endpoint on the test database, called with a
// token of the actor.
type api struct {
	t     testing.TB
	db    *neo4j.DB
	srv   *httptest.Server
	token string
	// header is an extra request header, name and value.
	header [2]string
	hub    *live.Hub
	// metrics is the server's private metrics endpoint.
	metrics *httptest.Server
	// levels tracks the escalation level of the cases the test moves, so
	// that each move names a criterion agreed for it (see escalate).
	levels *caseLevels
}

// coordinator is the default caller: they see every case of the region.
// testPseudonymKey is the key the test servers pseudonymise the access
// log's subjects under.
var testPseudonymKey = []byte("test-pseudonym-key")

// personObject is how the access log names a person among its objects: by
// pseudonym.
func personObject(id string) string { return "Person:" + casus.SubjectPseudonym(testPseudonymKey, id) }

var coordinator = casus.Actor{ID: "u-coordinator", Name: "C. Coördinator", Role: casus.RoleCoordinator}

// with returns the endpoint called with an extra header.
func (a *api) with(name, value string) *api {
	b := *a
	b.header = [2]string{name, value}
	return &b
}

// as returns the endpoint called as actor.
func (a *api) as(actor casus.Actor) *api {
	b := *a
	tok, err := auth.IssueDevToken([]byte(auth.DevSigningKey), auth.Identity{Actor: actor}, time.Hour, time.Now())
	if err != nil {
		a.t.Fatal(err)
	}
	b.token = tok
	return &b
}

func newAPI(t *testing.T, data demo.Data) *api { return startAPI(t, data, true, testLive) }

// testLive makes live updates quick, for tests that wait for them.
var testLive = live.Options{Poll: 20 * time.Millisecond, DashboardInterval: 50 * time.Millisecond}

// newBenchAPI is newAPI for benchmarks, with or without the access log.
func newBenchAPI(b *testing.B, logged bool) *api {
	return startAPI(b, accessRegion(), logged, testLive)
}

func startAPI(t testing.TB, data demo.Data, logged bool, opts live.Options) *api {
	t.Helper()
	db := neo4jtest.Open(t)
	if _, err := db.Seed(context.Background(), data); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return serveAPI(t, db, logged, opts)
}

// instance starts another server instance on the same database, with its
// own connection pool and live hub, called as the same caller.
func (a *api) instance() *api {
	a.t.Helper()
	b := serveAPI(a.t, neo4jtest.Connect(a.t), true, testLive)
	b.token = a.token
	return b
}

// routedInstance is instance, connected through a neo4j:// routing URI.
func (a *api) routedInstance() *api {
	a.t.Helper()
	b := serveAPI(a.t, neo4jtest.ConnectRouting(a.t), true, testLive)
	b.token = a.token
	return b
}

// serveAPI serves casusnet on db until the test ends.
func serveAPI(t testing.TB, db *neo4j.DB, logged bool, opts live.Options) *api {
	t.Helper()
	return serveAPIWith(t, db, logged, opts, server.Config{})
}

// serveAPIWith is serveAPI with the server configured as cfg (its rate
// limits and bookmarks are the tests').
func serveAPIWith(t testing.TB, db *neo4j.DB, logged bool, opts live.Options, cfg server.Config) *api {
	return serveServices(t, db, neo4j.NewServices(db), logged, opts, cfg)
}

// serveServices is serveAPIWith over services of the test's choosing.
func serveServices(t testing.TB, db *neo4j.DB, services casus.Services, logged bool, opts live.Options, cfg server.Config) *api {
	t.Helper()
	var accessLog casus.AuditLog = nopAudit{}
	audit := neo4j.NewAuditLog(db)
	if logged {
		accessLog = audit
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); audit.Run(ctx) }()
	dashboards := neo4j.NewDashboardService(db)
	hub := live.NewHub(neo4j.NewEventLog(db), dashboards, zerolog.Nop(), opts)
	db.OnEventsCommitted(hub.Events.Poke)
	hubDone := make(chan struct{})
	go func() { defer close(hubDone); hub.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; <-hubDone })
	resolver := &graph.Resolver{Services: services, WatchPoll: 50 * time.Millisecond, Live: hub, AccessLog: accessLog, PseudonymKey: testPseudonymKey}
	unlimited := server.RateLimit{PerSecond: 1e6, Burst: 1e6} // the tests are one busy user; rate limits have their own test
	bookmarks := func(ctx context.Context, in []string) (context.Context, func() []string) {
		ctx, b := neo4j.WithBookmarks(ctx, in)
		return ctx, b.Last
	}
	cfg.UserLimit, cfg.AddressLimit, cfg.Bookmarks = unlimited, unlimited, bookmarks
	cfg.PseudonymKey = testPseudonymKey
	h := server.New(cfg, zerolog.Nop(), resolver, auth.NewDevVerifier([]byte(auth.DevSigningKey)), accessLog, db.Ready)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	metrics := httptest.NewServer(h.Metrics())
	t.Cleanup(metrics.Close)
	return (&api{t: t, db: db, srv: srv, hub: hub, metrics: metrics, levels: &caseLevels{at: map[string]int{}}}).as(coordinator)
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// do posts a GraphQL request and decodes the answer into out.
func (a *api) do(query string, vars map[string]any, out any) response {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.token)
	if a.header[0] != "" {
		req.Header.Set(a.header[0], a.header[1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	var r response
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		a.t.Fatalf("decode: %v", err)
	}
	if out != nil && r.Data != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			a.t.Fatalf("decode data %s: %v", r.Data, err)
		}
	}
	return r
}

// must is do that fails the test on any error.
func (a *api) must(query string, vars map[string]any, out any) {
	a.t.Helper()
	if r := a.do(query, vars, out); len(r.Errors) > 0 {
		a.t.Fatalf("%s\nerrors: %+v", query, r.Errors)
	}
}

// bigRegion has n cases, each with a subject, a director and two
// interventions.
func bigRegion(n int) demo.Data {
	d := demo.Data{
		Municipalities: []demo.Municipality{{Code: "GM0362", Name: "Amstelveen", Inhabitants: 92000}, {Code: "GM0384", Name: "Diemen", Inhabitants: 32000}},
		Organisations:  []demo.Organisation{{ID: "org-1", Name: "AVZ", Type: "OTHER", ProvidesDirectors: true, ProvidesInterventions: true}},
		Offerings:      []demo.Offering{{ID: "off-1", ProviderID: "org-1", Name: "Mentoraat"}, {ID: "off-2", ProviderID: "org-1", Name: "Gezinsbegeleiding"}},
	}
	for i := 0; i < 5; i++ {
		d.Directors = append(d.Directors, demo.Director{ID: fmt.Sprintf("dir-%d", i), Name: fmt.Sprintf("Regisseur %d", i), OrganisationID: "org-1", Capacity: 30})
	}
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		pid := fmt.Sprintf("p-%03d", i)
		d.Persons = append(d.Persons, demo.Person{ID: pid, FirstName: "Persoon", LastName: fmt.Sprintf("Nummer %03d", i), Municipality: "GM0362"})
		d.Cases = append(d.Cases, demo.Case{
			ID: fmt.Sprintf("case-%03d", i), Reference: fmt.Sprintf("AM-2026-%04d", i+1), Municipality: []string{"GM0362", "GM0384"}[i%2],
			Subjects: []string{pid}, RiskGroups: []casus.RiskGroup{"RADICALISING"}, Ideology: "OTHER", RiskLevel: "LOW",
			Phase: "EXECUTION", EscalationLevel: "LOCAL", DirectorID: fmt.Sprintf("dir-%d", i%5), Summary: "Testzaak",
			OpenedAt: start.Add(time.Duration(i) * time.Hour),
			Interventions: []demo.Intervention{
				{ID: fmt.Sprintf("int-%03d-a", i), OfferingID: "off-1", Status: "ACTIVE", Goal: "a", Start: start},
				{ID: fmt.Sprintf("int-%03d-b", i), OfferingID: "off-2", Status: "PROPOSED", Goal: "b"},
			},
		})
	}
	return d
}

// TestCaseNetworkRoundTrips asks for one case with its subjects' relatives
// and contacts and the persons at their ends: one statement reads them all,
// then the access log entry is appended, however many subjects and ties
// there are.
func TestCaseNetworkRoundTrips(t *testing.T) {
	d := bigRegion(20)
	d.Cases[0].Subjects = []string{"p-000", "p-001", "p-002", "p-003"}
	for i := 0; i < 4; i++ {
		d.Relatives = append(d.Relatives, demo.Relative{From: fmt.Sprintf("p-%03d", 4+i), To: fmt.Sprintf("p-%03d", i), Kind: "PARENT"})
		for j := 0; j < 3; j++ {
			d.Contacts = append(d.Contacts, demo.Contact{From: fmt.Sprintf("p-%03d", i), To: fmt.Sprintf("p-%03d", 8+3*i+j),
				Network: "INFORMAL", Role: "FRIEND", Since: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Source: "politie", Confidence: 0.5})
		}
	}
	a := newAPI(t, d)
	const q = `query($id: ID!) { case(id: $id) { reference subjects { id fullName
		relatives { kind person { id fullName } } contacts { network role from { id fullName } to { id fullName } } } } }`
	var out struct {
		Case struct {
			Subjects []struct {
				FullName  string
				Relatives []struct {
					Kind   string
					Person struct{ FullName string }
				}
				Contacts []struct {
					From, To struct{ FullName string }
				}
			}
		}
	}
	vars := map[string]any{"id": gid("Case", d.Cases[0].ID)}
	a.must(q, vars, &out) // the access log's first append reads the chain's head
	before := a.db.Queries()
	a.must(q, vars, &out)
	used := a.db.Queries() - before
	if len(out.Case.Subjects) != 4 {
		t.Fatalf("subjects = %+v", out.Case.Subjects)
	}
	for _, s := range out.Case.Subjects {
		if len(s.Relatives) != 1 || s.Relatives[0].Kind != "PARENT" || s.Relatives[0].Person.FullName == "" || len(s.Contacts) != 3 {
			t.Fatalf("subject %s: relatives %+v, contacts %+v", s.FullName, s.Relatives, s.Contacts)
		}
		for _, c := range s.Contacts {
			if c.From.FullName != s.FullName || c.To.FullName == "" {
				t.Fatalf("subject %s: contact %+v", s.FullName, c)
			}
		}
	}
	if used != 2 {
		t.Fatalf("%d round trips for one case and its network; want 2", used)
	}
}

// TestRoundTripsDoNotGrowWithPageSize asks for a page of cases with their
// subjects, director, municipality and interventions: the database round
// trips must be the same for 5 cases as for 50.
func TestRoundTripsDoNotGrowWithPageSize(t *testing.T) {
	a := newAPI(t, bigRegion(60))
	const q = `query($n: Int!) { cases(first: $n) { totalCount edges { node {
		reference municipality { name } director { name organisation { name } }
		subjects { fullName municipality { code } }
		interventions { status offering { name provider { name } } }
	} } } }`
	trips := func(n int) int64 {
		var out struct {
			Cases struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Subjects      []struct{ FullName string }
						Interventions []struct{ Status string }
						Director      struct{ Name string }
					}
				}
			}
		}
		before := a.db.Queries()
		a.must(q, map[string]any{"n": n}, &out)
		used := a.db.Queries() - before
		if len(out.Cases.Edges) != n || out.Cases.TotalCount != 60 {
			t.Fatalf("page of %d: got %d edges, total %d", n, len(out.Cases.Edges), out.Cases.TotalCount)
		}
		for _, e := range out.Cases.Edges {
			if len(e.Node.Subjects) != 1 || len(e.Node.Interventions) != 2 || e.Node.Director.Name == "" {
				t.Fatalf("incomplete case in page: %+v", e.Node)
			}
		}
		return used
	}
	trips(1) // the access log's first append reads the chain's head; later ones need not
	small, large := trips(5), trips(50)
	t.Logf("round trips: %d for 5 cases, %d for 50", small, large)
	if large != small {
		t.Fatalf("round trips grew with the page: %d for 5 cases, %d for 50", small, large)
	}
	// The page's statement reads everything below the cases; then the access
	// log entry.
	if large != 2 {
		t.Fatalf("%d round trips for one page; want one for the page and one for the access log", large)
	}
}
