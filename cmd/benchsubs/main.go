// Command benchsubs measures casusnet's subscriptions under many concurrent
// subscribers, next to a bare gorilla/websocket broadcast of the same
// payloads (the floor), and prints a Markdown table.
//
//	benchsubs [--sizes 1000,5000,10000] [--rate 5] [--duration 10s] [--casusnet bin/casusnet]
//
// For each size and each server it starts the server as its own process,
// opens the subscribers from this process, writes events at a steady rate,
// and reports delivery latency from commit to client (p50, p99, max), lost
// and duplicated events, the server's CPU and its resident memory per idle
// connection. casusnet needs a running Neo4j (make bench-subscriptions
// starts one); the floor needs nothing.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"casusnet/internal/auth"
	"casusnet/internal/casus"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchsubs:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 1 && args[1] == "floor" {
		return serveFloor(ctx, args[2:])
	}
	fs := flag.NewFlagSet("benchsubs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("sizes", "1000,5000,10000", "numbers of concurrent subscribers")
	rate := fs.Float64("rate", 5, "events written per second")
	duration := fs.Duration("duration", 10*time.Second, "how long to write events at each size")
	bin := fs.String("casusnet", "bin/casusnet", "the casusnet binary")
	selections := fs.String("selections", "lean,nested", "the selections to subscribe with: lean, nested")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("--sizes: %q is not a number of subscribers", s)
		}
		ns = append(ns, n)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	seed := exec.CommandContext(ctx, *bin, "seed", "--demo")
	seed.Env = benchEnv(getenv)
	if out, err := seed.CombinedOutput(); err != nil {
		return fmt.Errorf("seed the demo region: %v: %s", err, out)
	}
	fmt.Fprintf(stdout, "| subscribers | selection | server | delivered | lost | duplicated | p50 | p99 | max | write p50 | server CPU | RSS per idle connection | Neo4j queries per event |\n")
	fmt.Fprintf(stdout, "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range ns {
		for _, sel := range strings.Split(*selections, ",") {
			query, ok := benchSelections[strings.TrimSpace(sel)]
			if !ok {
				return fmt.Errorf("--selections: %q is not lean or nested", sel)
			}
			for _, target := range []target{casusnetTarget(*bin, getenv, query), floorTarget(self)} {
				r, err := measure(ctx, target, n, *rate, *duration, stderr)
				if err != nil {
					return fmt.Errorf("%s with %d subscribers: %w", target.name, n, err)
				}
				queries := "–"
				if r.queries >= 0 {
					queries = fmt.Sprintf("%.1f", r.queries)
				}
				fmt.Fprintf(stdout, "| %d | %s | %s | %d | %d | %d | %s | %s | %s | %s | %.0f%% | %.1f KB | %s |\n",
					n, sel, target.name, r.delivered, r.lost, r.duplicated, ms(r.p50), ms(r.p99), ms(r.max), ms(r.write), r.cpu*100, r.perConn/1024, queries)
			}
		}
	}
	return nil
}

// benchSelections are the subscriptions measured: the lean one a counter
// on a wall needs, and the nested one the outside probe used.
var benchSelections = map[string]string{
	"lean":   `subscription { caseEvents { sequence at } }`,
	"nested": `subscription { caseEvents { sequence at cursor type reason case { id municipality { code } } } }`,
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// benchEnv is the environment of a casusnet server under benchmark.
func benchEnv(getenv func(string) string) []string {
	env := os.Environ()
	env = append(env, "CASUSNET_DEV=true", "CASUSNET_LOG_LEVEL=warn",
		"CASUSNET_USER_LIMIT=1000000/1000000", "CASUSNET_ADDRESS_LIMIT=1000000/1000000")
	if getenv("NEO4J_PASSWORD") == "" {
		env = append(env, "NEO4J_PASSWORD=casusnet-dev")
	}
	return env
}

// target is a server under benchmark.
type target struct {
	name string
	// start starts the server on addr and returns its process.
	start func(ctx context.Context, addr string) (*exec.Cmd, error)
	// readyPath answers 200 when the server is ready; wsPath takes
	// websockets.
	readyPath, wsPath string
	// subscribe starts the subscription of subscriber i on conn.
	subscribe func(conn *websocket.Conn, i int) error
	// publish writes one event and returns when it is committed.
	publish func(ctx context.Context, addr string) error
	// queries, when set, returns how many queries the server has sent
	// to Neo4j so far.
	queries func(ctx context.Context) (float64, error)
}

// neo4jQueries reads casusnet's count of Neo4j queries from its metrics
// on the private debug address.
func neo4jQueries(ctx context.Context, debug string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+debug+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "casusnet_neo4j_queries_total "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, errors.New("no casusnet_neo4j_queries_total in the metrics")
}

func casusnetTarget(bin string, getenv func(string) string, query string) target {
	var debug string
	coordinator := token(casus.Actor{ID: "bench-writer", Name: "Bench Writer", Role: casus.RoleCoordinator})
	var caseID string
	up := true
	return target{
		name: "casusnet",
		start: func(ctx context.Context, addr string) (*exec.Cmd, error) {
			var err error
			if debug, err = freeAddr(); err != nil {
				return nil, err
			}
			cmd := exec.CommandContext(ctx, bin, "serve", "--addr", addr)
			cmd.Env = append(benchEnv(getenv), "CASUSNET_DEBUG_ADDR="+debug)
			cmd.Stderr = os.Stderr
			return cmd, cmd.Start()
		},
		readyPath: "/readyz",
		wsPath:    "/graphql",
		subscribe: func(conn *websocket.Conn, i int) error {
			tok := token(casus.Actor{ID: fmt.Sprintf("bench-%d", i), Name: "Bench", Role: casus.RoleCoordinator})
			if err := conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + tok}}); err != nil {
				return err
			}
			var ack struct{ Type string }
			if err := conn.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
				return fmt.Errorf("init: %v %v", ack, err)
			}
			return conn.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
				"query": query}})
		},
		queries: func(ctx context.Context) (float64, error) { return neo4jQueries(ctx, debug) },
		publish: func(ctx context.Context, addr string) error {
			if caseID == "" {
				var out struct {
					Data struct {
						Cases struct {
							Edges []struct{ Node struct{ ID string } }
						}
					}
				}
				if err := graphql(ctx, addr, coordinator, `{ cases(first: 1, filter: {escalationLevel: LOCAL, phase: EXECUTION}) { edges { node { id } } } }`, &out); err != nil {
					return err
				}
				if len(out.Data.Cases.Edges) == 0 {
					return errors.New("no case to change")
				}
				caseID = out.Data.Cases.Edges[0].Node.ID
			}
			for try := 0; try < 2; try++ {
				op := map[bool]string{true: "escalateCase", false: "deescalateCase"}[up]
				up = !up
				var out struct{ Errors []struct{ Message string } }
				code := map[bool]string{true: "LOCAL_SUFFICES", false: "MULTIPLE_MUNICIPALITIES"}[up] // up is already the next move
				q := fmt.Sprintf(`mutation { %s(input: {case: %q, reason: "benchmark", criteria: [{code: %q, explanation: "benchmark"}]}) { case { id } } }`, op, caseID, code)
				if err := graphql(ctx, addr, coordinator, q, &out); err != nil {
					return err
				}
				if len(out.Errors) == 0 {
					return nil
				}
			}
			return errors.New("neither escalate nor deescalate was accepted")
		},
	}
}

func floorTarget(self string) target {
	var seq atomic.Int64
	return target{
		name: "gorilla broadcast (floor)",
		start: func(ctx context.Context, addr string) (*exec.Cmd, error) {
			cmd := exec.CommandContext(ctx, self, "floor", "--addr", addr)
			cmd.Stderr = os.Stderr
			return cmd, cmd.Start()
		},
		readyPath: "/ready",
		wsPath:    "/ws",
		subscribe: func(*websocket.Conn, int) error { return nil },
		publish: func(ctx context.Context, addr string) error {
			// The same message casusnet sends, stamped now.
			msg := fmt.Sprintf(`{"id":"1","type":"next","payload":{"data":{"caseEvents":{"sequence":%d,"at":%q}}}}`,
				seq.Add(1), time.Now().UTC().Format(time.RFC3339Nano))
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/publish", strings.NewReader(msg))
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			resp.Body.Close()
			return nil
		},
	}
}

func token(a casus.Actor) string {
	t, err := auth.IssueDevToken([]byte(auth.DevSigningKey), auth.Identity{Actor: a}, 2*time.Hour, time.Now())
	if err != nil {
		panic(err) // the development key always signs
	}
	return t
}

func graphql(ctx context.Context, addr, tok, query string, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// client is one subscriber: what it received, and when.
type client struct {
	conn *websocket.Conn
	mu   sync.Mutex
	seqs []int64
	lat  []time.Duration
	done chan struct{}
}

func (c *client) read() {
	defer close(c.done)
	var m struct {
		Type    string
		Payload struct {
			Data struct {
				CaseEvents struct {
					Sequence int64
					At       time.Time
				}
			}
		}
	}
	for {
		_, b, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		now := time.Now()
		m.Type = ""
		if err := json.Unmarshal(b, &m); err != nil || m.Type != "next" {
			if m.Type == "ping" { // answered, or the server takes the client for gone
				_ = c.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"pong"}`))
			}
			continue
		}
		e := m.Payload.Data.CaseEvents
		c.mu.Lock()
		c.seqs = append(c.seqs, e.Sequence)
		c.lat = append(c.lat, now.Sub(e.At))
		c.mu.Unlock()
	}
}

func (c *client) received() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seqs)
}

type result struct {
	delivered, lost, duplicated int
	p50, p99, max               time.Duration
	cpu                         float64       // cores busy, on average
	perConn                     float64       // bytes of resident memory
	queries                     float64       // Neo4j queries per event, the write's own included; -1 when not known
	write                       time.Duration // median time to write one event
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// measure runs one size against one server.
func measure(ctx context.Context, t target, n int, rate float64, duration time.Duration, log io.Writer) (result, error) {
	addr, err := freeAddr()
	if err != nil {
		return result{}, err
	}
	cmd, err := t.start(ctx, addr)
	if err != nil {
		return result{}, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	if err := waitReady(ctx, "http://"+addr+t.readyPath); err != nil {
		return result{}, err
	}
	pid := cmd.Process.Pid
	rss0 := rss(pid)

	fmt.Fprintf(log, "%s: connecting %d subscribers\n", t.name, n)
	clients := make([]*client, n)
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	var dialErr atomic.Pointer[error]
	for i := range clients {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 30 * time.Second}
			conn, _, err := d.DialContext(ctx, "ws://"+addr+t.wsPath, nil)
			if err == nil {
				err = t.subscribe(conn, i)
			}
			if err != nil {
				dialErr.Store(&err)
				return
			}
			clients[i] = &client{conn: conn, done: make(chan struct{})}
			go clients[i].read()
		}()
	}
	wg.Wait()
	defer func() {
		for _, c := range clients {
			if c != nil {
				c.conn.Close()
				<-c.done
			}
		}
	}()
	if p := dialErr.Load(); p != nil {
		return result{}, fmt.Errorf("connect: %w", *p)
	}

	// Warm up until every subscriber has received an event: then all are
	// subscribed. Count only what comes after.
	fmt.Fprintf(log, "%s: warming up\n", t.name)
	for try := 0; ; try++ {
		if err := t.publish(ctx, addr); err != nil {
			return result{}, fmt.Errorf("publish: %w", err)
		}
		time.Sleep(time.Second)
		if !slices.ContainsFunc(clients, func(c *client) bool { return c.received() == 0 }) {
			break
		}
		if try == 60 {
			return result{}, errors.New("subscribers still silent after a minute of warm-up")
		}
	}
	time.Sleep(2 * time.Second)
	perConn := float64(rss(pid)-rss0) / float64(n)
	start := make([]int, n)
	for i, c := range clients {
		start[i] = c.received()
	}

	fmt.Fprintf(log, "%s: writing %.0f events/s for %s\n", t.name, rate, duration)
	q0 := -1.0
	if t.queries != nil {
		if q0, err = t.queries(ctx); err != nil {
			return result{}, err
		}
	}
	cpu0, t0 := cpuTime(pid), time.Now()
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	written := 0
	var writes []time.Duration
	for end := time.Now().Add(duration); time.Now().Before(end); {
		<-tick.C
		w0 := time.Now()
		err := t.publish(ctx, addr)
		writes = append(writes, time.Since(w0))
		if err != nil {
			tick.Stop()
			return result{}, fmt.Errorf("publish: %w", err)
		}
		written++
	}
	tick.Stop()
	deadline := time.Now().Add(30 * time.Second)
	behind := func() bool {
		for i, c := range clients {
			if c.received()-start[i] < written {
				return true
			}
		}
		return false
	}
	for behind() && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cpu := (cpuTime(pid) - cpu0).Seconds() / time.Since(t0).Seconds()
	time.Sleep(500 * time.Millisecond) // anything late or twice

	slices.Sort(writes)
	r := result{cpu: cpu, perConn: perConn, write: writes[len(writes)/2], queries: -1}
	if q0 >= 0 {
		q1, err := t.queries(ctx)
		if err != nil {
			return result{}, err
		}
		r.queries = (q1 - q0) / float64(written)
	}
	var lats []time.Duration
	for i, c := range clients {
		c.mu.Lock()
		seqs, lat := c.seqs[start[i]:], c.lat[start[i]:]
		seen := map[int64]bool{}
		for j, s := range seqs {
			if seen[s] {
				r.duplicated++
				continue
			}
			seen[s] = true
			lats = append(lats, lat[j])
		}
		r.delivered += len(seen)
		if len(seen) < written {
			r.lost += written - len(seen)
		}
		c.mu.Unlock()
	}
	slices.Sort(lats)
	if len(lats) > 0 {
		r.p50, r.p99, r.max = lats[len(lats)/2], lats[len(lats)*99/100], lats[len(lats)-1]
	}
	return r, nil
}

func waitReady(ctx context.Context, url string) error {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready after two minutes", url)
}

// rss returns the resident memory of process pid, in bytes.
func rss(pid int) int64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// cpuTime returns the user and system CPU time process pid has used.
func cpuTime(pid int) time.Duration {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+2:]
	}
	f := strings.Fields(s)
	if len(f) < 13 {
		return 0
	}
	user, _ := strconv.ParseInt(f[11], 10, 64) // utime, field 14 of stat
	sys, _ := strconv.ParseInt(f[12], 10, 64)  // stime, field 15
	return time.Duration(user+sys) * time.Second / 100
}

// serveFloor is the floor: a bare gorilla/websocket server that sends every
// payload posted to /publish to every connection, each through its own
// bounded queue, as casusnet's broker does.
func serveFloor(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var mu sync.Mutex
	conns := map[chan *websocket.PreparedMessage]struct{}{}
	up := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024, Subprotocols: []string{"graphql-transport-ws"}}
	mux := http.NewServeMux()
	mux.HandleFunc("/ready", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		q := make(chan *websocket.PreparedMessage, 64)
		mu.Lock()
		conns[q] = struct{}{}
		mu.Unlock()
		go func() { // the reader notices the client going
			defer func() {
				mu.Lock()
				if _, ok := conns[q]; ok {
					delete(conns, q)
					close(q)
				}
				mu.Unlock()
			}()
			for {
				if _, _, err := conn.NextReader(); err != nil {
					return
				}
			}
		}()
		go func() { // the writer
			defer conn.Close()
			for m := range q {
				if err := conn.WritePreparedMessage(m); err != nil {
					return
				}
			}
		}()
	})
	mux.HandleFunc("/publish", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		m, err := websocket.NewPreparedMessage(websocket.TextMessage, b)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		for q := range conns {
			select {
			case q <- m:
			default: // too slow: cut off
				delete(conns, q)
				close(q)
			}
		}
		mu.Unlock()
	})
	srv := &http.Server{Addr: *addr, Handler: mux}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
