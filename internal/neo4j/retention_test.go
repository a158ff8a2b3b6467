package neo4j_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
	"casusnet/internal/neo4j/neo4jtest"
)

// TestRetention closes one of two cases long ago: the dry run lists it,
// its subject and the subject's contact (needed by no other case), and
// removes nothing; the real run removes exactly those; the other case,
// its subject, and a person no case ever needed stay.
func TestRetention(t *testing.T) {
	db := neo4jtest.Open(t)
	ctx := testContext(t)
	at := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	p := func(id string) demo.Person {
		return demo.Person{ID: id, FirstName: id, LastName: "T", Municipality: "GM0358"}
	}
	kase := func(id, subject string) demo.Case {
		return demo.Case{ID: id, Reference: "AM-2018-" + id, Municipality: "GM0358", Subjects: []string{subject}, RiskGroups: []casus.RiskGroup{"RADICALISING"},
			Ideology: "OTHER", RiskLevel: "LOW", Phase: "EXECUTION", EscalationLevel: "LOCAL", Summary: "s", OpenedAt: at}
	}
	_, err := db.Seed(ctx, demo.Data{
		Municipalities: []demo.Municipality{{Code: "GM0358", Name: "Aalsmeer"}},
		Persons:        []demo.Person{p("old"), p("old-friend"), p("shared"), p("new"), p("loner")},
		Contacts: []demo.Contact{
			{From: "old", To: "old-friend", Network: "INFORMAL", Role: "FRIEND", Source: "s", Confidence: 1},
			{From: "old", To: "shared", Network: "INFORMAL", Role: "FRIEND", Source: "s", Confidence: 1},
			{From: "new", To: "shared", Network: "INFORMAL", Role: "FRIEND", Source: "s", Confidence: 1},
		},
		Cases: []demo.Case{kase("0001", "old"), kase("0002", "new")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := neo4jtest.Exec(t, `MATCH (c:Case {id: '0001'}) SET c.phase = 'CLOSED', c.closedAt = datetime('2019-06-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	cutoff := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	dry, err := db.Retention(ctx, cutoff, true)
	if err != nil {
		t.Fatal(err)
	}
	want := "cases [0001] persons [old old-friend]"
	if got := fmt.Sprintf("cases %v persons %v", dry.Cases, sorted(dry.Persons)); got != want || dry.Events == 0 {
		t.Fatalf("dry run: %s (%d events), want %s", got, dry.Events, want)
	}
	if n := neo4jtest.Count(t, "MATCH (c:Case {id: '0001'}) RETURN count(c)", nil); n != 1 {
		t.Fatal("the dry run removed the case")
	}
	done, err := db.Retention(ctx, cutoff, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("cases %v persons %v", done.Cases, sorted(done.Persons)); got != want {
		t.Fatalf("run: %s", got)
	}
	for cypher, n := range map[string]int64{
		"MATCH (c:Case) RETURN count(c)":                                            1,
		"MATCH (p:Person) WHERE p.id IN ['old', 'old-friend'] RETURN count(p)":      0,
		"MATCH (p:Person) WHERE p.id IN ['new', 'shared', 'loner'] RETURN count(p)": 3,
		"MATCH (e:CaseEvent)-[:ON]->(:Case {id: '0001'}) RETURN count(e)":           0,
		"MATCH (e:CaseEvent) WHERE NOT (e)-[:ON]->() RETURN count(e)":               0,
	} {
		if got := neo4jtest.Count(t, cypher, nil); got != n {
			t.Errorf("%s = %d, want %d", cypher, got, n)
		}
	}
	again, err := db.Retention(ctx, cutoff, false)
	if err != nil || len(again.Cases) != 0 {
		t.Fatalf("second run: %+v %v", again, err)
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// TestAccessLogRetention prunes the access log's oldest entries: the rest
// still verifies, from the checkpoint the prune leaves; the newest entry
// is never removed; removing an entry after the checkpoint is found.
func TestAccessLogRetention(t *testing.T) {
	log, ctx := runningAuditLog(t)
	old := time.Date(2012, 3, 1, 0, 0, 0, 0, time.UTC)
	for i, at := range []time.Time{old, old.AddDate(0, 1, 0), old.AddDate(0, 2, 0), time.Now(), time.Now()} {
		if err := log.Append(ctx, &casus.AuditEntry{At: at, Action: casus.AuditRead, Outcome: casus.OutcomeSuccess,
			UserID: fmt.Sprintf("u-%d", i), Objects: []string{"Person:p-1"}}); err != nil {
			t.Fatal(err)
		}
	}
	cutoff := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if n, err := log.Prune(ctx, cutoff, true); err != nil || n != 3 {
		t.Fatalf("dry prune: %d %v, want 3", n, err)
	}
	if n := neo4jtest.Count(t, "MATCH (a:AuditEntry) RETURN count(a)", nil); n != 5 {
		t.Fatalf("a dry run removed entries: %d left", n)
	}
	if n, err := log.Prune(ctx, cutoff, false); err != nil || n != 3 {
		t.Fatalf("prune: %d %v, want 3", n, err)
	}
	if n, err := log.Verify(ctx); err != nil || n != 2 {
		t.Fatalf("verify after the prune: %d %v", n, err)
	}
	if n, err := log.Prune(ctx, cutoff, false); err != nil || n != 0 {
		t.Fatalf("prune again: %d %v, want nothing", n, err)
	}
	// Everything is old now: the newest entry stays, to follow.
	if n, err := log.Prune(ctx, time.Now().Add(time.Hour), false); err != nil || n != 1 {
		t.Fatalf("prune to now: %d %v, want 1 (all but the newest)", n, err)
	}
	if err := log.Append(ctx, &casus.AuditEntry{At: time.Now(), Action: casus.AuditRead, Outcome: casus.OutcomeSuccess, UserID: "u-after"}); err != nil {
		t.Fatal(err)
	}
	if n, err := log.Verify(ctx); err != nil || n != 2 {
		t.Fatalf("verify after pruning to now: %d %v", n, err)
	}
	if _, err := neo4jtest.Exec(t, "MATCH (a:AuditEntry) WITH a ORDER BY a.seq LIMIT 1 DELETE a"); err != nil {
		t.Fatal(err)
	}
	var broken *casus.ChainBreak
	if _, err := log.Verify(ctx); !errors.As(err, &broken) || !strings.Contains(broken.Reason, "checkpoint") {
		t.Fatalf("an entry removed after the checkpoint: %v", err)
	}
}

// TestVerifyWhileWritersAppend verifies the access log again and again
// while two writers keep appending: a sound log never reports a break, and
// the head each verification returns covers every entry it checked — the
// entries appended meanwhile are neither checked nor taken for entries
// removed from the end.
func TestVerifyWhileWritersAppend(t *testing.T) {
	log, ctx := runningAuditLog(t)
	appendOne := func(user string) error {
		return log.Append(ctx, &casus.AuditEntry{At: time.Now(), Action: casus.AuditRead, Outcome: casus.OutcomeSuccess, UserID: user})
	}
	if err := appendOne("u-first"); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	errs := make(chan error, 2)
	for w := range 2 {
		go func() {
			for {
				select {
				case <-stop:
					errs <- nil
					return
				default:
				}
				if err := appendOne(fmt.Sprintf("u-writer-%d", w)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var verified []int64
	for range 30 {
		n, head, err := log.VerifyHead(ctx)
		if err != nil {
			close(stop)
			t.Fatalf("verify while writers append: %d checked, %v", n, err)
		}
		if n != head {
			t.Errorf("checked %d entries of a log whose head is %d", n, head)
		}
		verified = append(verified, head)
	}
	close(stop)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if verified[0] == verified[len(verified)-1] {
		t.Fatalf("the writers appended nothing while the log was verified: heads %v", verified)
	}
}
