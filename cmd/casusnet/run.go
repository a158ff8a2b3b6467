package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"casusnet/graph"
	"casusnet/internal/auth"
	"casusnet/internal/casus"
	"casusnet/internal/csvimport"
	"casusnet/internal/demo"
	"casusnet/internal/live"
	"casusnet/internal/neo4j"
	"casusnet/internal/server"
	"casusnet/internal/synthetic"
	"casusnet/internal/web"
)

const usage = `usage: casusnet <command> [flags]

commands:
  serve          serve GraphQL over HTTP (migrates the schema first)
  migrate        bring the Neo4j schema up to date
  seed --demo    load the demo region (idempotent)
  seed --synthetic --persons N [--seed S]
                 load N invented persons shaped like a social network (deterministic)
  retention [--dry-run]
                 remove closed cases older than CASUSNET_RETENTION, with the persons
                 only they needed; --dry-run lists what would go
  import --persons F --relations F --cases F [--dry-run]
                 import CSV files: every line checked, all or nothing
  token          print a development token (development mode only)
  audit verify   check that the access log's hash chain is intact
  audit export --format ldv [--register-uri U]
                 write the access log as JSON lines in the shape of the Logboek
                 Dataverwerkingen: one record per data subject per action

Run 'casusnet <command> -h' for the flags; every flag can also be set by the
environment variable named in its help.
`

// run is the whole program: it parses args and the environment, and runs the
// subcommand until it ends or ctx is cancelled.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[1], args[2:]
	fs := flag.NewFlagSet("casusnet "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var seedDemo, seedSynthetic *bool
	var seedPersons, seedCases *int
	var seedSeed *uint64
	var dryRun *bool
	var importPersons, importRelations, importCases *string
	var auditCmd string
	var exportFormat, registerURI *string
	switch cmd {
	case "serve", "migrate":
	case "audit":
		if len(rest) == 0 || (rest[0] != "verify" && rest[0] != "export") {
			return errors.New("audit: say what to do: audit verify, or audit export --format ldv")
		}
		auditCmd, rest = rest[0], rest[1:]
		if auditCmd == "export" {
			exportFormat = fs.String("format", "", "the export's format: ldv (Logboek Dataverwerkingen, JSON lines)")
			registerURI = fs.String("register-uri", "https://casusnet.example.nl", "the URI under which the register of processing activities is published")
		}
	case "seed":
		seedDemo = fs.Bool("demo", false, "load the demo region")
		seedSynthetic = fs.Bool("synthetic", false, "load a synthetic region of --persons invented persons")
		seedPersons = fs.Int("persons", 10_000, "how many synthetic persons")
		seedCases = fs.Int("cases", 0, "how many synthetic cases (default one per 500 persons)")
		seedSeed = fs.Uint64("seed", 1, "the synthetic region's random seed: the same seed and size give the same region")
	case "retention":
		dryRun = fs.Bool("dry-run", false, "list what would be removed, remove nothing")
	case "import":
		importPersons = fs.String("persons", "", "persons CSV: "+strings.Join(csvimport.Columns["persons"], ", "))
		importRelations = fs.String("relations", "", "relations CSV: "+strings.Join(csvimport.Columns["relations"], ", "))
		importCases = fs.String("cases", "", "cases CSV: "+strings.Join(csvimport.Columns["cases"], ", "))
		dryRun = fs.Bool("dry-run", false, "check the files, import nothing")
	case "token":
		return token(fs, rest, getenv, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	cfg, err := parseConfig(fs, rest, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	log := newLogger(stderr, cfg.LogLevel)

	db, err := neo4j.Open(cfg.Neo4j, log)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = db.Close(closeCtx)
	}()

	switch cmd {
	case "migrate":
		return db.Migrate(ctx)
	case "import":
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		return importFiles(ctx, db, *importPersons, *importRelations, *importCases, *dryRun, stdout)
	case "retention":
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		return retention(ctx, db, cfg.Retention, cfg.LogRetention, *dryRun, stdout)
	case "audit":
		if auditCmd == "export" {
			return exportAccessLog(ctx, db, *exportFormat, *registerURI, cfg.PseudonymKey, stdout, stderr)
		}
		n, err := neo4j.NewAuditLog(db).Verify(ctx)
		if err != nil {
			return fmt.Errorf("%d entries verified before the first break: %w", n, err)
		}
		fmt.Fprintf(stdout, "access log intact: %d entries verified\n", n)
		return nil
	case "seed":
		if *seedDemo == *seedSynthetic {
			return errors.New("seed: say what to load: --demo or --synthetic")
		}
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		if *seedSynthetic {
			return seedRegion(ctx, db, log, stdout, *seedPersons, *seedCases, *seedSeed)
		}
		n, err := db.Seed(ctx, demo.Region())
		if err != nil {
			return err
		}
		log.Info().Int("cases", n).Msg("demo region seeded")
		return nil
	}
	return serve(ctx, cfg, log, db, stdout)
}

// serve runs the HTTP server until ctx is cancelled, then shuts down
// gracefully: it stops accepting and lets requests in flight finish.
func serve(ctx context.Context, cfg config, log zerolog.Logger, db *neo4j.DB, stdout io.Writer) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}

	audit := neo4j.NewAuditLog(db)
	// The access log writer stops only after the HTTP server (defers run last first): requests in
	// flight during shutdown still get their entries written.
	auditCtx, stopAudit := context.WithCancel(context.WithoutCancel(ctx))
	auditDone := make(chan struct{})
	go func() {
		defer close(auditDone)
		audit.Run(auditCtx)
	}()
	defer func() { stopAudit(); <-auditDone }()

	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()

	m := &migrator{db: db, log: log}
	wg.Add(1)
	go func() {
		defer wg.Done()
		m.run(ctx)
	}()

	verifier, err := newVerifier(ctx, cfg)
	if err != nil {
		return err
	}
	dashboards := neo4j.NewDashboardService(db)
	hub := live.NewHub(neo4j.NewEventLog(db), dashboards, log, live.Options{})
	db.OnEventsCommitted(hub.Events.Poke)
	// Requests and the live hub end after the shutdown below, not at the
	// signal, so that websocket clients hear why they are closed (and are
	// not told that their subscriptions completed).
	requests, endRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer endRequests()
	wg.Add(1)
	go func() {
		defer wg.Done()
		hub.Run(requests)
	}()
	resolver := &graph.Resolver{Services: neo4j.NewServices(db), Live: hub, AccessLog: audit, Register: cfg.Register, PseudonymKey: cfg.PseudonymKey}
	handler := server.New(server.Config{Dev: cfg.Dev, AllowedOrigins: cfg.AllowedOrigins, UserLimit: cfg.UserLimit, AddressLimit: cfg.AddressLimit,
		Web: web.Files(cfg.WebDir), SignIn: signIn(cfg), Bookmarks: bookmarks, PseudonymKey: cfg.PseudonymKey},
		log, resolver, verifier, audit, m.ready)
	handler.Register(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "casusnet_subscriptions_open", Help: "Event streams open on this instance."},
			func() float64 { return float64(hub.Events.Subscribers()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "casusnet_dashboard_views_open", Help: "Dashboards watched on this instance."},
			func() float64 { views, _ := hub.Dashboards.Views(); return float64(views) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "casusnet_event_log_position", Help: "The newest case event this instance has published."},
			func() float64 { return float64(hub.Events.Position()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "casusnet_neo4j_queries_total", Help: "Queries sent to Neo4j for requests."},
			func() float64 { return float64(db.Queries()) }),
	)
	var served http.Handler = handler
	if cfg.OTLPEndpoint != "" {
		tr, err := startTracing(ctx, cfg.OTLPEndpoint)
		if err != nil {
			return err
		}
		defer func() {
			flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := tr.shutdown(flushCtx); err != nil {
				log.Warn().Err(err).Msg("tracing: spans not sent")
			}
		}()
		served = tr.wrap(handler)
	}
	srv := &http.Server{
		Handler:           served,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return requests },
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-ctx.Done()
		n := handler.CloseWebsockets()
		log.Info().Int("websockets", n).Msg("shutting down: websocket clients told to reconnect")
		shutCtx, done := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer done()
		defer endRequests()
		if err := srv.Shutdown(shutCtx); err != nil {
			log.Warn().Err(err).Msg("shutdown: requests still in flight were cut off")
			_ = srv.Close()
		}
		// The subscriptions end with their connections; what each delivered
		// is written to the access log before its writer stops.
		if err := handler.WaitStreams(shutCtx); err != nil {
			log.Warn().Err(err).Msg("shutdown: subscriptions did not end in time; their last deliveries may be unlogged")
		}
	}()

	if cfg.DebugAddr != "" {
		if err := serveDebug(ctx, &wg, cfg.DebugAddr, handler.Metrics(), log); err != nil {
			return err
		}
	}

	url := "http://" + displayAddr(ln.Addr())
	log.Info().Str("url", url+"/graphql").Bool("dev", cfg.Dev).Msg("casusnet serving")
	fmt.Fprintf(stdout, "casusnet serves %s/graphql\n", url)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info().Msg("casusnet stopped")
	return nil
}

// displayAddr returns addr as a browser would want it: localhost for a
// wildcard host.
func displayAddr(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// migrator migrates the schema at start and retries until it succeeds, so that
// the server comes up even when Neo4j is not there yet; until then it is
// alive but not ready.
type migrator struct {
	db  *neo4j.DB
	log zerolog.Logger

	mu   sync.Mutex
	done bool
	err  error
}

func (m *migrator) run(ctx context.Context) {
	wait := 500 * time.Millisecond
	for {
		err := m.db.Migrate(ctx)
		m.mu.Lock()
		m.done, m.err = err == nil, err
		m.mu.Unlock()
		if err == nil || ctx.Err() != nil {
			return
		}
		m.log.Warn().Err(err).Dur("retry_in", wait).Msg("schema migration failed")
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// ready reports why the server cannot serve yet.
func (m *migrator) ready(ctx context.Context) error {
	m.mu.Lock()
	done, err := m.done, m.err
	m.mu.Unlock()
	switch {
	case done:
		return m.db.Ready(ctx)
	case err != nil:
		return fmt.Errorf("schema not migrated: %w", err)
	default:
		return errors.New("schema migration in progress")
	}
}

// newVerifier returns the token verifier cfg asks for: the OIDC issuer's, or
// in development mode the local signing key's.
func newVerifier(ctx context.Context, cfg config) (auth.Verifier, error) {
	if cfg.OIDCIssuer != "" {
		return auth.NewOIDCVerifier(ctx, cfg.OIDCIssuer, cfg.OIDCAudience)
	}
	return auth.NewDevVerifier([]byte(cfg.DevSigningKey)), nil
}

// bookmarks carries clients' database bookmarks through a request.
func bookmarks(ctx context.Context, in []string) (context.Context, func() []string) {
	ctx, b := neo4j.WithBookmarks(ctx, in)
	return ctx, b.Last
}

// signIn says how the web client signs in: as a demo user in development
// mode with development tokens, else with the OIDC issuer.
func signIn(cfg config) server.SignIn {
	s := server.SignIn{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID}
	if !cfg.Dev || cfg.OIDCIssuer != "" {
		return s
	}
	s.DevKey = []byte(cfg.DevSigningKey)
	for _, u := range demo.Users {
		s.DevUsers = append(s.DevUsers, auth.Identity{
			Actor:          casus.Actor{ID: u.ID, Name: u.Name, Role: u.Role, Municipalities: u.Municipalities, OrganisationID: u.Organisation},
			Municipalities: u.Municipalities, OrganisationID: u.Organisation,
		})
	}
	return s
}

// listFlag is a flag that may be given more than once.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// token prints a development token, signed with the development key that a
// server in development mode accepts.
func token(fs *flag.FlagSet, args []string, getenv func(string) string, stdout io.Writer) error {
	sub := fs.String("sub", "", "the user's id (for a director: their director id)")
	name := fs.String("name", "", "the user's name")
	role := fs.String("role", "", "one of "+strings.Join(casus.Roles, ", "))
	org := fs.String("organisation", "", "the user's organisation id")
	ttl := fs.Duration("ttl", 8*time.Hour, "how long the token is valid")
	var munis listFlag
	fs.Var(&munis, "municipality", "a CBS code the user serves or governs (repeatable)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	switch {
	case *sub == "":
		return errors.New("token: --sub is required")
	case !casus.ValidRole(*role):
		return fmt.Errorf("token: --role %q: want one of %s", *role, strings.Join(casus.Roles, ", "))
	case *ttl <= 0 || *ttl > 7*24*time.Hour:
		return errors.New("token: --ttl must be between 0 and 168h")
	}
	key := getenv("CASUSNET_DEV_SIGNING_KEY")
	if key == "" {
		key = auth.DevSigningKey
	}
	tok, err := auth.IssueDevToken([]byte(key), auth.Identity{Actor: casus.Actor{
		ID: *sub, Name: *name, Role: *role, Municipalities: munis, OrganisationID: *org,
	}}, *ttl, time.Now())
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	fmt.Fprintln(stdout, tok)
	return nil
}

// serveDebug serves Go's profiles and the Prometheus metrics on addr, a
// private address, until ctx ends.
func serveDebug(ctx context.Context, wg *sync.WaitGroup, addr string, metrics http.Handler, log zerolog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("GET /metrics", metrics)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	wg.Add(2)
	go func() {
		defer wg.Done()
		<-ctx.Done()
		_ = srv.Close()
	}()
	go func() {
		defer wg.Done()
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Warn().Err(err).Msg("debug server stopped")
		}
	}()
	log.Info().Str("addr", ln.Addr().String()).Msg("profiles served at /debug/pprof/, metrics at /metrics")
	return nil
}

// seedRegion loads a synthetic region batch by batch, one transaction each.
func seedRegion(ctx context.Context, db *neo4j.DB, log zerolog.Logger, stdout io.Writer, persons, cases int, seed uint64) error {
	if persons < 1 || persons > 10_000_000 {
		return fmt.Errorf("seed: --persons %d: want 1 to 10,000,000", persons)
	}
	every := 0 // the generator's default
	if cases != 0 {
		if cases < 1 || cases > persons {
			return fmt.Errorf("seed: --cases %d: want 1 to --persons", cases)
		}
		every = persons / cases
	}
	start := time.Now()
	loaded := 0
	for batch := range synthetic.Region(synthetic.Options{Seed: seed, Persons: persons, CaseEvery: every}) {
		if _, err := db.Seed(ctx, batch); err != nil {
			return fmt.Errorf("seed synthetic persons %d+: %w", loaded, err)
		}
		loaded += len(batch.Persons)
		log.Info().Int("persons", loaded).Dur("elapsed", time.Since(start)).Msg("synthetic region loading")
	}
	fmt.Fprintf(stdout, "synthetic region: %d persons in %s\n", loaded, time.Since(start).Round(time.Millisecond))
	return nil
}

// importFiles checks the CSV files and, when every line is good and it is
// not a dry run, loads them in one transaction and logs the import.
func importFiles(ctx context.Context, db *neo4j.DB, persons, relations, cases string, dry bool, stdout io.Writer) error {
	files := csvimport.Files{}
	for _, f := range []struct {
		path string
		into *io.Reader
	}{{persons, &files.Persons}, {relations, &files.Relations}, {cases, &files.Cases}} {
		if f.path == "" {
			continue
		}
		file, err := os.Open(f.path)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer file.Close()
		*f.into = file
	}
	if files.Persons == nil && files.Relations == nil && files.Cases == nil {
		return errors.New("import: give at least one of --persons, --relations, --cases")
	}
	knownPersons, err := db.IDs(ctx, "Person")
	if err != nil {
		return err
	}
	knownMunicipalities, err := db.IDs(ctx, "Municipality")
	if err != nil {
		return err
	}
	files.KnownPerson = func(id string) bool { return knownPersons[id] }
	files.KnownMunicipality = func(code string) bool { return knownMunicipalities[code] }
	data, rejected, err := csvimport.Read(files)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	for _, r := range rejected {
		fmt.Fprintln(stdout, r)
	}
	if len(rejected) > 0 {
		return fmt.Errorf("import: %d lines rejected; nothing imported", len(rejected))
	}
	summary := fmt.Sprintf("%d persons, %d family ties, %d contacts, %d cases", len(data.Persons), len(data.Relatives), len(data.Contacts), len(data.Cases))
	if dry {
		fmt.Fprintf(stdout, "import: every line is good; would import %s\n", summary)
		return nil
	}
	if _, err := db.Seed(ctx, data); err != nil {
		return fmt.Errorf("import: nothing imported: %w", err)
	}
	var objects []string
	for _, p := range data.Persons {
		objects = append(objects, "Person:"+p.ID)
	}
	for _, c := range data.Cases {
		objects = append(objects, "Case:"+c.ID)
	}
	audit := neo4j.NewAuditLog(db)
	logCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { defer close(done); audit.Run(logCtx) }()
	defer func() { stop(); <-done }()
	if err := audit.Append(ctx, neo4j.SystemEntries(casus.AuditCreate, "import", objects, time.Now().UTC())...); err != nil {
		return fmt.Errorf("import: imported, but the access log entry failed: %w", err)
	}
	fmt.Fprintf(stdout, "import: imported %s\n", summary)
	return nil
}
