package server

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
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
