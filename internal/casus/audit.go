package casus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Access log actions, after NEN 7513.
const (
	AuditRead   = "READ"
	AuditCreate = "CREATE"
	AuditUpdate = "UPDATE"
	AuditDelete = "DELETE"
	AuditExport = "EXPORT"
)

// Access log outcomes.
const (
	OutcomeSuccess = "SUCCESS"
	OutcomeDenied  = "DENIED"
	OutcomeError   = "ERROR"
)

// AuditEntry is one entry of the access log: who did what to which personal
// data, when, why and from where (the fields of NEN 7513). Entries are
// hash-chained: each carries the hash of the one before, so that editing,
// removing or inserting one is detectable.
type AuditEntry struct {
	Seq           int64
	ID            string
	At            time.Time
	Action        string
	Outcome       string
	UserID        string
	UserName      string
	Role          string
	Organisation  string
	Purpose       []string // the cases through which the data was reached
	Objects       []string // what was touched, as "Type:id"
	Operation     string   // the GraphQL operation, e.g. "mutation openCase"
	ClientAddress string
	RequestID     string
	BreakGlass    string // the reason given for break-glass access, if any
	// Activities are the processing activities (register codes) the
	// operation served; TraceParent is the request's W3C trace context;
	// Subjects are the pseudonyms (SubjectPseudonym) of the persons whose
	// data it touched. Entries from before these fields have Version 0
	// and are hashed without them.
	Activities  []string
	TraceParent string
	Subjects    []string
	// Question is the question an analysis recorded as its purpose.
	Question string
	Version  int
	PrevHash string
	Hash     string
}

// EntryVersion is the version of the entries written now: with the
// processing activities, the trace context and the data subjects (2), and
// with the persons among the objects named by their pseudonym (3).
const EntryVersion = 3

// ComputeHash returns the hash of e: SHA-256 over its previous hash and its
// fields in a fixed order.
func (e *AuditEntry) ComputeHash() string {
	list := func(l []string) []string {
		if l == nil {
			return []string{} // stored and read back as an empty list
		}
		return l
	}
	fields := []any{e.Seq, e.ID, e.At.UTC().Format(time.RFC3339Nano), e.Action, e.Outcome,
		e.UserID, e.UserName, e.Role, e.Organisation, list(e.Purpose), list(e.Objects), e.Operation,
		e.ClientAddress, e.RequestID, e.BreakGlass, e.PrevHash}
	if e.Version >= 2 {
		fields = append(fields, e.Version, list(e.Activities), e.TraceParent, list(e.Subjects), e.Question)
	}
	body, _ := json.Marshal(fields)
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// ChainBreak is the first place a chain of entries fails to verify.
type ChainBreak struct {
	Seq    int64
	Reason string
}

func (b *ChainBreak) Error() string {
	return fmt.Sprintf("access log broken at entry %d: %s", b.Seq, b.Reason)
}

// ChainVerifier checks entries one at a time, in sequence order.
type ChainVerifier struct {
	prev    *AuditEntry
	Checked int64
	// start is where a log pruned by its retention begins: the last
	// removed entry's number and hash (After).
	start *AuditEntry
}

// After makes v expect the chain to continue after entry seq with hash:
// the checkpoint a retention run leaves when it removes the oldest entries.
func (v *ChainVerifier) After(seq int64, hash string) { v.start = &AuditEntry{Seq: seq, Hash: hash} }

// Next checks e against the entry before it, and returns a *ChainBreak for
// an edited entry (its hash does not match its content), a removed one (a
// gap in the sequence) or an inserted one (a repeated sequence number, or a
// previous hash that does not match).
func (v *ChainVerifier) Next(e *AuditEntry) error {
	defer func() { v.prev = e; v.Checked++ }()
	if e.ComputeHash() != e.Hash {
		return &ChainBreak{Seq: e.Seq, Reason: "its content does not match its hash: it was edited"}
	}
	if v.prev == nil && v.start != nil {
		if e.Seq != v.start.Seq+1 || e.PrevHash != v.start.Hash {
			return &ChainBreak{Seq: e.Seq, Reason: fmt.Sprintf("the log does not continue after its retention checkpoint (entry %d): entries after it were removed or replaced", v.start.Seq)}
		}
		return nil
	}
	if v.prev == nil {
		if e.Seq != 1 || e.PrevHash != "" {
			return &ChainBreak{Seq: e.Seq, Reason: "the log does not start at entry 1: entries before it were removed"}
		}
		return nil
	}
	switch {
	case e.Seq == v.prev.Seq:
		return &ChainBreak{Seq: e.Seq, Reason: "the sequence number repeats: an entry was inserted"}
	case e.Seq != v.prev.Seq+1:
		return &ChainBreak{Seq: e.Seq, Reason: fmt.Sprintf("entries %d to %d are missing: they were removed", v.prev.Seq+1, e.Seq-1)}
	case e.PrevHash != v.prev.Hash:
		return &ChainBreak{Seq: e.Seq, Reason: "it does not follow from the entry before: an entry was inserted or replaced"}
	}
	return nil
}

// AuditFilter narrows the access log. Zero values mean "any".
type AuditFilter struct {
	UserID string
	// PersonID finds the entries that name the person by id (written
	// before version 3); Subject, their pseudonym, the entries since.
	PersonID string
	Subject  string
	CaseID   string
	From, To *time.Time
	// BreakGlass, when set, keeps only entries with (true) or without (false)
	// break-glass access.
	BreakGlass *bool
	// Activity keeps only entries of this processing activity (its code).
	Activity string
}

// AuditEdge is an entry with its cursor.
type AuditEdge struct {
	Cursor string
	Entry  *AuditEntry
}

// AuditPage is one window of the access log.
type AuditPage struct {
	Edges           []AuditEdge
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
}

// AuditLog keeps the access log.
type AuditLog interface {
	// Append adds the entries to the log and returns once they are durable.
	Append(ctx context.Context, entries ...*AuditEntry) error
	// Entries returns a page of the log, newest first. Only an auditor may read it.
	Entries(ctx context.Context, filter AuditFilter, page Page) (*AuditPage, error)
	// Verify walks the whole chain and returns the first break, or nil.
	Verify(ctx context.Context) (checked int64, err error)
	// CheckChain is Verify for an auditor at work: anyone else is
	// FORBIDDEN.
	CheckChain(ctx context.Context) (checked int64, err error)
}
