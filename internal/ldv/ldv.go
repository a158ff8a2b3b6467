// Package ldv writes casusnet's access log in the shape of the Logboek
// Dataverwerkingen (Logius): one record per data subject per processing
// activity per action, with the W3C trace context of the request, the
// register's processing activity as a URI, the subject's pseudonym, and the
// NEN 7513 fields of the entry as an extension (nen7513.*). Each record
// names the access-log entry it comes from (casusnet.audit.seq and .hash),
// so that the export can be checked against the hash chain.
package ldv

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"
	"time"

	"casusnet/internal/casus"
)

// SubjectIDType names the kind of id dpl.core.data_subject_id holds.
const SubjectIDType = "urn:casusnet:pseudonym:hmac-sha256"

// Record is one line of the export.
type Record struct {
	TraceID           string            `json:"trace_id"`
	OperationID       string            `json:"operation_id"`
	ParentOperationID string            `json:"parent_operation_id,omitempty"`
	Name              string            `json:"name"`
	StatusCode        string            `json:"status_code"`
	StartTime         string            `json:"start_time"`
	EndTime           string            `json:"end_time"`
	Resource          map[string]string `json:"resource"`
	Attributes        map[string]any    `json:"attributes"`
}

// Records returns the records of entry e; base is the URI under which the
// deployment publishes its register of processing activities.
//
// Persons among the objects are named by pseudonym: entries written since
// version 3 name them so; in older ones key pseudonymises them here (and
// with no key, they are left out rather than named by id).
func Records(e *casus.AuditEntry, base string, key []byte) []Record {
	trace, parent := traceOf(e)
	activities := e.Activities
	if len(activities) == 0 {
		activities = []string{"UNREGISTERED"} // an entry from before the register
	}
	subjects := e.Subjects
	if len(subjects) == 0 {
		subjects = []string{""} // one record for the action, naming nobody
	}
	status := "STATUS_CODE_OK"
	if e.Outcome != casus.OutcomeSuccess {
		status = "STATUS_CODE_ERROR"
	}
	at := e.At.UTC().Format(time.RFC3339Nano)
	var out []Record
	for _, activity := range activities {
		for _, subject := range subjects {
			attrs := map[string]any{
				"dpl.core.processing_activity_id": casus.ActivityURI(base, activity),
				"nen7513.action":                  e.Action,
				"nen7513.outcome":                 e.Outcome,
				"nen7513.user.id":                 e.UserID,
				"nen7513.user.name":               e.UserName,
				"nen7513.user.role":               e.Role,
				"nen7513.user.organisation":       e.Organisation,
				"nen7513.client.address":          e.ClientAddress,
				"nen7513.request.id":              e.RequestID,
				"nen7513.objects":                 objectsOf(e, key),
				"nen7513.purpose.cases":           nonNil(e.Purpose),
				"casusnet.audit.seq":              e.Seq,
				"casusnet.audit.hash":             e.Hash,
			}
			if subject != "" {
				attrs["dpl.core.data_subject_id"] = subject
				attrs["dpl.core.data_subject_id_type"] = SubjectIDType
			}
			if e.Question != "" {
				attrs["casusnet.analysis.question"] = e.Question
			}
			if e.BreakGlass != "" {
				attrs["nen7513.break_glass.reason"] = e.BreakGlass
			}
			out = append(out, Record{
				TraceID: trace, OperationID: operationID(e, activity, subject), ParentOperationID: parent,
				Name: e.Operation, StatusCode: status, StartTime: at, EndTime: at,
				Resource:   map[string]string{"service.name": "casusnet"},
				Attributes: attrs,
			})
		}
	}
	return out
}

// objectsOf returns the objects of e with persons named by pseudonym.
func objectsOf(e *casus.AuditEntry, key []byte) []string {
	if e.Version >= 3 {
		return nonNil(e.Objects)
	}
	if key != nil {
		return casus.PseudonymObjects(key, e.Objects)
	}
	out := []string{}
	for _, o := range e.Objects {
		if !strings.HasPrefix(o, "Person:") {
			out = append(out, o)
		}
	}
	return out
}

// Writer writes records as JSON lines.
type Writer struct {
	enc  *json.Encoder
	base string
	// Key pseudonymises the persons older entries name by id.
	Key []byte
	// Records counts the lines written.
	Records int
}

// NewWriter returns a writer of records to w.
func NewWriter(w io.Writer, base string) *Writer { return &Writer{enc: json.NewEncoder(w), base: base} }

// Write writes the records of e.
func (w *Writer) Write(e *casus.AuditEntry) error {
	for _, r := range Records(e, w.base, w.Key) {
		if err := w.enc.Encode(r); err != nil {
			return err
		}
		w.Records++
	}
	return nil
}

// traceOf returns the trace id and the request's span of e's traceparent;
// an entry without one gets a trace id of its own, from its id.
func traceOf(e *casus.AuditEntry) (trace, parent string) {
	if p := strings.Split(e.TraceParent, "-"); len(p) == 4 && len(p[1]) == 32 && len(p[2]) == 16 {
		return p[1], p[2]
	}
	sum := sha256.Sum256([]byte("casusnet-trace:" + e.ID))
	return hex.EncodeToString(sum[:16]), ""
}

// operationID is the record's own id: stable for the same entry, activity
// and subject, so that exporting twice gives the same records.
func operationID(e *casus.AuditEntry, activity, subject string) string {
	sum := sha256.Sum256([]byte(e.ID + "\x00" + activity + "\x00" + subject))
	return hex.EncodeToString(sum[:8])
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
