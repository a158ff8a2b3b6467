package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/rs/zerolog"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"casusnet/graph/model"
	"casusnet/internal/casus"
	"casusnet/internal/live"
)

// Feed serves Subscription.caseEvents to many subscribers without a
// goroutine each. One goroutine follows the broker for all of them; the
// subscribers of a batch are grouped in classes of the same selection and
// the same view (casus.Actor.VisibilityKey), and each event is checked,
// read and rendered once per class — the related cases read in one batch —
// its bytes shared by every subscriber of the class. A subscriber that
// resumes from a cursor first catches up from the log, in a replay paced by
// what it reads (at most maxReplays at a time), and then joins its class.
//
// The feed takes selections that reach no person (events, their cases,
// municipalities, changes, actors): their access-log entries are exactly
// the events' cases and subjects. Other selections go through gqlgen's
// own subscription path, whose fields are logged one by one.
type Feed struct {
	r       *Resolver
	es      *executableSchema
	log     DeliveryLog
	present graphql.ErrorPresenterFunc
	replays chan struct{}

	mu      sync.Mutex
	sub     *live.Subscriber // the feed's place at the broker; nil until the first subscriber
	classes map[string]*eventClass
	all     map[*feedSub]*eventClass
}

// DeliveryLog writes deliveries to the access log, each as if its
// subscription had delivered it, and returns once they are durable.
type DeliveryLog func(deliveries []Delivery) error

// Delivery is what one subscription is about to deliver.
type Delivery struct {
	// Ctx is the subscription's: its caller, client and operation.
	Ctx context.Context
	// Values are the objects delivered, such as *casus.CaseEvent.
	Values []any
}

// Sink is where a subscription's results go: a client's connection.
type Sink interface {
	// Send queues a result, waiting while the client is behind, until
	// ctx ends (false).
	Send(ctx context.Context, payload []byte) bool
	// Offer queues a result without waiting; false when the client is too
	// far behind to take it.
	Offer(payload []byte) bool
	// End ends the subscription: with err, or complete when nil. The
	// feed calls it once per subscription.
	End(err *gqlerror.Error)
}

// maxReplays bounds the replays running at once; more wait their turn.
const maxReplays = 8

// NewFeed returns a feed rendering with es (the schema the server
// serves), presenting errors with present, and logging through log.
func NewFeed(r *Resolver, es graphql.ExecutableSchema, present graphql.ErrorPresenterFunc, log DeliveryLog) *Feed {
	return &Feed{r: r, es: es.(*executableSchema), present: present, log: log, replays: make(chan struct{}, maxReplays),
		classes: map[string]*eventClass{}, all: map[*feedSub]*eventClass{}}
}

// eventClass is the subscribers with one selection and one view.
type eventClass struct {
	// ctx renders the class's events: its first subscriber's caller and
	// operation, with loaders of its own, living as long as the class.
	ctx     context.Context
	rc      *graphql.OperationContext
	field   graphql.CollectedField
	args    map[string]any
	filter  casus.EventFilter
	view    string
	members map[*feedSub]struct{}
}

// feedSub is one subscription.
type feedSub struct {
	ctx    context.Context
	cancel context.CancelFunc
	rc     *graphql.OperationContext
	field  graphql.CollectedField
	args   map[string]any
	sink   Sink

	mu sync.Mutex
	// last is the sequence number of the last event sent or passed over.
	last int64
	// live is set once the replay caught up; pending while it runs, when
	// a batch came meanwhile.
	live, pending, ended bool
	// logged is when each case was last logged as delivered.
	logged map[string]time.Time
	// detach counts the subscription out of the broker's subscribers.
	detach func()
}

// feedFields are the object types a feed selection may reach.
var feedFields = map[string]bool{"CaseEvent": true, "Case": true, "Municipality": true, "FieldChange": true, "Actor": true}

// Handles reports whether the feed serves the operation: a subscription to
// caseEvents alone, whose selection reaches no person.
func (f *Feed) Handles(rc *graphql.OperationContext) bool {
	if rc.Operation == nil || rc.Operation.Operation != ast.Subscription {
		return false
	}
	fields := graphql.CollectFields(rc, rc.Operation.SelectionSet, []string{"Subscription"})
	return len(fields) == 1 && fields[0].Name == "caseEvents" && personless(fields[0].Selections)
}

func personless(set ast.SelectionSet) bool {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			if s.Definition == nil {
				return false
			}
			if len(s.SelectionSet) > 0 && (!feedFields[s.Definition.Type.Name()] || !personless(s.SelectionSet)) {
				return false
			}
		case *ast.InlineFragment:
			if !personless(s.SelectionSet) {
				return false
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || !personless(s.Definition.SelectionSet) {
				return false
			}
		}
	}
	return true
}

// Subscribe starts a subscription the feed handles (see Handles); its
// results go to sink until stop is called, ctx ends, or the feed ends it
// through sink.End.
func (f *Feed) Subscribe(ctx context.Context, rc *graphql.OperationContext, sink Sink) (stop func(), err *gqlerror.Error) {
	stop, e := f.subscribe(ctx, rc, sink)
	if e != nil {
		return nil, f.present(graphql.WithOperationContext(ctx, rc), e)
	}
	return stop, nil
}

func (f *Feed) subscribe(ctx context.Context, rc *graphql.OperationContext, sink Sink) (stop func(), err error) {
	actor, ok := casus.ActorFrom(ctx)
	if !ok {
		return nil, casus.Errorf(casus.EUNAUTHENTICATED, "sign in first")
	}
	field := graphql.CollectFields(rc, rc.Operation.SelectionSet, []string{"Subscription"})[0]
	ec := newExecutionContext(rc, f.es, nil)
	args, err := ec.field_Subscription_caseEvents_args(ctx, field.ArgumentMap(rc.Variables))
	if err != nil {
		return nil, err
	}
	filter, err := eventFilter(args["filter"].(*model.CaseEventFilter))
	if err != nil {
		return nil, err
	}
	f.start()
	from, following := f.r.Live.Events.Head()
	replay := true
	if after := args["after"].(*string); after != nil && *after != "" {
		if from, err = f.r.eventStart(ctx, *after); err != nil {
			return nil, err
		}
	} else if following {
		replay = false // from now: what the broker published is past, what it will publish is not
	} else if from, err = f.r.EventService.LastEventSeq(ctx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &feedSub{ctx: ctx, cancel: cancel, rc: rc, field: field, args: args, sink: sink, last: from, live: !replay, logged: map[string]time.Time{}}
	key := selectionKey(rc, field) + "\x00" + actor.VisibilityKey()
	f.mu.Lock()
	c := f.classes[key]
	if c == nil {
		c = &eventClass{ctx: f.r.WithLoaders(context.WithoutCancel(ctx)), rc: rc, field: field, args: args, filter: filter,
			view: actor.VisibilityKey(), members: map[*feedSub]struct{}{}}
		f.classes[key] = c
	}
	c.members[s] = struct{}{}
	f.all[s] = c
	s.detach = f.r.Live.Events.Attach()
	f.mu.Unlock()
	context.AfterFunc(ctx, func() { f.end(s, nil, false) })
	if replay {
		go f.replay(s, filter)
	}
	return cancel, nil
}

// selectionKey identifies what a subscription asks for: its operation
// and variables, but not where it starts.
func selectionKey(rc *graphql.OperationContext, field graphql.CollectedField) string {
	vars := rc.Variables
	if a := field.Arguments.ForName("after"); a != nil && a.Value.Kind == ast.Variable &&
		strings.Count(rc.RawQuery, "$"+a.Value.Raw) == 2 { // declared and used once: only here
		vars = map[string]any{}
		for k, v := range rc.Variables {
			if k != a.Value.Raw {
				vars[k] = v
			}
		}
	}
	b, _ := json.Marshal(vars) // maps marshal with sorted keys
	return rc.OperationName + "\x00" + rc.RawQuery + "\x00" + string(b)
}

// end ends s, once: with err sent to the client when tell is set.
func (f *Feed) end(s *feedSub, err *gqlerror.Error, tell bool) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	s.mu.Unlock()
	s.cancel()
	f.mu.Lock()
	if c := f.all[s]; c != nil {
		delete(c.members, s)
		if len(c.members) == 0 {
			for k, v := range f.classes {
				if v == c {
					delete(f.classes, k)
				}
			}
		}
	}
	delete(f.all, s)
	f.mu.Unlock()
	s.detach()
	if tell {
		s.sink.End(err)
	} else {
		s.sink.End(nil)
	}
}

// start makes sure the feed follows the broker.
func (f *Feed) start() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sub == nil {
		f.sub = f.r.Live.Events.SubscribeShared()
		go f.follow(f.sub)
	}
}

// follow hands each batch of the broker to the feed's subscribers until
// the broker stops. When the broker cuts the feed off (it fell behind),
// the live subscribers end with SLOW_CONSUMER and resume from the log.
func (f *Feed) follow(sub *live.Subscriber) {
	for batch := range sub.C {
		f.publish(batch)
	}
	f.mu.Lock()
	f.sub = nil
	subs := make([]*feedSub, 0, len(f.all))
	for s := range f.all {
		subs = append(subs, s)
	}
	f.mu.Unlock()
	dropped := false
	select {
	case <-sub.Dropped:
		dropped = true
	default:
	}
	for _, s := range subs {
		s.mu.Lock()
		last, live := s.last, s.live
		s.pending = true
		s.mu.Unlock()
		switch {
		case !dropped:
			f.end(s, nil, false) // the server is stopping: the client resumes elsewhere
		case live:
			f.end(s, slowConsumer(last), true)
		}
	}
	if dropped {
		f.start()
	}
}

// publish delivers a batch to every live subscriber.
func (f *Feed) publish(batch *live.Batch) {
	f.mu.Lock()
	classes := make([]*eventClass, 0, len(f.classes))
	members := map[*eventClass][]*feedSub{}
	for _, c := range f.classes {
		classes = append(classes, c)
		for s := range c.members {
			members[c] = append(members[c], s)
		}
	}
	f.mu.Unlock()
	for _, c := range classes {
		var live []*feedSub
		for _, s := range members[c] {
			s.mu.Lock()
			switch {
			case s.ended:
			case !s.live:
				s.pending = true
			default:
				live = append(live, s)
			}
			s.mu.Unlock()
		}
		if len(live) > 0 {
			f.publishTo(c, live, batch)
		}
	}
}

// rendered is one event as a class shows it.
type rendered struct {
	event   *casus.CaseEvent
	payload []byte
}

// publishTo renders the batch's events once for class c and sends them
// to its live subscribers.
func (f *Feed) publishTo(c *eventClass, subs []*feedSub, batch *live.Batch) {
	log := zerolog.Ctx(c.ctx)
	var out []rendered
	if slices.ContainsFunc(batch.Events, c.filter.Match) {
		visible, err := batch.Shared(c.view, func() (map[string]bool, error) {
			return f.r.EventService.VisibleCases(c.ctx, batch.CaseIDs())
		})
		if err != nil {
			log.Warn().Err(err).Msg("event feed: scope check failed")
			for _, s := range subs {
				f.end(s, Unreadable(s.cursor()), true)
			}
			return
		}
		cases := f.r.sharedCases(c.ctx, batch, c.view, visible)
		for _, e := range batch.Events {
			if !c.filter.Match(e) || !visible[e.CaseID] {
				continue
			}
			d := *e
			d.Case = cases[e.CaseID]
			payload, errs := f.render(c.ctx, c.rc, c.field, c.args, &d)
			if errs != nil {
				log.Warn().Err(errs).Msg("event feed: an event could not be rendered")
				for _, s := range subs {
					f.end(s, Unreadable(s.cursorBefore(e.Seq)), true)
				}
				return
			}
			out = append(out, rendered{&d, payload})
		}
	}
	top := batch.Events[len(batch.Events)-1].Seq
	type plan struct {
		s    *feedSub
		send []rendered
	}
	plans := make([]plan, 0, len(subs))
	var deliveries []Delivery
	now := time.Now()
	for _, s := range subs {
		s.mu.Lock()
		last := s.last
		s.mu.Unlock()
		p := plan{s: s}
		var due []any
		for _, r := range out {
			if r.event.Seq <= last {
				continue
			}
			p.send = append(p.send, r)
			if at, ok := s.logged[r.event.CaseID]; !ok || now.Sub(at) >= SubscriptionLogWindow {
				s.logged[r.event.CaseID] = now
				due = append(due, r.event)
			}
		}
		if len(due) > 0 {
			deliveries = append(deliveries, Delivery{Ctx: s.ctx, Values: due})
		}
		plans = append(plans, p)
	}
	if err := f.log(deliveries); err != nil {
		log.Error().Err(err).Msg("event feed: access log append failed; subscriptions ended")
		for _, p := range plans {
			f.end(p.s, unlogged(p.s.cursor()), true)
		}
		return
	}
	for _, p := range plans {
		s := p.s
		for _, r := range p.send {
			if !s.sink.Offer(r.payload) {
				f.end(s, slowConsumer(s.position()), true)
				break
			}
			s.mu.Lock()
			s.last = r.event.Seq
			s.mu.Unlock()
		}
		s.mu.Lock()
		s.last = max(s.last, top)
		s.mu.Unlock()
	}
}

func (s *feedSub) position() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *feedSub) cursor() string { return eventCursor(s.position()) }

// cursorBefore is the cursor to resume from to get event seq again.
func (s *feedSub) cursorBefore(seq int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return eventCursor(min(s.last, seq-1))
}

// Unreadable is the error that ends a stream whose event could not be read
// in full, with the cursor that gives that event again (none when cursor
// is ""), on the feed and on gqlgen's path alike.
func Unreadable(cursor string) *gqlerror.Error {
	ext := map[string]any{"code": casus.EUNAVAILABLE}
	if cursor != "" {
		ext["cursor"] = cursor
	}
	return &gqlerror.Error{Message: "an event could not be read in full: subscribe again, with after: the cursor in extensions", Extensions: ext}
}

// replay sends s what the log holds after its cursor, as fast as its
// client reads, and then lets it join its class live.
func (f *Feed) replay(s *feedSub, filter casus.EventFilter) {
	select {
	case f.replays <- struct{}{}:
		defer func() { <-f.replays }()
	case <-s.ctx.Done():
		return
	}
	ctx := f.r.WithLoaders(s.ctx) // for the replay only: a live subscriber holds none
	for {
		s.mu.Lock()
		last := s.last
		s.pending = false
		s.mu.Unlock()
		events, err := f.r.EventService.EventsAfter(ctx, last, filter, replayBatch)
		if err != nil {
			if ctx.Err() == nil {
				zerolog.Ctx(ctx).Warn().Err(err).Msg("event feed: replay failed")
				f.end(s, Unreadable(eventCursor(last)), true)
			}
			return
		}
		events = f.r.withCases(ctx, events)
		if len(events) > 0 {
			if err := f.log([]Delivery{{Ctx: s.ctx, Values: anys(events)}}); err != nil {
				f.end(s, unlogged(eventCursor(last)), true)
				return
			}
		}
		for _, e := range events {
			payload, errs := f.render(ctx, s.rc, s.field, s.args, e)
			if errs != nil {
				f.end(s, Unreadable(s.cursorBefore(e.Seq)), true)
				return
			}
			if !s.sink.Send(ctx, payload) {
				return
			}
			s.mu.Lock()
			s.last = e.Seq
			s.mu.Unlock()
		}
		if len(events) == replayBatch {
			continue
		}
		s.mu.Lock()
		if !s.pending {
			s.live = true
			s.logged = map[string]time.Time{}
			for _, e := range events {
				s.logged[e.CaseID] = time.Now()
			}
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
	}
}

func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// render executes the caseEvents selection on e, as gqlgen would for one
// result of the subscription, and returns the result's JSON.
func (f *Feed) render(ctx context.Context, rc *graphql.OperationContext, field graphql.CollectedField, args map[string]any, e *casus.CaseEvent) ([]byte, gqlerror.List) {
	ctx = graphql.WithOperationContext(ctx, rc)
	ctx = graphql.WithResponseContext(ctx, f.present, rc.RecoverFunc)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Subscription", Field: field, Args: args, IsMethod: true, IsResolver: true})
	ec := newExecutionContext(rc, f.es, nil)
	m := ec.marshalNCaseEvent2ᚖcasusnetᚋinternalᚋcasusᚐCaseEvent(ctx, field.Selections, e)
	if errs := graphql.GetErrors(ctx); len(errs) > 0 {
		return nil, errs
	}
	var b bytes.Buffer
	b.WriteString(`{"data":{`)
	b.WriteString(strconv.Quote(field.Alias))
	b.WriteByte(':')
	m.MarshalGQL(&b)
	b.WriteString(`}}`)
	return b.Bytes(), nil
}
