package graph_test

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// seqOf returns the log position in an event cursor.
func seqOf(t *testing.T, cursor string) int64 {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		t.Fatalf("cursor %q: %v", cursor, err)
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(string(b), "event:"), 10, 64)
	if err != nil {
		t.Fatalf("cursor %q: %v", cursor, err)
	}
	return n
}

// TestEventsAcrossInstances runs two server instances on one Neo4j, with
// subscribers on both, and writes through both at once: every subscriber
// receives every event once, in the order of the log.
func TestEventsAcrossInstances(t *testing.T) {
	a := newAPI(t, accessRegion())
	b := a.instance()
	var subs []*wsClient
	for _, inst := range []*api{a, a, b, b} {
		c := inst.subscribe(t, "graphql-transport-ws", eventsQuery, nil)
		defer c.close()
		subs = append(subs, c)
	}
	waitFor(t, "the subscriptions to start", func() bool {
		return a.hub.Events.Subscribers() == 2 && b.hub.Events.Subscribers() == 2
	})

	const rounds = 10
	var wg sync.WaitGroup
	errs := make(chan error, 2*2*rounds)
	for inst, caseID := range map[*api]string{a: "case-a", b: "case-b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				for _, op := range []string{"escalateCase", "deescalateCase"} {
					code := map[string]string{"escalateCase": "MULTIPLE_MUNICIPALITIES", "deescalateCase": "LOCAL_SUFFICES"}[op]
					r := inst.do(escalation(op, caseID, code), nil, nil)
					if len(r.Errors) > 0 {
						errs <- fmt.Errorf("%s %s: %v", op, caseID, r.Errors)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	var first []string
	for i, c := range subs {
		var got []string
		var prev int64
		perCase := map[string]int{}
		for n := 0; n < 2*2*rounds; n++ {
			typ, cursor, ref := c.event()
			seq := seqOf(t, cursor)
			if prev != 0 && seq != prev+1 {
				t.Fatalf("subscriber %d: event %d after %d", i, seq, prev)
			}
			prev = seq
			perCase[ref]++
			got = append(got, fmt.Sprintf("%d %s %s", seq, typ, ref))
		}
		c.quiet(200 * time.Millisecond)
		if perCase["AM-2026-0001"] != 2*rounds || perCase["AM-2026-0002"] != 2*rounds {
			t.Fatalf("subscriber %d: events per case %v", i, perCase)
		}
		if first == nil {
			first = got
		} else if strings.Join(got, "\n") != strings.Join(first, "\n") {
			t.Fatalf("subscriber %d saw\n%s\nsubscriber 0 saw\n%s", i, strings.Join(got, "\n"), strings.Join(first, "\n"))
		}
	}
}
