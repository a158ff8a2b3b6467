package server

import (
	"casusnet/graph"
	"casusnet/internal/casus"
	"context"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// streams counts the subscriptions in flight, so that a shutdown can wait
// until each has ended and written its last access-log entry: what a
// stream delivered is logged when it ends, and the access log's writer
// stops only after that.
type streams struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while no subscription runs
}

func newStreams() *streams {
	s := &streams{idle: make(chan struct{})}
	close(s.idle)
	return s
}

func (s *streams) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n == 0 {
		s.idle = make(chan struct{})
	}
	s.n++
}

func (s *streams) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n--
	if s.n == 0 {
		close(s.idle)
	}
}

// wait returns when no subscription runs, or with ctx's error.
func (s *streams) wait(ctx context.Context) error {
	s.mu.Lock()
	idle := s.idle
	s.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// track is the operation middleware that counts subscriptions: one ends
// when its response handler has answered its last (nil) response, which
// comes after the access-logging middleware inside it wrote its entry.
func (s *streams) track(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if op := graphql.GetOperationContext(ctx).Operation; op == nil || op.Operation != ast.Subscription {
		return next(ctx)
	}
	s.start()
	h := next(ctx)
	var once sync.Once
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		if resp == nil {
			once.Do(s.end)
		}
		return resp
	}
}

// endUnresolved ends a subscription whose event could not be resolved —
// its fields needed the database, which did not answer — instead of
// sending the event as an error in its place, which the client would take
// as delivered: the stream ends with an error, UNAVAILABLE and, for an
// event stream, the cursor to resume from, which gives that event again.
func endUnresolved(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if op := graphql.GetOperationContext(ctx).Operation; op == nil || op.Operation != ast.Subscription {
		return next(ctx)
	}
	var current atomic.Int64
	current.Store(-1)
	h := next(graph.WithSending(ctx, current.Store))
	ended := false
	return func(ctx context.Context) *graphql.Response {
		if ended {
			return nil
		}
		resp := h(ctx)
		if resp == nil || !unresolved(resp.Errors) {
			return resp
		}
		ended = true
		cursor := ""
		if seq := current.Load(); seq > 0 {
			cursor = graph.EventCursor(seq - 1)
		}
		graph.EndStream(ctx, graph.Unreadable(cursor))
		return nil
	}
}

// unresolved reports whether errs say a field could not be read, rather
// than that the caller may not see it.
func unresolved(errs gqlerror.List) bool {
	for _, e := range errs {
		if code, _ := e.Extensions["code"].(string); code == casus.EUNAVAILABLE || code == casus.EINTERNAL {
			return true
		}
	}
	return false
}
