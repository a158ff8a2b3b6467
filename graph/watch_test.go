package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

type alert struct {
	Cursor, Type string
	Person       struct{ ID string }
	Other        *struct {
		ID       string
		Redacted bool
	}
	Case   *struct{ Reference string }
	Signal *struct{ ID string }
}

func (a alert) String() string {
	s := a.Type + " " + keyOfGID(a.Person.ID)
	if a.Other != nil {
		s += " other " + keyOfGID(a.Other.ID)
		if a.Other.Redacted {
			s += "!"
		}
	}
	if a.Case != nil {
		s += " case " + a.Case.Reference
	}
	if a.Signal != nil {
		s += " signal"
	}
	return s
}

func (c *wsClient) alert() alert {
	c.t.Helper()
	m := c.next()
	if m["type"] != "next" {
		c.t.Fatalf("got %v, want an alert", m)
	}
	b, _ := json.Marshal(m["payload"])
	var p struct{ Data struct{ Watchlist alert } }
	if err := json.Unmarshal(b, &p); err != nil {
		c.t.Fatal(err)
	}
	return p.Data.Watchlist
}

const alertsQuery = `subscription($after: String) { watchlist(after: $after) {
	cursor type person { id } other { id redacted } case { reference } signal { id } } }`

// TestWatchlist watches s1 as Aalsmeer's analyst and as the coordinator,
// then gives s1 a tie, a signal and two cases: each watcher is told what
// they may see, and the analyst resumes from a cursor.
func TestWatchlist(t *testing.T) {
	a := newAPI(t, networkRegion())
	analyst := a.as(analystA)
	s1 := gid("Person", "p-s1")
	watch := `mutation($p: ID!) { watchPerson(input: {person: $p}) { person { id } watching } }`
	for name, c := range map[string]struct {
		api  *api
		id   string
		code string
	}{
		"mayor":             {a.as(networkMayor), s1, "FORBIDDEN"},
		"out of scope":      {analyst, gid("Person", "p-f"), "NOT_FOUND"},
		"other's analyst":   {a.as(analystB), s1, "NOT_FOUND"},
		"not a person's id": {analyst, gid("Case", "case-1"), "INVALID"},
	} {
		if r := c.api.do(watch, map[string]any{"p": c.id}, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != c.code {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
	analyst.must(watch, map[string]any{"p": s1}, nil)
	analyst.must(watch, map[string]any{"p": s1}, nil) // twice is harmless
	a.must(watch, map[string]any{"p": s1}, nil)
	var list struct{ Watchlist []struct{ ID string } }
	analyst.must(`{ watchlist { id } }`, nil, &list)
	if len(list.Watchlist) != 1 || list.Watchlist[0].ID != s1 {
		t.Fatalf("watchlist = %+v", list.Watchlist)
	}

	if r := a.as(networkMayor).do(`{ watchlist { id } }`, nil, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Errorf("a mayor's watchlist: %+v", r.Errors)
	}
	refused := a.as(actors["partner JW"]).subscribe(t, "graphql-transport-ws", alertsQuery, nil)
	if m := refused.next(); !strings.Contains(fmt.Sprint(m["payload"]), "FORBIDDEN") {
		t.Errorf("a partner's watchlist stream: %v", m)
	}
	refused.close()

	// Both streams start from the log's beginning: a watch begins when it
	// is made, so what they get is what happened since.
	mine := analyst.subscribe(t, "graphql-transport-ws", alertsQuery, map[string]any{"after": base64URL("alert:0")})
	defer mine.close()
	all := a.subscribe(t, "graphql-transport-ws", alertsQuery, map[string]any{"after": base64URL("alert:0")})
	defer all.close()

	a.must(fmt.Sprintf(`mutation { addNetworkContact(input: {from: %q, to: %q, network: INFORMAL, role: FRIEND, source: "politie", confidence: 0.7}) { contact { id } } }`,
		s1, gid("Person", "p-x")), nil, nil)
	a.must(fmt.Sprintf(`mutation { submitSignal(input: {municipality: "GM0358", description: "zorgen", about: [%q]}) { signal { id } } }`, s1), nil, nil)
	open := func(m string) {
		a.must(fmt.Sprintf(`mutation { openCase(input: {municipality: %q, subjects: [%q], summary: "s", riskGroups: [RADICALISING], ideology: OTHER, riskLevel: LOW}) { case { id } } }`, m, s1), nil, nil)
	}
	move := func(m string) {
		a.must(fmt.Sprintf(`mutation { updatePerson(input: {person: %q, municipality: %q}) { person { id } } }`, s1, m), nil, nil)
	}
	// A case belongs where its subject lives: s1 lives in Amstelveen for a
	// while, and has a case there that is not the analyst's.
	move("GM0362")
	open("GM0362")
	move("GM0358")
	open("GM0358")

	// x is s1's contact now, and so in the analyst's scope.
	first := mine.alert()
	if got := first.String(); got != "TIE_ADDED p-s1 other p-x" {
		t.Errorf("analyst's first alert = %s", got)
	}
	if got := mine.alert().String(); got != "CASE_JOINED p-s1 case AM-2026-0105" {
		t.Errorf("analyst's second alert = %s", got)
	}
	mine.quiet(300 * time.Millisecond)
	var got []string
	for range 4 {
		got = append(got, all.alert().String())
	}
	if fmt.Sprint(got) != "[TIE_ADDED p-s1 other p-x SIGNAL p-s1 signal CASE_JOINED p-s1 case AM-2026-0104 CASE_JOINED p-s1 case AM-2026-0105]" {
		t.Errorf("coordinator's alerts = %v", got)
	}

	// The analyst reconnects after the first alert and gets the rest again.
	resumed := analyst.subscribe(t, "graphql-transport-ws", alertsQuery, map[string]any{"after": first.Cursor})
	defer resumed.close()
	if got := resumed.alert().String(); got != "CASE_JOINED p-s1 case AM-2026-0105" {
		t.Errorf("resumed alert = %s", got)
	}

	analyst.must(`mutation($p: ID!) { unwatchPerson(input: {person: $p}) { watching } }`, map[string]any{"p": s1}, nil)
	analyst.must(`{ watchlist { id } }`, nil, &list)
	if len(list.Watchlist) != 0 {
		t.Errorf("watchlist after unwatching = %+v", list.Watchlist)
	}
}

// TestWatchStartsWhenWatched: a watch begins when it is made; resuming from
// the log's start does not hand out what happened to the person before.
func TestWatchStartsWhenWatched(t *testing.T) {
	a := newAPI(t, networkRegion())
	s1 := gid("Person", "p-s1")
	a.must(fmt.Sprintf(`mutation { addNetworkContact(input: {from: %q, to: %q, network: INFORMAL, role: FRIEND, source: "politie", confidence: 0.7}) { contact { id } } }`,
		s1, gid("Person", "p-x")), nil, nil)
	a.must(`mutation($p: ID!) { watchPerson(input: {person: $p}) { watching } }`, map[string]any{"p": s1}, nil)
	c := a.subscribe(t, "graphql-transport-ws", alertsQuery, map[string]any{"after": base64URL("alert:0")})
	defer c.close()
	a.must(fmt.Sprintf(`mutation { submitSignal(input: {municipality: "GM0358", description: "zorgen", about: [%q]}) { signal { id } } }`, s1), nil, nil)
	if got := c.alert().String(); got != "SIGNAL p-s1 signal" {
		t.Fatalf("first alert = %s, want the signal made after the watch", got)
	}
}
