package graph_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"casusnet/internal/auth"
	"casusnet/internal/casus"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
	"casusnet/internal/server"
)

// wsClient speaks a GraphQL websocket subprotocol with gorilla/websocket.
type wsClient struct {
	t     *testing.T
	conn  *websocket.Conn
	proto string
}

// subscribe opens a connection as the api's caller and starts one
// subscription with id "1".
func (a *api) subscribe(t *testing.T, proto, query string, vars map[string]any) *wsClient {
	t.Helper()
	return a.subscribeWith(t, websocket.Dialer{}, proto, query, vars)
}

// subscribeWith is subscribe through dialer d.
func (a *api) subscribeWith(t *testing.T, d websocket.Dialer, proto, query string, vars map[string]any) *wsClient {
	t.Helper()
	url := "ws" + strings.TrimPrefix(a.srv.URL, "http") + "/graphql"
	d.Subprotocols, d.HandshakeTimeout = []string{proto}, 5*time.Second
	conn, _, err := d.Dial(url, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c := &wsClient{t: t, conn: conn, proto: proto}
	c.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + a.token}})
	if m := c.next(); m["type"] != "connection_ack" {
		t.Fatalf("init: %v", m)
	}
	start := map[bool]string{true: "subscribe", false: "start"}[proto == "graphql-transport-ws"]
	c.send(map[string]any{"id": "1", "type": start, "payload": map[string]any{"query": query, "variables": vars}})
	return c
}

func (c *wsClient) send(m map[string]any) {
	c.t.Helper()
	if err := c.conn.WriteJSON(m); err != nil {
		c.t.Fatal(err)
	}
}

// next returns the next message other than keep-alives.
func (c *wsClient) next() map[string]any {
	c.t.Helper()
	for {
		_ = c.conn.SetReadDeadline(time.Now().Add(time.Minute))
		var m map[string]any
		if err := c.conn.ReadJSON(&m); err != nil {
			c.t.Fatalf("read: %v", err)
		}
		if m["type"] == "ping" {
			c.send(map[string]any{"type": "pong"}) // as every graphql-transport-ws client does
		}
		if m["type"] != "ka" && m["type"] != "ping" && m["type"] != "pong" {
			return m
		}
	}
}

// event reads the next event of subscription "1": its type and cursor.
func (c *wsClient) event() (string, string, string) {
	c.t.Helper()
	m := c.next()
	want := map[bool]string{true: "next", false: "data"}[c.proto == "graphql-transport-ws"]
	if m["type"] != want {
		c.t.Fatalf("got %v, want a %s message", m, want)
	}
	b, _ := json.Marshal(m["payload"])
	var p struct {
		Data struct {
			CaseEvents struct {
				Type, Cursor string
				Case         struct{ Reference string }
			}
		}
	}
	_ = json.Unmarshal(b, &p)
	e := p.Data.CaseEvents
	return e.Type, e.Cursor, e.Case.Reference
}

// quiet checks that no message arrives for a while.
func (c *wsClient) quiet(d time.Duration) {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(d))
	for {
		var m map[string]any
		if err := c.conn.ReadJSON(&m); err != nil {
			return // the deadline: nothing came
		}
		if m["type"] != "ka" && m["type"] != "ping" {
			c.t.Fatalf("unexpected message %v", m)
		}
	}
}

func (c *wsClient) close() { _ = c.conn.Close() }

const eventsQuery = `subscription($after: String) { caseEvents(after: $after) { type cursor case { reference } } }`

// escalate moves a case of the test region (seeded LOCAL) one level up,
// on a criterion of the default agreements for the level it moves to.
func (a *api) escalate(t *testing.T, caseID string) {
	t.Helper()
	a.must(escalation("escalateCase", caseID, a.levels.move(caseID, true)), nil, nil)
}

// deescalate moves it one level down, on a criterion of the level it leaves.
func (a *api) deescalate(t *testing.T, caseID string) {
	t.Helper()
	a.must(escalation("deescalateCase", caseID, a.levels.move(caseID, false)), nil, nil)
}

// escalation is the mutation op on caseID with criterion code.
func escalation(op, caseID, code string) string {
	return fmt.Sprintf(`mutation { %s(input: {case: %q, reason: "r", criteria: [{code: %q, explanation: "zie verslag"}]}) { case { id } } }`,
		op, gid("Case", caseID), code)
}

// caseLevels is the level of each case a test moved, by index in
// casus.EscalationLevels.
type caseLevels struct {
	mu sync.Mutex
	at map[string]int
}

// upCriteria and downCriteria name, per level index, a criterion of the
// default agreements for moving to it and from it.
var (
	upCriteria   = []string{"", "MULTIPLE_MUNICIPALITIES", "HIGH_RISK", "NATIONAL_SECURITY"}
	downCriteria = []string{"", "LOCAL_SUFFICES", "RISK_REDUCED", "NO_NATIONAL_INTEREST"}
)

// move records a move of caseID and returns the criterion it names.
func (l *caseLevels) move(caseID string, up bool) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	i := l.at[caseID]
	if up {
		l.at[caseID] = i + 1
		return upCriteria[min(i+1, 3)]
	}
	l.at[caseID] = max(i-1, 0)
	return downCriteria[i]
}

// TestCaseEventsResume follows events live, disconnects, misses two, and
// resumes with the last cursor: exactly the missed events, then live ones.
// Both subprotocols.
func TestCaseEventsResume(t *testing.T) {
	for _, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		t.Run(proto, func(t *testing.T) {
			a := newAPI(t, accessRegion())
			c := a.subscribe(t, proto, eventsQuery, nil)
			a.waitSubscribers(t, 1)
			a.escalate(t, "case-a")
			typ, cursor, ref := c.event()
			if typ != casus.EventEscalated || ref != "AM-2026-0001" || cursor == "" {
				t.Fatalf("live event = %s %s %q", typ, ref, cursor)
			}
			c.close()

			a.escalate(t, "case-b")
			a.deescalate(t, "case-a")

			c = a.subscribe(t, proto, eventsQuery, map[string]any{"after": cursor})
			defer c.close()
			var got []string
			for i := 0; i < 2; i++ {
				typ, _, ref := c.event()
				got = append(got, typ+" "+ref)
			}
			if strings.Join(got, ", ") != "ESCALATED AM-2026-0002, DEESCALATED AM-2026-0001" {
				t.Fatalf("replayed = %v", got)
			}
			a.escalate(t, "case-b")
			if typ, _, ref := c.event(); typ != casus.EventEscalated || ref != "AM-2026-0002" {
				t.Fatalf("live after replay = %s %s", typ, ref)
			}
			c.quiet(300 * time.Millisecond) // and nothing twice
		})
	}
}

// TestCaseEventsScope subscribes a mayor to everything: events of another
// municipality's case never arrive, their own do.
func TestCaseEventsScope(t *testing.T) {
	a := newAPI(t, accessRegion())
	mayor := a.as(actors["mayor B"]).subscribe(t, "graphql-transport-ws", eventsQuery, nil)
	defer mayor.close()
	a.waitSubscribers(t, 1)
	a.escalate(t, "case-a") // Aalsmeer: not the mayor's
	a.escalate(t, "case-b") // Amstelveen: the mayor's
	if typ, _, ref := mayor.event(); ref != "AM-2026-0002" || typ != casus.EventEscalated {
		t.Fatalf("mayor received %s %s, want only case-b's event", typ, ref)
	}
	mayor.quiet(300 * time.Millisecond)

	// The replay obeys the scope too.
	all := a.as(actors["mayor B"]).subscribe(t, "graphql-transport-ws", eventsQuery, map[string]any{"after": eventCursorOf(0)})
	defer all.close()
	for {
		typ, _, ref := all.event()
		if ref != "AM-2026-0002" {
			t.Fatalf("replay to the mayor included %s of %s", typ, ref)
		}
		if typ == casus.EventEscalated {
			break
		}
	}
}

// waitSubscribers waits until n event streams are attached to this
// instance's broker: a stream attaches after it has read where the log
// ends, so every event committed from then on reaches it.
func (a *api) waitSubscribers(t *testing.T, n int) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d subscribers", n), func() bool { return a.hub.Events.Subscribers() == n })
}

func eventCursorOf(seq int64) string { return base64URL(fmt.Sprintf("event:%d", seq)) }

// TestSubscriptionsEnd checks that a subscription's goroutines and broker
// registration end when its client goes.
func TestSubscriptionsEnd(t *testing.T) {
	a := newAPI(t, accessRegion())
	const base = 0 // nothing else subscribes
	var clients []*wsClient
	for i := 0; i < 5; i++ {
		clients = append(clients, a.subscribe(t, "graphql-transport-ws", eventsQuery, nil))
	}
	a.waitSubscribers(t, base+5)
	for _, c := range clients {
		c.close()
	}
	a.waitSubscribers(t, base)
}

func base64URL(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestSubscriptionScopePerRole subscribes every role to every event and to
// one case's updates, then changes both cases: each role receives exactly
// the events of the cases it may read.
func TestSubscriptionScopePerRole(t *testing.T) {
	a := newAPI(t, accessRegion())
	want := map[string][]string{
		"coordinator": {"AM-2026-0001", "AM-2026-0002"},
		"director A":  {"AM-2026-0001"},
		"mayor B":     {"AM-2026-0002"},
		"analyst A":   {"AM-2026-0001"},
		"partner JW":  nil,
		"reporter":    nil,
		"auditor":     nil,
	}
	clients := map[string]*wsClient{}
	for role, actor := range actors {
		clients[role] = a.as(actor).subscribe(t, "graphql-transport-ws", eventsQuery, nil)
		defer clients[role].close()
	}
	// caseUpdated on an out-of-scope case is refused at the start.
	upd := a.as(actors["director A"]).subscribe(t, "graphql-transport-ws",
		`subscription($id: ID!) { caseUpdated(id: $id) { reference escalationLevel } }`, map[string]any{"id": gid("Case", "case-b")})
	defer upd.close()
	if m := upd.next(); !strings.Contains(fmt.Sprint(m["payload"]), "NOT_FOUND") {
		t.Fatalf("caseUpdated out of scope: %v", m)
	}
	own := a.as(actors["director A"]).subscribe(t, "graphql-transport-ws",
		`subscription($id: ID!) { caseUpdated(id: $id) { reference escalationLevel } }`, map[string]any{"id": gid("Case", "case-a")})
	defer own.close()
	a.waitSubscribers(t, len(actors)+1)
	a.escalate(t, "case-a")
	a.escalate(t, "case-b")
	for role, refs := range want {
		c := clients[role]
		for _, ref := range refs {
			if _, _, got := c.event(); got != ref {
				t.Errorf("%s received %s, want %s", role, got, ref)
			}
		}
		c.quiet(200 * time.Millisecond)
	}
	if m := own.next(); !strings.Contains(fmt.Sprint(m["payload"]), "REGIONAL") {
		t.Fatalf("caseUpdated = %v", m)
	}
}

// TestSubscriptionsAreLogged checks that what a subscription delivered is
// in the access log once it ends, and that a refused one is logged as
// denied.
func TestSubscriptionsAreLogged(t *testing.T) {
	a := newAPI(t, accessRegion())
	mayor := a.as(actors["mayor B"])
	c := mayor.subscribe(t, "graphql-transport-ws", `subscription Follow { caseEvents { type } }`, nil)
	waitFor(t, "the subscription", func() bool { return a.hub.Events.Subscribers() == 1 })
	a.escalate(t, "case-b")
	c.next()
	c.close()
	refused := mayor.subscribe(t, "graphql-transport-ws", `subscription { dashboard(municipality: "GM0358") { openCases } }`, nil)
	refused.next()
	refused.close()

	type entry struct {
		Outcome, Operation string
		Objects            []string
	}
	var out struct {
		AuditLog struct{ Edges []struct{ Node entry } }
	}
	waitFor(t, "both entries", func() bool {
		a.as(actors["auditor"]).must(`{ auditLog(filter: {user: "u-mayor-b"}) { edges { node { outcome operation objects } } } }`, nil, &out)
		return len(out.AuditLog.Edges) == 2
	})
	got := map[string]entry{}
	for _, e := range out.AuditLog.Edges {
		got[e.Node.Outcome] = e.Node
	}
	if e := got[casus.OutcomeSuccess]; e.Operation != "subscription Follow" || fmt.Sprint(e.Objects) != "[Case:case-b]" {
		t.Errorf("the subscription's entry = %+v", e)
	}
	if e := got[casus.OutcomeDenied]; e.Operation != "subscription" {
		t.Errorf("the refused subscription's entry = %+v (all: %+v)", e, out.AuditLog.Edges)
	}
}

// TestExpiredTokenEndsStream subscribes with a token valid for five seconds:
// the connection closes when it expires, and the subscriber leaves the
// broker.
func TestExpiredTokenEndsStream(t *testing.T) {
	a := newAPI(t, accessRegion())
	short := *a
	tok, err := auth.IssueDevToken([]byte(auth.DevSigningKey), auth.Identity{Actor: actors["mayor B"]}, 5*time.Second, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	short.token = tok
	c := short.subscribe(t, "graphql-transport-ws", eventsQuery, nil)
	defer c.close()
	waitFor(t, "the subscription", func() bool { return a.hub.Events.Subscribers() == 1 })
	_ = c.conn.SetReadDeadline(time.Now().Add(time.Minute))
	for {
		var m map[string]any
		if err := c.conn.ReadJSON(&m); err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatal("the stream outlived its token by most of a minute")
			}
			break // closed by the server
		}
	}
	waitFor(t, "the subscriber to leave", func() bool { return a.hub.Events.Subscribers() == 0 })
}

// TestKeepAlive holds quiet subscriptions open over both subprotocols: the
// server pings a graphql-transport-ws client (which answers with a pong)
// and sends keep-alives to a graphql-ws client, again and again, so that
// proxies do not cut quiet dashboards.
func TestKeepAlive(t *testing.T) {
	db := neo4jtest.Open(t)
	if _, err := db.Seed(context.Background(), accessRegion()); err != nil {
		t.Fatal(err)
	}
	// A second: a client has two to answer a ping, which even a busy machine does.
	a := serveAPIWith(t, db, true, testLive, server.Config{KeepAlive: time.Second}).as(coordinator)
	for proto, want := range map[string]string{"graphql-transport-ws": "ping", "graphql-ws": "ka"} {
		c := a.subscribe(t, proto, eventsQuery, nil)
		for range 2 {
			for {
				_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
				var m map[string]any
				if err := c.conn.ReadJSON(&m); err != nil {
					t.Fatalf("%s: no %s before the connection went quiet: %v", proto, want, err)
				}
				if m["type"] == want {
					break
				}
			}
			if want == "ping" {
				c.send(map[string]any{"type": "pong"})
			}
		}
		c.close()
	}
}

// TestCursorFromTheFuture: a cursor past the head of the log is refused,
// not answered with silence that would skip the events written until the
// log reaches it.
func TestCursorFromTheFuture(t *testing.T) {
	a := newAPI(t, accessRegion())
	head, err := neo4j.NewEventService(a.db).LastEventSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := a.subscribe(t, "graphql-transport-ws", eventsQuery, map[string]any{"after": eventCursorOf(head + 3)})
	defer c.close()
	if m := c.next(); !strings.Contains(fmt.Sprint(m["payload"]), "INVALID") {
		t.Fatalf("a cursor past the head: %v", m)
	}
	at := a.subscribe(t, "graphql-transport-ws", eventsQuery, map[string]any{"after": eventCursorOf(head)})
	defer at.close()
	a.escalate(t, "case-a")
	if typ, _, _ := at.event(); typ != casus.EventEscalated {
		t.Fatalf("from the head: %s", typ)
	}
}

// failingCases is a case service whose batched reads answer UNAVAILABLE
// while fail is set, as an overloaded database does.
type failingCases struct {
	casus.CaseService
	fail *atomic.Bool
}

func (f failingCases) CasesByID(ctx context.Context, ids []string) ([]*casus.Case, error) {
	if f.fail.Load() {
		return nil, casus.Errorf(casus.EUNAVAILABLE, "the database cannot be reached")
	}
	return f.CaseService.CasesByID(ctx, ids)
}

// TestUnresolvedEventEndsTheStream follows events with their case: when
// an event's case cannot be read, the subscriber does not get the event as
// an error in its place, but the end of the stream (an error message) with
// UNAVAILABLE and the cursor to resume from — which gives that very event
// again. Both ways a subscription is served: by the feed, and by gqlgen
// for a selection that reaches persons.
func TestUnresolvedEventEndsTheStream(t *testing.T) {
	for path, q := range map[string]string{
		"feed":   `subscription($after: String) { caseEvents(after: $after) { type cursor case { reference municipality { code } } } }`,
		"gqlgen": `subscription($after: String) { caseEvents(after: $after) { type cursor case { reference subjects { id } } } }`,
	} {
		t.Run(path, func(t *testing.T) { unresolvedEndsTheStream(t, q) })
	}
}

func unresolvedEndsTheStream(t *testing.T, q string) {
	db := neo4jtest.Open(t)
	if _, err := db.Seed(t.Context(), accessRegion()); err != nil {
		t.Fatal(err)
	}
	services := neo4j.NewServices(db)
	var fail atomic.Bool
	services.CaseService = failingCases{services.CaseService, &fail}
	a := serveServices(t, db, services, true, testLive, server.Config{}).as(coordinator)
	sub := a.subscribe(t, "graphql-transport-ws", q, nil)
	defer sub.close()
	a.waitSubscribers(t, 1)
	a.escalate(t, "case-a")
	typ, cursor, ref := sub.event()
	if typ != casus.EventEscalated || ref != "AM-2026-0001" {
		t.Fatalf("first event %s of %s", typ, ref)
	}
	fail.Store(true)
	a.escalate(t, "case-a")
	m := sub.next()
	if m["type"] != "error" {
		t.Fatalf("got %v, want the end of the stream", m)
	}
	b, _ := json.Marshal(m["payload"])
	var errs []struct {
		Extensions struct{ Code, Cursor string }
	}
	_ = json.Unmarshal(b, &errs)
	if len(errs) != 1 || errs[0].Extensions.Code != "UNAVAILABLE" || errs[0].Extensions.Cursor != cursor {
		t.Fatalf("ended with %s, want UNAVAILABLE and the last delivered cursor %s", b, cursor)
	}
	fail.Store(false)
	again := a.subscribe(t, "graphql-transport-ws", q, map[string]any{"after": cursor})
	defer again.close()
	if typ, _, ref := again.event(); typ != casus.EventEscalated || ref != "AM-2026-0001" {
		t.Fatalf("resumed with %s of %s, want the event that could not be read", typ, ref)
	}
}

// TestEventCaseReadOncePerScope follows events with their case and its
// municipality from ten connections of one scope: the case of a new event
// is read once for all of them, and the municipality once per connection,
// not once per event (the issue's probe counted two queries per event per
// subscriber, and overload).
func TestEventCaseReadOncePerScope(t *testing.T) {
	a := newAPI(t, accessRegion())
	const q = `subscription { caseEvents { type cursor case { reference municipality { code } } } }`
	// queries is what the second of two events costs with n subscribers.
	queries := func(n int) int64 {
		t.Helper()
		var subs []*wsClient
		for range n {
			subs = append(subs, a.subscribe(t, "graphql-transport-ws", q, nil))
		}
		a.waitSubscribers(t, n)
		var cost int64
		for i, move := range []func(*testing.T, string){a.escalate, a.deescalate} {
			before := a.db.Queries()
			move(t, "case-a")
			for _, s := range subs {
				if _, _, ref := s.event(); ref != "AM-2026-0001" {
					t.Fatalf("received an event of %s", ref)
				}
			}
			if i == 1 {
				cost = a.db.Queries() - before
			}
		}
		for _, s := range subs {
			s.close()
		}
		a.waitSubscribers(t, 0)
		return cost
	}
	one, ten := queries(1), queries(10)
	if extra := ten - one; extra > 3 { // a read per subscriber would be 9 or 18 more
		t.Fatalf("an event to ten subscribers cost %d queries, to one %d: something is read per subscriber", ten, one)
	}
	t.Logf("an event to 1 subscriber: %d queries; to 10: %d", one, ten)
}
