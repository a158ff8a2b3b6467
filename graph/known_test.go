package graph_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"casusnet/internal/casus"
)

const askKnown = `mutation($purpose: ID!, $first: String!, $last: String!, $birth: Date) {
	askKnownElsewhere(input: {purpose: $purpose, firstName: $first, lastName: $last, birthDate: $birth}) { question hit contact } }`

// known asks as a about first last born on birth, for purpose, and returns
// the answer as it came, and the question.
func known(a *api, purpose, first, last string, birth any) (string, string) {
	a.t.Helper()
	var out struct{ AskKnownElsewhere json.RawMessage }
	a.must(askKnown, map[string]any{"purpose": purpose, "first": first, "last": last, "birth": birth}, &out)
	var q struct{ Question string }
	_ = json.Unmarshal(out.AskKnownElsewhere, &q)
	var shape map[string]any
	_ = json.Unmarshal(out.AskKnownElsewhere, &shape)
	delete(shape, "question")
	b, _ := json.Marshal(shape)
	return string(b), q.Question
}

// TestKnownElsewhere: a director asks about the person of a signal. A
// person in a case they cannot read is a hit with whom to contact; every
// no-hit — unknown, known only in their own scope, incomplete — is the same
// answer; without a purpose they may read it is refused; the question is
// in the access log with the person it touched; a hit is followed by a
// request to share, which the coordinator grants for a set time, after
// which the director reads the case; questions are limited per hour.
func TestKnownElsewhere(t *testing.T) {
	d := escalationRegion()
	for i := range d.Persons {
		b := time.Date(2005, 1, 1+i, 0, 0, 0, 0, time.UTC)
		d.Persons[i].BirthDate = b
	}
	a := newAPI(t, d)
	dir := a.as(actors["director A"])
	sig := gid("Signal", "sig-a")

	// Bart B is the subject of case-b, in Amstelveen, which director A
	// (Aalsmeer) cannot read.
	hit, question := known(dir, sig, "bart", " B ", "2005-01-04")
	if hit != `{"contact":"`+casus.RegionalContact+`","hit":true}` {
		t.Fatalf("a hit answers %s", hit)
	}
	const none = `{"contact":"","hit":false}`
	for name, q := range map[string][3]any{
		"known in own scope": {"Anna", "A", "2005-01-01"},
		"unknown":            {"Nobody", "Here", "2005-01-01"},
		"other birth date":   {"Bart", "B", "2005-01-05"},
		"no birth date":      {"Bart", "B", nil},
		"no first name":      {"", "B", "2005-01-04"},
	} {
		if got, _ := known(dir, sig, q[0].(string), q[1].(string), q[2]); got != none {
			t.Errorf("%s: %s, want the one no-hit answer %s", name, got, none)
		}
	}
	vars := map[string]any{"first": "Bart", "last": "B", "birth": "2005-01-04"}
	for purpose, code := range map[string]string{"": "INVALID", gid("Person", "p-a"): "INVALID", gid("Case", "case-b"): "NOT_FOUND", gid("Signal", "sig-b"): "NOT_FOUND"} {
		vars["purpose"] = purpose
		expectCode(t, dir, askKnown, vars, code, "purpose")
	}
	expectCode(t, a.as(actors["analyst A"]), askKnown, map[string]any{"purpose": sig, "first": "Bart", "last": "B"}, "FORBIDDEN", "")

	// The access log names the asker and the person the hit touched.
	var log struct {
		AuditLog struct{ TotalCount int }
	}
	a.as(actors["auditor"]).must(`query($p: ID!) { auditLog(first: 5, filter: {person: $p, user: "dir-a"}) { totalCount } }`,
		map[string]any{"p": gid("Person", "p-b")}, &log)
	if log.AuditLog.TotalCount == 0 {
		t.Fatal("the question about p-b is not in the access log under p-b")
	}

	// Follow the hit up: the coordinator sees which case, the asker does not.
	expectCode(t, a.as(actors["analyst A"]), `mutation($q: ID!) { requestShare(input: {question: $q, reason: "r"}) { request { id } } }`,
		map[string]any{"q": question}, "FORBIDDEN", "")
	expectCode(t, a.as(casus.Actor{ID: "dir-x", Role: casus.RoleDirector, Municipalities: []string{"GM0358"}}),
		`mutation($q: ID!) { requestShare(input: {question: $q, reason: "r"}) { request { id } } }`, map[string]any{"q": question}, "NOT_FOUND", "question")
	var req struct {
		RequestShare struct {
			Request struct {
				ID, Status string
				Cases      []struct{ Reference string }
			}
		}
	}
	dir.must(`mutation($q: ID!) { requestShare(input: {question: $q, reason: "Melding van school; wij willen afstemmen."}) { request { id status cases { reference } } } }`,
		map[string]any{"q": question}, &req)
	if r := req.RequestShare.Request; r.Status != "PENDING" || len(r.Cases) != 0 {
		t.Fatalf("the asker's request = %+v", r)
	}
	expectCode(t, dir, `mutation($q: ID!) { requestShare(input: {question: $q, reason: "nog eens"}) { request { id } } }`, map[string]any{"q": question}, "NOT_FOUND", "question")
	var list struct {
		ShareRequests []struct{ Cases []struct{ Reference string } }
	}
	a.must(`{ shareRequests { cases { reference } } }`, nil, &list)
	if len(list.ShareRequests) != 1 || len(list.ShareRequests[0].Cases) != 1 || list.ShareRequests[0].Cases[0].Reference != "AM-2026-0002" {
		t.Fatalf("the coordinator's requests = %+v", list.ShareRequests)
	}
	id := req.RequestShare.Request.ID
	expectCode(t, dir, `mutation($r: ID!) { decideShare(input: {request: $r, grant: true, until: "2099-01-01T00:00:00Z", reason: "r"}) { request { id } } }`,
		map[string]any{"r": id}, "FORBIDDEN", "")
	expectCode(t, a, `mutation($r: ID!) { decideShare(input: {request: $r, grant: true, reason: "r"}) { request { id } } }`,
		map[string]any{"r": id}, "INVALID", "until")
	var c struct{ Case *struct{ Reference string } }
	dir.do(`query($c: ID!) { case(id: $c) { reference } }`, map[string]any{"c": gid("Case", "case-b")}, &c)
	if c.Case != nil {
		t.Fatal("director A reads case-b before the grant")
	}
	until := time.Now().UTC().AddDate(0, 1, 0).Format(time.RFC3339)
	a.must(`mutation($r: ID!, $u: DateTime!) { decideShare(input: {request: $r, grant: true, until: $u, reason: "Afstemming nodig"}) { request { status } } }`,
		map[string]any{"r": id, "u": until}, nil)
	dir.must(`query($c: ID!) { case(id: $c) { reference } }`, map[string]any{"c": gid("Case", "case-b")}, &c)
	if c.Case == nil {
		t.Fatal("director A does not read case-b after the grant")
	}
	expectCode(t, a, `mutation($r: ID!) { decideShare(input: {request: $r, grant: false, reason: "r"}) { request { id } } }`,
		map[string]any{"r": id}, "INVALID", "request")

	// The limit: six questions were answered so far (refused ones do not count).
	for i := 6; i < casus.KnownElsewhereLimit; i++ {
		known(dir, sig, "Iemand", fmt.Sprint(i), "2000-01-01")
	}
	expectCode(t, dir, askKnown, map[string]any{"purpose": sig, "first": "Bart", "last": "B", "birth": "2005-01-04"}, casus.ERATELIMITED, "")
}
