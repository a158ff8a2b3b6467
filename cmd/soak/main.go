// Command soak runs casusnet under a steady mixed load for a long time and
// writes what it saw to a Markdown report and a PNG plot: error rate, p50
// and p99 latency, resident memory and goroutines per window, and whether
// every subscriber got every case event.
//
//	soak [--duration 30m] [--window 1m] [--rate 20] [--subscribers 1000] [--casusnet bin/casusnet]
//
// The load: case list pages, single cases, person searches, network queries
// (depth 2), signals submitted with idempotency keys and reviews scheduled
// (case events), at a steady rate; and open caseEvents subscriptions, four in
// five as coordinators and one in five as the mayor of one municipality. It
// needs a migrated Neo4j with the demo region (make soak prepares one).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"casusnet/internal/casus"
	"casusnet/internal/load"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// settings are the soak's flags.
type settings struct {
	metricsURL               string // where the server under soak serves its metrics
	duration, window, warmup time.Duration
	rate                     float64
	subscribers              int
	bin, out, plot           string
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var s settings
	fs.DurationVar(&s.duration, "duration", 30*time.Minute, "how long to load")
	fs.DurationVar(&s.window, "window", time.Minute, "the period of each row of figures")
	fs.DurationVar(&s.warmup, "warmup", time.Minute, "load before measuring (not counted)")
	fs.Float64Var(&s.rate, "rate", 20, "requests per second")
	fs.IntVar(&s.subscribers, "subscribers", 1000, "open caseEvents subscriptions")
	fs.StringVar(&s.bin, "casusnet", "bin/casusnet", "the casusnet binary")
	fs.StringVar(&s.out, "out", "bench/SOAK.md", "the report to write")
	fs.StringVar(&s.plot, "plot", "bench/soak.png", "the plot to write")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if s.duration < s.window || s.window <= 0 || s.rate <= 0 || s.subscribers < 0 {
		return errors.New("want --duration ≥ --window > 0, --rate > 0, --subscribers ≥ 0")
	}
	// The metrics are served on the private debug address only.
	debug, err := load.FreeAddr()
	if err != nil {
		return err
	}
	srv, err := load.Start(ctx, s.bin, []string{"serve"}, load.Env(getenv, "CASUSNET_DEBUG_ADDR="+debug), "/readyz", stderr)
	if err != nil {
		return err
	}
	s.metricsURL = "http://" + debug + "/metrics"
	defer srv.Stop()
	started := time.Now()
	res, err := soak(ctx, srv, s, stderr)
	if err != nil {
		return err
	}
	if err := writeReport(s, res, started, strings.Join(args, " ")); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "soak: %s and %s written\n", s.out, s.plot)
	return nil
}

// window is what one period of the soak measured.
type window struct {
	at            time.Duration // end of the window since the load began
	requests      int
	errors        map[string]int // by code
	p50, p99      time.Duration
	rss, heap     int64
	goroutines    int
	subscriptions int
	delivered     int64 // events delivered to subscribers in the window
}

// result is the whole soak.
type result struct {
	windows                      []window
	baseGoroutines, endGoroutine int
	baseRSS                      int64
	caseWrites                   int64 // acknowledged case events (reviews scheduled)
	minGot, maxGot               int64 // events received per coordinator subscriber
	subscriberErrors             int64
	skipped                      int64 // requests not sent because 64 were in flight
}

// target ids the load picks from.
type targets struct {
	persons, cases []string
	municipalities []string
}

const (
	qCases   = `query($m: String) { cases(first: 20, filter: {municipality: $m}) { totalCount edges { node { id reference phase director { name } subjects { id fullName } } } } }`
	qCase    = `query($id: ID!) { case(id: $id) { id reference phase riskGroups subjects { id fullName } interventions { status offering { name } } } }`
	qPersons = `query($p: String!) { persons(first: 20, filter: {name: $p}) { edges { node { id fullName } } } }`
	qNetwork = `query($id: ID!) { network(from: [$id], depth: 2, limit: 200, question: "soak test of the network analysis") { nodes { id } edges { relation } truncated } }`
	qSignal  = `mutation($in: SubmitSignalInput!) { submitSignal(input: $in) { signal { id } } }`
	qReview  = `mutation($in: ScheduleReviewInput!) { scheduleReview(input: $in) { case { id } } }`
)

func soak(ctx context.Context, srv *load.Process, s settings, stderr io.Writer) (*result, error) {
	admin := &load.Client{URL: srv.URL("/graphql"), Token: load.Token(casus.Actor{ID: "soak-coordinator", Name: "Soak", Role: casus.RoleCoordinator}),
		HTTP: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 128}}}
	t, err := loadTargets(ctx, admin)
	if err != nil {
		return nil, err
	}
	res := &result{}
	base, err := scrape(ctx, s.metricsURL)
	if err != nil {
		return nil, err
	}
	res.baseGoroutines, res.baseRSS = int(base["go_goroutines"]), srv.RSS()

	subCtx, closeSubs := context.WithCancel(ctx)
	var subs sync.WaitGroup
	var open atomic.Int64
	counts := make([]atomic.Int64, s.subscribers)
	for i := range s.subscribers {
		conn, err := subscribe(subCtx, srv.Addr, i)
		if err != nil {
			closeSubs()
			subs.Wait()
			return nil, fmt.Errorf("subscriber %d: %w", i, err)
		}
		open.Add(1)
		subs.Add(1)
		go func() {
			defer subs.Done()
			defer open.Add(-1)
			if err := receive(subCtx, conn, &counts[i]); err != nil && subCtx.Err() == nil {
				atomic.AddInt64(&res.subscriberErrors, 1)
				fmt.Fprintf(stderr, "soak: subscriber %d: %v\n", i, err)
			}
		}()
	}
	fmt.Fprintf(stderr, "soak: %d subscribers open; loading at %.0f requests/s for %v\n", s.subscribers, s.rate, s.duration)

	var mu sync.Mutex
	var lat []time.Duration
	errs := map[string]int{}
	var requests int
	record := func(d time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		requests++
		lat = append(lat, d)
		if err != nil {
			code := "TRANSPORT"
			var e *load.Error
			if errors.As(err, &e) {
				code = e.Code
			}
			errs[code]++
		}
	}
	loadCtx, stopLoad := context.WithTimeout(ctx, s.warmup+s.duration)
	defer stopLoad()
	inflight := make(chan struct{}, 64)
	var ops sync.WaitGroup
	tick := time.NewTicker(time.Duration(float64(time.Second) / s.rate))
	defer tick.Stop()
	windowTick := time.NewTicker(s.window)
	defer windowTick.Stop()
	began := time.Now().Add(s.warmup)
	warm := time.After(s.warmup)
	warming := s.warmup > 0
	var delivered int64
	rng := rand.New(rand.NewPCG(1, 2))
	n := 0
loop:
	for {
		select {
		case <-loadCtx.Done():
			break loop
		case <-warm:
			// The measuring begins: forget the warm-up.
			warming, began = false, time.Now()
			mu.Lock()
			lat, errs, requests = nil, map[string]int{}, 0
			mu.Unlock()
			delivered = 0
			for i := range counts {
				delivered += counts[i].Load()
			}
			windowTick.Reset(s.window)
		case <-windowTick.C:
			if warming {
				continue
			}
			mu.Lock()
			w := window{at: time.Since(began), requests: requests, errors: errs, p50: load.Percentile(lat, 50), p99: load.Percentile(lat, 99)}
			lat, errs, requests = nil, map[string]int{}, 0
			mu.Unlock()
			var total int64
			for i := range counts {
				total += counts[i].Load()
			}
			w.delivered, delivered = total-delivered, total
			m, err := scrape(ctx, s.metricsURL)
			if err != nil {
				fmt.Fprintf(stderr, "soak: metrics: %v\n", err)
			}
			w.goroutines, w.heap, w.rss, w.subscriptions = int(m["go_goroutines"]), int64(m["go_memstats_heap_inuse_bytes"]), srv.RSS(), int(open.Load())
			res.windows = append(res.windows, w)
			fmt.Fprintf(stderr, "soak: %v: %d requests, errors %v, p50 %s, p99 %s, rss %d MB, goroutines %d, delivered %d\n",
				w.at.Round(time.Second), w.requests, w.errors, load.Ms(w.p50), load.Ms(w.p99), w.rss>>20, w.goroutines, w.delivered)
		case <-tick.C:
			n++
			op := pick(rng, t, n)
			select {
			case inflight <- struct{}{}:
			default:
				res.skipped++
				continue
			}
			ops.Add(1)
			go func() {
				defer ops.Done()
				defer func() { <-inflight }()
				start := time.Now()
				err := admin.Do(ctx, op.query, op.vars, nil)
				record(time.Since(start), err)
				if err == nil && op.query == qReview {
					atomic.AddInt64(&res.caseWrites, 1)
				}
			}()
		}
	}
	ops.Wait()

	// Let the last events reach the subscribers, then count.
	deadline := time.Now().Add(30 * time.Second)
	for {
		res.minGot, res.maxGot = -1, 0
		for i := range counts {
			if i%5 == 4 {
				continue // mayors see their municipality's events only
			}
			got := counts[i].Load()
			if res.minGot < 0 || got < res.minGot {
				res.minGot = got
			}
			res.maxGot = max(res.maxGot, got)
		}
		if res.minGot >= atomic.LoadInt64(&res.caseWrites) || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	closeSubs()
	subs.Wait()
	admin.HTTP.CloseIdleConnections() // the server's keep-alive goroutines end with them
	// Goroutines should return to their base once the connections are gone.
	for range 60 {
		m, err := scrape(ctx, s.metricsURL)
		if err == nil {
			res.endGoroutine = int(m["go_goroutines"])
			if res.endGoroutine <= res.baseGoroutines+5 {
				break
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	return res, nil
}

// op is one request of the load.
type op struct {
	query string
	vars  map[string]any
}

// pick chooses the n-th request: 30% case pages, 20% single cases, 15%
// person searches, 10% network queries, 15% signals, 10% reviews.
func pick(rng *rand.Rand, t *targets, n int) op {
	one := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	switch r := rng.IntN(100); {
	case r < 30:
		return op{qCases, map[string]any{"m": one(t.municipalities)}}
	case r < 50:
		return op{qCase, map[string]any{"id": one(t.cases)}}
	case r < 65:
		return op{qPersons, map[string]any{"p": string(rune('A' + rng.IntN(26)))}}
	case r < 75:
		return op{qNetwork, map[string]any{"id": one(t.persons)}}
	case r < 90:
		return op{qSignal, map[string]any{"in": map[string]any{"municipality": one(t.municipalities),
			"description": "Soak signal " + strconv.Itoa(n), "indicators": []string{"ONLINE_PROPAGANDA"},
			"idempotencyKey": fmt.Sprintf("soak-%d-%d", time.Now().UnixNano(), n)}}}
	default:
		return op{qReview, map[string]any{"in": map[string]any{"case": one(t.cases),
			"on": time.Now().AddDate(0, 0, 7+rng.IntN(60)).Format(time.DateOnly), "reason": "soak"}}}
	}
}

func loadTargets(ctx context.Context, c *load.Client) (*targets, error) {
	var out struct {
		Municipalities []struct{ Code string }
		Cases          struct {
			Edges []struct{ Node struct{ ID, Phase string } }
		}
		Persons struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	err := c.Do(ctx, `{ municipalities { code } cases(first: 100) { edges { node { id phase } } } persons(first: 100) { edges { node { id } } } }`, nil, &out)
	if err != nil {
		return nil, fmt.Errorf("read targets: %w", err)
	}
	t := &targets{}
	for _, m := range out.Municipalities {
		t.municipalities = append(t.municipalities, m.Code)
	}
	for _, e := range out.Cases.Edges {
		if e.Node.Phase == "CLOSED" {
			continue
		}
		t.cases = append(t.cases, e.Node.ID)
	}
	for _, e := range out.Persons.Edges {
		t.persons = append(t.persons, e.Node.ID)
	}
	if len(t.municipalities) == 0 || len(t.cases) == 0 || len(t.persons) == 0 {
		return nil, errors.New("no municipalities, open cases or persons: seed the demo region first")
	}
	return t, nil
}

// subscribe opens subscriber i's caseEvents stream: every fifth is the mayor
// of Diemen, the others coordinators.
func subscribe(ctx context.Context, addr string, i int) (*websocket.Conn, error) {
	a := casus.Actor{ID: fmt.Sprintf("soak-sub-%d", i), Name: "Soak subscriber", Role: casus.RoleCoordinator}
	if i%5 == 4 {
		a.Role, a.Municipalities = casus.RoleMayor, []string{"GM0384"}
	}
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 10 * time.Second}
	conn, _, err := d.DialContext(ctx, "ws://"+addr+"/graphql", nil)
	if err != nil {
		return nil, err
	}
	if err := conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + load.Token(a)}}); err != nil {
		conn.Close()
		return nil, err
	}
	var ack struct{ Type string }
	if err := conn.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
		conn.Close()
		return nil, fmt.Errorf("init: %q %v", ack.Type, err)
	}
	err = conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": "subscription { caseEvents { sequence } }"}})
	if err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// receive counts the events on conn until ctx ends or the stream fails.
func receive(ctx context.Context, conn *websocket.Conn, count *atomic.Int64) error {
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer conn.Close()
	for {
		var m struct{ Type string }
		if err := conn.ReadJSON(&m); err != nil {
			return err
		}
		switch m.Type {
		case "next":
			count.Add(1)
		case "ping":
			_ = conn.WriteJSON(map[string]string{"type": "pong"})
		case "error", "complete":
			return fmt.Errorf("stream ended: %s", m.Type)
		}
	}
}

// scrape reads the server's Prometheus metrics without labels.
func scrape(ctx context.Context, url string) (map[string]float64, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	m := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		name, val, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(val, 64); err == nil {
			m[name] = v
		}
	}
	return m, nil
}

// machine describes where the soak ran.
func machine() string {
	return fmt.Sprintf("%d cores, %s/%s, %s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
}
