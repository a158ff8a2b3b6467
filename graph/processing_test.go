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

// TestAnalysisNamesItsPurpose runs network analyses as an analyst: from a
// person who is no subject of any case, an analysis needs a recorded
// question (or a case it serves, which the analyst must be able to read —
// NOT_FOUND otherwise — and which concerns the person analysed);
// the question goes into the access log, the cases served into its
// purposes, and the answer marks who is no subject of any case. A whole
// municipality is a coordinator's or analyst's decision, not a director's.
func TestAnalysisNamesItsPurpose(t *testing.T) {
	a := newAPI(t, accessRegion())
	analyst := a.as(actors["analyst A"])
	const q = `query Around($p: ID!, $c: ID, $q: String) { network(from: [$p], depth: 1, purposeCase: $c, question: $q) { nodes { id nonSubject } } }`
	coach := gid("Person", "p-a-con")
	code := func(r response) string {
		if len(r.Errors) == 0 {
			return ""
		}
		s, _ := r.Errors[0].Extensions["code"].(string)
		return s
	}
	if r := analyst.do(q, map[string]any{"p": coach}, nil); code(r) != "INVALID" {
		t.Fatalf("an analysis of a non-subject without a purpose: %+v", r.Errors)
	}
	if r := analyst.do(q, map[string]any{"p": coach, "c": gid("Case", "case-b")}, nil); code(r) != "NOT_FOUND" {
		t.Fatalf("an analysis for a case the analyst cannot read: %+v", r.Errors)
	}
	// A case is no purpose for analysing persons it does not concern.
	if r := a.as(actors["coordinator"]).do(q, map[string]any{"p": gid("Person", "p-x"), "c": gid("Case", "case-a")}, nil); code(r) != "INVALID" {
		t.Fatalf("an analysis of Xander for Anna's case: %+v", r.Errors)
	}
	var out struct {
		Network struct {
			Nodes []struct {
				ID         string
				NonSubject bool
			}
		}
	}
	const question = "Met wie heeft de sportcoach contact buiten de club?"
	analyst.must(q, map[string]any{"p": coach, "q": question}, &out)
	marks := map[string]bool{}
	for _, n := range out.Network.Nodes {
		marks[n.ID] = n.NonSubject
	}
	if !marks[coach] || marks[gid("Person", "p-a")] {
		t.Fatalf("non-subjects marked: %v", marks)
	}
	analyst.must(q, map[string]any{"p": coach, "c": gid("Case", "case-a")}, nil)

	var log struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					Question *string
					Purpose  []string
					Outcome  string
				}
			}
		}
	}
	a.as(actors["auditor"]).must(`{ auditLog(filter: {user: "u-analyst"}) { edges { node { question purpose outcome } } } }`, nil, &log)
	var done []struct {
		Question *string
		Purpose  []string
		Outcome  string
	}
	for _, e := range log.AuditLog.Edges {
		if e.Node.Outcome == "SUCCESS" {
			done = append(done, e.Node)
		}
	}
	if len(done) != 2 {
		t.Fatalf("the analyses' entries: %+v", log)
	}
	byCase, byQuestion := done[0], done[1]
	if !slices.Contains(byCase.Purpose, "case-a") || byCase.Question != nil {
		t.Errorf("the analysis for case-a is logged as %+v", byCase)
	}
	if byQuestion.Question == nil || *byQuestion.Question != question {
		t.Errorf("the analysis for a question is logged as %+v", byQuestion)
	}

	scope := map[string]any{"municipality": "GM0358", "question": "Welke groepen vormen zich in Aalsmeer?"}
	communities := `query($s: AnalysisScope!) { communities(scope: $s) { modularity } }`
	if r := a.as(actors["director A"]).do(communities, map[string]any{"s": scope}, nil); code(r) != "FORBIDDEN" {
		t.Fatalf("a director analyses a whole municipality: %+v", r.Errors)
	}
	analyst.must(communities, map[string]any{"s": scope}, nil)
}
