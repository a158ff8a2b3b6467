package graph

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"casusnet/graph/model"
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

// WithDeliveries returns ctx on which subscriptions hand what they are
// about to deliver — a page of replayed events, a live batch, a case — to
// log, which writes it to the access log and returns once it is durable:
// nothing leaves unlogged, not even when the server is killed right after.
// A stream does not send what could not be logged.
func WithDeliveries(ctx context.Context, log func(vs []any) error) context.Context {
	return context.WithValue(ctx, deliveriesKey{}, log)
}

// deliver logs vs as about to be delivered.
func deliver[T any](ctx context.Context, vs ...T) error {
	log, ok := ctx.Value(deliveriesKey{}).(func([]any) error)
	if !ok || len(vs) == 0 {
		return nil
	}
	all := make([]any, len(vs))
	for i, v := range vs {
		all[i] = v
	}
	return log(all)
}

// unlogged is the error that ends a stream whose delivery could not be
// logged, with the cursor to resume after when there is one.
func unlogged(cursor string) *gqlerror.Error {
	ext := map[string]any{"code": casus.EUNAVAILABLE}
	if cursor != "" {
		ext["cursor"] = cursor
	}
	return &gqlerror.Error{Message: "the access log cannot be written, so nothing more is sent: subscribe again shortly, after the last cursor", Extensions: ext}
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

type endKey struct{}

// streamEnd holds the error a subscription ended with.
type streamEnd struct {
	mu  sync.Mutex
	err *gqlerror.Error
}

// WithStreamEnd returns ctx on which a subscription reports the error it
// ends with, such as SLOW_CONSUMER with the cursor to resume after, and a
// function that returns that error, or nil, once the stream has ended.
func WithStreamEnd(ctx context.Context) (context.Context, func() *gqlerror.Error) {
	e := &streamEnd{}
	return context.WithValue(ctx, endKey{}, e), func() *gqlerror.Error {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.err
	}
}

// endStream notes the error a stream ends with; the transport sends it
// after the stream's last event.
func EndStream(ctx context.Context, err *gqlerror.Error) {
	if e, ok := ctx.Value(endKey{}).(*streamEnd); ok {
		e.mu.Lock()
		e.err = err
		e.mu.Unlock()
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

// SubscriptionLogWindow is how often a subscription that keeps delivering
// the same case logs it again: an object is logged before it is first
// delivered, and again, while it keeps being delivered, once per window —
// a dashboard following one case all day writes an entry a minute, not
// one per event.
const SubscriptionLogWindow = time.Minute

// eventFilter is the domain's filter of events for the filter argument.
func eventFilter(filter *model.CaseEventFilter) (casus.EventFilter, error) {
	if filter == nil {
		return casus.EventFilter{}, nil
	}
	c, err := optionalInputKey(kindCase, filter.Case, "filter.case")
	if err != nil {
		return casus.EventFilter{}, err
	}
	return casus.EventFilter{CaseID: c, MunicipalityCode: deref(filter.Municipality), Types: filter.Types}, nil
}

// eventStart returns the sequence number of the event after which a
// stream resumed from cursor starts.
func (r *Resolver) eventStart(ctx context.Context, cursor string) (int64, error) {
	from, err := parseEventCursor(cursor)
	if err != nil {
		return 0, err
	}
	head, err := r.EventService.LastEventSeq(ctx)
	if err != nil {
		return 0, err
	}
	// A cursor is only ever handed out for an event in the log, so one
	// past its head was not ours: starting from it would skip events.
	if from > head {
		return 0, casus.Invalid("after", "the cursor is past the newest event; resume from a cursor you were given, or start without one")
	}
	return from, nil
}

// replayBatch is how many events one read of the log returns.
const replayBatch = 500

// streamEvents streams the events the caller may see that match f: first
// those after the cursor from the log, then live ones from the broker. The stream
// ends when ctx does (the client leaves or its token expires) or when the
// client falls too far behind; it then resumes from its last cursor.
func (r *Resolver) streamEvents(ctx context.Context, f casus.EventFilter, after *string) (<-chan *casus.CaseEvent, error) {
	actor, ok := casus.ActorFrom(ctx)
	if !ok {
		return nil, casus.Errorf(casus.EUNAUTHENTICATED, "sign in first")
	}
	var from int64
	var err error
	if after != nil && *after != "" {
		from, err = r.eventStart(ctx, *after)
	} else {
		from, err = r.EventService.LastEventSeq(ctx)
	}
	if err != nil {
		return nil, err
	}
	scopeKey := actor.ScopeKey()
	out := make(chan *casus.CaseEvent)
	log := zerolog.Ctx(ctx)
	go func() {
		defer close(out)
		last := from
		send := func(e *casus.CaseEvent) bool {
			sending(ctx, e.Seq)
			select {
			case out <- e:
				last = e.Seq
				return true
			case <-ctx.Done():
				return false
			}
		}
		// replay sends what the log holds after last, as fast as the
		// client takes it: the server paces a replay, not the live
		// buffer.
		replay := func() bool {
			for {
				events, err := r.EventService.EventsAfter(ctx, last, f, replayBatch)
				if err != nil {
					log.Warn().Err(err).Msg("event stream: replay failed")
					return false
				}
				events = r.withCases(ctx, events)
				if err := deliver(ctx, events...); err != nil {
					EndStream(ctx, unlogged(eventCursor(last)))
					return false
				}
				for _, e := range events {
					if !send(e) {
						return false
					}
				}
				if len(events) < replayBatch {
					return true
				}
			}
		}
		// Replay, then follow the broker, then replay once more what was
		// written between the two: nothing falls between replay and live,
		// and what was sent is skipped, so nothing comes twice.
		if !replay() {
			return
		}
		sub := r.Live.Events.Subscribe()
		defer sub.Close()
		if !replay() {
			return
		}
		for {
			select {
			case <-ctx.Done():
				return
			case batch, ok := <-sub.C:
				if !ok {
					select {
					case <-sub.Dropped:
						EndStream(ctx, slowConsumer(last))
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
				var deliveries []*casus.CaseEvent
				top := last
				for _, e := range batch.Events {
					if e.Seq <= last {
						continue
					}
					if f.Match(e) && visible[e.CaseID] {
						delivery := *e
						delivery.Case = cases[e.CaseID]
						deliveries = append(deliveries, &delivery)
					}
					top = e.Seq
				}
				if err := deliver(ctx, deliveries...); err != nil {
					EndStream(ctx, unlogged(eventCursor(last)))
					return
				}
				for _, d := range deliveries {
					if !send(d) {
						return
					}
				}
				last = top
			}
		}
	}()
	return out, nil
}

// withCases returns events with their cases, read in one go for a page of
// the replay, so that the page's access-log entry names the subjects and
// the events' case fields cost no read each. On a failed read it returns
// events as they are: each then reads its case itself.
func (r *Resolver) withCases(ctx context.Context, events []*casus.CaseEvent) []*casus.CaseEvent {
	var ids []string
	for _, e := range events {
		if !slices.Contains(ids, e.CaseID) {
			ids = append(ids, e.CaseID)
		}
	}
	if len(ids) == 0 {
		return events
	}
	cs, err := r.CaseService.CasesByID(ctx, ids)
	if err != nil || len(cs) != len(ids) {
		return events
	}
	out := make([]*casus.CaseEvent, len(events))
	for i, e := range events {
		d := *e
		d.Case = cs[slices.Index(ids, e.CaseID)]
		out[i] = &d
	}
	return out
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
			if deliver(ctx, c) != nil {
				EndStream(ctx, unlogged(""))
				return
			}
			select {
			case out <- c:
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
