package graph_test

import (
	"fmt"
	"runtime"
	"testing"
)

// TestFeedHasNoGoroutinePerSubscription follows case events with twenty
// subscriptions on one connection: the server's goroutines grow by a
// handful (the connection's reader, the feed), not by one or more per
// subscription, and every subscription still gets the event.
func TestFeedHasNoGoroutinePerSubscription(t *testing.T) {
	a := newAPI(t, accessRegion())
	a.escalate(t, "case-a") // the log is not empty: new subscriptions start from its head
	c := a.subscribe(t, "graphql-transport-ws", eventsQuery, nil)
	defer c.close()
	a.waitSubscribers(t, 1)
	base := runtime.NumGoroutine()
	const n = 20
	for i := 2; i <= n; i++ {
		c.send(map[string]any{"id": fmt.Sprint(i), "type": "subscribe", "payload": map[string]any{"query": eventsQuery}})
	}
	a.waitSubscribers(t, n)
	waitFor(t, "the goroutines to settle", func() bool { return runtime.NumGoroutine()-base <= 3 })
	a.escalate(t, "case-a")
	got := map[string]bool{}
	for range n {
		m := c.next()
		if m["type"] != "next" {
			t.Fatalf("got %v", m)
		}
		got[fmt.Sprint(m["id"])] = true
	}
	if len(got) != n {
		t.Fatalf("the event reached %d of %d subscriptions", len(got), n)
	}
}
