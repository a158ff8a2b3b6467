package server

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/rs/zerolog"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"casusnet/graph"
	"casusnet/graph/model"
	"casusnet/internal/casus"
)

// access gathers what one GraphQL operation touched, for its access log
// entry: the objects returned by its fields and the cases they belong to.
type access struct {
	mu       sync.Mutex
	objects  []string
	purposes []string
	persons  []string        // the persons whose data was touched: read, or subjects of a case read
	question string          // the question an analysis recorded as its purpose
	seen     map[string]bool // objects, purposes and persons noted
	denied   bool
}

// accessLog is the access log with the key that pseudonymises the persons
// each entry names.
type accessLog struct {
	casus.AuditLog
	key []byte
}

// subjects returns the pseudonyms of persons, each once, sorted.
func (l accessLog) subjects(persons []string) []string {
	out := make([]string, 0, len(persons))
	for _, p := range persons {
		if ps := casus.SubjectPseudonym(l.key, p); !slices.Contains(out, ps) {
			out = append(out, ps)
		}
	}
	slices.Sort(out)
	return out
}

// personsIn returns the person ids among objects ("Person:id").
func personsIn(objects []string) []string {
	var out []string
	for _, o := range objects {
		if id, ok := strings.CutPrefix(o, "Person:"); ok {
			out = append(out, id)
		}
	}
	return out
}

type accessKey struct{}

func (a *access) add(kind, id string) {
	if id == "" {
		return
	}
	key := kind + ":" + id
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.seen == nil {
		a.seen = map[string]bool{}
	}
	if a.seen[key] {
		return
	}
	a.seen[key] = true
	a.objects = append(a.objects, key)
	switch kind {
	case "Case":
		a.purposes = append(a.purposes, id)
	case "Person":
		a.persons = append(a.persons, id)
	}
}

// purpose notes a case an analysis served, without the case being read.
func (a *access) purpose(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.seen == nil {
		a.seen = map[string]bool{}
	}
	if id == "" || a.seen["purpose:"+id] || a.seen["Case:"+id] {
		return
	}
	a.seen["purpose:"+id] = true
	a.purposes = append(a.purposes, id)
}

// subject notes a person whose data was reached without the person itself
// being read: a subject of a case that was.
func (a *access) subject(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.seen == nil {
		a.seen = map[string]bool{}
	}
	if id == "" || a.seen["subject:"+id] || a.seen["Person:"+id] {
		return
	}
	a.seen["subject:"+id] = true
	a.persons = append(a.persons, id)
}

// record notes the personal data in a field's result.
func (a *access) record(v any) {
	switch v := v.(type) {
	case *casus.Case:
		if v != nil {
			a.add("Case", v.ID)
			for _, p := range v.SubjectIDs {
				a.subject(p)
			}
		}
	case *casus.Person:
		if v != nil && !v.Redacted {
			a.add("Person", v.ID)
		}
	case *casus.Signal:
		if v != nil {
			a.add("Signal", v.ID)
		}
	case *casus.Intervention:
		if v != nil {
			a.add("Intervention", v.ID)
			a.add("Case", v.CaseID)
		}
	case *casus.Measure:
		if v != nil {
			a.add("Measure", v.ID)
			a.add("Case", v.CaseID)
		}
	case *casus.Contact:
		if v != nil {
			a.add("NetworkContact", v.ID)
		}
	case *casus.Group:
		if v != nil {
			a.add("Group", v.ID)
		}
	case *casus.CaseEvent:
		if v != nil {
			a.add("Case", v.CaseID)
			if v.Case != nil {
				a.record(v.Case)
			}
		}
	case *casus.Weighing:
		if v != nil {
			a.add("Weighing", v.ID)
			a.add("Case", v.CaseID)
		}
	case *casus.Conference:
		if v != nil {
			a.add("Conference", v.ID)
			a.add("Case", v.CaseID)
		}
	case *casus.Goal:
		if v != nil {
			a.add("Goal", v.ID)
			a.add("Case", v.CaseID)
		}
	case *casus.PlanAction:
		if v != nil {
			a.add("PlanAction", v.ID)
			a.add("Case", v.CaseID)
		}
	case *casus.Assessment:
		if v != nil {
			a.add("RiskAssessment", v.ID)
			a.add("Case", v.CaseID)
		}
	case *casus.Advice:
		if v != nil {
			a.add("Advice", v.ID)
			a.add("Case", v.CaseID)
		}
	case []*casus.Advice:
		recordAll(a, v)
	case *casus.Escalation:
		if v != nil {
			a.add("Escalation", v.ID)
			a.add("Case", v.CaseID)
		}
	case []*casus.Escalation:
		recordAll(a, v)
	case *casus.KnownAnswer:
		if v != nil {
			a.add("KnownQuestion", v.QuestionID)
			for _, p := range v.PersonIDs {
				a.subject(p)
			}
		}
	case *casus.ShareRequest:
		if v != nil {
			a.add("ShareRequest", v.ID)
		}
	case []*casus.ShareRequest:
		recordAll(a, v)
	case *casus.CaseContext:
		if v != nil {
			a.add("Case", v.CaseID)
		}
	case []*casus.CaseContext:
		recordAll(a, v)
	case *casus.Request:
		if v != nil {
			a.add("SubjectRequest", v.ID)
			a.subject(v.PersonID)
		}
	case []*casus.Request:
		recordAll(a, v)
	case []any:
		for _, x := range v {
			a.record(x)
		}
	case []*casus.Weighing:
		recordAll(a, v)
	case []*casus.Conference:
		recordAll(a, v)
	case []*casus.Goal:
		recordAll(a, v)
	case []*casus.PlanAction:
		recordAll(a, v)
	case []*casus.Assessment:
		recordAll(a, v)
	case *casus.NetworkGraph:
		// A network names persons (labels) and cases without resolving them.
		if v != nil {
			for _, c := range v.PurposeCases {
				a.purpose(c)
			}
			for _, n := range v.Nodes {
				switch {
				case n.Redacted:
				case n.Kind == casus.NodePerson:
					a.add("Person", n.ID)
				case n.Kind == casus.NodeCase:
					a.add("Case", n.ID)
				}
			}
		}
	case *model.PathResult:
		if v != nil {
			a.record(v.Graph)
		}
	case *casus.FinalReport:
		// Reached through its case, which is recorded.
	case []*casus.Person:
		for _, p := range v {
			a.record(p)
		}
	case []*casus.Case:
		for _, c := range v {
			a.record(c)
		}
	case []*casus.Signal:
		for _, s := range v {
			a.record(s)
		}
	case []*casus.Intervention:
		for _, i := range v {
			a.record(i)
		}
	case []*casus.Contact:
		for _, c := range v {
			a.record(c)
		}
	}
}

// recordAll notes the personal data of each of vs.
func recordAll[T any](a *access, vs []*T) {
	for _, v := range vs {
		a.record(v)
	}
}

// accessLogging writes one access log entry per operation that read personal
// data or changed anything, before its response leaves: when the entry
// cannot be written, the caller gets an error instead of the data.
func accessLogging(log accessLog) (graphql.OperationMiddleware, graphql.FieldMiddleware, graphql.ResponseMiddleware) {
	ops := func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		a := &access{}
		ctx = context.WithValue(ctx, accessKey{}, a)
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation == nil || oc.Operation.Operation != ast.Subscription {
			return next(ctx)
		}
		// A subscription logs what it delivers before it leaves: what
		// its stream hands over (a page of events, a live batch), and
		// then what the result's fields reached beyond that, once per
		// graph.SubscriptionLogWindow for an object it keeps delivering.
		flush := func() error {
			a.mu.Lock()
			empty := len(a.objects) == 0
			a.mu.Unlock()
			if empty {
				return nil
			}
			entry := newEntry(ctx, graphql.GetOperationContext(ctx), a, log)
			a.mu.Lock()
			a.objects, a.purposes, a.persons = nil, nil, nil
			a.mu.Unlock()
			return log.Append(context.WithoutCancel(ctx), entry)
		}
		var window time.Time
		h := next(graph.WithDeliveries(ctx, func(vs []any) error {
			a.mu.Lock()
			if time.Since(window) >= graph.SubscriptionLogWindow {
				a.seen, window = nil, time.Now()
			}
			a.mu.Unlock()
			for _, v := range vs {
				a.record(v)
			}
			return flush()
		}))
		return func(rctx context.Context) *graphql.Response {
			resp := h(rctx)
			if err := flush(); err != nil {
				zerolog.Ctx(ctx).Error().Err(err).Msg("access log append failed; subscription ended")
				code, msg := withheld(err, false)
				return &graphql.Response{Errors: gqlerror.List{{Message: msg, Extensions: map[string]any{"code": code}}}}
			}
			a.mu.Lock()
			denied := resp == nil && a.denied && len(a.seen) == 0
			a.mu.Unlock()
			if denied {
				entry := newEntry(ctx, graphql.GetOperationContext(ctx), a, log)
				entry.Outcome = casus.OutcomeDenied
				if err := log.Append(context.WithoutCancel(ctx), entry); err != nil {
					zerolog.Ctx(ctx).Error().Err(err).Msg("access log append failed")
				}
			}
			return resp
		}
	}
	fields := func(ctx context.Context, next graphql.Resolver) (any, error) {
		res, err := next(ctx)
		if a, ok := ctx.Value(accessKey{}).(*access); ok {
			if err != nil {
				switch casus.ErrorCode(err) {
				case casus.EFORBIDDEN, casus.ENOTFOUND, casus.EUNAUTHENTICATED:
					a.mu.Lock()
					a.denied = true
					a.mu.Unlock()
				}
			}
			a.record(res)
			if q := questionOf(graphql.GetFieldContext(ctx)); q != "" {
				a.mu.Lock()
				a.question = q
				a.mu.Unlock()
			}
		}
		return res, err
	}
	responses := func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if !graphql.HasOperationContext(ctx) {
			return resp // a request refused before it became an operation
		}
		oc := graphql.GetOperationContext(ctx)
		a, _ := ctx.Value(accessKey{}).(*access)
		if a == nil || oc == nil || oc.Operation == nil || oc.Operation.Operation == ast.Subscription {
			return resp
		}
		mutation := oc.Operation.Operation == ast.Mutation
		entry := newEntry(ctx, oc, a, log)
		a.mu.Lock()
		denied := a.denied
		a.mu.Unlock()
		if len(entry.Objects) == 0 && !mutation && !denied {
			return resp // no personal data read
		}
		switch {
		case denied:
			entry.Outcome = casus.OutcomeDenied
		case resp != nil && len(resp.Errors) > 0:
			entry.Outcome = casus.OutcomeError
		}
		if err := log.Append(ctx, entry); err != nil {
			zerolog.Ctx(ctx).Error().Err(err).Msg("access log append failed; response withheld")
			code, msg := withheld(err, mutation)
			return &graphql.Response{Errors: gqlerror.List{{Message: msg, Extensions: map[string]any{"code": code}}}}
		}
		return resp
	}
	return ops, fields, responses
}

// deliveryLog writes the deliveries of the event feed's subscriptions to
// the access log, one entry each, in one append.
func deliveryLog(log accessLog) graph.DeliveryLog {
	return func(deliveries []graph.Delivery) error {
		if len(deliveries) == 0 || log.AuditLog == nil {
			return nil
		}
		entries := make([]*casus.AuditEntry, len(deliveries))
		for i, d := range deliveries {
			a := &access{}
			for _, v := range d.Values {
				a.record(v)
			}
			entries[i] = newEntry(d.Ctx, graphql.GetOperationContext(d.Ctx), a, log)
		}
		return log.Append(context.WithoutCancel(deliveries[0].Ctx), entries...)
	}
}

// newEntry is the access log entry of what a has gathered so far.
func newEntry(ctx context.Context, oc *graphql.OperationContext, a *access, log accessLog) *casus.AuditEntry {
	a.mu.Lock()
	entry := &casus.AuditEntry{
		At: time.Now().UTC(), Action: auditAction(oc), Outcome: casus.OutcomeSuccess,
		Purpose: slices.Clone(a.purposes), Objects: casus.PseudonymObjects(log.key, a.objects),
		Operation:  strings.TrimSpace(string(oc.Operation.Operation) + " " + oc.Operation.Name),
		Activities: activitiesOf(oc), Subjects: log.subjects(a.persons), Question: a.question, Version: casus.EntryVersion,
	}
	a.mu.Unlock()
	byCaller(ctx, entry)
	return entry
}

// byCaller fills in who made the request and from where.
func byCaller(ctx context.Context, entry *casus.AuditEntry) {
	if actor, ok := casus.ActorFrom(ctx); ok {
		entry.UserID, entry.UserName, entry.Role, entry.Organisation = actor.ID, actor.Name, actor.Role, actor.OrganisationID
		entry.BreakGlass = actor.BreakGlass
	}
	c := clientOf(ctx)
	entry.ClientAddress, entry.RequestID, entry.TraceParent = c.addr, c.requestID, c.traceParent
}

// logExport writes an EXPORT entry for a file about to leave; when it
// cannot, it answers the request with an internal error and reports false:
// nothing leaves unlogged.
func logExport(w http.ResponseWriter, r *http.Request, audit accessLog, activity, operation string, objects, purpose []string) bool {
	ctx := r.Context()
	entry := &casus.AuditEntry{At: time.Now().UTC(), Action: casus.AuditExport, Outcome: casus.OutcomeSuccess,
		Operation: operation, Objects: casus.PseudonymObjects(audit.key, objects), Purpose: purpose,
		Activities: []string{activity}, Subjects: audit.subjects(personsIn(objects)), Version: casus.EntryVersion}
	byCaller(ctx, entry)
	if err := audit.Append(ctx, entry); err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("access log append failed; export withheld")
		code, msg := withheld(err, false)
		writeCode(w, code, msg)
		return false
	}
	return true
}

// withheld is the error answered instead of a response whose access could
// not be logged: UNAVAILABLE when the database cannot be reached (try again
// shortly; a mutation may have been saved, so with the same idempotency
// key), else INTERNAL.
func withheld(err error, mutation bool) (code, message string) {
	switch {
	case casus.ErrorCode(err) != casus.EUNAVAILABLE:
		return casus.EINTERNAL, "internal error: the access could not be logged, so the answer is withheld"
	case mutation:
		return casus.EUNAVAILABLE, "the database cannot be reached, so the access could not be logged and the answer is withheld; " +
			"the change may have been saved: send it again shortly, with the same idempotency key if it had one"
	}
	return casus.EUNAVAILABLE, "the database cannot be reached, so the access could not be logged and the answer is withheld; try again shortly"
}

type clientKey struct{}

type client struct{ addr, requestID, traceParent string }

func clientOf(ctx context.Context) client {
	c, _ := ctx.Value(clientKey{}).(client)
	return c
}

// questionOf returns the question a root field's analysis records as its
// purpose, if it is one that does.
func questionOf(fc *graphql.FieldContext) string {
	if fc == nil || fc.Object != "Query" {
		return ""
	}
	if q, ok := fc.Args["question"].(*string); ok && q != nil {
		return strings.TrimSpace(*q)
	}
	if s, ok := fc.Args["scope"].(model.AnalysisScope); ok && s.Question != nil {
		return strings.TrimSpace(*s.Question)
	}
	return ""
}
