package neo4j

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestOverloadIsNotAnOutage: a busy pool or a passed deadline answers
// UNAVAILABLE without tripping the breaker, so one overloaded moment does
// not refuse every request for a second; a refused connection trips it.
func TestOverloadIsNotAnOutage(t *testing.T) {
	busy := []error{
		&driver.ConnectivityError{Inner: errors.New("Timeout while waiting for connection to any of [127.0.0.1:7687]: context deadline exceeded")},
		&driver.ConnectivityError{Inner: errors.New("No idle connections on any of [127.0.0.1:7687]")},
		&driver.ConnectivityError{Inner: fmt.Errorf("read: %w", context.DeadlineExceeded)},
		&driver.TransactionExecutionLimit{Errors: []error{&driver.ConnectivityError{Inner: context.DeadlineExceeded}}},
	}
	gone := []error{
		&driver.ConnectivityError{Inner: &net.OpError{Op: "dial", Err: errors.New("connection refused")}},
		&driver.TransactionExecutionLimit{Errors: []error{&driver.ConnectivityError{Inner: errors.New("connection reset by peer")}}},
	}
	for _, err := range busy {
		db := &DB{}
		if got := db.unavailable(err, false); got == nil || db.unreachableAt.Load() != 0 {
			t.Errorf("%v: %v, breaker tripped: %v", err, got, db.unreachableAt.Load() != 0)
		}
	}
	for _, err := range gone {
		db := &DB{}
		if got := db.unavailable(err, false); got == nil || db.unreachableAt.Load() == 0 {
			t.Errorf("%v: %v, breaker not tripped", err, got)
		}
	}
}
