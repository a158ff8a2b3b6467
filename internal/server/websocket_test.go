package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"

	"casusnet/graph"
	"casusnet/internal/auth"
	"casusnet/internal/casus"
	"casusnet/internal/server"
)

// TestWebsocketSignIn opens graphql-transport-ws connections through the
// gorilla transport: a valid token in connection_init is acknowledged, a
// forged or missing one closes the connection with 4401, and a foreign
// browser origin is refused at the upgrade.
func TestWebsocketSignIn(t *testing.T) {
	key := []byte(auth.DevSigningKey)
	h := server.New(server.Config{}, zerolog.Nop(), &graph.Resolver{}, auth.NewDevVerifier(key), nil,
		func(context.Context) error { return nil })
	srv := httptest.NewServer(h)
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"
	good, _ := auth.IssueDevToken(key, auth.Identity{Actor: casus.Actor{ID: "u-1", Role: casus.RoleCoordinator}}, time.Hour, time.Now())

	dial := func(header http.Header) *websocket.Conn {
		t.Helper()
		d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
		c, resp, err := d.Dial(url, header)
		if err != nil {
			t.Fatalf("dial: %v (%v)", err, resp)
		}
		if c.Subprotocol() != "graphql-transport-ws" {
			t.Fatalf("subprotocol = %q", c.Subprotocol())
		}
		return c
	}
	initWith := func(payload map[string]any) (string, int) {
		t.Helper()
		c := dial(nil)
		defer c.Close()
		if err := c.WriteJSON(map[string]any{"type": "connection_init", "payload": payload}); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		for {
			var msg struct{ Type string }
			if err := c.ReadJSON(&msg); err != nil {
				var ce *websocket.CloseError
				if ok := asClose(err, &ce); ok {
					return "closed", ce.Code
				}
				t.Fatalf("read: %v", err)
			}
			if msg.Type == "connection_ack" {
				return "ack", 0
			}
		}
	}
	if got, _ := initWith(map[string]any{"Authorization": "Bearer " + good}); got != "ack" {
		t.Fatalf("valid token: %s", got)
	}
	for name, payload := range map[string]map[string]any{
		"no token":     {},
		"forged token": {"token": good[:len(good)-4] + "AAAA"},
	} {
		if got, code := initWith(payload); got != "closed" || code != server.CloseUnauthorized {
			t.Errorf("%s: %s %d, want closed with %d", name, got, code, server.CloseUnauthorized)
		}
	}

	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	_, resp, err := d.Dial(url, http.Header{"Origin": {"https://evil.example"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin: %v %v", err, resp)
	}
}

func asClose(err error, target **websocket.CloseError) bool {
	ce, ok := err.(*websocket.CloseError)
	if ok {
		*target = ce
	}
	return ok
}
