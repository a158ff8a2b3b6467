package live

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.uber.org/goleak"

	"casusnet/internal/casus"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// memLog is an event log in memory. The broker is tested against it; the
// log in Neo4j has its own tests.
type memLog struct {
	mu     sync.Mutex
	events []*casus.CaseEvent
	// headRead is closed once the broker has asked where the log ends.
	headRead     chan struct{}
	headReadOnce sync.Once
}

// read returns the channel closed once the broker has read the head.
func (l *memLog) read() chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.headRead == nil {
		l.headRead = make(chan struct{})
	}
	return l.headRead
}

// waitHeadRead waits until the broker has read where the log ends, so that
// what is appended from then on is published.
func (l *memLog) waitHeadRead(t *testing.T) {
	t.Helper()
	select {
	case <-l.read():
	case <-time.After(time.Minute):
		t.Fatal("the broker never read the log's head")
	}
}

func (l *memLog) append(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := 0; i < n; i++ {
		l.events = append(l.events, &casus.CaseEvent{Seq: int64(len(l.events) + 1), CaseID: "c"})
	}
}

func (l *memLog) Since(_ context.Context, after int64, limit int) ([]*casus.CaseEvent, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if int(after) >= len(l.events) {
		return nil, nil
	}
	return l.events[after:min(len(l.events), int(after)+limit)], nil
}

func (l *memLog) Last(context.Context) (int64, error) {
	ch := l.read()
	l.headReadOnce.Do(func() { close(ch) })
	l.mu.Lock()
	defer l.mu.Unlock()
	return int64(len(l.events)), nil
}

// TestSlowSubscriberIsCutOff has one subscriber that reads and one that
// does not: the reader gets every event in order, the other is cut off once
// its buffer is full, and the broker neither blocks nor holds more for it.
func TestSlowSubscriberIsCutOff(t *testing.T) {
	log := &memLog{}
	b := New(log, zerolog.Nop(), time.Millisecond, 4)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.Run(ctx) }()
	defer func() { cancel(); <-done }()

	fast, slow := b.Subscribe(), b.Subscribe()
	defer fast.Close()
	defer slow.Close()
	log.waitHeadRead(t)
	const total = 2000
	go func() {
		for i := 0; i < total/100; i++ {
			log.append(100)
			time.Sleep(2 * time.Millisecond)
		}
	}()
	var next int64 = 1
	timeout := time.After(10 * time.Second)
	for next <= total {
		select {
		case batch, ok := <-fast.C:
			if !ok {
				t.Fatalf("the reading subscriber was cut off at %d", next)
			}
			for _, e := range batch.Events {
				if e.Seq != next {
					t.Fatalf("got event %d, want %d", e.Seq, next)
				}
				next++
			}
		case <-timeout:
			t.Fatalf("received %d of %d events", next-1, total)
		}
	}
	select {
	case <-slow.Dropped:
	default:
		t.Fatal("the subscriber that did not read was not cut off")
	}
	n := 0
	for range slow.C {
		n++
	}
	if n != 4 {
		t.Fatalf("the cut-off subscriber had %d batches buffered, want its buffer of 4", n)
	}
	if got := b.Subscribers(); got != 1 {
		t.Fatalf("%d subscribers attached, want 1", got)
	}
}

// TestBrokerStopClosesSubscribers checks that stopping the broker ends
// every subscription, without marking it as too slow.
func TestBrokerStopClosesSubscribers(t *testing.T) {
	b := New(&memLog{}, zerolog.Nop(), time.Millisecond, 4)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.Run(ctx) }()
	s := b.Subscribe()
	cancel()
	<-done
	if _, ok := <-s.C; ok {
		t.Fatal("subscriber still open after the broker stopped")
	}
	select {
	case <-s.Dropped:
		t.Fatal("a subscriber closed by the stop was marked too slow")
	default:
	}
	s.Close() // closing again is harmless
}

// TestBatchSharesChecks has a hundred subscribers of two scopes check one
// batch at once: each scope's check runs once, and a failed one is not
// handed to the others.
func TestBatchSharesChecks(t *testing.T) {
	b := &Batch{Events: []*casus.CaseEvent{{Seq: 1, CaseID: "a"}, {Seq: 2, CaseID: "b"}, {Seq: 3, CaseID: "a"}}}
	if got := b.CaseIDs(); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("CaseIDs = %v", got)
	}
	var mu sync.Mutex
	runs := map[string]int{}
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		key := []string{"mayor", "director"}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := b.Shared(key, func() (map[string]bool, error) {
				mu.Lock()
				runs[key]++
				mu.Unlock()
				time.Sleep(10 * time.Millisecond)
				return map[string]bool{"a": key == "mayor"}, nil
			})
			if err != nil || v["a"] != (key == "mayor") {
				t.Errorf("%s got %v, %v", key, v, err)
			}
		}()
	}
	wg.Wait()
	if runs["mayor"] != 1 || runs["director"] != 1 {
		t.Fatalf("checks ran %v times, want once per scope", runs)
	}
	fail := errors.New("database away")
	if _, err := b.Shared("analyst", func() (map[string]bool, error) { return nil, fail }); err != fail {
		t.Fatalf("err = %v", err)
	}
	if v, err := b.Shared("analyst", func() (map[string]bool, error) { return map[string]bool{"b": true}, nil }); err != nil || !v["b"] {
		t.Fatalf("after a failed check: %v, %v", v, err)
	}
}
