package neo4j_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"casusnet/internal/casus"
	"casusnet/internal/neo4j"
	"casusnet/internal/neo4j/neo4jtest"
)

func TestContacts(t *testing.T) {
	db := neo4jtest.Open(t)
	people(t, db)
	svc := neo4j.NewServices(db)
	ctx := testContext(t)

	contacts := func(ids ...string) [][]*casus.Contact {
		t.Helper()
		cs, err := svc.ContactService.ContactsOf(ctx, ids)
		if err != nil {
			t.Fatalf("ContactsOf: %v", err)
		}
		if len(cs) != len(ids) {
			t.Fatalf("ContactsOf(%v) gave %d lists", ids, len(cs))
		}
		return cs
	}
	edges := func() int64 { t.Helper(); return countOf(t, "MATCH ()-[r:CONTACT]->() RETURN count(r)") }

	// The seeded tie has no id property: it still gets a stable one, and both
	// ends see it.
	cs := contacts("p-1", "p-3", "p-2")
	if len(cs[0]) != 1 || len(cs[1]) != 1 || len(cs[2]) != 0 {
		t.Fatalf("seeded contacts = %v", cs)
	}
	seeded := cs[0][0]
	if seeded.ID == "" || seeded.ID != cs[1][0].ID || seeded.FromID != "p-1" || seeded.ToID != "p-3" ||
		seeded.Network != casus.NetworkFormal || seeded.Role != casus.RoleTeacher || seeded.Source != "school" ||
		seeded.Confidence != 0.8 || seeded.Since == nil || seeded.Since.Format(time.DateOnly) != "2024-09-01" {
		t.Fatalf("seeded contact = %+v", seeded)
	}
	if again := contacts("p-1"); again[0][0].ID != seeded.ID {
		t.Fatalf("the seeded contact's id changed between reads: %s, %s", seeded.ID, again[0][0].ID)
	}

	since := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	in := casus.AddContactInput{FromID: "p-1", ToID: "p-2", Network: casus.NetworkInformal, Role: casus.RoleFriend,
		Since: &since, Source: " politie ", Confidence: 0.5, IdempotencyKey: "contact-1"}
	c, err := svc.ContactService.AddContact(ctx, in)
	if err != nil {
		t.Fatalf("AddContact: %v", err)
	}
	if _, err := uuid.Parse(c.ID); err != nil {
		t.Errorf("contact id %q is not a uuid", c.ID)
	}
	if c.FromID != "p-1" || c.ToID != "p-2" || c.Network != casus.NetworkInformal || c.Role != casus.RoleFriend ||
		c.Source != "politie" || c.Confidence != 0.5 || c.Since == nil || !c.Since.Equal(since) {
		t.Errorf("added %+v", c)
	}
	if n := neo4jtest.Count(t, "MATCH (:Person {id: 'p-1'})-[r:CONTACT {id: $id, role: 'FRIEND'}]->(:Person {id: 'p-2'}) RETURN count(r)",
		map[string]any{"id": c.ID}); n != 1 {
		t.Fatalf("stored contact edges = %d, want 1 from p-1 to p-2", n)
	}
	// The same key again: the same contact, no second edge.
	again, err := svc.ContactService.AddContact(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != c.ID || edges() != 2 {
		t.Fatalf("retry added %s (%d edges), want %s and 2 edges", again.ID, edges(), c.ID)
	}
	cs = contacts("p-2")
	if len(cs[0]) != 1 || cs[0][0].ID != c.ID {
		t.Fatalf("p-2's contacts = %v", cs[0])
	}

	// Refused requests write nothing.
	future := time.Now().AddDate(0, 1, 0)
	refused := []struct {
		name  string
		edit  func(*casus.AddContactInput)
		field string
	}{
		{"own contact", func(in *casus.AddContactInput) { in.ToID = in.FromID }, "to"},
		{"unknown network", func(in *casus.AddContactInput) { in.Network = "DARK" }, "network"},
		{"unknown role", func(in *casus.AddContactInput) { in.Role = "SPY" }, "role"},
		{"future since", func(in *casus.AddContactInput) { in.Since = &future }, "since"},
		{"no source", func(in *casus.AddContactInput) { in.Source = " " }, "source"},
		{"long source", func(in *casus.AddContactInput) { in.Source = strings.Repeat("s", casus.MaxName+1) }, "source"},
		{"confidence above 1", func(in *casus.AddContactInput) { in.Confidence = 1.5 }, "confidence"},
		{"negative confidence", func(in *casus.AddContactInput) { in.Confidence = -0.1 }, "confidence"},
		{"NaN confidence", func(in *casus.AddContactInput) { in.Confidence = math.NaN() }, "confidence"},
		{"long key", func(in *casus.AddContactInput) { in.IdempotencyKey = strings.Repeat("k", casus.MaxKey+1) }, "idempotencyKey"},
		{"foreign or unknown from", func(in *casus.AddContactInput) { in.FromID = "p-404" }, "from"},
		{"foreign or unknown to", func(in *casus.AddContactInput) { in.ToID = "p-404" }, "to"},
	}
	for _, r := range refused {
		in := casus.AddContactInput{FromID: "p-4", ToID: "p-5", Network: casus.NetworkFormal, Role: casus.RoleYouthWorker,
			Source: "jongerenwerk", Confidence: 0.9, IdempotencyKey: "refused-" + r.name}
		r.edit(&in)
		_, err := svc.ContactService.AddContact(ctx, in)
		if want := refusedCode(r.name); casus.ErrorCode(err) != want || casus.ErrorField(err) != r.field {
			t.Errorf("%s: err = %v, want %s on %s", r.name, err, want, r.field)
		}
	}
	if n := edges(); n != 2 {
		t.Fatalf("refused requests changed the contacts: %d edges, want 2", n)
	}
	if n := countOf(t, "MATCH (k:IdempotencyKey) RETURN count(k)"); n != 1 {
		t.Fatalf("idempotency keys = %d, want only the accepted request's", n)
	}

	// Removing returns the tie as it was; the seeded one by its element id.
	removed, err := svc.ContactService.RemoveContact(ctx, seeded.ID)
	if err != nil {
		t.Fatalf("RemoveContact: %v", err)
	}
	if *removed.Since != *seeded.Since || removed.ID != seeded.ID || removed.Role != seeded.Role || removed.Source != seeded.Source ||
		removed.FromID != seeded.FromID || removed.ToID != seeded.ToID || removed.Confidence != seeded.Confidence {
		t.Fatalf("removed %+v, want %+v", removed, seeded)
	}
	if n := countOf(t, "MATCH (:Person {id: 'p-1'})-[r:CONTACT]->(:Person {id: 'p-3'}) RETURN count(r)"); n != 0 {
		t.Fatal("the seeded contact is still there")
	}
	_, err = svc.ContactService.RemoveContact(ctx, seeded.ID)
	mustErr(t, err, casus.ENOTFOUND, "contact")
	_, err = svc.ContactService.RemoveContact(ctx, "no-such-contact")
	mustErr(t, err, casus.ENOTFOUND, "contact")
	if removed, err = svc.ContactService.RemoveContact(ctx, c.ID); err != nil || removed.ID != c.ID || removed.Role != casus.RoleFriend {
		t.Fatalf("RemoveContact(%s) = %+v, %v", c.ID, removed, err)
	}
	if n := edges(); n != 0 {
		t.Fatalf("%d contacts left", n)
	}
	cs = contacts("p-1", "p-2", "p-3")
	if len(cs[0])+len(cs[1])+len(cs[2]) != 0 {
		t.Fatalf("contacts after removing = %v", cs)
	}
	// Persons stay.
	if n := countOf(t, "MATCH (p:Person) RETURN count(p)"); n != 6 {
		t.Fatalf("persons = %d, want 6", n)
	}
}
