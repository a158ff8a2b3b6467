package graph

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/rs/zerolog"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"casusnet/internal/casus"
	"casusnet/internal/live"
)

// eventCursor is the opaque cursor of an event: its place in the log.
func eventCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("event:" + strconv.FormatInt(seq, 10)))
}

func parseEventCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		if n, ok := strings.CutPrefix(string(b), "event:"); ok {
			if seq, err := strconv.ParseInt(n, 10, 64); err == nil && seq >= 0 {
				return seq, nil
			}
		}
	}
	return 0, casus.Invalid("after", "not an event cursor")
}

type deliveriesKey struct{}

// WithDeliveries returns ctx on which subscriptions report every object
// they deliver to record, for the access log: a delivered event does not
// pass through field middleware as a query's results do.
func WithDeliveries(ctx context.Context, record func(v any)) context.Context {
	return context.WithValue(ctx, deliveriesKey{}, record)
}

func delivered(ctx context.Context, v any) {
	if record, ok := ctx.Value(deliveriesKey{}).(func(any)); ok {
		record(v)
	}
}

type sendingKey struct{}

// WithSending returns ctx on which event streams report the sequence
// number of each event just before they hand it to the transport, so that
// a stream ended over that event can say where to resume.
func WithSending(ctx context.Context, f func(seq int64)) context.Context {
	return context.WithValue(ctx, sendingKey{}, f)
}

func sending(ctx context.Context, seq int64) {
	if f, ok := ctx.Value(sendingKey{}).(func(int64)); ok {
		f(seq)
	}
}

// EventCursor is the cursor of the event with sequence number seq: resuming
// after it starts with the next event.
func EventCursor(seq int64) string { return eventCursor(seq) }

// slowConsumer is the error that ends a subscription that fell too far
// behind; it carries the cursor to resume after.
func slowConsumer(last int64) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    "too far behind: subscribe again with after: the cursor in extensions",
		Extensions: map[string]any{"code": casus.ESLOWCONSUMER, "cursor": eventCursor(last)},
	}
}

// replayBatch is how many events one read of the log returns.
const replayBatch = 500

// streamEvents streams the events the caller may see that match f: first
// those after the cursor from the log, then live ones from the broker. It
// subscribes to the broker before reading the log, so nothing falls between
// the two, and skips what it has sent, so nothing comes twice. The stream
// ends when ctx does (the client leaves or its token expires) or when the
// client falls too far behind; it then resumes from its last cursor.
func (r *Resolver) streamEvents(ctx context.Context, f casus.EventFilter, after *string) (<-chan *casus.CaseEvent, error) {
	actor, ok := casus.ActorFrom(ctx)
	if !ok {
		return nil, casus.Errorf(casus.EUNAUTHENTICATED, "sign in first")
	}
	head, err := r.EventService.LastEventSeq(ctx)
	if err != nil {
		return nil, err
	}
	from := head
	if after != nil && *after != "" {
		if from, err = parseEventCursor(*after); err != nil {
			return nil, err
		}
		// A cursor is only ever handed out for an event in the log, so one
		// past its head was not ours: starting from it would skip events.
		if from > head {
			return nil, casus.Invalid("after", "the cursor is past the newest event; resume from a cursor you were given, or start without one")
		}
	}
	scopeKey := actor.ScopeKey()
	sub := r.Live.Events.Subscribe()
	out := make(chan *casus.CaseEvent)
	log := zerolog.Ctx(ctx)
	go func() {
		defer close(out)
		defer sub.Close()
		last := from
		send := func(e *casus.CaseEvent) bool {
			sending(ctx, e.Seq)
			select {
			case out <- e:
				last = e.Seq
				delivered(ctx, e)
				return true
			case <-ctx.Done():
				return false
			}
		}
		for {
			events, err := r.EventService.EventsAfter(ctx, last, f, replayBatch)
			if err != nil {
				log.Warn().Err(err).Msg("event stream: replay failed")
				return
			}
			for _, e := range events {
				if !send(e) {
					return
				}
			}
			if len(events) < replayBatch {
				break
			}
		}
		for {
			select {
			case <-ctx.Done():
				return
			case batch, ok := <-sub.C:
				if !ok {
					select {
					case <-sub.Dropped:
						transport.AddSubscriptionError(ctx, slowConsumer(last))
					default: // the server is stopping: the client resumes elsewhere
					}
					return
				}
				var visible map[string]bool
				if slices.ContainsFunc(batch.Events, func(e *casus.CaseEvent) bool { return e.Seq > last && f.Match(e) }) {
					// Access is checked per event, with the caller's scope now;
					// subscribers of the same scope share the check.
					visible, err = batch.Shared(scopeKey, func() (map[string]bool, error) {
						return r.EventService.VisibleCases(ctx, batch.CaseIDs())
					})
					if err != nil {
						log.Warn().Err(err).Msg("event stream: scope check failed")
						return
					}
				}
				cases := r.sharedCases(ctx, batch, scopeKey, visible)
				for _, e := range batch.Events {
					if e.Seq <= last {
						continue
					}
					if f.Match(e) && visible[e.CaseID] {
						delivery := *e
						delivery.Case = cases[e.CaseID]
						if !send(&delivery) {
							return
						}
					}
					last = e.Seq
				}
			}
		}
	}()
	return out, nil
}

// sharedCases reads the visible cases of a batch once for all subscribers
// of one scope, so that an event's case costs one read per scope, not one
// per subscriber. On a failed read it returns none: each subscriber then
// reads the case itself.
func (r *Resolver) sharedCases(ctx context.Context, batch *live.Batch, scopeKey string, visible map[string]bool) map[string]*casus.Case {
	if len(visible) == 0 {
		return nil
	}
	v, err := batch.SharedValue(scopeKey+"|cases", func() (any, error) {
		var ids []string
		for id, ok := range visible {
			if ok {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		cs, err := r.CaseService.CasesByID(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[string]*casus.Case, len(ids))
		for i, id := range ids {
			out[id] = cs[i]
		}
		return out, nil
	})
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("event stream: shared case read failed")
		return nil
	}
	cases, _ := v.(map[string]*casus.Case)
	return cases
}

// streamCase streams the case after each of its events.
func (r *Resolver) streamCase(ctx context.Context, caseID string) (<-chan *casus.Case, error) {
	if _, err := r.CaseService.Case(ctx, caseID); err != nil {
		return nil, err
	}
	events, err := r.streamEvents(ctx, casus.EventFilter{CaseID: caseID}, nil)
	if err != nil {
		return nil, err
	}
	out := make(chan *casus.Case)
	go func() {
		defer close(out)
		for range events {
			c, err := r.CaseService.Case(ctx, caseID)
			if err != nil {
				return // gone out of scope, or the stream is ending
			}
			select {
			case out <- c:
				delivered(ctx, c)
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// dashboardScope checks that the caller may see the dashboard they ask for,
// and that its municipality exists.
func (r *Resolver) dashboardScope(ctx context.Context, municipality *string) (casus.DashboardScope, error) {
	scope, err := casus.DashboardScopeFor(ctx, deref(municipality))
	if err != nil {
		return scope, err
	}
	if municipality != nil {
		m, err := load(ctx, &loadersFrom(ctx).municipality, *municipality)
		if err != nil {
			return scope, err
		}
		if m == nil {
			return scope, casus.Errorf(casus.ENOTFOUND, "no municipality %s", *municipality)
		}
	}
	return scope, nil
}

// streamDashboard streams the dashboard of scope whenever it changes, until
// ctx ends.
func (r *Resolver) streamDashboard(ctx context.Context, scope casus.DashboardScope) <-chan *casus.Dashboard {
	view := r.Live.Dashboards.Watch(scope)
	out := make(chan *casus.Dashboard)
	go func() {
		defer close(out)
		defer view.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case d, ok := <-view.C:
				if !ok {
					return // the server is stopping
				}
				select {
				case out <- d:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}
