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
	// Every subscription gets the new event. One that started while the
	// hub had not yet read the first escalation may get that one too, so
	// up to 2n messages come; next fails the test if one never arrives.
	// No subscription gets the same event twice.
	got, seen := map[string]bool{}, map[string]bool{}
	for i := 0; len(got) < n; i++ {
		m := c.next()
		if m["type"] != "next" || i >= 2*n {
			t.Fatalf("after %d messages, %d of %d subscriptions reached: got %v", i, len(got), n, m)
		}
		event := fmt.Sprint(m["id"], m["payload"])
		if seen[event] {
			t.Fatalf("subscription %v got an event twice: %v", m["id"], m)
		}
		seen[event] = true
		got[fmt.Sprint(m["id"])] = true
	}
}
