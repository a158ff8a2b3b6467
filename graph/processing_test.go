package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"casusnet/internal/casus"
)

// TestAccessLogCarriesActivityTraceAndSubjects reads a case and runs a
// network query with a traceparent of the client's: each entry names the
// processing activity its operation serves, continues the client's trace
// (and the answer says with which span), and names the persons touched by
// pseudonym only — a case's subjects too, though the case read returned no
// person.
func TestAccessLogCarriesActivityTraceAndSubjects(t *testing.T) {
	a := newAPI(t, accessRegion())
	const trace = "4bf92f3577b34da6a3ce929d0e0e4736"
	body, _ := json.Marshal(map[string]any{"query": `query Workspace($id: ID!) { case(id: $id) { reference } }`, "variables": map[string]any{"id": gid("Case", "case-a")}})
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.as(actors["director A"]).token)
	req.Header.Set("traceparent", "00-"+trace+"-00f067aa0ba902b7-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	returned := resp.Header.Get("traceparent")
	if !strings.HasPrefix(returned, "00-"+trace+"-") || strings.Contains(returned, "00f067aa0ba902b7") {
		t.Fatalf("traceparent returned %q, want a span of ours in the client's trace", returned)
	}
	a.as(actors["analyst A"]).must(`query Around($p: ID!) { network(from: [$p], depth: 1) { nodes { id } } }`, map[string]any{"p": gid("Person", "p-a")}, nil)

	var out struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					Operation            string
					ProcessingActivities []string
					TraceParent          *string
					Subjects, Objects    []string
				}
			}
		}
	}
	a.as(actors["auditor"]).must(`{ auditLog { edges { node { operation processingActivities traceParent subjects objects } } } }`, nil, &out)
	seen := map[string]bool{}
	for _, e := range out.AuditLog.Edges {
		n := e.Node
		switch n.Operation {
		case "query Workspace":
			seen[n.Operation] = true
			if !slices.Equal(n.ProcessingActivities, []string{casus.ActivityCaseWork}) || n.TraceParent == nil || *n.TraceParent != returned {
				t.Errorf("the case read's entry: %+v", n)
			}
			if !slices.Equal(n.Subjects, []string{casus.SubjectPseudonym(testPseudonymKey, "p-a")}) {
				t.Errorf("the case read names %v, want p-a's pseudonym", n.Subjects)
			}
		case "query Around":
			seen[n.Operation] = true
			if !slices.Equal(n.ProcessingActivities, []string{casus.ActivityNetwork}) || n.TraceParent == nil || strings.Contains(*n.TraceParent, trace) {
				t.Errorf("the network query's entry: %+v", n)
			}
			if !slices.Contains(n.Subjects, casus.SubjectPseudonym(testPseudonymKey, "p-a")) || len(n.Subjects) < 2 {
				t.Errorf("the network query names %v", n.Subjects)
			}
		}
		for _, s := range n.Subjects {
			if strings.HasPrefix(s, "p-") {
				t.Errorf("a subject is named by id: %s", s)
			}
		}
	}
	if len(seen) != 2 {
		t.Fatalf("entries found: %v", seen)
	}
	var network struct {
		AuditLog struct {
			TotalCount int
			Edges      []struct{ Node struct{ Operation string } }
		}
	}
	a.as(actors["auditor"]).must(`{ auditLog(filter: {processingActivity: "NETWORK_ANALYSIS"}) { totalCount edges { node { operation } } } }`, nil, &network)
	if network.AuditLog.TotalCount != 1 || network.AuditLog.Edges[0].Node.Operation != "query Around" {
		t.Fatalf("entries of network analysis: %+v", network)
	}
	var register struct {
		ProcessingActivities []struct{ Code, LegalGround string }
	}
	a.as(actors["reporter"]).must(`{ processingActivities { code legalGround } }`, nil, &register)
	if len(register.ProcessingActivities) != len(casus.DefaultRegister) || register.ProcessingActivities[0].LegalGround == "" {
		t.Fatalf("the register: %+v", register)
	}
}
