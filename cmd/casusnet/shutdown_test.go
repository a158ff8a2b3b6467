package main

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"casusnet/internal/auth"
	"casusnet/internal/casus"
	"casusnet/internal/neo4j/neo4jtest"
)

// TestShutdownTellsWebsocketsToReconnect stops a serving casusnet while a
// subscription is open: the client gets close code 1012 (service restart),
// not a normal closure or a completed subscription, and run returns.
func TestShutdownTellsWebsocketsToReconnect(t *testing.T) {
	neo4jtest.Reset(t)
	getenv := env(nil)
	var stderr syncBuffer
	if err := run(context.Background(), []string{"casusnet", "migrate"}, getenv, io.Discard, &stderr); err != nil {
		t.Fatalf("migrate: %v\n%s", err, stderr.String())
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"casusnet", "serve", "--addr", addr}, getenv, io.Discard, &stderr) }()
	waitReady(t, "http://"+addr, done, &stderr)

	tok, err := auth.IssueDevToken([]byte(auth.DevSigningKey), auth.Identity{Actor: casus.Actor{ID: "u", Role: casus.RoleCoordinator}}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.Dial("ws://"+addr+"/graphql", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + tok}})
	_ = conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": "subscription { caseEvents { sequence } }"}})
	var ack map[string]any
	if err := conn.ReadJSON(&ack); err != nil || ack["type"] != "connection_ack" {
		t.Fatalf("init: %v %v", ack, err)
	}
	time.Sleep(200 * time.Millisecond) // the subscription starts

	cancel()
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		var m map[string]any
		err := conn.ReadJSON(&m)
		if err == nil {
			if m["type"] == "complete" {
				t.Fatalf("the subscription was completed instead of the client told to reconnect: %v", m)
			}
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != 1012 {
			t.Fatalf("connection ended with %v, want close code 1012", err)
		}
		break
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after the shutdown")
	}
}
