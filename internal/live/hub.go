package live

import (
	"context"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"casusnet/internal/casus"
)

// Options tune a hub. Zero values take the defaults.
type Options struct {
	// Poll is how often the broker reads the log for events written by
	// other instances (50 ms); its own it reads as they commit.
	Poll time.Duration
	// Buffer is how many batches a subscriber may be behind before it is
	// cut off (16).
	Buffer int
	// DashboardInterval is the least time between two dashboard updates
	// (250 ms), and DashboardRefresh the most (2 s), for figures that do not
	// come from case events.
	DashboardInterval, DashboardRefresh time.Duration
}

func (o Options) withDefaults() Options {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Poll, 50*time.Millisecond)
	def(&o.DashboardInterval, 250*time.Millisecond)
	def(&o.DashboardRefresh, 2*time.Second)
	if o.Buffer <= 0 {
		o.Buffer = 16
	}
	return o
}

// Hub is everything live on one server instance: the event broker and the
// dashboards it wakes.
type Hub struct {
	Events     *Broker
	Dashboards *Dashboards
}

// NewHub returns a hub following log and computing dashboards from dash.
func NewHub(log Log, dash casus.DashboardService, logger zerolog.Logger, o Options) *Hub {
	o = o.withDefaults()
	b := New(log, logger, o.Poll, o.Buffer)
	return &Hub{Events: b, Dashboards: NewDashboards(dash, b, logger, o.DashboardInterval, o.DashboardRefresh)}
}

// Run runs the broker and the dashboards until ctx ends and both stopped.
func (h *Hub) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); h.Events.Run(ctx) }()
	go func() { defer wg.Done(); h.Dashboards.Run(ctx) }()
	wg.Wait()
}
