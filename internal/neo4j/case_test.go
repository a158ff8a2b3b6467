package neo4j_test

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
)

var actor = casus.Actor{ID: "u-coordinator", Name: "Test Coördinator", Role: "COORDINATOR"}

// testContext is the context of a test acting as actor. It has no deadline
// of its own: a busy machine may be slow, and go test's -timeout ends a
// test that hangs.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return casus.WithActor(ctx, actor)
}

// region seeds two municipalities, an organisation with two directors, an
// offering and three persons, for tests that open their own cases.
func region(t *testing.T, db *neo4j.DB) {
	t.Helper()
	born := time.Date(2007, 3, 14, 0, 0, 0, 0, time.UTC)
	data := demo.Data{
		Municipalities: []demo.Municipality{
			{Code: "GM0362", Name: "Amstelveen", Inhabitants: 92000, Mayor: "T. de Burgemeester"},
			{Code: "GM0384", Name: "Diemen", Inhabitants: 32000, Mayor: "D. Burgervader"},
		},
		Organisations: []demo.Organisation{
			{ID: "org-avz", Name: "AVZ", Type: "OTHER", ProvidesDirectors: true},
			{ID: "org-jw", Name: "Jongerenwerk", Type: "YOUTH_WORK", ProvidesInterventions: true},
			{ID: "org-gem", Name: "Gemeente Amstelveen, OOV", Type: "MUNICIPALITY_OOV"},
			{ID: "org-pol", Name: "Politie", Type: "POLICE"},
			{ID: "org-om", Name: "Openbaar Ministerie", Type: "PUBLIC_PROSECUTOR"},
		},
		Directors: []demo.Director{
			{ID: "dir-1", Name: "Regisseur Een", OrganisationID: "org-avz", Municipalities: []string{"GM0362"}, Capacity: 5},
			{ID: "dir-2", Name: "Regisseur Twee", OrganisationID: "org-avz", Municipalities: []string{"GM0384"}, Capacity: 5},
		},
		Offerings: []demo.Offering{{ID: "off-1", ProviderID: "org-jw", Name: "Mentoraat", TargetRiskGroups: []casus.RiskGroup{"RADICALISING"}}},
		Persons: []demo.Person{
			{ID: "p-1", FirstName: "Sami", LastName: "Testpersoon", BirthDate: born, Municipality: "GM0362"},
			{ID: "p-2", FirstName: "Noor", LastName: "Testpersoon", BirthDate: born, Municipality: "GM0362"},
			{ID: "p-3", FirstName: "Kees", LastName: "Anders", Municipality: "GM0384"},
		},
	}
	if _, err := db.Seed(testContext(t), data); err != nil {
		t.Fatalf("seed: %v", err)
	}
}

func validInput() casus.OpenCaseInput {
	return casus.OpenCaseInput{
		MunicipalityCode: "GM0362",
		SubjectIDs:       []string{"p-1"},
		Summary:          "Jongere deelt online jihadistische propaganda.",
		RiskGroups:       []casus.RiskGroup{casus.RiskRadicalising},
		Ideology:         casus.IdeologyJihadist,
		RiskLevel:        casus.RiskMedium,
		Reason:           "signaal van school",
	}
}

// TestSignalsNameTheirMunicipality: migration 8 moves a signal's link to its
// municipality into a code on the signal, and a director still sees the
// signals of their municipality and no other.
func TestSignalsNameTheirMunicipality(t *testing.T) {
	db := neo4jtest.Open(t)
	ctx := testContext(t)
	if _, err := neo4jtest.Exec(t, `MERGE (m:Municipality {code: 'GM0363'}) MERGE (n:Municipality {code: 'GM0384'})
		CREATE (:Signal {id: 'old-a', status: 'NEW', reporterId: 'x', receivedAt: datetime()})-[:IN]->(m),
		       (:Signal {id: 'old-d', status: 'NEW', reporterId: 'x', receivedAt: datetime()})-[:IN]->(n)
		WITH 1 AS one MATCH (v:SchemaMigration) WHERE v.version >= 8 DETACH DELETE v`); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if n := neo4jtest.Count(t, "MATCH (s:Signal)-[:IN]->() RETURN count(s)", nil); n != 0 {
		t.Fatalf("%d signals still linked to a municipality", n)
	}
	if n := neo4jtest.Count(t, "MATCH (s:Signal {id: 'old-a', municipality: 'GM0363'}) RETURN count(s)", nil); n != 1 {
		t.Fatal("old-a does not name GM0363")
	}
	dir := casus.WithActor(ctx, casus.Actor{ID: "dir-am", Role: casus.RoleDirector, Municipalities: []string{"GM0363"}})
	ss, err := neo4j.NewSignalService(db).SignalsByID(dir, []string{"old-a", "old-d"})
	if err != nil {
		t.Fatal(err)
	}
	if ss[0] == nil || ss[0].MunicipalityCode != "GM0363" || ss[1] != nil {
		t.Fatalf("the Amsterdam director reads %+v and %+v", ss[0], ss[1])
	}
}

func TestMigrateIsIdempotentAndMakesReady(t *testing.T) {
	db := neo4jtest.Open(t)
	ctx := testContext(t)
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("ready after migrate: %v", err)
	}
	if n := neo4jtest.Count(t, "MATCH (m:SchemaMigration) RETURN count(m)", nil); n != int64(neo4j.SchemaVersion) {
		t.Fatalf("migration records = %d, want %d", n, neo4j.SchemaVersion)
	}
}

func TestReadyNamesAMissingSchema(t *testing.T) {
	neo4jtest.Open(t)
	neo4jtest.Reset(t) // forgets the migration records
	db, err := neo4j.Open(neo4jtest.Config(), discard())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	err = db.Ready(testContext(t))
	if err == nil || !regexp.MustCompile(`schema at version 0`).MatchString(err.Error()) {
		t.Fatalf("Ready on an unmigrated database = %v, want a schema version error", err)
	}
}

func TestOpenCase(t *testing.T) {
	db := neo4jtest.Open(t)
	region(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	c, err := svc.CaseService.OpenCase(ctx, validInput())
	if err != nil {
		t.Fatalf("OpenCase: %v", err)
	}
	if !regexp.MustCompile(`^AM-\d{4}-0001$`).MatchString(c.Reference) {
		t.Errorf("reference = %q, want AM-<year>-0001", c.Reference)
	}
	if c.Phase != casus.PhaseRegistered || c.EscalationLevel != casus.EscalationLocal || c.Version != 1 {
		t.Errorf("new case = phase %s, escalation %s, version %d", c.Phase, c.EscalationLevel, c.Version)
	}
	if c.MunicipalityCode != "GM0362" || c.Ideology != casus.IdeologyJihadist || len(c.RiskGroups) != 1 ||
		len(c.SubjectIDs) != 1 || c.SubjectIDs[0] != "p-1" {
		t.Errorf("new case = %+v", c)
	}
	got, err := svc.CaseService.Case(ctx, c.ID)
	if err != nil {
		t.Fatalf("Case: %v", err)
	}
	if got.Reference != c.Reference || !got.OpenedAt.Equal(c.OpenedAt) {
		t.Errorf("read back %+v, want %+v", got, c)
	}
	n := neo4jtest.Count(t, `MATCH (e:CaseEvent {type: 'CASE_OPENED', actorId: $actor, reason: 'signaal van school'})-[:ON]->(:Case {id: $id}) RETURN count(e)`,
		map[string]any{"id": c.ID, "actor": actor.ID})
	if n != 1 {
		t.Errorf("CASE_OPENED events = %d, want 1", n)
	}

	second, err := svc.CaseService.OpenCase(ctx, validInput())
	if err != nil {
		t.Fatal(err)
	}
	if second.Reference[len(second.Reference)-4:] != "0002" {
		t.Errorf("second reference = %q, want ...-0002", second.Reference)
	}
}

func TestOpenCaseRefusesBadInputAndWritesNothing(t *testing.T) {
	db := neo4jtest.Open(t)
	region(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	long := make([]byte, casus.MaxSummary+1)
	for i := range long {
		long[i] = 'x'
	}
	tests := []struct {
		name  string
		edit  func(*casus.OpenCaseInput)
		code  string
		field string
	}{
		{"no municipality", func(in *casus.OpenCaseInput) { in.MunicipalityCode = " " }, casus.EINVALID, "municipality"},
		{"about nothing", func(in *casus.OpenCaseInput) { in.SubjectIDs = nil }, casus.EINVALID, "subjects"},
		{"unknown person", func(in *casus.OpenCaseInput) { in.SubjectIDs = []string{"p-404"} }, casus.ENOTFOUND, "subjects"},
		{"unknown signal", func(in *casus.OpenCaseInput) { in.SignalIDs = []string{"sig-404"} }, casus.ENOTFOUND, "signals"},
		{"unknown group", func(in *casus.OpenCaseInput) { in.GroupID = "grp-404" }, casus.ENOTFOUND, "group"},
		{"long reason", func(in *casus.OpenCaseInput) { in.Reason = string(long) }, casus.EINVALID, "reason"},
		{"unknown municipality", func(in *casus.OpenCaseInput) { in.MunicipalityCode = "GM9999" }, casus.EINVALID, "municipality"},
		{"empty summary", func(in *casus.OpenCaseInput) { in.Summary = "  " }, casus.EINVALID, "summary"},
		{"long summary", func(in *casus.OpenCaseInput) { in.Summary = string(long) }, casus.EINVALID, "summary"},
		{"no risk group", func(in *casus.OpenCaseInput) { in.RiskGroups = nil }, casus.EINVALID, "riskGroups"},
		{"unknown risk group", func(in *casus.OpenCaseInput) { in.RiskGroups = []casus.RiskGroup{"PIRATE"} }, casus.EINVALID, "riskGroups"},
		{"risk group twice", func(in *casus.OpenCaseInput) {
			in.RiskGroups = []casus.RiskGroup{casus.RiskRecruiter, casus.RiskRecruiter}
		}, casus.EINVALID, "riskGroups"},
		{"unknown ideology", func(in *casus.OpenCaseInput) { in.Ideology = "X" }, casus.EINVALID, "ideology"},
		{"unknown risk level", func(in *casus.OpenCaseInput) { in.RiskLevel = "EXTREME" }, casus.EINVALID, "riskLevel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.edit(&in)
			_, err := svc.CaseService.OpenCase(ctx, in)
			if casus.ErrorCode(err) != tt.code || casus.ErrorField(err) != tt.field {
				t.Fatalf("err = %v, want %s on %s", err, tt.code, tt.field)
			}
		})
	}
	if n := neo4jtest.Count(t, "MATCH (n) WHERE n:Case OR n:CaseEvent OR n:Counter RETURN count(n)", nil); n != 0 {
		t.Fatalf("refused requests wrote %d nodes", n)
	}
}

func TestOpenCaseIdempotencyKey(t *testing.T) {
	db := neo4jtest.Open(t)
	region(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	in := validInput()
	in.IdempotencyKey = "req-42"
	first, err := svc.CaseService.OpenCase(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := svc.CaseService.OpenCase(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID {
		t.Fatalf("retry opened %s, want the first case %s", again.ID, first.ID)
	}
	if n := neo4jtest.Count(t, "MATCH (c:Case) RETURN count(c)", nil); n != 1 {
		t.Fatalf("cases = %d, want 1", n)
	}
	if n := neo4jtest.Count(t, "MATCH (e:CaseEvent) RETURN count(e)", nil); n != 1 {
		t.Fatalf("events = %d, want 1", n)
	}
	// The key is the caller's own: another user's request with the same key
	// opens its own case.
	other := casus.WithActor(ctx, casus.Actor{ID: "u-other", Role: "DIRECTOR", Municipalities: []string{"GM0362"}})
	third, err := svc.CaseService.OpenCase(other, in)
	if err != nil {
		t.Fatal(err)
	}
	if third.ID == first.ID {
		t.Fatal("another user's request with the same key returned the first user's case")
	}
}

func TestCaseNotFound(t *testing.T) {
	db := neo4jtest.Open(t)
	_, err := neo4j.NewServices(db).CaseService.Case(testContext(t), "no-such-case")
	if casus.ErrorCode(err) != casus.ENOTFOUND {
		t.Fatalf("err = %v, want NOT_FOUND", err)
	}
}

func TestCasesPagesBothWays(t *testing.T) {
	db := neo4jtest.Open(t)
	region(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	var refs []string // in opening order
	for i := 0; i < 5; i++ {
		in := validInput()
		if i%2 == 1 {
			in.MunicipalityCode, in.SubjectIDs = "GM0384", []string{"p-3"} // a case belongs where its subject lives
		}
		c, err := svc.CaseService.OpenCase(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.Reference)
	}
	two := 2
	page := func(p casus.Page, f casus.CaseFilter) *casus.CasePage {
		t.Helper()
		res, err := svc.CaseService.Cases(ctx, f, p)
		if err != nil {
			t.Fatalf("Cases(%+v): %v", p, err)
		}
		return res
	}
	refsOf := func(p *casus.CasePage) []string {
		var out []string
		for _, e := range p.Edges {
			out = append(out, e.Case.Reference)
		}
		return out
	}
	equal := func(got, want []string) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range got {
			if got[i] != want[i] {
				return false
			}
		}
		return true
	}

	// Forward, newest first: 5 4 | 3 2 | 1.
	p1 := page(casus.Page{First: &two}, casus.CaseFilter{})
	if !equal(refsOf(p1), []string{refs[4], refs[3]}) || !p1.HasNextPage || p1.HasPreviousPage || p1.TotalCount != 5 {
		t.Fatalf("page 1 = %v next=%v prev=%v total=%d", refsOf(p1), p1.HasNextPage, p1.HasPreviousPage, p1.TotalCount)
	}
	p2 := page(casus.Page{First: &two, After: p1.Edges[1].Cursor}, casus.CaseFilter{})
	if !equal(refsOf(p2), []string{refs[2], refs[1]}) || !p2.HasNextPage || !p2.HasPreviousPage {
		t.Fatalf("page 2 = %v next=%v prev=%v", refsOf(p2), p2.HasNextPage, p2.HasPreviousPage)
	}
	p3 := page(casus.Page{First: &two, After: p2.Edges[1].Cursor}, casus.CaseFilter{})
	if !equal(refsOf(p3), []string{refs[0]}) || p3.HasNextPage {
		t.Fatalf("page 3 = %v next=%v", refsOf(p3), p3.HasNextPage)
	}
	// Backward from the last page's cursor: the two before it, in list order.
	back := page(casus.Page{Last: &two, Before: p3.Edges[0].Cursor}, casus.CaseFilter{})
	if !equal(refsOf(back), []string{refs[2], refs[1]}) || !back.HasPreviousPage || !back.HasNextPage {
		t.Fatalf("backward page = %v next=%v prev=%v", refsOf(back), back.HasNextPage, back.HasPreviousPage)
	}
	// Oldest first, filtered to Diemen.
	diemen := page(casus.Page{}, casus.CaseFilter{MunicipalityCode: "GM0384", Order: casus.CaseOrderOpenedAsc})
	if !equal(refsOf(diemen), []string{refs[1], refs[3]}) || diemen.TotalCount != 2 {
		t.Fatalf("Diemen = %v total %d", refsOf(diemen), diemen.TotalCount)
	}
	if got := page(casus.Page{}, casus.CaseFilter{Phase: casus.PhaseClosed}); len(got.Edges) != 0 || got.TotalCount != 0 {
		t.Fatalf("closed cases = %v", refsOf(got))
	}

	bad := []struct {
		name string
		page casus.Page
		f    casus.CaseFilter
		fld  string
	}{
		{"garbage cursor", casus.Page{After: "not-a-cursor"}, casus.CaseFilter{}, "after"},
		{"first too big", casus.Page{First: ptr(101)}, casus.CaseFilter{}, "first"},
		{"negative last", casus.Page{Last: ptr(-1)}, casus.CaseFilter{}, "last"},
		{"first and last", casus.Page{First: &two, Last: &two}, casus.CaseFilter{}, "first"},
		{"unknown phase", casus.Page{}, casus.CaseFilter{Phase: "LIMBO"}, "filter.phase"},
	}
	for _, b := range bad {
		_, err := svc.CaseService.Cases(ctx, b.f, b.page)
		if casus.ErrorCode(err) != casus.EINVALID || casus.ErrorField(err) != b.fld {
			t.Errorf("%s: err = %v, want INVALID on %s", b.name, err, b.fld)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestConcurrentMigrations runs several migrations at once, as several
// servers starting together do: all succeed.
func TestConcurrentMigrations(t *testing.T) {
	neo4jtest.Reset(t)
	if _, err := neo4jtest.Exec(t, "DROP CONSTRAINT case_reference IF EXISTS"); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			db, err := neo4j.Open(neo4jtest.Config(), discard())
			if err != nil {
				errs <- err
				return
			}
			defer db.Close(context.Background())
			errs <- db.Migrate(testContext(t))
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent migration: %v", err)
		}
	}
	if n := neo4jtest.Count(t, "SHOW CONSTRAINTS YIELD name WHERE name = 'case_reference' RETURN count(*)", nil); n != 1 {
		t.Fatalf("case_reference constraint count = %d after migrating", n)
	}
}

// TestCaseOrdersReadInIndexOrder walks every order of the case list page by
// page, forward and backward, over cases whose sort keys tie (two cases
// opened in the same second, ordered by id), against the order worked out
// here: the list reads its pages in the order of an index on its keys.
func TestCaseOrdersReadInIndexOrder(t *testing.T) {
	db := neo4jtest.Open(t)
	region(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	type row struct {
		id, ref         string
		opened, updated time.Time
	}
	base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var rows []row
	for i := range 7 {
		in := validInput()
		if i%2 == 1 {
			in.MunicipalityCode, in.SubjectIDs = "GM0384", []string{"p-3"}
		}
		c, err := svc.CaseService.OpenCase(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		r := row{id: c.ID, ref: c.Reference, opened: base.Add(time.Duration(i/2) * time.Hour), updated: base.Add(time.Duration(i*3%7) * time.Hour)}
		// In UTC by name, as casusnet writes times: Neo4j orders a time
		// with offset Z before the same time in zone UTC.
		if _, err := neo4jtest.Exec(t, fmt.Sprintf("MATCH (c:Case {id: '%s'}) SET c.openedAt = datetime({epochMillis: %d, timezone: 'UTC'}), "+
			"c.updatedAt = datetime({epochMillis: %d, timezone: 'UTC'})", r.id, r.opened.UnixMilli(), r.updated.UnixMilli())); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	orders := map[casus.CaseOrder]func(a, b row) int{
		casus.CaseOrderOpenedDesc: func(a, b row) int {
			return cmp.Or(b.opened.Compare(a.opened), strings.Compare(b.id, a.id))
		},
		casus.CaseOrderOpenedAsc: func(a, b row) int {
			return cmp.Or(a.opened.Compare(b.opened), strings.Compare(a.id, b.id))
		},
		casus.CaseOrderUpdatedDesc: func(a, b row) int {
			return cmp.Or(b.updated.Compare(a.updated), strings.Compare(b.id, a.id))
		},
		casus.CaseOrderReference: func(a, b row) int { return strings.Compare(a.ref, b.ref) },
	}
	three := 3
	for order, compare := range orders {
		want := slices.Clone(rows)
		slices.SortFunc(want, compare)
		var wantRefs []string
		for _, r := range want {
			wantRefs = append(wantRefs, r.ref)
		}
		f := casus.CaseFilter{Order: order}
		var forward []string
		for p := (casus.Page{First: &three}); ; {
			res, err := svc.CaseService.Cases(ctx, f, p)
			if err != nil {
				t.Fatalf("%s: %v", order, err)
			}
			for _, e := range res.Edges {
				forward = append(forward, e.Case.Reference)
			}
			if !res.HasNextPage {
				break
			}
			p.After = res.Edges[len(res.Edges)-1].Cursor
		}
		var backward []string
		for p := (casus.Page{Last: &three}); ; {
			res, err := svc.CaseService.Cases(ctx, f, p)
			if err != nil {
				t.Fatalf("%s: %v", order, err)
			}
			var refs []string
			for _, e := range res.Edges {
				refs = append(refs, e.Case.Reference)
			}
			backward = append(refs, backward...)
			if !res.HasPreviousPage {
				break
			}
			p.Before = res.Edges[0].Cursor
		}
		if !slices.Equal(forward, wantRefs) || !slices.Equal(backward, wantRefs) {
			t.Errorf("%s: forward %v, backward %v, want %v", order, forward, backward, wantRefs)
		}
	}
}
