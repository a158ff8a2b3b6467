// Package live follows the case event log and fans new events out to the
// subscriptions of this server instance.
//
// The log in the database is the source of truth: every instance tails it,
// so an event written through one instance reaches subscribers on all of
// them, and a subscriber that reconnects resumes from its last cursor by
// reading the log. The broker adds nothing to the log and keeps only a
// bounded buffer per subscriber.
//
// How an event travels:
//
//	mutation (graph) ─► domain service (neo4j): change + appendEvent in ONE transaction
//	                     │ commit; Tx.appendedEvents pokes this instance's broker
//	                     ▼
//	event log (:CaseEvent, gapless seq) ◄── every instance's Broker tails it (poll or poke)
//	                     │ Batch of events, in order
//	                     ▼
//	graph/feed.go: one shared subscriber for every caseEvents subscription
//	                     │ per class (selection × view): scope check and case
//	                     │ read once (Batch.Shared), rendered once, bytes shared
//	                     ▼
//	websocket (internal/server) ─► client; each delivery is written to the
//	                     access log before it leaves; a resuming subscriber
//	                     replays from the log first, paced by what it reads
package live

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"casusnet/internal/casus"
)

// Log is the case event log as the broker reads it.
type Log interface {
	// Since returns up to limit events after sequence number after, in order.
	Since(ctx context.Context, after int64, limit int) ([]*casus.CaseEvent, error)
	// Last returns the sequence number of the newest event.
	Last(ctx context.Context) (int64, error)
}

// Broker tails the log and fans batches of new events out to subscribers.
type Broker struct {
	log      Log
	logger   zerolog.Logger
	interval time.Duration
	buffer   int

	mu   sync.Mutex
	subs map[*Subscriber]struct{}
	// changed gets a value after new events; see Changed.
	changed chan struct{}
	// poke asks for a poll now; see Poke.
	poke chan struct{}
	// position is the sequence number of the newest event published;
	// started is set once it is the log's head (Run has read it).
	position atomic.Int64
	started  atomic.Bool
	// attached counts the subscriptions served through a shared
	// subscriber (see Attach).
	attached atomic.Int64
}

// Batch is a batch of new events, as every subscriber receives it. Checks
// that subscribers with the same scope would each make of it, such as which
// of its cases they may see, are made once and shared (see Shared).
type Batch struct {
	Events []*casus.CaseEvent

	mu     sync.Mutex
	shared map[string]*sharedCheck
}

type sharedCheck struct {
	done  chan struct{}
	value any
	err   error
}

// CaseIDs returns the distinct cases of the batch's events.
func (b *Batch) CaseIDs() []string {
	seen := map[string]bool{}
	var ids []string
	for _, e := range b.Events {
		if !seen[e.CaseID] {
			seen[e.CaseID] = true
			ids = append(ids, e.CaseID)
		}
	}
	return ids
}

// Shared returns check's answer for key: the first subscriber with that key
// computes it, the others wait for it and share it. A failed check is not
// shared: the next caller computes again.
func (b *Batch) Shared(key string, check func() (map[string]bool, error)) (map[string]bool, error) {
	v, err := b.SharedValue(key, func() (any, error) { return check() })
	visible, _ := v.(map[string]bool)
	return visible, err
}

// SharedValue is Shared for a value of any kind, such as what the batch's
// cases look like to one scope: the first subscriber with key reads it, the
// others with the same key share it. Sharers must not change the value.
func (b *Batch) SharedValue(key string, read func() (any, error)) (any, error) {
	b.mu.Lock()
	if b.shared == nil {
		b.shared = map[string]*sharedCheck{}
	}
	c, ok := b.shared[key]
	if !ok {
		c = &sharedCheck{done: make(chan struct{})}
		b.shared[key] = c
	}
	b.mu.Unlock()
	if ok {
		<-c.done
		if c.err == nil {
			return c.value, nil
		}
		return read()
	}
	c.value, c.err = read()
	if c.err != nil {
		b.mu.Lock()
		delete(b.shared, key)
		b.mu.Unlock()
	}
	close(c.done)
	return c.value, c.err
}

// Subscriber receives batches of events, in order, on C. C is closed when
// the subscriber falls so far behind that its buffer is full (it must
// resume from its last cursor), or when the broker stops.
type Subscriber struct {
	C      <-chan *Batch
	c      chan *Batch
	broker *Broker
	once   sync.Once
	// Dropped is closed when the subscriber was cut off for being too slow.
	Dropped chan struct{}
	// shared is set for a subscriber that serves many subscriptions.
	shared bool
}

// New returns a broker polling log every interval; each subscriber may be
// buffer batches behind before it is cut off.
func New(log Log, logger zerolog.Logger, interval time.Duration, buffer int) *Broker {
	return &Broker{log: log, logger: logger, interval: interval, buffer: buffer, subs: map[*Subscriber]struct{}{},
		changed: make(chan struct{}, 1), poke: make(chan struct{}, 1)}
}

// Subscribe returns a new subscriber; the caller must Close it.
func (b *Broker) Subscribe() *Subscriber {
	c := make(chan *Batch, b.buffer)
	s := &Subscriber{C: c, c: c, broker: b, Dropped: make(chan struct{})}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s
}

// Close ends the subscription.
func (s *Subscriber) Close() {
	s.broker.mu.Lock()
	defer s.broker.mu.Unlock()
	s.close()
}

// close removes s; the broker's lock is held.
func (s *Subscriber) close() {
	s.once.Do(func() {
		delete(s.broker.subs, s)
		close(s.c)
	})
}

// Poke makes the broker read the log now rather than at the next tick:
// this instance has just committed events. It never blocks.
func (b *Broker) Poke() {
	select {
	case b.poke <- struct{}{}:
	default:
	}
}

// Position returns the sequence number of the newest event published.
func (b *Broker) Position() int64 { return b.position.Load() }

// Head returns the sequence number of the newest event published, and
// whether the broker follows the log yet: a subscriber attached now gets
// every event after it.
func (b *Broker) Head() (int64, bool) {
	started := b.started.Load()
	return b.position.Load(), started
}

// Changed returns a channel that receives a value after new events have
// been published: several publishes between two receives make one value,
// so its one reader (the dashboards) never falls behind or is cut off.
func (b *Broker) Changed() <-chan struct{} { return b.changed }

// Subscribers returns how many subscriptions follow the broker: its own
// subscribers but shared ones, and those attached to a shared one.
func (b *Broker) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := int(b.attached.Load())
	for s := range b.subs {
		if !s.shared {
			n++
		}
	}
	return n
}

// SubscribeShared returns a subscriber that serves many subscriptions,
// each of which is counted by Attach rather than by the subscriber.
func (b *Broker) SubscribeShared() *Subscriber {
	s := b.Subscribe()
	b.mu.Lock()
	s.shared = true
	b.mu.Unlock()
	return s
}

// Attach counts a subscription served through a shared subscriber; the
// function it returns counts it out.
func (b *Broker) Attach() (detach func()) {
	b.attached.Add(1)
	var once sync.Once
	return func() { once.Do(func() { b.attached.Add(-1) }) }
}

// Run tails the log from its current end until ctx ends, then closes every
// subscriber.
func (b *Broker) Run(ctx context.Context) {
	defer func() {
		b.mu.Lock()
		for s := range b.subs {
			s.close()
		}
		b.mu.Unlock()
	}()
	var last int64
	for {
		n, err := b.log.Last(ctx)
		if err == nil {
			last = n
			b.position.Store(n)
			b.started.Store(true)
			break
		}
		b.logger.Warn().Err(err).Msg("event broker: cannot read the log; retrying")
		if !sleep(ctx, time.Second) {
			return
		}
	}
	t := time.NewTicker(b.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-b.poke:
		}
		for {
			events, err := b.log.Since(ctx, last, 500)
			if err != nil {
				if ctx.Err() == nil {
					b.logger.Warn().Err(err).Msg("event broker: poll failed")
				}
				break
			}
			if len(events) == 0 {
				break
			}
			last = events[len(events)-1].Seq
			b.position.Store(last)
			b.publish(&Batch{Events: events})
			if len(events) < 500 {
				break
			}
		}
	}
}

// publish hands a batch to every subscriber without waiting: one whose
// buffer is full is cut off, so that nobody slows the others down.
func (b *Broker) publish(batch *Batch) {
	select {
	case b.changed <- struct{}{}:
	default:
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		select {
		case s.c <- batch:
		default:
			close(s.Dropped)
			s.close()
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
