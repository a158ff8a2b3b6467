package casus

import (
	"strings"
	"testing"
	"time"
)

func TestRegister(t *testing.T) {
	if _, err := NewRegister(DefaultRegister); err != nil {
		t.Fatalf("the default register: %v", err)
	}
	extra := append(append([]ProcessingActivity{}, DefaultRegister...), ProcessingActivity{Code: "RESEARCH_UVA", Name: "n", Purpose: "p", LegalGround: "g"})
	if _, err := NewRegister(extra); err != nil {
		t.Fatalf("a register with an activity of its own: %v", err)
	}
	for name, as := range map[string][]ProcessingActivity{
		"missing a default activity": DefaultRegister[1:],
		"twice":                      append(append([]ProcessingActivity{}, DefaultRegister...), DefaultRegister[0]),
		"lower case code":            append(append([]ProcessingActivity{}, DefaultRegister...), ProcessingActivity{Code: "x", Name: "n", Purpose: "p", LegalGround: "g"}),
		"no legal ground":            append(append([]ProcessingActivity{}, DefaultRegister...), ProcessingActivity{Code: "X", Name: "n", Purpose: "p"}),
	} {
		if _, err := NewRegister(as); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ParseRegister([]byte(`{"code": 1}`)); err == nil {
		t.Error("a register that is not a list: accepted")
	}
}

// TestEntryHashVersions checks that entries written before the processing
// activities existed hash as they always did, so the chain still verifies,
// and that a new entry's activities, trace and subjects are in its hash.
func TestEntryHashVersions(t *testing.T) {
	old := &AuditEntry{Seq: 1, ID: "e1", At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Action: AuditRead, Outcome: OutcomeSuccess,
		UserID: "u", Objects: []string{"Case:c"}, Operation: "query"}
	const before = "616b9281" // the hash the formula of before this change gives (computed with it)
	if h := old.ComputeHash(); !strings.HasPrefix(h, before) {
		t.Fatalf("a version-0 entry hashes to %s, want the old %s…", h, before)
	}
	v2 := *old
	v2.Version, v2.Activities, v2.Subjects, v2.TraceParent = EntryVersion, []string{ActivityCaseWork}, []string{"s1"}, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	h := v2.ComputeHash()
	for _, edit := range []func(e *AuditEntry){
		func(e *AuditEntry) { e.Activities = []string{ActivityNetwork} },
		func(e *AuditEntry) { e.Subjects = nil },
		func(e *AuditEntry) { e.TraceParent = "" },
	} {
		e := v2
		edit(&e)
		if e.ComputeHash() == h {
			t.Errorf("editing a version-2 field left the hash as it was: %+v", e)
		}
	}
}

func TestSubjectPseudonym(t *testing.T) {
	a, b := SubjectPseudonym([]byte("k1"), "p-1"), SubjectPseudonym([]byte("k2"), "p-1")
	if a == b || a != SubjectPseudonym([]byte("k1"), "p-1") || strings.Contains(a, "p-1") || len(a) != 32 {
		t.Fatalf("pseudonyms %q and %q", a, b)
	}
}

// BenchmarkSubjectPseudonyms300 is the CPU the access log spends naming
// the 300 persons of a network query by pseudonym:
//
//	go test -run '^$' -bench SubjectPseudonyms ./internal/casus/
func BenchmarkSubjectPseudonyms300(b *testing.B) {
	key := []byte("bench-key")
	ids := make([]string, 300)
	for i := range ids {
		ids[i] = "p-" + strings.Repeat("x", i%7) + string(rune('a'+i%26))
	}
	for b.Loop() {
		for _, id := range ids {
			_ = SubjectPseudonym(key, id)
		}
	}
}
