// Package neo4j stores casusnet's graph in Neo4j 5 through the official Go
// driver. Every read and every write runs in a managed transaction, so that
// transient errors are retried by the driver and a change and its case event
// commit together or not at all.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"github.com/rs/zerolog"

	"casusnet/internal/casus"
)

// Config says how to reach Neo4j.
type Config struct {
	URI      string // bolt://, neo4j:// (routing) or their +s / +ssc variants
	User     string
	Password string
	Database string // empty for the server's default database
	// Stagnation is how long a goal of a plan may go without progress
	// before it is stagnating; casus.DefaultStagnation when zero.
	Stagnation time.Duration
}

// Validate checks the configuration without contacting the server.
func (c Config) Validate() error {
	u, err := url.Parse(c.URI)
	if err != nil || u.Host == "" {
		return fmt.Errorf("NEO4J_URI %q is not a URI like bolt://host:7687", c.URI)
	}
	switch u.Scheme {
	case "bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc":
	default:
		return fmt.Errorf("NEO4J_URI %q: scheme must be bolt or neo4j (optionally +s or +ssc)", c.URI)
	}
	if c.User == "" {
		return errors.New("NEO4J_USER is empty")
	}
	return nil
}

// DB is a connection pool to one Neo4j database.
type DB struct {
	driver   driver.DriverWithContext
	database string
	log      zerolog.Logger
	queries  atomic.Int64
	// now is the clock; tests may replace it.
	now func() time.Time
	// stagnation is Config.Stagnation.
	stagnation time.Duration
	// committed is called after a transaction that appended case events
	// has committed.
	committed atomic.Pointer[func()]
	// personEvents numbers the person event log.
	personEvents sequencer
	// unreachableAt is when a query last found the database unreachable
	// (Unix nanoseconds), or 0 once a later one reached it.
	unreachableAt atomic.Int64
}

// BreakerCooldown is how long after finding the database unreachable
// requests fail at once, instead of each waiting out the driver's retries.
const BreakerCooldown = time.Second

// refuse returns UNAVAILABLE without trying while the database was found
// unreachable less than BreakerCooldown ago; after that, requests try again.
func (db *DB) refuse() error {
	at := db.unreachableAt.Load()
	if at == 0 || time.Since(time.Unix(0, at)) > BreakerCooldown {
		return nil
	}
	return casus.Errorf(casus.EUNAVAILABLE, "the database cannot be reached (it could not a moment ago); nothing was done: try again shortly")
}

// OnEventsCommitted makes f be called after every transaction that
// appended case events commits, so that this instance's subscribers need
// not wait for the next poll of the log. f must not block.
func (db *DB) OnEventsCommitted(f func()) { db.committed.Store(&f) }

// Open creates the connection pool. It does not wait for the server: use
// Ping or Ready to know whether it answers.
func Open(cfg Config, log zerolog.Logger) (*DB, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	d, err := driver.NewDriverWithContext(cfg.URI, driver.BasicAuth(cfg.User, cfg.Password, ""),
		func(c *config.Config) {
			c.MaxConnectionPoolSize = 100
			// During an outage requests fail within seconds with
			// UNAVAILABLE rather than hang; transient errors (deadlocks,
			// a leader switch) are still retried for up to 5 s.
			c.ConnectionAcquisitionTimeout = 5 * time.Second
			c.SocketConnectTimeout = 2 * time.Second
			c.MaxTransactionRetryTime = 5 * time.Second
			c.UserAgent = "casusnet"
		})
	if err != nil {
		return nil, fmt.Errorf("open neo4j %s: %w", cfg.URI, err)
	}
	stagnation := cfg.Stagnation
	if stagnation <= 0 {
		stagnation = casus.DefaultStagnation
	}
	return &DB{driver: d, database: cfg.Database, log: log, now: func() time.Time { return time.Now().UTC() }, stagnation: stagnation}, nil
}

// Close closes every connection.
func (db *DB) Close(ctx context.Context) error {
	return db.driver.Close(ctx)
}

// Ping checks that the server answers and accepts the credentials.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.driver.VerifyConnectivity(ctx); err != nil {
		return fmt.Errorf("neo4j unreachable: %w", err)
	}
	db.unreachableAt.Store(0) // reachable again: let requests through
	return nil
}

// Queries returns how many queries this DB has sent for requests since it
// was opened (background work such as tailing the event log is not
// counted). Tests use it to show that a request's round trips do not grow
// with its size.
func (db *DB) Queries() int64 { return db.queries.Load() }

type backgroundKey struct{}

// background marks ctx as background work, not counted in Queries.
func background(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey{}, true)
}

func (db *DB) count(ctx context.Context) {
	if ctx.Value(backgroundKey{}) == nil {
		db.queries.Add(1)
	}
}

// runner is a transaction, managed or not.
type runner interface {
	Run(ctx context.Context, cypher string, params map[string]any) (driver.ResultWithContext, error)
}

// run sends one query in tx and counts it.
func (db *DB) run(ctx context.Context, tx runner, cypher string, params map[string]any) (driver.ResultWithContext, error) {
	db.count(ctx)
	return tx.Run(ctx, cypher, params)
}

// collect runs one query in tx and returns all its records.
func (db *DB) collect(ctx context.Context, tx runner, cypher string, params map[string]any) ([]*driver.Record, error) {
	start := time.Now()
	res, err := db.run(ctx, tx, cypher, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if e := db.log.Debug(); e.Enabled() {
		// With CASUSNET_LOG_LEVEL=debug, every query and how long it took.
		e.Dur("took", time.Since(start)).Int("records", len(recs)).Str("cypher", strings.Join(strings.Fields(cypher), " ")).Msg("query")
	}
	return recs, err
}

// session opens a session on the configured database. Sessions share the
// driver's bookmark manager, so a read after a write sees that write even on
// a cluster.
//
// A context from WithBookmarks adds the client's bookmarks, so that a read
// after a write through another instance sees that write too.
func (db *DB) session(ctx context.Context, mode driver.AccessMode) driver.SessionWithContext {
	cfg := driver.SessionConfig{
		DatabaseName:    db.database,
		AccessMode:      mode,
		BookmarkManager: db.driver.ExecuteQueryBookmarkManager(),
	}
	if b := bookmarksFrom(ctx); b != nil && len(b.in) > 0 {
		cfg.Bookmarks = driver.BookmarksFromRawValues(b.in...)
	}
	return db.driver.NewSession(ctx, cfg)
}

// read runs work in a managed read transaction.
func read[T any](ctx context.Context, db *DB, work func(tx *Tx) (T, error)) (T, error) {
	if err := db.refuse(); err != nil {
		var zero T
		return zero, err
	}
	s := db.session(ctx, driver.AccessModeRead)
	defer s.Close(ctx)
	out, err := driver.ExecuteRead(ctx, s, func(mt driver.ManagedTransaction) (T, error) { return work(&Tx{ManagedTransaction: mt}) })
	return out, badBookmark(db.unavailable(err, false))
}

// connectivity reports whether err says the database cannot be reached,
// also when the driver gave up retrying because of it.
func connectivity(err error) bool {
	var conn *driver.ConnectivityError
	if errors.As(err, &conn) || driver.IsConnectivityError(err) {
		return true
	}
	var limit *driver.TransactionExecutionLimit
	if errors.As(err, &limit) {
		return slices.ContainsFunc(limit.Errors, connectivity)
	}
	return false
}

// overloaded reports whether a connectivity error says the database was
// busy rather than gone: every connection of the pool in use until the
// caller's deadline, or the deadline passing while a query ran. Overload
// must not look like an outage, so it does not trip the breaker.
func overloaded(err error) bool {
	var conn *driver.ConnectivityError
	if !errors.As(err, &conn) {
		var limit *driver.TransactionExecutionLimit
		return errors.As(err, &limit) && !slices.ContainsFunc(limit.Errors, func(e error) bool { return connectivity(e) && !overloaded(e) })
	}
	if conn.Inner == nil {
		return false
	}
	if errors.Is(conn.Inner, context.DeadlineExceeded) || errors.Is(conn.Inner, context.Canceled) {
		return true
	}
	msg := conn.Inner.Error()
	return strings.HasPrefix(msg, "Timeout while waiting for connection") || strings.HasPrefix(msg, "No idle connections")
}

// unavailable turns an error that says the database cannot be reached into
// UNAVAILABLE; any other error it returns as it is. For a write the outcome
// may be unknown (the connection can break during the commit), and the
// message says how to resolve it safely.
func (db *DB) unavailable(err error, writing bool) error {
	if err == nil || !connectivity(err) {
		if db.unreachableAt.Load() != 0 && (err == nil || driverAnswered(err)) {
			db.unreachableAt.Store(0)
		}
		return err
	}
	if overloaded(err) {
		// Busy, not gone: the caller may try again, and nobody else is
		// refused for it.
		return unavailableError(writing)
	}
	db.unreachableAt.Store(time.Now().UnixNano())
	db.log.Warn().Err(err).Msg("neo4j unreachable")
	return unavailableError(writing)
}

// driverAnswered reports whether err came from the database server itself,
// which was therefore reachable.
func driverAnswered(err error) bool {
	var ne *driver.Neo4jError
	return errors.As(err, &ne)
}

func unavailableError(writing bool) error {
	if writing {
		return casus.Errorf(casus.EUNAVAILABLE, "the database cannot be reached; the change may not have been saved: "+
			"send it again shortly, with the same idempotency key if it had one")
	}
	return casus.Errorf(casus.EUNAVAILABLE, "the database cannot be reached; try again shortly")
}

// write runs work in a managed write transaction. The driver retries work on
// transient errors, so work must do nothing outside the transaction.
func write[T any](ctx context.Context, db *DB, work func(tx *Tx) (T, error)) (T, error) {
	if err := db.refuse(); err != nil {
		var zero T
		return zero, err
	}
	s := db.session(ctx, driver.AccessModeWrite)
	defer s.Close(ctx)
	var last *Tx // the attempt that committed, when the driver retried
	out, err := driver.ExecuteWrite(ctx, s, func(mt driver.ManagedTransaction) (T, error) {
		last = &Tx{ManagedTransaction: mt}
		return work(last)
	})
	if err == nil {
		bookmarksFrom(ctx).noteWrite(s)
	}
	if f := db.committed.Load(); err == nil && last.appendedEvents && f != nil {
		(*f)()
	}
	if err == nil && last.appendedPersonEvents {
		// The write has committed: it stands whether or not its events
		// are numbered now. If they are not, the next flush numbers them.
		if ferr := db.personEvents.flush(ctx, db); ferr != nil {
			db.log.Warn().Err(ferr).Msg("person events committed but not yet numbered; the next write numbers them")
		}
	}
	return out, badBookmark(db.unavailable(err, true))
}

// autocommit runs one statement outside an explicit transaction, for what
// Neo4j refuses inside one (schema changes).
//
// Such statements are not retried by the driver, so autocommit retries them
// on transient errors (two servers migrating at once deadlock on the schema).
func (db *DB) autocommit(ctx context.Context, cypher string, params map[string]any) error {
	wait := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := db.autocommitOnce(ctx, cypher, params)
		if err == nil || !driver.IsRetryable(err) || attempt == 8 {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (db *DB) autocommitOnce(ctx context.Context, cypher string, params map[string]any) error {
	s := db.session(ctx, driver.AccessModeWrite)
	defer s.Close(ctx)
	db.count(ctx)
	res, err := s.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// Tx is the managed transaction the work functions of read and write get,
// with what the transaction did that matters after it commits.
type Tx struct {
	driver.ManagedTransaction
	// appendedEvents is set when the transaction appended case events: once
	// it commits, this instance's subscribers are woken rather than left to
	// the next poll of the log.
	appendedEvents bool
	// appendedPersonEvents is set when the transaction appended events to
	// the person event log: once it commits, they are numbered before the
	// write answers.
	appendedPersonEvents bool
}

// txRunner is the name the work functions use for *Tx.
type txRunner = *Tx

// isConstraintError reports whether err is Neo4j refusing a write that breaks
// a uniqueness or existence constraint.
func isConstraintError(err error) bool {
	var ne *driver.Neo4jError
	return errors.As(err, &ne) && ne.Code == "Neo.ClientError.Schema.ConstraintValidationFailed"
}
