package graph_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestMetrics reads /metrics on the private address after a query, an
// error and a resolver: the operation, the error's code and the resolver are
// counted, and nothing personal is in the labels. The public address does
// not serve them.
func TestMetrics(t *testing.T) {
	a := newAPI(t, accessRegion())
	a.must(`query($id: ID!) { person(id: $id) { firstName cases { reference } } }`, map[string]any{"id": gid("Person", "p-a")}, nil)
	a.do(`query($id: ID!) { case(id: $id) { reference } }`, map[string]any{"id": gid("Case", "nope")}, nil)
	// The public address does not serve them, signed in or not.
	for _, caller := range []*api{{t: t, srv: a.srv}, a} {
		if status, body := caller.get(t, "/metrics"); status == http.StatusOK || strings.Contains(string(body), "go_goroutines") {
			t.Fatalf("the public address serves /metrics: %d", status)
		}
	}
	status, body := (&api{t: t, srv: a.metrics}).get(t, "/metrics")
	if status != http.StatusOK {
		t.Fatalf("/metrics: %d", status)
	}
	text := string(body)
	for _, want := range []string{
		`casusnet_graphql_operation_duration_seconds_count{type="query"} 2`,
		`casusnet_graphql_errors_total{code="NOT_FOUND"} 1`,
		`casusnet_graphql_resolver_duration_seconds_count{field="Person.cases"} 1`,
		`casusnet_http_request_duration_seconds_count{route="/graphql",status="2xx"} 2`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, personal := range []string{"p-a", "Anna", "u-coordinator"} {
		if strings.Contains(text, personal) {
			t.Errorf("/metrics shows %q", personal)
		}
	}
}
