package neo4j_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"casusnet/internal/casus"
	"casusnet/internal/neo4j"
)

// TestOutageIsUnavailable points a DB at an address where no Neo4j answers,
// as during an outage: reads and writes fail with UNAVAILABLE (not an
// internal error, not a hang), and the write's message tells how to retry
// safely.
func TestOutageIsUnavailable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens here now
	db, err := neo4j.Open(neo4j.Config{URI: "bolt://" + addr, User: "neo4j", Password: "x"}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	ctx := casus.WithActor(context.Background(), casus.Actor{ID: "u", Role: casus.RoleCoordinator})
	people := neo4j.NewServices(db)
	if _, err := people.PersonService.Person(ctx, "p-1"); casus.ErrorCode(err) != casus.EUNAVAILABLE {
		t.Errorf("read during an outage: %v", err)
	}
	// Right after finding the database unreachable, requests are refused
	// at once rather than each waiting out the driver's retries.
	_, err = people.PersonService.CreatePerson(ctx, casus.CreatePersonInput{FirstName: "A", LastName: "B", IdempotencyKey: "k-1"})
	if casus.ErrorCode(err) != casus.EUNAVAILABLE || !strings.Contains(casus.ErrorMessage(err), "nothing was done") {
		t.Errorf("write just after an outage was found: %v, want refused at once", err)
	}
	// After the cooldown a write tries again; when it fails its outcome is
	// unknown to the caller, and the message says how to retry safely.
	time.Sleep(neo4j.BreakerCooldown + 100*time.Millisecond)
	_, err = people.PersonService.CreatePerson(ctx, casus.CreatePersonInput{FirstName: "A", LastName: "B", IdempotencyKey: "k-1"})
	if casus.ErrorCode(err) != casus.EUNAVAILABLE {
		t.Errorf("write during an outage: %v", err)
	}
	if msg := casus.ErrorMessage(err); !strings.Contains(msg, "idempotency key") {
		t.Errorf("write message %q does not say how to retry", msg)
	}
	if err := db.Ready(ctx); err == nil {
		t.Error("ready during an outage")
	}
}
