package neo4j

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
)

// AuditLog is the hash-chained access log in Neo4j. Appends are group
// committed: while one transaction is being written, the entries of the
// requests that arrive meanwhile wait and are written together in the next,
// so that the chain, which serialises every append, does not serialise every
// request, and a lone request does not wait for company.
type AuditLog struct {
	db   *DB
	reqs chan auditRequest
	// stopped is closed when Run has returned: appends then fail at once.
	stopped chan struct{}
	// head is the chain's head as this instance last wrote it, or nil when
	// unknown. Only Run's goroutine uses it.
	head *auditHead
}

// auditHead is the last entry's sequence number and hash.
type auditHead struct {
	seq  int64
	hash string
}

var _ casus.AuditLog = (*AuditLog)(nil)

type auditRequest struct {
	entries []*casus.AuditEntry
	done    chan error
}

// NewAuditLog returns the access log on db. Its owner must run Run.
func NewAuditLog(db *DB) *AuditLog {
	return &AuditLog{db: db, reqs: make(chan auditRequest, 1024), stopped: make(chan struct{})}
}

// auditBatchMax bounds the entries written in one transaction.
const auditBatchMax = 500

// errStopped answers appends after the log stopped.
var errStopped = errors.New("append to access log: the log has stopped")

// Run writes appended entries until ctx ends. Entries already queued then
// are still written; later appends fail.
func (l *AuditLog) Run(ctx context.Context) {
	defer func() {
		close(l.stopped)
		for {
			select {
			case r := <-l.reqs:
				r.done <- l.write(context.WithoutCancel(ctx), r.entries)
			default:
				return
			}
		}
	}()
	for {
		var batch []auditRequest
		select {
		case <-ctx.Done():
			return
		case r := <-l.reqs:
			batch = append(batch, r)
		}
	collect:
		for n := len(batch[0].entries); n < auditBatchMax; {
			select {
			case r := <-l.reqs:
				batch = append(batch, r)
				n += len(r.entries)
			default:
				break collect
			}
		}
		var entries []*casus.AuditEntry
		for _, r := range batch {
			entries = append(entries, r.entries...)
		}
		err := l.write(context.WithoutCancel(ctx), entries)
		for _, r := range batch {
			r.done <- err
		}
	}
}

// Append adds entries to the log and returns once they are committed.
func (l *AuditLog) Append(ctx context.Context, entries ...*casus.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	r := auditRequest{entries: entries, done: make(chan error, 1)}
	select {
	case <-l.stopped:
		return errStopped
	default:
	}
	select {
	case l.reqs <- r:
	case <-l.stopped:
		return errStopped
	case <-ctx.Done():
		return fmt.Errorf("append to access log: %w", ctx.Err())
	}
	select {
	case err := <-r.done:
		return err
	case <-l.stopped:
		// Run drains what was queued before it stopped.
		select {
		case err := <-r.done:
			return err
		case <-time.After(time.Second):
			return errStopped
		}
	case <-ctx.Done():
		return fmt.Errorf("append to access log: %w", ctx.Err())
	}
}

// write appends entries in one transaction. It numbers and hashes them after
// the head this instance wrote last and writes them in one statement that
// checks, under the chain's lock, that the head is still there; when it is
// not (another instance appended, or this one just started), it reads the
// head under the lock and writes after it.
func (l *AuditLog) write(ctx context.Context, entries []*casus.AuditEntry) error {
	if h := l.head; h != nil {
		head, err := write(ctx, l.db, func(tx txRunner) (*auditHead, error) {
			rows, next := chain(entries, *h)
			recs, err := l.db.collect(ctx, tx, `
				MATCH (k:Counter {name: 'audit'})
				SET k._lock = true REMOVE k._lock
				WITH k WHERE k.value = $from AND k.hash = $prev
				UNWIND $rows AS r
				CREATE (a:AuditEntry)
				SET a = r
				WITH k, count(*) AS n
				SET k.value = $seq, k.hash = $hash
				RETURN n`,
				map[string]any{"from": h.seq, "prev": h.hash, "rows": rows, "seq": next.seq, "hash": next.hash})
			if err != nil || len(recs) == 0 {
				return nil, err
			}
			return &next, nil
		})
		l.head = head
		if err != nil {
			return fmt.Errorf("append %d entries to access log: %w", len(entries), err)
		}
		if head != nil {
			return nil
		}
	}
	head, err := write(ctx, l.db, func(tx txRunner) (*auditHead, error) {
		recs, err := l.db.collect(ctx, tx, `
			MERGE (k:Counter {name: 'audit'})
			ON CREATE SET k.value = 0, k.hash = ''
			SET k._lock = true REMOVE k._lock
			RETURN k.value AS seq, k.hash AS hash`, nil)
		if err != nil {
			return nil, err
		}
		if len(recs) != 1 {
			return nil, fmt.Errorf("the access log's head: %d rows", len(recs))
		}
		h, err := columns(recs[0], "seq", "hash")
		if err != nil {
			return nil, err
		}
		rows, next := chain(entries, auditHead{seq: num(h[0]), hash: str(h[1])})
		_, err = l.db.collect(ctx, tx, `
			UNWIND $rows AS r
			CREATE (a:AuditEntry)
			SET a = r
			WITH count(*) AS n
			MATCH (k:Counter {name: 'audit'})
			SET k.value = $seq, k.hash = $hash`,
			map[string]any{"rows": rows, "seq": next.seq, "hash": next.hash})
		if err != nil {
			return nil, err
		}
		return &next, nil
	})
	l.head = head
	if err != nil {
		return fmt.Errorf("append %d entries to access log: %w", len(entries), err)
	}
	return nil
}

// chain numbers and hashes entries after head and returns them as rows to
// store, with the new head.
func chain(entries []*casus.AuditEntry, head auditHead) ([]map[string]any, auditHead) {
	rows := make([]map[string]any, len(entries))
	for i, e := range entries {
		head.seq++
		e.Seq, e.PrevHash = head.seq, head.hash
		if e.ID == "" {
			e.ID = uuid.NewString()
		}
		if e.Version == 0 {
			e.Version = casus.EntryVersion
		}
		e.At = e.At.UTC()
		e.Hash = e.ComputeHash()
		head.hash = e.Hash
		rows[i] = map[string]any{"seq": e.Seq, "id": e.ID, "at": e.At, "action": e.Action, "outcome": e.Outcome,
			"userId": e.UserID, "userName": e.UserName, "role": e.Role, "organisation": e.Organisation,
			"purpose": nonNil(e.Purpose), "objects": nonNil(e.Objects), "operation": e.Operation,
			"clientAddress": e.ClientAddress, "requestId": e.RequestID, "breakGlass": e.BreakGlass,
			"activities": nonNil(e.Activities), "traceParent": e.TraceParent, "subjects": nonNil(e.Subjects), "question": textOrNil(e.Question), "version": e.Version,
			"prevHash": e.PrevHash, "hash": e.Hash}
	}
	return rows, head
}

const auditProjection = `a {.*}`

func decodeAudit(v any) (*casus.AuditEntry, error) {
	m, err := asMap("audit entry", v)
	if err != nil {
		return nil, err
	}
	return &casus.AuditEntry{
		Seq: num(m["seq"]), ID: str(m["id"]), At: tm(m["at"]), Action: str(m["action"]), Outcome: str(m["outcome"]),
		UserID: str(m["userId"]), UserName: str(m["userName"]), Role: str(m["role"]), Organisation: str(m["organisation"]),
		Purpose: strList(m["purpose"]), Objects: strList(m["objects"]), Operation: str(m["operation"]),
		ClientAddress: str(m["clientAddress"]), RequestID: str(m["requestId"]), BreakGlass: str(m["breakGlass"]),
		Activities: strList(m["activities"]), TraceParent: str(m["traceParent"]), Subjects: strList(m["subjects"]), Question: str(m["question"]), Version: int(num(m["version"])),
		PrevHash: str(m["prevHash"]), Hash: str(m["hash"]),
	}, nil
}

// Entries returns a page of the access log, newest first, for an auditor.
func (l *AuditLog) Entries(ctx context.Context, f casus.AuditFilter, page casus.Page) (*casus.AuditPage, error) {
	if err := casus.PermitRead(ctx, casus.ReadAccessLog); err != nil {
		return nil, err
	}
	var from, to any
	if f.From != nil {
		from = f.From.UTC()
	}
	if f.To != nil {
		to = f.To.UTC()
	}
	res, err := l.db.list(ctx, listQuery{
		match: "MATCH (a:AuditEntry)",
		where: []string{
			"($user = '' OR a.userId = $user)",
			"($person = '' OR $person IN a.objects OR $subject IN coalesce(a.subjects, []))",
			"($case = '' OR $caseKey IN a.objects OR $case IN a.purpose)",
			"($from IS NULL OR a.at >= $from)",
			"($to IS NULL OR a.at < $to)",
			"($breakGlass IS NULL OR $breakGlass = (coalesce(a.breakGlass, '') <> ''))",
			"($activity = '' OR $activity IN coalesce(a.activities, []))",
		},
		params: map[string]any{"user": f.UserID, "person": prefixed("Person", f.PersonID), "subject": f.Subject,
			"case": f.CaseID, "caseKey": prefixed("Case", f.CaseID), "from": from, "to": to, "breakGlass": boolPtr(f.BreakGlass), "activity": f.Activity},
		keys:    []string{"a.seq"},
		desc:    true,
		project: auditProjection,
	}, page)
	if err != nil {
		return nil, fmt.Errorf("read access log: %w", err)
	}
	out := &casus.AuditPage{TotalCount: res.total, HasNextPage: res.hasNextPage, HasPreviousPage: res.hasPreviousPage}
	for i, row := range res.rows {
		e, err := decodeAudit(row)
		if err != nil {
			return nil, err
		}
		out.Edges = append(out.Edges, casus.AuditEdge{Cursor: res.cursors[i], Entry: e})
	}
	return out, nil
}

func prefixed(kind, id string) string {
	if id == "" {
		return ""
	}
	return kind + ":" + id
}

// Walk calls fn with every entry of the log in sequence order, reading them
// in batches, until fn returns an error.
func (l *AuditLog) Walk(ctx context.Context, fn func(*casus.AuditEntry) error) error {
	return l.WalkTo(ctx, math.MaxInt64, fn)
}

// WalkTo calls fn with every entry of the log up to number last in
// sequence order, reading them in batches, until fn returns an error.
func (l *AuditLog) WalkTo(ctx context.Context, last int64, fn func(*casus.AuditEntry) error) error {
	after := int64(-1 << 62)
	for {
		batch, err := read(ctx, l.db, func(tx txRunner) ([]*casus.AuditEntry, error) {
			recs, err := l.db.collect(ctx, tx, `
				MATCH (a:AuditEntry) WHERE a.seq > $after AND a.seq <= $last
				RETURN `+auditProjection+` AS row ORDER BY a.seq LIMIT 1000`, map[string]any{"after": after, "last": last})
			if err != nil {
				return nil, err
			}
			out := make([]*casus.AuditEntry, 0, len(recs))
			for _, r := range recs {
				row, err := column(r, "row")
				if err != nil {
					return nil, err
				}
				e, err := decodeAudit(row)
				if err != nil {
					return nil, err
				}
				out = append(out, e)
			}
			return out, nil
		})
		if err != nil {
			return fmt.Errorf("read access log: %w", err)
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
			after = e.Seq
		}
		if len(batch) < 1000 {
			return nil
		}
	}
}

// auditCheckpoint reads where a pruned log begins: the number and hash of
// the last entry a retention run removed, or nil when none was.
func (db *DB) auditCheckpoint(ctx context.Context, tx runner) (*casus.AuditEntry, error) {
	recs, err := db.collect(ctx, tx, `MATCH (k:AuditCheckpoint {name: 'audit'}) RETURN k.seq AS seq, k.hash AS hash`, nil)
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	vs, err := columns(recs[0], "seq", "hash")
	if err != nil {
		return nil, err
	}
	return &casus.AuditEntry{Seq: num(vs[0]), Hash: str(vs[1])}, nil
}

// Prune removes, unless dry, the entries written before cutoff — never the
// newest, which the next entry follows — and leaves a checkpoint with the
// number and hash of the last one removed, from which Verify checks the
// rest of the chain. It returns how many entries go.
func (l *AuditLog) Prune(ctx context.Context, cutoff time.Time, dry bool) (int64, error) {
	n, err := write(ctx, l.db, func(tx txRunner) (int64, error) {
		// What goes is the log's oldest stretch of entries written before
		// cutoff, up to the first one written after it, and never the newest.
		recs, err := l.db.collect(ctx, tx, `
			MATCH (k:Counter {name: 'audit'})
			SET k._lock = true REMOVE k._lock
			WITH k
			OPTIONAL MATCH (n:AuditEntry) WHERE n.at >= $cutoff
			WITH k, coalesce(min(n.seq), k.value) - 1 AS upTo
			WITH k, CASE WHEN upTo < k.value - 1 THEN upTo ELSE k.value - 1 END AS upTo
			OPTIONAL MATCH (old:AuditCheckpoint {name: 'audit'})
			WITH upTo, coalesce(old.seq, 0) AS from
			OPTIONAL MATCH (x:AuditEntry {seq: upTo})
			RETURN CASE WHEN upTo > from AND x IS NOT NULL THEN upTo END AS last, x.hash AS hash, from`, map[string]any{"cutoff": cutoff.UTC()})
		if err != nil || len(recs) == 0 {
			return 0, err
		}
		vs, err := columns(recs[0], "last", "hash", "from")
		if err != nil || vs[0] == nil {
			return 0, err
		}
		last, from := num(vs[0]), num(vs[2])
		if dry {
			return last - from, nil
		}
		if _, err := l.db.collect(ctx, tx, `
			MATCH (a:AuditEntry) WHERE a.seq <= $last DELETE a
			WITH count(*) AS removed
			MERGE (k:AuditCheckpoint {name: 'audit'})
			SET k.seq = $last, k.hash = $hash, k.prunedAt = $now`,
			map[string]any{"last": last, "hash": str(vs[1]), "now": l.db.now()}); err != nil {
			return 0, err
		}
		return last - from, nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune access log: %w", err)
	}
	return n, nil
}

// CheckChain verifies the chain for an auditor; anyone else is FORBIDDEN.
func (l *AuditLog) CheckChain(ctx context.Context) (int64, error) {
	if err := casus.PermitRead(ctx, casus.ReadAccessLog); err != nil {
		return 0, err
	}
	return l.Verify(ctx)
}

// Verify walks the whole chain in order and returns how many entries it
// checked and the first break (a *casus.ChainBreak), or nil.
func (l *AuditLog) Verify(ctx context.Context) (int64, error) {
	n, _, err := l.VerifyHead(ctx)
	return n, err
}

// VerifyHead verifies the chain as it stood when it began: it reads the
// head (the number of the last entry written) and the retention checkpoint
// first, then walks the entries up to that head, so that entries appended
// meanwhile are neither checked nor taken for a truncation. Every entry up
// to the head was committed with it, so one missing is a real break. It
// returns how many entries it checked and the head, which a reader of the
// verified log (the export) walks to. A retention run during the walk moves
// the checkpoint; the walk then starts again, at most twice.
func (l *AuditLog) VerifyHead(ctx context.Context) (checked, head int64, err error) {
	for attempt := 0; ; attempt++ {
		checkpoint, head, err := l.chainStart(ctx)
		if err != nil {
			return 0, 0, fmt.Errorf("verify access log: %w", err)
		}
		var v casus.ChainVerifier
		last := int64(0)
		if checkpoint != nil {
			v.After(checkpoint.Seq, checkpoint.Hash)
			last = checkpoint.Seq
		}
		err = l.WalkTo(ctx, head, func(e *casus.AuditEntry) error {
			if err := v.Next(e); err != nil {
				return err
			}
			last = e.Seq
			return nil
		})
		if err == nil && last != head {
			// Entries removed from the end leave the head ahead of the last entry.
			err = &casus.ChainBreak{Seq: last + 1, Reason: fmt.Sprintf("the log ends at entry %d but %d were written: the last ones were removed", last, head)}
		}
		var broken *casus.ChainBreak
		if errors.As(err, &broken) && attempt < 2 {
			now, _, cerr := l.chainStart(ctx)
			if cerr == nil && !sameCheckpoint(now, checkpoint) {
				continue // pruned meanwhile: verify what is there now
			}
		}
		return v.Checked, head, err
	}
}

// chainStart reads, in one transaction, where the chain begins (the
// retention checkpoint, nil when none) and its head.
func (l *AuditLog) chainStart(ctx context.Context) (*casus.AuditEntry, int64, error) {
	type start struct {
		checkpoint *casus.AuditEntry
		head       int64
	}
	s, err := read(ctx, l.db, func(tx txRunner) (start, error) {
		recs, err := l.db.collect(ctx, tx, `OPTIONAL MATCH (k:Counter {name: 'audit'}) RETURN coalesce(k.value, 0) AS head`, nil)
		if err != nil {
			return start{}, err
		}
		head, err := only(recs, "head")
		if err != nil {
			return start{}, err
		}
		checkpoint, err := l.db.auditCheckpoint(ctx, tx)
		return start{checkpoint, num(head)}, err
	})
	return s.checkpoint, s.head, err
}

func sameCheckpoint(a, b *casus.AuditEntry) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Seq == b.Seq && a.Hash == b.Hash
}

func boolPtr(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}
