package ldv

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"casusnet/internal/casus"
)

// TestRecords turns an entry about two persons, for one activity, into two
// records, each naming one subject, the activity as a URI under the
// register's base, the request's trace, and the entry it came from.
func TestRecords(t *testing.T) {
	e := &casus.AuditEntry{Seq: 7, ID: "entry-7", At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Action: casus.AuditRead,
		Outcome: casus.OutcomeSuccess, UserID: "dir-a", Role: casus.RoleDirector, Operation: "query Dossier",
		Objects: []string{"Person:p-1", "Case:c-1"}, Purpose: []string{"c-1"}, Activities: []string{casus.ActivityCaseWork},
		Subjects: []string{"s-1", "s-2"}, TraceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", Version: 2, Hash: "h7"}
	rs := Records(e, "https://gemeente.example.nl/", []byte("k"))
	if len(rs) != 2 {
		t.Fatalf("%d records, want one per subject", len(rs))
	}
	for i, r := range rs {
		a := r.Attributes
		switch {
		case r.TraceID != "0af7651916cd43dd8448eb211c80319c" || r.ParentOperationID != "b7ad6b7169203331" || len(r.OperationID) != 16:
			t.Errorf("trace: %+v", r)
		case a["dpl.core.processing_activity_id"] != "https://gemeente.example.nl/verwerkingsactiviteiten/PGA_CASE_WORK":
			t.Errorf("activity: %v", a["dpl.core.processing_activity_id"])
		case a["dpl.core.data_subject_id"] != e.Subjects[i] || a["dpl.core.data_subject_id_type"] != SubjectIDType:
			t.Errorf("subject: %v", a)
		case a["nen7513.action"] != "READ" || a["nen7513.user.id"] != "dir-a" || a["casusnet.audit.seq"] != int64(7) || a["casusnet.audit.hash"] != "h7":
			t.Errorf("NEN 7513 fields: %v", a)
		case r.StatusCode != "STATUS_CODE_OK" || r.Name != "query Dossier":
			t.Errorf("record: %+v", r)
		}
	}
	if rs[0].OperationID == rs[1].OperationID {
		t.Error("two records share an operation id")
	}
	// Exported twice, the records are the same.
	var one, two bytes.Buffer
	for _, b := range []*bytes.Buffer{&one, &two} {
		w := NewWriter(b, "https://gemeente.example.nl")
		if err := w.Write(e); err != nil || w.Records != 2 {
			t.Fatalf("write: %v, %d records", err, w.Records)
		}
	}
	if one.String() != two.String() {
		t.Error("exporting twice gave different records")
	}
	for _, line := range strings.Split(strings.TrimSpace(one.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not a JSON object: %s", line)
		}
	}
	// An action that named nobody is one record without a subject.
	e.Subjects = nil
	if rs := Records(e, "https://x", nil); len(rs) != 1 || rs[0].Attributes["dpl.core.data_subject_id"] != nil {
		t.Fatalf("an entry without subjects: %+v", rs)
	}
}

// TestObjectsNamePersonsByPseudonym exports an entry written before persons
// were pseudonymised among its objects: with the key they are named by the
// same pseudonym as the subjects, without it left out — never by id.
func TestObjectsNamePersonsByPseudonym(t *testing.T) {
	e := &casus.AuditEntry{Seq: 1, At: time.Now(), Action: casus.AuditRead, Outcome: casus.OutcomeSuccess, Version: 2,
		Objects: []string{"Person:p-1", "Case:c-1"}, Subjects: []string{casus.SubjectPseudonym([]byte("k"), "p-1")}}
	objects := func(key []byte) []string {
		return Records(e, "https://x", key)[0].Attributes["nen7513.objects"].([]string)
	}
	if got := objects([]byte("k")); len(got) != 2 || got[0] != "Person:"+e.Subjects[0] || got[1] != "Case:c-1" {
		t.Errorf("objects with the key: %v", got)
	}
	if got := objects(nil); len(got) != 1 || got[0] != "Case:c-1" {
		t.Errorf("objects without the key: %v", got)
	}
	e.Version, e.Objects = casus.EntryVersion, casus.PseudonymObjects([]byte("k"), e.Objects)
	if got := objects(nil); len(got) != 2 || got[0] != "Person:"+e.Subjects[0] {
		t.Errorf("objects of a current entry: %v", got)
	}
}
