package graph_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a goroutine outlives the tests: every
// subscription, loader and server goroutine must end with its owner.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
