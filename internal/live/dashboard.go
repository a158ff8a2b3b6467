package live

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"casusnet/internal/casus"
)

// Dashboards keeps the dashboards that someone watches up to date, as
// Hasura multiplexes live queries: viewers of the same scope share one
// group, and one query computes every watched group at once. It computes
// after case events (from the broker), and at least every refresh interval
// for what is not a case event (signals, capacity). A viewer gets a
// dashboard only when its figures change, at most once per interval, and a
// slow viewer skips to the newest figures instead of queueing old ones.
type Dashboards struct {
	src      casus.DashboardService
	broker   *Broker
	logger   zerolog.Logger
	interval time.Duration
	refresh  time.Duration
	queries  atomic.Int64

	mu     sync.Mutex
	groups map[string]*dashboardGroup
	wake   chan struct{}
}

type dashboardGroup struct {
	scope casus.DashboardScope
	views map[*DashboardView]struct{}
	last  *casus.Dashboard
}

// DashboardView receives a dashboard's figures on C whenever they change;
// the first value is the current figures. C is closed when the hub stops.
type DashboardView struct {
	C     <-chan *casus.Dashboard
	c     chan *casus.Dashboard
	group *dashboardGroup
	hub   *Dashboards
	once  sync.Once
}

// NewDashboards returns a hub computing from src, woken by broker's events,
// at most once per interval and at least once per refresh.
func NewDashboards(src casus.DashboardService, broker *Broker, logger zerolog.Logger, interval, refresh time.Duration) *Dashboards {
	return &Dashboards{src: src, broker: broker, logger: logger, interval: interval, refresh: refresh,
		groups: map[string]*dashboardGroup{}, wake: make(chan struct{}, 1)}
}

// Watch returns a view of the dashboard of scope; the caller must Close it.
func (h *Dashboards) Watch(scope casus.DashboardScope) *DashboardView {
	c := make(chan *casus.Dashboard, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	g := h.groups[scope.Key()]
	if g == nil {
		g = &dashboardGroup{scope: scope, views: map[*DashboardView]struct{}{}}
		h.groups[scope.Key()] = g
	}
	v := &DashboardView{C: c, c: c, group: g, hub: h}
	g.views[v] = struct{}{}
	if g.last != nil {
		c <- g.last
	} else {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
	return v
}

// Close ends the view.
func (v *DashboardView) Close() {
	v.hub.mu.Lock()
	defer v.hub.mu.Unlock()
	v.close()
}

// close ends the view; the hub's lock is held.
func (v *DashboardView) close() {
	v.once.Do(func() {
		g := v.group
		delete(g.views, v)
		if len(g.views) == 0 && v.hub.groups[g.scope.Key()] == g {
			delete(v.hub.groups, g.scope.Key())
		}
		close(v.c)
	})
}

// Views returns how many views are open, and of how many scopes.
func (h *Dashboards) Views() (views, scopes int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, g := range h.groups {
		views += len(g.views)
	}
	return views, len(h.groups)
}

// Queries returns how many times the hub has computed dashboards.
func (h *Dashboards) Queries() int64 { return h.queries.Load() }

// Run keeps the watched dashboards up to date until ctx ends, then closes
// every view.
func (h *Dashboards) Run(ctx context.Context) {
	defer func() {
		h.mu.Lock()
		for _, g := range h.groups {
			for v := range g.views {
				v.close()
			}
		}
		h.mu.Unlock()
	}()
	tick := time.NewTicker(h.interval)
	defer tick.Stop()
	dirty, computed := true, time.Time{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.broker.Changed():
			dirty = true
			continue
		case <-h.wake:
			// A new scope: compute it at the next tick.
			dirty = true
			continue
		case now := <-tick.C:
			if !dirty && now.Sub(computed) < h.refresh {
				continue
			}
			if h.compute(ctx) {
				dirty, computed = false, now
			}
		}
	}
}

// compute computes every watched group in one query and sends changed
// figures to their views. It reports whether it succeeded.
func (h *Dashboards) compute(ctx context.Context) bool {
	h.mu.Lock()
	groups := make([]*dashboardGroup, 0, len(h.groups))
	scopes := make([]casus.DashboardScope, 0, len(h.groups))
	for _, g := range h.groups {
		groups = append(groups, g)
		scopes = append(scopes, g.scope)
	}
	h.mu.Unlock()
	if len(groups) == 0 {
		return true
	}
	h.queries.Add(1)
	boards, err := h.src.Dashboards(ctx, scopes)
	if err != nil {
		if ctx.Err() == nil {
			h.logger.Warn().Err(err).Msg("dashboards: compute failed")
		}
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, g := range groups {
		if g.last.Same(boards[i]) {
			continue
		}
		g.last = boards[i]
		for v := range g.views {
			select {
			case v.c <- g.last:
			default:
				// The view has not taken the previous figures: replace them.
				select {
				case <-v.c:
				default:
				}
				v.c <- g.last
			}
		}
	}
	return true
}
