package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"

	"casusnet/internal/report"
)

// TestDataSubjectRequestAndDossier runs an access request through: the
// data-protection officer of Aalsmeer finds Anna, registers her request
// (due in a month), extends it once with a reason, compiles her dossier as
// JSON and PDF — her record, her ties with the other party redacted, a
// notice that something is withheld without a word about the case she is
// not informed about, and who accessed her data — and the officer's record
// of what was withheld and why; then decides the request. A person of another
// municipality is NOT_FOUND to the officer; nobody else may compile a
// dossier.
func TestDataSubjectRequestAndDossier(t *testing.T) {
	a := newAPI(t, accessRegion())
	a.as(actors["director A"]).must(`query Werkvoorraad($id: ID!) { case(id: $id) { reference } }`, map[string]any{"id": gid("Case", "case-a")}, nil)
	dpo := a.as(actors["dpo"])

	var found struct{ Requesters []struct{ ID, Name string } }
	dpo.must(`{ requesters(name: "an") { id name } }`, nil, &found)
	if len(found.Requesters) != 1 || found.Requesters[0].Name != "Anna A" {
		t.Fatalf("requesters: %+v", found)
	}
	var none struct{ Requesters []struct{ ID string } }
	dpo.must(`{ requesters(name: "ba") { id } }`, nil, &none)
	if len(none.Requesters) != 0 {
		t.Fatalf("the officer of Aalsmeer finds a person of Amstelveen: %+v", none)
	}

	received := time.Now().UTC().AddDate(0, 0, -3).Format(time.DateOnly)
	var reg struct {
		RegisterRequest struct{ Request struct{ ID, Deadline string } }
	}
	dpo.must(`mutation($p: ID!, $on: Date!) { registerRequest(input: {kind: ACCESS, person: $p, receivedOn: $on, identityCheckedBy: "balie, paspoort gezien"}) { request { id deadline } } }`,
		map[string]any{"p": gid("Person", "p-a"), "on": received}, &reg)
	day, _ := time.Parse(time.DateOnly, received)
	if reg.RegisterRequest.Request.Deadline != day.AddDate(0, 1, 0).Format(time.DateOnly) {
		t.Fatalf("deadline %s for a request received %s", reg.RegisterRequest.Request.Deadline, received)
	}
	id := reg.RegisterRequest.Request.ID
	if r := dpo.do(`mutation($p: ID!) { registerRequest(input: {kind: ACCESS, person: $p, receivedOn: "2026-11-01", identityCheckedBy: "x"}) { request { id } } }`,
		map[string]any{"p": gid("Person", "p-b")}, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INVALID" {
		t.Fatalf("a request for a person of another municipality: %+v", r)
	}
	var ext struct {
		ExtendRequest struct{ Request struct{ Deadline string } }
	}
	dpo.must(`mutation($r: ID!) { extendRequest(input: {request: $r, reason: "omvangrijk dossier"}) { request { deadline } } }`, map[string]any{"r": id}, &ext)
	if ext.ExtendRequest.Request.Deadline != day.AddDate(0, 3, 0).Format(time.DateOnly) {
		t.Fatalf("extended deadline %s", ext.ExtendRequest.Request.Deadline)
	}
	if r := dpo.do(`mutation($r: ID!) { extendRequest(input: {request: $r, reason: "nog eens"}) { request { id } } }`, map[string]any{"r": id}, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INVALID" {
		t.Fatalf("a second extension: %+v", r)
	}

	status, body := dpo.get(t, "/dossier/"+gid("Person", "p-a")+"?format=json")
	if status != http.StatusOK {
		t.Fatalf("dossier: %d %s", status, body)
	}
	var d struct {
		Person    struct{ FirstName, LastName string }
		Relatives []struct{ Relation, Party string }
		Contacts  []struct{ Relation, Party string }
		Cases     []struct{ Reference string }
		Notice    string
		Accesses  []struct{ Role, Action string }
	}
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	switch {
	case d.Person.FirstName != "Anna" || len(d.Relatives) != 1 || d.Relatives[0].Party != "derde (afgeschermd)" || len(d.Contacts) != 2:
		t.Errorf("record and ties: %+v", d)
	case len(d.Cases) != 0 || !strings.Contains(d.Notice, "artikel 23 AVG"):
		t.Errorf("the case she is not informed about is withheld, with a notice: %+v %q", d.Cases, d.Notice)
	}
	// The director read her with her case while she is not informed: that
	// access would tell her of the case, so it stays out too.
	for _, x := range d.Accesses {
		if x.Role == "DIRECTOR" {
			t.Errorf("an access for the withheld case is in the dossier: %+v", d.Accesses)
		}
	}
	for _, word := range []string{"Ruud", "Coach", "Bart", "AM-2026-0001", "lopend strafrechtelijk", "2026-08-01", "case-a"} {
		if bytes.Contains(body, []byte(word)) {
			t.Errorf("the dossier names a third party or the withheld case: %s", word)
		}
	}
	status, doc := dpo.get(t, "/dossier/"+gid("Person", "p-a")+"?format=pdf")
	if status != http.StatusOK || !bytes.HasPrefix(doc, []byte("%PDF")) {
		t.Fatalf("pdf: %d", status)
	}
	flat := pdfText(t, doc)
	for _, h := range append(report.DossierHeadings, "Anna", "artikel23AVG") {
		if !strings.Contains(flat, strings.ReplaceAll(h, " ", "")) {
			t.Errorf("the PDF lacks %q", h)
		}
	}
	if strings.Contains(flat, "AM-2026-0001") || strings.Contains(flat, "lopendstrafrechtelijk") {
		t.Errorf("the letter's PDF names the withheld case: %s", flat)
	}
	// The officer's own record says what was withheld and why.
	status, doc = dpo.get(t, "/dossier/"+gid("Person", "p-a")+"?format=record")
	if status != http.StatusOK {
		t.Fatalf("record: %d", status)
	}
	record := pdfText(t, doc)
	for _, want := range append(report.RecordHeadings, "AM-2026-0001", "lopend strafrechtelijk onderzoek", "AVG art. 23") {
		if !strings.Contains(record, strings.ReplaceAll(want, " ", "")) {
			t.Errorf("the officer's record lacks %q: %s", want, record)
		}
	}
	if status, _ := dpo.get(t, "/dossier/"+gid("Person", "p-b")+"?format=json"); status != http.StatusNotFound {
		t.Errorf("a dossier outside the officer's municipalities: %d, want 404", status)
	}
	for _, role := range []string{"auditor", "coordinator", "director A"} {
		if status, _ := a.as(actors[role]).get(t, "/dossier/"+gid("Person", "p-a")+"?format=json"); status != http.StatusForbidden {
			t.Errorf("%s compiles a dossier: %d", role, status)
		}
	}

	var decided struct {
		DecideRequest struct{ Request struct{ Decision string } }
	}
	dpo.must(`mutation($r: ID!) { decideRequest(input: {request: $r, decision: PARTIALLY_GRANTED, reason: "AVG art. 23: lopend onderzoek"}) { request { decision } } }`, map[string]any{"r": id}, &decided)
	var open struct{ SubjectRequests []struct{ ID string } }
	dpo.must(`{ subjectRequests(open: true) { id } }`, nil, &open)
	if decided.DecideRequest.Request.Decision != "PARTIALLY_GRANTED" || len(open.SubjectRequests) != 0 {
		t.Fatalf("decided: %+v, open: %+v", decided, open)
	}

	// A rectification corrects her record on her request, and stays on it.
	if r := dpo.do(`mutation($r: ID!) { rectifyPerson(input: {request: $r, lastName: "Aarts"}) { request { id } } }`, map[string]any{"r": id}, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INVALID" {
		t.Fatalf("a correction on an access request: %+v", r)
	}
	var rect struct {
		RegisterRequest struct{ Request struct{ ID string } }
	}
	dpo.must(`mutation($p: ID!) { registerRequest(input: {kind: RECTIFICATION, person: $p, receivedOn: "2026-11-25", identityCheckedBy: "balie"}) { request { id } } }`,
		map[string]any{"p": gid("Person", "p-a")}, &rect)
	var fixed struct {
		RectifyPerson struct {
			Request struct {
				Corrections []struct{ Field, Before, After string }
			}
		}
	}
	dpo.must(`mutation($r: ID!) { rectifyPerson(input: {request: $r, lastName: "Aarts"}) { request { corrections { field before after } } } }`,
		map[string]any{"r": rect.RegisterRequest.Request.ID}, &fixed)
	if c := fixed.RectifyPerson.Request.Corrections; len(c) != 1 || c[0].Field != "lastName" || c[0].Before != `"A"` || c[0].After != `"Aarts"` {
		t.Fatalf("corrections: %+v", c)
	}
	var person struct{ Person struct{ LastName string } }
	a.as(actors["director A"]).must(`query($p: ID!) { person(id: $p) { lastName } }`, map[string]any{"p": gid("Person", "p-a")}, &person)
	if person.Person.LastName != "Aarts" {
		t.Fatalf("the record after the correction: %+v", person)
	}
	if _, body := dpo.get(t, "/dossier/"+gid("Person", "p-a")+"?format=json"); !bytes.Contains(body, []byte("achternaam: A → Aarts")) {
		t.Errorf("the dossier does not show the correction: %s", body)
	}

	// Compiling the dossier is itself in the access log, for the rights of
	// the person concerned.
	var log struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					Operation, Action    string
					ProcessingActivities []string
				}
			}
		}
	}
	a.as(actors["auditor"]).must(`{ auditLog(filter: {user: "u-dpo", processingActivity: "DATA_SUBJECT_RIGHTS"}) { edges { node { operation action processingActivities } } } }`, nil, &log)
	ops := map[string]bool{}
	for _, e := range log.AuditLog.Edges {
		ops[e.Node.Operation] = true
	}
	if !ops["dossier json"] || !ops["dossier pdf"] {
		t.Fatalf("the dossier's entries: %+v", log)
	}
}

// pdfText returns the text of a PDF without its spaces.
func pdfText(t *testing.T, doc []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		for _, s := range r.Page(i).Content().Text {
			text.WriteString(s.S)
		}
	}
	return strings.ReplaceAll(text.String(), " ", "")
}

// TestRestrictionLeavesAnalysis restricts the processing of Anna's coach on
// his request: he stays stored, but the analyst's network shows him as
// restricted, without his name, does not start from him, and shows him
// again once the restriction is lifted. A restriction needs a request for
// one (or an objection).
func TestRestrictionLeavesAnalysis(t *testing.T) {
	a := newAPI(t, accessRegion())
	analyst, dpo := a.as(actors["analyst A"]), a.as(actors["dpo"])
	// network returns whether the coach shows by name in the analyst's
	// network around Anna, and how many nodes show as restricted (and
	// whether any of them has a name).
	network := func() (coachShown bool, restricted int, named bool) {
		var out struct {
			Network struct {
				Nodes []struct {
					ID         string
					Label      *string
					Restricted bool
				}
			}
		}
		analyst.must(`query($p: ID!) { network(from: [$p], depth: 1) { nodes { id label restricted } } }`, map[string]any{"p": gid("Person", "p-a")}, &out)
		for _, n := range out.Network.Nodes {
			if n.ID == gid("Person", "p-a-con") && n.Label != nil {
				coachShown = true
			}
			if n.Restricted {
				restricted++
				named = named || n.Label != nil
			}
		}
		return coachShown, restricted, named
	}
	if shown, restricted, _ := network(); !shown || restricted != 0 {
		t.Fatalf("before the restriction: coach shown %v, %d restricted", shown, restricted)
	}
	register := func(kind string) string {
		var reg struct {
			RegisterRequest struct{ Request struct{ ID string } }
		}
		dpo.must(`mutation($p: ID!, $k: RequestKind!) { registerRequest(input: {kind: $k, person: $p, receivedOn: "2026-11-20", identityCheckedBy: "balie"}) { request { id } } }`,
			map[string]any{"p": gid("Person", "p-a-con"), "k": kind}, &reg)
		return reg.RegisterRequest.Request.ID
	}
	access := register("ACCESS")
	if r := dpo.do(`mutation($r: ID!) { restrictPerson(input: {request: $r}) { request { restricted } } }`, map[string]any{"r": access}, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INVALID" {
		t.Fatalf("a restriction on an access request: %+v", r)
	}
	restriction := register("RESTRICTION")
	var done struct {
		RestrictPerson struct{ Request struct{ Restricted bool } }
	}
	dpo.must(`mutation($r: ID!) { restrictPerson(input: {request: $r}) { request { restricted } } }`, map[string]any{"r": restriction}, &done)
	if !done.RestrictPerson.Request.Restricted {
		t.Fatal("the restriction did not take")
	}
	if shown, restricted, named := network(); shown || restricted != 1 || named {
		t.Fatalf("after the restriction: coach shown %v, %d restricted, named %v", shown, restricted, named)
	}
	if r := analyst.do(`query($p: ID!) { network(from: [$p], depth: 1) { nodes { id } } }`, map[string]any{"p": gid("Person", "p-a-con")}, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "NOT_FOUND" {
		t.Fatalf("a network from a restricted person: %+v", r)
	}
	// Still stored: the director of his municipality reads his record.
	a.as(actors["director A"]).must(`query($p: ID!) { person(id: $p) { lastName } }`, map[string]any{"p": gid("Person", "p-a-con")}, nil)
	dpo.must(`mutation($r: ID!) { restrictPerson(input: {request: $r, lift: true}) { request { restricted } } }`, map[string]any{"r": restriction}, nil)
	if shown, restricted, _ := network(); !shown || restricted != 0 {
		t.Fatalf("after lifting: coach shown %v, %d restricted", shown, restricted)
	}
}
