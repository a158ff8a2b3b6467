package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"casusnet/internal/casus"
	"casusnet/internal/load"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
)

// neo4jProcess is a Neo4j of a test's own, started and stopped with the
// repository's script, so that a test can take it away and bring it back.
type neo4jProcess struct {
	t    *testing.T
	home string
	port string
}

func (n *neo4jProcess) do(verb string) {
	n.t.Helper()
	script, err := filepath.Abs("../../scripts/neo4j/neo4j.sh")
	if err != nil {
		n.t.Fatal(err)
	}
	cmd := exec.Command(script, verb)
	cmd.Env = append(os.Environ(), "CASUSNET_NEO4J_HOME="+n.home, "CASUSNET_NEO4J_PORT="+n.port,
		"CASUSNET_NEO4J_HEAP=512m", "CASUSNET_NEO4J_PAGECACHE=64m", "NEO4J_PASSWORD=casusnet-dev")
	if out, err := cmd.CombinedOutput(); err != nil {
		n.t.Fatalf("neo4j %s: %v\n%s", verb, err, out)
	}
}

// TestDatabaseOutage stops Neo4j under reads, writes and a subscription and
// starts it again: during the outage /readyz says 503 with the reason and
// requests fail at once with UNAVAILABLE; afterwards the server is ready
// again by itself, every acknowledged write is there, writes whose answer
// was UNAVAILABLE are retried with their idempotency keys and exist once,
// and the subscription, resumed from its cursor, has every case event once
// and in order.
func TestDatabaseOutage(t *testing.T) {
	addr := freeAddr(t)
	n := &neo4jProcess{t: t, home: t.TempDir(), port: addr[strings.LastIndex(addr, ":")+1:]}
	n.do("up")
	t.Cleanup(func() { n.do("down") })
	getenv := env(map[string]string{"NEO4J_URI": "bolt://127.0.0.1:" + n.port, "NEO4J_DATABASE": "", "NEO4J_PASSWORD": "casusnet-dev"})
	var stderr syncBuffer
	for _, args := range [][]string{{"casusnet", "migrate"}, {"casusnet", "seed", "--demo"}} {
		if err := run(context.Background(), args, getenv, io.Discard, &stderr); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
	}
	srvAddr := freeAddr(t)
	base := "http://" + srvAddr
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"casusnet", "serve", "--addr", srvAddr}, getenv, io.Discard, &stderr)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	waitReady(t, base, done, &stderr)

	c := &load.Client{URL: base + "/graphql", Token: load.Token(casus.Actor{ID: "u-outage", Name: "Outage", Role: casus.RoleCoordinator})}
	caseID := openCase(ctx, t, c)
	review := func(i int) error {
		return c.Do(ctx, `mutation($in: ScheduleReviewInput!) { scheduleReview(input: $in) { case { id } } }`,
			map[string]any{"in": map[string]any{"case": caseID, "on": time.Now().AddDate(0, 0, 10+i%50).Format(time.DateOnly), "reason": fmt.Sprintf("outage %d", i)}}, nil)
	}
	signal := func(key string) error {
		return c.Do(ctx, `mutation($in: SubmitSignalInput!) { submitSignal(input: $in) { signal { id } } }`,
			map[string]any{"in": map[string]any{"municipality": "GM0384", "description": "outage test " + key, "idempotencyKey": key}}, nil)
	}

	// The subscriber starts after the log's head as it is now, so that it
	// gets every event from here on however soon its stream attaches.
	db := neo4jtest.ConnectWith(t, neo4j.Config{URI: "bolt://127.0.0.1:" + n.port, User: "neo4j", Password: "casusnet-dev"})
	head, err := neo4j.NewEventService(db).LastEventSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sub := newEventSubscriber(t, srvAddr, c.Token, base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "event:%d", head)))
	defer sub.close()
	acked := 0
	for i := range 5 {
		if err := review(i); err != nil {
			t.Fatalf("review before the outage: %v", err)
		}
		acked++
	}
	sub.waitFor(t, acked)

	n.do("down")
	// Readiness says why.
	var ready struct{ Status, Reason string }
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	_ = json.NewDecoder(resp.Body).Decode(&ready)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || ready.Reason == "" {
		t.Errorf("/readyz during the outage: %d %+v, want 503 with a reason", resp.StatusCode, ready)
	}
	// Reads and writes fail with UNAVAILABLE, promptly: the driver gives up
	// after its retry budget, and the request does not hang until a timeout.
	var unknown []string // signals whose outcome the client does not know
	for i := range 3 {
		start := time.Now()
		err := c.Do(ctx, `{ cases(first: 5) { totalCount } }`, nil, nil)
		if code := codeOf(err); code != casus.EUNAVAILABLE {
			t.Errorf("read during the outage: %v, want UNAVAILABLE", err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("read during the outage took %v: it should fail fast", d)
		}
		key := fmt.Sprintf("outage-%d", i)
		err = signal(key)
		if code := codeOf(err); code != casus.EUNAVAILABLE || !strings.Contains(err.Error(), "again") {
			t.Errorf("write during the outage: %v, want UNAVAILABLE saying to try again", err)
		}
		unknown = append(unknown, key)
	}

	n.do("up")
	// The server reconnects by itself.
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready 60 s after Neo4j came back\n%s", stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The client retries what it does not know the outcome of, twice.
	for _, key := range append(unknown, unknown...) {
		if err := signal(key); err != nil {
			t.Fatalf("retry %s: %v", key, err)
		}
	}
	for i := 5; i < 10; i++ {
		if err := review(i); err != nil {
			t.Fatalf("review after the outage: %v", err)
		}
		acked++
	}
	var after struct {
		Case struct {
			Timeline struct {
				Edges []struct{ Node struct{ Type string } }
			}
		}
		Signals struct {
			Edges []struct{ Node struct{ Description string } }
		}
	}
	if err := c.Do(ctx, `query($id: ID!) { case(id: $id) { timeline(last: 100) { edges { node { type } } } }
		signals(first: 100, filter: {municipality: "GM0384"}) { edges { node { description } } } }`, map[string]any{"id": caseID}, &after); err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, e := range after.Case.Timeline.Edges {
		if e.Node.Type == casus.EventReviewScheduled {
			got++
		}
	}
	if got != acked {
		t.Errorf("%d reviews on the timeline, want the %d acknowledged", got, acked)
	}
	for _, key := range unknown {
		found := 0
		for _, e := range after.Signals.Edges {
			if e.Node.Description == "outage test "+key {
				found++
			}
		}
		if found != 1 {
			t.Errorf("signal %s exists %d times after retries, want once", key, found)
		}
	}
	// The subscription has every event once and in order, resuming from its
	// cursor if the outage ended its stream.
	sub.waitFor(t, acked)
	sub.close()
	if err := sub.check(); err != nil {
		t.Error(err)
	}
	t.Logf("the subscriber got %d events over %d streams", len(sub.seqs), sub.streams)
}

func codeOf(err error) string {
	var e *load.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// eventSubscriber follows caseEvents over a websocket as a client would:
// when its stream ends, it subscribes again after the last cursor it got.
type eventSubscriber struct {
	addr, token string
	mu          sync.Mutex
	seqs        []int
	cursor      string
	streams     int
	conn        *websocket.Conn
	stop        chan struct{}
	done        chan struct{}
}

func newEventSubscriber(t *testing.T, addr, token, cursor string) *eventSubscriber {
	s := &eventSubscriber{addr: addr, token: token, cursor: cursor, stop: make(chan struct{}), done: make(chan struct{})}
	ready := make(chan struct{})
	go s.follow(ready)
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("subscription did not start")
	}
	return s
}

func (s *eventSubscriber) follow(ready chan struct{}) {
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		default:
		}
		if err := s.stream(ready); err != nil {
			select {
			case <-s.stop:
				return
			case <-time.After(500 * time.Millisecond):
			}
		}
	}
}

func (s *eventSubscriber) stream(ready chan struct{}) error {
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial("ws://"+s.addr+"/graphql", nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	s.mu.Lock()
	s.conn, s.streams = conn, s.streams+1
	vars := map[string]any{}
	if s.cursor != "" {
		vars["after"] = s.cursor
	}
	s.mu.Unlock()
	select {
	case <-s.stop:
		return nil
	default:
	}
	_ = conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + s.token}})
	_ = conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query": "subscription($after: String) { caseEvents(after: $after, filter: {types: [\"REVIEW_SCHEDULED\"]}) { sequence cursor } }", "variables": vars}})
	for {
		var m struct {
			Type    string
			Payload struct {
				Data struct {
					CaseEvents struct {
						Sequence int
						Cursor   string
					}
				}
			}
		}
		if err := conn.ReadJSON(&m); err != nil {
			return err
		}
		switch m.Type {
		case "connection_ack":
			select {
			case <-ready:
			default:
				close(ready)
			}
		case "next":
			s.mu.Lock()
			s.seqs = append(s.seqs, m.Payload.Data.CaseEvents.Sequence)
			s.cursor = m.Payload.Data.CaseEvents.Cursor
			s.mu.Unlock()
		case "ping":
			_ = conn.WriteJSON(map[string]string{"type": "pong"})
		case "error", "complete":
			return fmt.Errorf("stream ended: %s", m.Type)
		}
	}
}

func (s *eventSubscriber) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		s.mu.Lock()
		got := len(s.seqs)
		s.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("subscriber got %d events in 60 s, want %d", got, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *eventSubscriber) close() {
	select {
	case <-s.stop:
		return
	default:
	}
	close(s.stop)
	s.mu.Lock()
	if s.conn != nil {
		s.conn.Close()
	}
	s.mu.Unlock()
	<-s.done
}

// check reports whether the events came once each, in increasing order.
func (s *eventSubscriber) check() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 1; i < len(s.seqs); i++ {
		if s.seqs[i] <= s.seqs[i-1] {
			return fmt.Errorf("events out of order or twice: %v", s.seqs)
		}
	}
	return nil
}

// openCase returns the global id of an open case of the demo region, as c
// reads it.
func openCase(ctx context.Context, t *testing.T, c *load.Client) string {
	t.Helper()
	var cases struct {
		Cases struct {
			Edges []struct{ Node struct{ ID, Phase string } }
		}
	}
	if err := c.Do(ctx, `{ cases(first: 50) { edges { node { id phase } } } }`, nil, &cases); err != nil {
		t.Fatal(err)
	}
	for _, e := range cases.Cases.Edges {
		if e.Node.Phase != "CLOSED" {
			return e.Node.ID
		}
	}
	t.Fatal("no open case")
	return ""
}
