package neo4j_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
)

var reporter = casus.Actor{ID: "u-reporter", Name: "Melder Een", Role: casus.RoleReporter, OrganisationID: "org-school"}

// signalBase is when the first seeded signal came in.
var signalBase = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// signals seeds the region and five signals, received an hour apart except
// sig-4 and sig-5, which came in at the same moment. Newest first they are
// sig-5, sig-4, sig-3, sig-2, sig-1.
func signals(t *testing.T, db *neo4j.DB) {
	t.Helper()
	region(t, db)
	at := func(h int) time.Time { return signalBase.Add(time.Duration(h) * time.Hour) }
	if _, err := db.Seed(testContext(t), demo.Data{
		Organisations: []demo.Organisation{{ID: "org-school", Name: "School", Type: "SCHOOL"}},
		Signals: []demo.Signal{
			{ID: "sig-1", ReporterName: "Leraar", OrganisationID: "org-school", Municipality: "GM0362", Description: "een",
				Indicators: []string{"ISOLATION"}, Status: "NEW", About: []string{"p-1"}, ReceivedAt: at(0)},
			{ID: "sig-2", OrganisationID: "org-school", Municipality: "GM0384", Description: "twee", Status: "DISMISSED",
				DismissReason: "geen zorgen", About: []string{"p-3"}, ReceivedAt: at(1)},
			{ID: "sig-3", OrganisationID: "org-school", Municipality: "GM0362", Description: "drie", Status: "IN_REVIEW",
				About: []string{"p-1", "p-2"}, ReceivedAt: at(2)},
			{ID: "sig-4", OrganisationID: "org-school", Municipality: "GM0362", Description: "vier", Status: "NEW", ReceivedAt: at(3)},
			{ID: "sig-5", OrganisationID: "org-school", Municipality: "GM0384", Description: "vijf", Status: "NEW", ReceivedAt: at(3)},
		},
	}); err != nil {
		t.Fatalf("seed: %v", err)
	}
}

func newSignal() casus.SubmitSignalInput {
	return casus.SubmitSignalInput{
		OrganisationID: "org-school", MunicipalityCode: " GM0362 ",
		Description: "  Leerling toont filmpjes van strijders in de klas. ",
		Indicators:  []string{"ONLINE_PROPAGANDA", "BEHAVIOUR_CHANGE", "ONLINE_PROPAGANDA"},
	}
}

// TestSubmitSignalNamesOnlyReadablePersons: a signal may name the persons
// its reporter can read; a reporter, who reads no persons, describes them in
// words, and a person out of scope answers exactly as one that does not
// exist.
func TestSubmitSignalNamesOnlyReadablePersons(t *testing.T) {
	db := neo4jtest.Open(t)
	signals(t, db)
	svc := neo4j.NewSignalService(db)
	director := casus.WithActor(testContext(t), casus.Actor{ID: "dir-1", Name: "Regisseur Een", Role: casus.RoleDirector,
		Municipalities: []string{"GM0362"}, OrganisationID: "org-avz"})
	in := newSignal()
	in.OrganisationID, in.AboutIDs = "", []string{"p-1", "p-2", "p-1"}
	s, err := svc.SubmitSignal(director, in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(slices.Sorted(slices.Values(s.AboutIDs)), ",") != "p-1,p-2" || s.OrganisationID != "org-avz" {
		t.Fatalf("submitted %+v", s)
	}
	var messages []string
	for _, about := range [][]string{{"p-3"}, {"p-404"}} { // p-3 lives in Diemen, which dir-1 does not serve
		in.AboutIDs = about
		_, err := svc.SubmitSignal(director, in)
		mustErr(t, err, casus.ENOTFOUND, "about")
		messages = append(messages, casus.ErrorMessage(err))
	}
	in.AboutIDs, in.OrganisationID = []string{"p-1"}, ""
	_, err = svc.SubmitSignal(casus.WithActor(testContext(t), reporter), in)
	mustErr(t, err, casus.ENOTFOUND, "about")
	if messages[0] != messages[1] || messages[0] != casus.ErrorMessage(err) {
		t.Fatalf("a foreign and an unknown person answer differently: %q", messages)
	}
	// Nobody reports in another organisation's name.
	in.AboutIDs, in.OrganisationID = nil, "org-jw"
	_, err = svc.SubmitSignal(casus.WithActor(testContext(t), reporter), in)
	mustErr(t, err, casus.EINVALID, "organisation")
	if n := countOf(t, "MATCH (s:Signal) WHERE NOT s.id STARTS WITH 'sig-' RETURN count(s)"); n != 1 {
		t.Fatalf("%d signals written, want the one accepted", n)
	}
}

func TestSubmitSignalAndReadBack(t *testing.T) {
	db := neo4jtest.Open(t)
	signals(t, db)
	svc := neo4j.NewSignalService(db)
	ctx := casus.WithActor(testContext(t), reporter)

	start := time.Now().Add(-time.Minute)
	s, err := svc.SubmitSignal(ctx, newSignal())
	if err != nil {
		t.Fatalf("SubmitSignal: %v", err)
	}
	if _, err := uuid.Parse(s.ID); err != nil {
		t.Errorf("id %q is not a uuid", s.ID)
	}
	if s.ReporterID != reporter.ID || s.ReporterName != reporter.Name || s.Status != casus.SignalNew ||
		s.OrganisationID != "org-school" || s.MunicipalityCode != "GM0362" ||
		s.Description != "Leerling toont filmpjes van strijders in de klas." ||
		strings.Join(s.Indicators, ",") != "ONLINE_PROPAGANDA,BEHAVIOUR_CHANGE" ||
		len(s.AboutIDs) != 0 || s.CaseID != "" || s.DismissReason != "" {
		t.Errorf("submitted %+v", s)
	}
	if s.ReceivedAt.Before(start) || s.ReceivedAt.After(time.Now().Add(time.Minute)) {
		t.Errorf("receivedAt = %v, want now", s.ReceivedAt)
	}
	if n := neo4jtest.Count(t, `MATCH (s:Signal {id: $id, status: 'NEW', municipality: 'GM0362'})
		MATCH (s)-[:FROM]->(:Organisation {id: 'org-school'})
		RETURN count { (s)-[:ABOUT]->(:Person) }`, map[string]any{"id": s.ID}); n != 0 {
		t.Errorf("stored ABOUT edges = %d, want none", n)
	}

	// The reporter reads their own signal back; another reporter does not see it.
	got, err := svc.Signal(ctx, s.ID)
	if err != nil {
		t.Fatalf("Signal: %v", err)
	}
	if got.ID != s.ID || !got.ReceivedAt.Equal(s.ReceivedAt) || got.ReporterID != reporter.ID || len(got.AboutIDs) != 0 {
		t.Errorf("read back %+v, want %+v", got, s)
	}
	other := casus.WithActor(ctx, casus.Actor{ID: "u-other-reporter", Role: casus.RoleReporter})
	_, err = svc.Signal(other, s.ID)
	mustErr(t, err, casus.ENOTFOUND, "")

	// The persons are optional, and the organisation is the reporter's own
	// unless they say otherwise.
	in := newSignal()
	in.OrganisationID, in.AboutIDs, in.Indicators = "", nil, nil
	bare, err := svc.SubmitSignal(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if bare.OrganisationID != "org-school" || len(bare.AboutIDs) != 0 || len(bare.Indicators) != 0 || bare.ID == s.ID {
		t.Errorf("bare signal = %+v", bare)
	}
	if n := neo4jtest.Count(t, "MATCH (:Signal {id: $id})-[r]->() RETURN count(r)", map[string]any{"id": bare.ID}); n != 1 {
		t.Errorf("bare signal has %d edges, want FROM (it names its municipality by code)", n)
	}

	// By id, in order, nil for unknown or unseen ones.
	ss, err := svc.SignalsByID(testContext(t), []string{"sig-2", "sig-404", s.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 3 || ss[0] == nil || ss[0].Status != casus.SignalDismissed || ss[0].DismissReason != "geen zorgen" ||
		ss[0].MunicipalityCode != "GM0384" || !ss[0].ReceivedAt.Equal(signalBase.Add(time.Hour)) || ss[1] != nil ||
		ss[2] == nil || ss[2].ID != s.ID {
		t.Fatalf("SignalsByID = %v", ss)
	}
	if ss, err = svc.SignalsByID(ctx, []string{"sig-2", s.ID}); err != nil || ss[0] != nil || ss[1] == nil {
		t.Fatalf("a reporter's SignalsByID = %v, %v; want only their own", ss, err)
	}
	_, err = svc.Signal(testContext(t), "sig-404")
	mustErr(t, err, casus.ENOTFOUND, "")
}

func TestSubmitSignalRefusesBadInputAndWritesNothing(t *testing.T) {
	db := neo4jtest.Open(t)
	signals(t, db)
	svc := neo4j.NewSignalService(db)
	ctx := casus.WithActor(testContext(t), reporter)

	tests := []struct {
		name  string
		edit  func(*casus.SubmitSignalInput)
		field string
	}{
		{"no municipality", func(in *casus.SubmitSignalInput) { in.MunicipalityCode = " " }, "municipality"},
		{"unknown municipality", func(in *casus.SubmitSignalInput) { in.MunicipalityCode = "GM9999" }, "municipality"},
		{"no description", func(in *casus.SubmitSignalInput) { in.Description = "\t" }, "description"},
		{"long description", func(in *casus.SubmitSignalInput) { in.Description = strings.Repeat("d", casus.MaxDescription+1) }, "description"},
		{"unknown indicator", func(in *casus.SubmitSignalInput) { in.Indicators = []string{"ISOLATION", "BAD_MOOD"} }, "indicators"},
		{"too many persons", func(in *casus.SubmitSignalInput) { in.AboutIDs = make([]string, casus.MaxGroupSize+1) }, "about"},
		{"unknown organisation", func(in *casus.SubmitSignalInput) { in.OrganisationID = "org-404" }, "organisation"},
		{"long key", func(in *casus.SubmitSignalInput) { in.IdempotencyKey = strings.Repeat("k", casus.MaxKey+1) }, "idempotencyKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newSignal()
			in.IdempotencyKey = "refused-" + tt.name
			tt.edit(&in)
			_, err := svc.SubmitSignal(ctx, in)
			mustErr(t, err, casus.EINVALID, tt.field)
		})
	}
	analyst := casus.WithActor(ctx, casus.Actor{ID: "u-analyst", Role: casus.RoleAnalyst})
	_, err := svc.SubmitSignal(analyst, newSignal())
	mustErr(t, err, casus.EFORBIDDEN, "")
	_, err = svc.SubmitSignal(context.Background(), newSignal())
	mustErr(t, err, casus.EUNAUTHENTICATED, "")

	if n := countOf(t, "MATCH (s:Signal) RETURN count(s)"); n != 5 {
		t.Fatalf("signals = %d after refused requests, want the 5 seeded", n)
	}
	if n := countOf(t, "MATCH (k:IdempotencyKey) RETURN count(k)"); n != 0 {
		t.Fatalf("refused requests stored %d idempotency keys", n)
	}
}

func TestSubmitSignalIdempotencyKey(t *testing.T) {
	db := neo4jtest.Open(t)
	signals(t, db)
	svc := neo4j.NewSignalService(db)
	ctx := casus.WithActor(testContext(t), reporter)

	in := newSignal()
	in.IdempotencyKey = "signal-1"
	first, err := svc.SubmitSignal(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := svc.SubmitSignal(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || !again.ReceivedAt.Equal(first.ReceivedAt) {
		t.Fatalf("retry submitted %s, want the first signal %s", again.ID, first.ID)
	}
	if n := countOf(t, "MATCH (s:Signal {reporterId: 'u-reporter'}) RETURN count(s)"); n != 1 {
		t.Fatalf("signals = %d, want 1", n)
	}
	if n := countOf(t, "MATCH (:Signal {reporterId: 'u-reporter'})-[r:ABOUT]->() RETURN count(r)"); n != 0 {
		t.Fatalf("ABOUT edges = %d, want 2", n)
	}
	// Another user's key is their own.
	other := casus.WithActor(ctx, casus.Actor{ID: "u-reporter-2", Name: "Melder Twee", Role: casus.RoleReporter, OrganisationID: "org-school"})
	third, err := svc.SubmitSignal(other, in)
	if err != nil {
		t.Fatal(err)
	}
	if third.ID == first.ID || third.ReporterID != "u-reporter-2" {
		t.Fatalf("another user's request with the same key = %+v", third)
	}
	if n := countOf(t, "MATCH (s:Signal) RETURN count(s)"); n != 7 {
		t.Fatalf("signals = %d, want 5 seeded + 2", n)
	}
}

func TestSignalsPagesNewestFirstAndFilters(t *testing.T) {
	db := neo4jtest.Open(t)
	signals(t, db)
	svc := neo4j.NewSignalService(db)
	ctx := testContext(t)

	page := func(p casus.Page, f casus.SignalFilter) *casus.SignalPage {
		t.Helper()
		res, err := svc.Signals(ctx, f, p)
		if err != nil {
			t.Fatalf("Signals(%+v, %+v): %v", f, p, err)
		}
		return res
	}
	ids := func(p *casus.SignalPage) []string {
		out := []string{}
		for _, e := range p.Edges {
			out = append(out, e.Signal.ID)
		}
		return out
	}
	want := []string{"sig-5", "sig-4", "sig-3", "sig-2", "sig-1"}
	all := page(casus.Page{}, casus.SignalFilter{})
	if !slices.Equal(ids(all), want) || all.TotalCount != 5 || all.HasNextPage || all.HasPreviousPage {
		t.Fatalf("all = %v total %d", ids(all), all.TotalCount)
	}
	if e := all.Edges[2].Signal; e.Status != casus.SignalInReview || len(e.AboutIDs) != 2 || e.OrganisationID != "org-school" {
		t.Errorf("sig-3 in the list = %+v", e)
	}

	two := 2
	p1 := page(casus.Page{First: &two}, casus.SignalFilter{})
	if !slices.Equal(ids(p1), want[:2]) || !p1.HasNextPage || p1.HasPreviousPage || p1.TotalCount != 5 {
		t.Fatalf("page 1 = %v next=%v prev=%v", ids(p1), p1.HasNextPage, p1.HasPreviousPage)
	}
	p2 := page(casus.Page{First: &two, After: p1.Edges[1].Cursor}, casus.SignalFilter{})
	if !slices.Equal(ids(p2), want[2:4]) || !p2.HasNextPage || !p2.HasPreviousPage {
		t.Fatalf("page 2 = %v next=%v prev=%v", ids(p2), p2.HasNextPage, p2.HasPreviousPage)
	}
	p3 := page(casus.Page{First: &two, After: p2.Edges[1].Cursor}, casus.SignalFilter{})
	if !slices.Equal(ids(p3), want[4:]) || p3.HasNextPage || !p3.HasPreviousPage {
		t.Fatalf("page 3 = %v next=%v prev=%v", ids(p3), p3.HasNextPage, p3.HasPreviousPage)
	}
	back := page(casus.Page{Last: &two, Before: p3.Edges[0].Cursor}, casus.SignalFilter{})
	if !slices.Equal(ids(back), want[2:4]) || !back.HasPreviousPage || !back.HasNextPage {
		t.Fatalf("backward = %v next=%v prev=%v", ids(back), back.HasNextPage, back.HasPreviousPage)
	}
	// Across the two signals received at the same moment.
	one := 1
	tie := page(casus.Page{Last: &one, Before: back.Edges[0].Cursor}, casus.SignalFilter{})
	if !slices.Equal(ids(tie), []string{"sig-4"}) || !tie.HasPreviousPage {
		t.Fatalf("before sig-3 = %v prev=%v", ids(tie), tie.HasPreviousPage)
	}
	after5 := page(casus.Page{First: &one, After: p1.Edges[0].Cursor}, casus.SignalFilter{})
	if !slices.Equal(ids(after5), []string{"sig-4"}) {
		t.Fatalf("after sig-5 = %v", ids(after5))
	}
	tail := page(casus.Page{Last: &two}, casus.SignalFilter{})
	if !slices.Equal(ids(tail), want[3:]) || !tail.HasPreviousPage || tail.HasNextPage {
		t.Fatalf("last two = %v next=%v prev=%v", ids(tail), tail.HasNextPage, tail.HasPreviousPage)
	}

	filters := []struct {
		f    casus.SignalFilter
		want []string
	}{
		{casus.SignalFilter{Status: casus.SignalNew}, []string{"sig-5", "sig-4", "sig-1"}},
		{casus.SignalFilter{MunicipalityCode: "GM0384"}, []string{"sig-5", "sig-2"}},
		{casus.SignalFilter{Status: casus.SignalNew, MunicipalityCode: "GM0384"}, []string{"sig-5"}},
		{casus.SignalFilter{Status: casus.SignalDismissed}, []string{"sig-2"}},
		{casus.SignalFilter{Status: casus.SignalCaseOpened}, []string{}},
		{casus.SignalFilter{MunicipalityCode: "GM9999"}, []string{}},
	}
	for _, f := range filters {
		got := page(casus.Page{}, f.f)
		if !slices.Equal(ids(got), f.want) || got.TotalCount != len(f.want) {
			t.Errorf("filter %+v = %v total %d, want %v", f.f, ids(got), got.TotalCount, f.want)
		}
	}
	n1 := page(casus.Page{First: &two}, casus.SignalFilter{Status: casus.SignalNew})
	n2 := page(casus.Page{First: &two, After: n1.Edges[1].Cursor}, casus.SignalFilter{Status: casus.SignalNew})
	if !slices.Equal(ids(n2), []string{"sig-1"}) || n2.HasNextPage || !n2.HasPreviousPage || n2.TotalCount != 3 {
		t.Fatalf("second page of new signals = %v", ids(n2))
	}

	// A reporter's list holds only their own signals.
	rctx := casus.WithActor(ctx, reporter)
	mine, err := svc.SubmitSignal(rctx, newSignal())
	if err != nil {
		t.Fatal(err)
	}
	own, err := svc.Signals(rctx, casus.SignalFilter{}, casus.Page{})
	if err != nil || !slices.Equal(ids(own), []string{mine.ID}) || own.TotalCount != 1 {
		t.Fatalf("reporter's list = %v, %v", own, err)
	}
	if got := page(casus.Page{First: &one}, casus.SignalFilter{}); !slices.Equal(ids(got), []string{mine.ID}) || got.TotalCount != 6 {
		t.Fatalf("newest signal = %v total %d, want the one just submitted", ids(got), got.TotalCount)
	}

	bad := []struct {
		name string
		page casus.Page
		f    casus.SignalFilter
		fld  string
	}{
		{"unknown status", casus.Page{}, casus.SignalFilter{Status: "LIMBO"}, "filter.status"},
		{"garbage cursor", casus.Page{After: "bm9wZQ"}, casus.SignalFilter{}, "after"},
		{"truncated cursor", casus.Page{Before: p1.Edges[0].Cursor[:len(p1.Edges[0].Cursor)-2]}, casus.SignalFilter{}, "before"},
		{"negative first", casus.Page{First: ptr(-1)}, casus.SignalFilter{}, "first"},
	}
	for _, b := range bad {
		_, err := svc.Signals(ctx, b.f, b.page)
		if casus.ErrorCode(err) != casus.EINVALID || casus.ErrorField(err) != b.fld {
			t.Errorf("%s: err = %v, want INVALID on %s", b.name, err, b.fld)
		}
	}
}

func TestDismissSignal(t *testing.T) {
	db := neo4jtest.Open(t)
	signals(t, db)
	svc := neo4j.NewSignalService(db)
	ctx := testContext(t)
	status := func(id string) (casus.SignalStatus, string) {
		t.Helper()
		s, err := svc.Signal(ctx, id)
		if err != nil {
			t.Fatalf("Signal(%s): %v", id, err)
		}
		return s.Status, s.DismissReason
	}

	s, err := svc.DismissSignal(ctx, "sig-1", "  Zorgen weggenomen in gesprek met ouders. ")
	if err != nil {
		t.Fatalf("DismissSignal: %v", err)
	}
	if s.ID != "sig-1" || s.Status != casus.SignalDismissed || s.DismissReason != "Zorgen weggenomen in gesprek met ouders." ||
		s.Description != "een" || strings.Join(s.AboutIDs, ",") != "p-1" {
		t.Fatalf("dismissed %+v", s)
	}
	if st, reason := status("sig-1"); st != casus.SignalDismissed || reason != s.DismissReason {
		t.Fatalf("read back %s %q", st, reason)
	}
	// A signal under review can be dismissed too.
	if s, err = svc.DismissSignal(ctx, "sig-3", "geen radicalisering"); err != nil || s.Status != casus.SignalDismissed {
		t.Fatalf("dismiss IN_REVIEW: %+v, %v", s, err)
	}

	// A signal that led to a case cannot be dismissed.
	in := validInput()
	in.SignalIDs = []string{"sig-4"}
	if _, err := neo4j.NewServices(db).CaseService.OpenCase(ctx, in); err != nil {
		t.Fatal(err)
	}

	refused := []struct {
		name, id, reason string
		code, field      string
	}{
		{"already dismissed", "sig-2", "nog eens", casus.EINVALID, "signal"},
		{"dismissed just now", "sig-1", "nog eens", casus.EINVALID, "signal"},
		{"led to a case", "sig-4", "toch niet", casus.EINVALID, "signal"},
		{"unknown", "sig-404", "weg", casus.ENOTFOUND, ""},
		{"no reason", "sig-5", " \n ", casus.EINVALID, "reason"},
		{"long reason", "sig-5", strings.Repeat("r", casus.MaxReason+1), casus.EINVALID, "reason"},
	}
	for _, r := range refused {
		_, err := svc.DismissSignal(ctx, r.id, r.reason)
		if casus.ErrorCode(err) != r.code || casus.ErrorField(err) != r.field {
			t.Errorf("%s: err = %v, want %s on %q", r.name, err, r.code, r.field)
		}
	}
	for _, who := range []casus.Actor{reporter, {ID: "u-mayor", Role: casus.RoleMayor, Municipalities: []string{"GM0384"}}} {
		_, err := svc.DismissSignal(casus.WithActor(ctx, who), "sig-5", "mag niet")
		mustErr(t, err, casus.EFORBIDDEN, "")
	}
	// A director outside the signal's municipality does not find it.
	dir := casus.WithActor(ctx, casus.Actor{ID: "dir-1", Role: casus.RoleDirector, Municipalities: []string{"GM0362"}})
	_, err = svc.DismissSignal(dir, "sig-5", "niet mijn gemeente")
	mustErr(t, err, casus.ENOTFOUND, "")

	// The refused requests changed nothing.
	for id, want := range map[string]casus.SignalStatus{"sig-2": casus.SignalDismissed, "sig-4": casus.SignalCaseOpened, "sig-5": casus.SignalNew} {
		if st, _ := status(id); st != want {
			t.Errorf("%s is %s after refused requests, want %s", id, st, want)
		}
	}
	if _, reason := status("sig-2"); reason != "geen zorgen" {
		t.Errorf("sig-2's reason became %q", reason)
	}
	if n := countOf(t, "MATCH (s:Signal) WHERE s.dismissReason IS NOT NULL AND s.dismissReason <> '' RETURN count(s)"); n != 3 {
		t.Errorf("signals with a dismiss reason = %d, want 3", n)
	}
	// A director of the municipality may.
	dir2 := casus.WithActor(ctx, casus.Actor{ID: "dir-2", Role: casus.RoleDirector, Municipalities: []string{"GM0384"}})
	if s, err = svc.DismissSignal(dir2, "sig-5", "afgehandeld door wijkteam"); err != nil || s.Status != casus.SignalDismissed {
		t.Fatalf("director's dismissal: %+v, %v", s, err)
	}
}

func TestSignalsOfCases(t *testing.T) {
	db := neo4jtest.Open(t)
	signals(t, db)
	svc := neo4j.NewSignalService(db)
	cases := neo4j.NewServices(db)
	ctx := testContext(t)

	in := validInput()
	in.SignalIDs = []string{"sig-3", "sig-1"}
	c, err := cases.CaseService.OpenCase(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	empty, err := cases.CaseService.OpenCase(ctx, validInput())
	if err != nil {
		t.Fatal(err)
	}

	got, err := svc.SignalsOfCases(ctx, []string{c.ID, "case-404", empty.ID})
	if err != nil {
		t.Fatalf("SignalsOfCases: %v", err)
	}
	if len(got) != 3 || len(got[1]) != 0 || len(got[2]) != 0 || got[1] == nil || got[2] == nil {
		t.Fatalf("SignalsOfCases = %v", got)
	}
	var ids []string
	for _, s := range got[0] {
		ids = append(ids, s.ID)
		if s.CaseID != c.ID || s.Status != casus.SignalCaseOpened {
			t.Errorf("signal of the case = %+v", s)
		}
	}
	if !slices.Equal(ids, []string{"sig-1", "sig-3"}) {
		t.Fatalf("signals of the case = %v, want sig-1 and sig-3 in the order received", ids)
	}
	s, err := svc.Signal(ctx, "sig-1")
	if err != nil || s.CaseID != c.ID {
		t.Fatalf("sig-1 = %+v, %v; want it to name its case", s, err)
	}
	if none, err := svc.SignalsOfCases(ctx, nil); err != nil || len(none) != 0 {
		t.Fatalf("SignalsOfCases(nil) = %v, %v", none, err)
	}
}

// TestPersonEventsDoNotQueue: a signal about a person commits while another
// transaction that wrote to the person event log is still open (the log's
// lock was held by every such transaction until its commit, so that writes
// about persons went one at a time), and the events of both are numbered
// once each, without gaps, in the order they were numbered.
func TestPersonEventsDoNotQueue(t *testing.T) {
	db := neo4jtest.Open(t)
	signals(t, db)
	ctx := testContext(t)
	before := neo4jtest.Count(t, "MATCH (e:PersonEvent) RETURN count(e)", nil)

	appended, release := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() { held <- neo4j.AppendPersonEventAndWait(ctx, db, "p-2", appended, release) }()
	select {
	case <-appended:
	case err := <-held:
		t.Fatalf("the open transaction: %v", err)
	}
	director := casus.WithActor(ctx, casus.Actor{ID: "dir-1", Name: "Regisseur Een", Role: casus.RoleDirector,
		Municipalities: []string{"GM0362"}, OrganisationID: "org-avz"})
	// Were the signal to wait for the open transaction, it would wait
	// until the deadline: the open one commits only after it.
	sctx, cancel := context.WithTimeout(director, 30*time.Second)
	in := newSignal()
	in.OrganisationID, in.AboutIDs = "", []string{"p-1"}
	s, err := neo4j.NewSignalService(db).SubmitSignal(sctx, in)
	cancel()
	close(release)
	if herr := <-held; herr != nil {
		t.Fatalf("the open transaction: %v", herr)
	}
	if err != nil {
		t.Fatalf("a signal about a person waited for another transaction's person events: %v", err)
	}

	if n := neo4jtest.Count(t, "MATCH (e:PersonEvent) WHERE e.pending OR e.seq IS NULL RETURN count(e)", nil); n != 0 {
		t.Fatalf("%d person events left unnumbered", n)
	}
	total := neo4jtest.Count(t, "MATCH (e:PersonEvent) RETURN count(e)", nil)
	if total != before+2 {
		t.Fatalf("%d person events, want %d", total, before+2)
	}
	if n := neo4jtest.Count(t, `MATCH (k:Counter {name: 'person-event'}) MATCH (e:PersonEvent)
		WITH k, collect(e.seq) AS seqs
		RETURN CASE WHEN k.value = size(seqs) AND all(i IN range(1, size(seqs)) WHERE i IN seqs) THEN 1 ELSE 0 END`, nil); n != 1 {
		t.Fatal("the person event log's numbers are not 1 to n with the counter at n")
	}
	if n := neo4jtest.Count(t, `MATCH (a:PersonEvent {personId: 'p-1', signalId: $signal}), (b:PersonEvent {personId: 'p-2'})
		RETURN CASE WHEN a.seq < b.seq THEN 1 ELSE 0 END`, map[string]any{"signal": s.ID}); n != 1 {
		t.Fatal("the signal's event, committed first, is not numbered first")
	}
}
