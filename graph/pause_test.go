package graph_test

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"casusnet/internal/live"
	"casusnet/internal/neo4j/neo4jtest"
	"casusnet/internal/server"
)

const seqQuery = `subscription($after: String) { caseEvents(after: $after) { sequence cursor reason } }`

// sequenceOf returns the sequence number of an event message.
func sequenceOf(m map[string]any) int64 {
	var p struct {
		Data struct{ CaseEvents struct{ Sequence int64 } }
	}
	b, _ := json.Marshal(m["payload"])
	_ = json.Unmarshal(b, &p)
	return p.Data.CaseEvents.Sequence
}

// TestPausedReaderIsNeverLeftSilent is the probe's dashboard that stopped
// reading while large events were written, longer than the server waits
// for a write: when it reads again it gets events in order and then an
// end it can act on — SLOW_CONSUMER with the cursor of the last event it
// got, or the connection closed — never silence on an open socket (the
// probe's stream went quiet after 41 events, and answered no ping).
// Whatever the end, resuming from the last cursor loses nothing.
func TestPausedReaderIsNeverLeftSilent(t *testing.T) {
	db := neo4jtest.Open(t)
	if _, err := db.Seed(t.Context(), accessRegion()); err != nil {
		t.Fatal(err)
	}
	// The broker would keep the subscriber for a long time; the writes
	// give up after a tenth of a second.
	a := serveAPIWith(t, db, true, live.Options{Poll: 5 * time.Millisecond, Buffer: 1000},
		server.Config{WriteTimeout: 100 * time.Millisecond}).as(coordinator)
	c := a.subscribeWith(t, smallReceiveBuffer(), "graphql-transport-ws", seqQuery, nil)
	defer c.close()
	a.waitSubscribers(t, 1)
	for written := 0; a.hub.Events.Subscribers() != 0; written += 1000 {
		if written == 50_000 {
			t.Fatalf("%d events written to a client that reads none, and it is still served", written)
		}
		writeBulk(t, 1000)
	}

	var last int64
	for {
		// A minute is no timing assumption: an answer comes at once or never.
		_ = c.conn.SetReadDeadline(time.Now().Add(time.Minute))
		var m map[string]any
		err := c.conn.ReadJSON(&m)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("silence after event %d on an open connection", last)
		}
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) && ce.Code == websocket.CloseNoStatusReceived {
				t.Fatalf("closed without a code after event %d", last)
			}
			break // disconnected: the client reconnects and resumes
		}
		switch m["type"] {
		case "ping":
			continue
		case "next":
			if seq := sequenceOf(m); last != 0 && seq != last+1 {
				t.Fatalf("event %d after %d", seq, last)
			} else {
				last = seq
			}
			continue
		case "error":
			b, _ := json.Marshal(m["payload"])
			var errs []struct{ Extensions map[string]string }
			_ = json.Unmarshal(b, &errs)
			if len(errs) != 1 || errs[0].Extensions["code"] != "SLOW_CONSUMER" || errs[0].Extensions["cursor"] != eventCursorOf(last) {
				t.Fatalf("ended with %s after event %d", b, last)
			}
		default:
			t.Fatalf("got %v after event %d", m, last)
		}
		break
	}
	if last == 0 {
		t.Fatal("no event arrived before the end")
	}
	resumed := a.subscribe(t, "graphql-transport-ws", seqQuery, map[string]any{"after": eventCursorOf(last)})
	defer resumed.close()
	if seq := sequenceOf(resumed.next()); seq != last+1 {
		t.Fatalf("resumed with event %d, want %d", seq, last+1)
	}
}

// TestReplayIsPacedByTheServer resumes from an old cursor with megabytes
// of events to catch up on, while the region goes on writing: the replay
// goes as fast as the client reads it, and the live events that came
// meanwhile follow it, without the client being cut off as slow (the
// probe saw 1 of 44 resuming clients cut off during its replay).
func TestReplayIsPacedByTheServer(t *testing.T) {
	a := startAPI(t, accessRegion(), true, live.Options{Poll: 5 * time.Millisecond, Buffer: 1})
	from := writeBulk(t, 1)
	for range 10 {
		writeBulk(t, 1000)
	}
	c := a.subscribeWith(t, smallReceiveBuffer(), "graphql-transport-ws", seqQuery, map[string]any{"after": eventCursorOf(from)})
	defer c.close()
	last := sequenceOf(c.next())
	if last != from+1 {
		t.Fatalf("the replay began with %d, want %d", last, from+1)
	}
	// Three batches published while the client is still catching up: more
	// than the live buffer of one holds.
	var top int64
	for range 3 {
		top = writeBulk(t, 10)
		waitFor(t, "the broker to publish", func() bool { return a.hub.Events.Position() >= top })
	}
	for last < top {
		m := c.next()
		if m["type"] != "next" {
			t.Fatalf("after event %d of %d: %v", last, top, m)
		}
		if seq := sequenceOf(m); seq != last+1 {
			t.Fatalf("event %d after %d", seq, last)
		} else {
			last = seq
		}
	}
	// Caught up, the stream goes on live.
	top = writeBulk(t, 1)
	if m := c.next(); m["type"] != "next" || sequenceOf(m) != top {
		t.Fatalf("after the replay: %v, want event %d", m, top)
	}
}

// TestDeliveryIsLoggedBeforeItLeaves reads the access log the moment an
// event has arrived, while its stream is still open: the delivery is
// already there, so a server killed right after sending leaves nothing
// unlogged (the probe found 8–11 deliveries without an entry after a
// SIGKILL). The subjects of the event's case are named, as pseudonyms.
func TestDeliveryIsLoggedBeforeItLeaves(t *testing.T) {
	a := newAPI(t, accessRegion())
	mayor := a.as(actors["mayor B"])
	c := mayor.subscribe(t, "graphql-transport-ws", `subscription Follow { caseEvents { type case { reference } } }`, nil)
	defer c.close()
	a.waitSubscribers(t, 1)
	a.escalate(t, "case-b")
	if typ, _, _ := c.event(); typ != "ESCALATED" {
		t.Fatalf("event %s", typ)
	}
	var out struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					Operation string
					Objects   []string
				}
			}
		}
	}
	a.as(actors["auditor"]).must(`{ auditLog(filter: {user: "u-mayor-b"}) { edges { node { operation objects } } } }`, nil, &out)
	if len(out.AuditLog.Edges) != 1 || out.AuditLog.Edges[0].Node.Operation != "subscription Follow" ||
		!slices.Contains(out.AuditLog.Edges[0].Node.Objects, "Case:case-b") {
		t.Fatalf("the access log while the stream is open: %+v", out.AuditLog.Edges)
	}
}
