package graph_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestHostileWebsocketFrames sends malformed, wrongly typed, oversized and
// out-of-order frames on the websocket: each ends in an error message or a
// closed connection, never a panic or a write, and the server goes on
// serving everyone else.
func TestHostileWebsocketFrames(t *testing.T) {
	a := newAPI(t, accessRegion())
	url := "ws" + strings.TrimPrefix(a.srv.URL, "http") + "/graphql"
	createPerson := `mutation { createPerson(input: {firstName: "Hostile", lastName: "Frame"}) { person { id } } }`
	init := `{"type":"connection_init","payload":{"Authorization":"Bearer ` + a.token + `"}}`
	for _, tc := range []struct {
		name   string
		proto  string
		frames []string
		binary bool
	}{
		{name: "not JSON", proto: "graphql-transport-ws", frames: []string{"{{{{"}},
		{name: "binary garbage", proto: "graphql-transport-ws", frames: []string{"\x00\xff\xfe\x01"}, binary: true},
		{name: "type not a string", proto: "graphql-transport-ws", frames: []string{`{"type": 5}`}},
		{name: "payload not an object", proto: "graphql-transport-ws", frames: []string{`{"type":"connection_init","payload":"x"}`}},
		{name: "unknown type", proto: "graphql-transport-ws", frames: []string{init, `{"type":"format_disk"}`}},
		{name: "subscribe before init", proto: "graphql-transport-ws", frames: []string{`{"id":"1","type":"subscribe","payload":{"query":"` + strings.ReplaceAll(createPerson, `"`, `\"`) + `"}}`}},
		{name: "init twice", proto: "graphql-transport-ws", frames: []string{init, init}},
		{name: "wrong token type", proto: "graphql-transport-ws", frames: []string{`{"type":"connection_init","payload":{"Authorization":["Bearer","x"]}}`}},
		{name: "id not a string", proto: "graphql-transport-ws", frames: []string{init, `{"id":{"a":1},"type":"subscribe","payload":{"query":"subscription { caseEvents { sequence } }"}}`}},
		{name: "query not a string", proto: "graphql-transport-ws", frames: []string{init, `{"id":"1","type":"subscribe","payload":{"query":12}}`}},
		{name: "variables of the wrong type", proto: "graphql-transport-ws", frames: []string{init, `{"id":"1","type":"subscribe","payload":{"query":"subscription($a: String) { caseEvents(after: $a) { sequence } }","variables":{"a":[1,2]}}}`}},
		{name: "oversized frame", proto: "graphql-transport-ws", frames: []string{init, `{"id":"1","type":"subscribe","payload":{"query":"` + strings.Repeat("x", 2<<20) + `"}}`}},
		{name: "legacy protocol, not JSON", proto: "graphql-ws", frames: []string{"]"}},
		{name: "legacy protocol, start before init", proto: "graphql-ws", frames: []string{`{"id":"1","type":"start","payload":{"query":"` + strings.ReplaceAll(createPerson, `"`, `\"`) + `"}}`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := websocket.Dialer{Subprotocols: []string{tc.proto}, HandshakeTimeout: 5 * time.Second}
			conn, _, err := d.Dial(url, nil)
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer conn.Close()
			for _, f := range tc.frames {
				kind := websocket.TextMessage
				if tc.binary {
					kind = websocket.BinaryMessage
				}
				if err := conn.WriteMessage(kind, []byte(f)); err != nil {
					break // the server may already have closed
				}
			}
			// The server answers with an error or closes; either way within
			// a few seconds, and it never executes anything.
			_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			answered := false
			for {
				var m map[string]any
				err := conn.ReadJSON(&m)
				if err != nil {
					var ne interface{ Timeout() bool }
					if errors.As(err, &ne) && ne.Timeout() && !answered {
						last := tc.frames[len(tc.frames)-1]
						t.Fatalf("no answer and no close after %.60q", last)
					}
					break
				}
				switch m["type"] {
				case "ka", "ping", "pong", "connection_ack":
					continue
				case "next", "data":
					// An error in a result message is a clear refusal;
					// data is not.
					if p, _ := m["payload"].(map[string]any); p == nil || p["data"] != nil || p["errors"] == nil {
						t.Fatalf("a hostile frame was executed: %v", m)
					}
				}
				answered = true
				break // refused; the connection may stay open for other operations
			}
		})
	}
	var n struct{ Persons struct{ TotalCount int } }
	a.must(`{ persons(filter: {name: "Hostile"}) { totalCount } }`, nil, &n)
	if n.Persons.TotalCount != 0 {
		t.Fatal("a hostile frame created a person")
	}
	// Everyone else is still served.
	c := a.subscribe(t, "graphql-transport-ws", "subscription { caseEvents { type cursor case { reference } } }", nil)
	defer c.close()
	a.waitSubscribers(t, 1)
	a.escalate(t, "case-a")
	if typ, _, _ := c.event(); typ == "" {
		t.Fatal("the server stopped serving subscriptions")
	}
}
