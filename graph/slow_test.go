package graph_test

import (
	"encoding/json"
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"casusnet/internal/live"
	"casusnet/internal/neo4j/neo4jtest"
)

// smallReceiveBuffer dials with a 4 KB socket receive buffer, so that a
// client that stops reading makes the server's writes wait soon.
func smallReceiveBuffer() websocket.Dialer {
	nd := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	return websocket.Dialer{NetDialContext: nd.DialContext}
}

// TestSlowSubscriber stops reading while thousands of events are written
// (as many as it takes, however fast the machine):
// the server cuts the subscription off past its bounded buffer, with the
// code SLOW_CONSUMER and the cursor of the last event it delivered; the
// client resumes from that cursor with the very next event.
func TestSlowSubscriber(t *testing.T) {
	a := startAPI(t, accessRegion(), true, live.Options{Poll: 5 * time.Millisecond, Buffer: 2})
	const q = `subscription($after: String) { caseEvents(after: $after) { sequence cursor reason } }`
	c := a.subscribeWith(t, smallReceiveBuffer(), "graphql-transport-ws", q, nil)
	defer c.close()
	waitFor(t, "the subscription to start", func() bool { return a.hub.Events.Subscribers() == 1 })
	// Live first: one event read, then the client stops reading.
	first := writeBulk(t, 1)
	if m := c.next(); m["type"] != "next" {
		t.Fatalf("the first event: %v", m)
	}

	// Events of 1 KB each, a thousand at a time as a busy region writes
	// them, until the server cuts the subscriber off.
	write := func() { t.Helper(); writeBulk(t, 1000) }
	written := 0
	for a.hub.Events.Subscribers() != 0 {
		if written == 50_000 {
			t.Fatalf("%d events written and the subscriber that reads none is still served", written)
		}
		write()
		written += 1000
	}

	last, received := first, int64(0)
	for {
		m := c.next()
		if m["type"] == "next" {
			var p struct {
				Data struct{ CaseEvents struct{ Sequence int64 } }
			}
			b, _ := json.Marshal(m["payload"])
			_ = json.Unmarshal(b, &p)
			if seq := p.Data.CaseEvents.Sequence; last != 0 && seq != last+1 {
				t.Fatalf("event %d after %d", seq, last)
			}
			last = p.Data.CaseEvents.Sequence
			received++
			continue
		}
		if m["type"] != "error" {
			t.Fatalf("got %v, want events and then an error", m)
		}
		var errs []struct{ Extensions map[string]string }
		b, _ := json.Marshal(m["payload"])
		_ = json.Unmarshal(b, &errs)
		if len(errs) != 1 || errs[0].Extensions["code"] != "SLOW_CONSUMER" || errs[0].Extensions["cursor"] != eventCursorOf(last) {
			t.Fatalf("cut off with %s, want SLOW_CONSUMER and the cursor of event %d", b, last)
		}
		break
	}
	// What it delivered depends on how far the stream had read the log
	// when the broker cut it off; that it lost nothing does not.
	t.Logf("cut off after %d of %d events", received, written)
	write()
	resumed := a.subscribe(t, "graphql-transport-ws", q, map[string]any{"after": eventCursorOf(last)})
	defer resumed.close()
	var p struct {
		Data struct{ CaseEvents struct{ Sequence int64 } }
	}
	b, _ := json.Marshal(resumed.next()["payload"])
	_ = json.Unmarshal(b, &p)
	if p.Data.CaseEvents.Sequence != last+1 {
		t.Fatalf("resumed with event %d, want %d", p.Data.CaseEvents.Sequence, last+1)
	}
}

// writeBulk appends n events of 1 KB each to case-a, straight into the
// log as a busy region (or another instance) writes them, and returns the
// sequence number of the last.
func writeBulk(t *testing.T, n int) int64 {
	t.Helper()
	if _, err := neo4jtest.Exec(t, fmt.Sprintf(`
		MATCH (c:Case {id: 'case-a'})
		MERGE (k:Counter {name: 'case-event'})
		WITH c, k, coalesce(k.value, 0) AS base
		UNWIND range(1, %d) AS i
		CREATE (e:CaseEvent {id: 'bulk-' + toString(base + i), seq: base + i, type: 'NOTE_ADDED', actorId: 'u', actorName: 'U',
			actorRole: 'COORDINATOR', at: datetime(), changes: '[]',
			reason: reduce(s = '', x IN range(1, 100) | s + '0123456789')})-[:ON]->(c)
		WITH k, max(base + i) AS top
		SET k.value = top`, n)); err != nil {
		t.Fatal(err)
	}
	return neo4jtest.Count(t, `MATCH (k:Counter {name: 'case-event'}) RETURN k.value`, nil)
}

// TestSubscriptionOverHTTP is refused: only a websocket can carry a stream.
func TestSubscriptionOverHTTP(t *testing.T) {
	a := newAPI(t, accessRegion())
	r := a.do(`subscription { caseEvents { sequence } }`, nil, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INVALID" {
		t.Fatalf("subscription over HTTP: %+v", r.Errors)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
