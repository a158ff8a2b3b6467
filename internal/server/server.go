// Package server serves casusnet over HTTP: GraphQL at /graphql (POST, GET and
// websocket), liveness at /healthz, readiness at /readyz, sign-in settings at
// /auth/config, and the web client at /.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"casusnet/graph"
	"casusnet/internal/auth"
	"casusnet/internal/casus"
)

// Config is what the HTTP layer needs to know.
type Config struct {
	// Dev enables development conveniences: introspection, and signing in
	// as a demo user (SignIn.DevUsers).
	Dev bool
	// SignIn says how the web client signs users in.
	SignIn SignIn
	// Web is the built web client, served at / (web.Files).
	Web fs.FS
	// Bookmarks, when set, carries the client's database bookmarks in and
	// out (BookmarkHeader), for read-your-writes across instances.
	Bookmarks Bookmarks
	// AllowedOrigins are the browser origins allowed to open websockets; empty
	// means the server's own origin only.
	AllowedOrigins []string
	// UserLimit and AddressLimit bound the requests of one user and of one
	// client address; zero values take the defaults.
	UserLimit, AddressLimit RateLimit
	// KeepAlive is how often websockets are pinged: a graphql-transport-ws
	// client gets a ping message and must answer with a pong within twice
	// this, a graphql-ws client gets a keep-alive message (15 s when zero).
	KeepAlive time.Duration
	// WriteTimeout bounds the write of one websocket frame: a client that
	// does not take a frame in time is disconnected (10 s when zero).
	WriteTimeout time.Duration
	// PseudonymKey is the key under which the access log names the persons
	// whose data an operation touched (casus.SubjectPseudonym).
	PseudonymKey []byte
}

// Server is casusnet's HTTP handler, and the websockets it holds open.
type Server struct {
	http.Handler
	sockets *websocketTransport
	metrics *metrics
	streams *streams
}

// Register adds collectors to the metrics Metrics serves, for what the
// server's owner knows (open subscriptions, database queries).
func (s *Server) Register(cs ...prometheus.Collector) { s.metrics.registry.MustRegister(cs...) }

// Metrics serves the Prometheus metrics. It is not on the public handler:
// serve it on a private address (CASUSNET_DEBUG_ADDR), where only the
// operators' scraper reaches it, since request counts by route and error
// code say something about activity.
func (s *Server) Metrics() http.Handler { return s.metrics.handler() }

// CloseRestart is the websocket close code (RFC 6455's "service restart")
// that tells clients the server is going away and they should reconnect,
// resuming their streams from their last cursors.
const CloseRestart = 1012

// CloseWebsockets tells every open websocket client that the server is
// stopping, so that it reconnects (to another instance, or to this one
// when it is back) and resumes. http.Server.Shutdown does not do this: it
// leaves hijacked connections alone.
func (s *Server) CloseWebsockets() int {
	return s.sockets.closeAll(CloseRestart, "server restarting: reconnect and resume from your last cursor")
}

// WaitStreams waits until every subscription has ended and written what it
// delivered to the access log, or ctx ends. Call it after CloseWebsockets
// and before the access log's writer stops.
func (s *Server) WaitStreams(ctx context.Context) error { return s.streams.wait(ctx) }

// CloseUnauthorized is the websocket close code for a connection whose
// token is missing, forged or expired.
const CloseUnauthorized = 4401

// ReadyFunc reports why the server cannot serve yet, or nil when it can.
type ReadyFunc func(ctx context.Context) error

// New returns the HTTP handler of the whole server. Every GraphQL request
// must carry a bearer token that verifier accepts: in the Authorization
// header, or for a websocket in its connection_init payload.
func New(cfg Config, log zerolog.Logger, resolver *graph.Resolver, verifier auth.Verifier, audit casus.AuditLog, ready ReadyFunc) *Server {
	es := graph.NewExecutableSchema(graph.Config{Resolvers: resolver, Complexity: complexity()})
	gql := handler.New(es)
	readLimit := int64(maxBodyBytes)
	keepAlive := cfg.KeepAlive
	if keepAlive == 0 {
		keepAlive = 15 * time.Second
	}
	inFlight := newStreams()
	feed := graph.NewFeed(resolver, es, presentError(cfg.Dev), deliveryLog(accessLog{audit, cfg.PseudonymKey}))
	sockets := newWebsocketTransport(cfg.AllowedOrigins, verifier, feed, inFlight, keepAlive, cfg.WriteTimeout, readLimit)
	gql.AddTransport(sockets)
	gql.AddTransport(transport.Options{})
	gql.AddTransport(transport.GET{})
	gql.AddTransport(transport.POST{})
	gql.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	gql.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	gql.Use(extension.FixedComplexityLimit(maxComplexity))
	gql.Use(shapeLimit{})
	gql.SetParserTokenLimit(maxTokens)
	if cfg.Dev {
		gql.Use(extension.Introspection{})
	} else {
		gql.SetDisableSuggestion(true)
	}
	gql.SetErrorPresenter(presentError(cfg.Dev))
	gql.SetRecoverFunc(recoverPanic)
	gql.AroundOperations(inFlight.track)
	gql.AroundOperations(endUnresolved)
	gql.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if op := graphql.GetOperationContext(ctx).Operation; op != nil && op.Operation == ast.Subscription && ctx.Value(websocketKey{}) == nil {
			// Over plain HTTP a subscription would answer its first event
			// only, after an unbounded wait.
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
				Message:    "subscriptions need a websocket",
				Extensions: map[string]any{"code": casus.EINVALID},
			}}})
		}
		return next(resolver.WithLoaders(ctx))
	})
	ops, fields, responses := accessLogging(accessLog{audit, cfg.PseudonymKey})
	gql.AroundOperations(ops)
	gql.AroundFields(fields)
	gql.AroundResponses(responses)
	met := newMetrics()
	timedFields, timedResponses := met.gqlMiddleware()
	gql.AroundFields(timedFields)
	gql.AroundResponses(timedResponses)

	mux := routes(cfg, met, gql, resolver.Services, verifier, audit, ready)

	var h http.Handler = secure(mux)
	h = hlog.AccessHandler(func(r *http.Request, status, size int, d time.Duration) {
		hlog.FromRequest(r).Info().Str("method", r.Method).Str("path", r.URL.Path).
			Int("status", status).Int("size", size).Dur("duration", d).Msg("request")
	})(h)
	h = hlog.RequestIDHandler("request_id", "X-Request-Id")(h)
	h = hlog.RemoteAddrHandler("remote")(h)
	h = hlog.NewHandler(log)(h)
	return &Server{Handler: h, sockets: sockets, metrics: met, streams: inFlight}
}

// BreakGlassHeader carries the reason for break-glass access: a director or
// coordinator who must read outside their scope in an emergency sends it, and
// the request's access log entry is flagged with the reason for the auditor.
const BreakGlassHeader = "Casusnet-Break-Glass"

func breakGlass(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reason := strings.TrimSpace(r.Header.Get(BreakGlassHeader))
		if reason == "" {
			next.ServeHTTP(w, r)
			return
		}
		actor, _ := casus.ActorFrom(r.Context())
		actor, err := actor.BreakingGlass(reason)
		if err != nil {
			writeAppError(w, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(casus.WithActor(r.Context(), actor)))
	})
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"errors": []any{map[string]any{
		"message": message, "extensions": map[string]any{"code": code}}}})
}

// withClient notes the client's address, the request id and the W3C trace
// context for the access log. A valid traceparent from the client continues
// its trace with a span of ours; otherwise a trace starts here. Either way
// the traceparent is returned, so that the client can find its requests in
// the log (Logboek Dataverwerkingen).
func withClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := hlog.IDFromRequest(r)
		c := client{addr: r.RemoteAddr, requestID: id.String(), traceParent: continueTrace(r.Header.Get("traceparent"))}
		w.Header().Set("traceparent", c.traceParent)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, c)))
	})
}

// continueTrace returns the traceparent of a span of ours in the trace of
// header, or of a new trace when header is not a valid version-00
// traceparent.
func continueTrace(header string) string {
	random := func(n int) string {
		b := make([]byte, n)
		_, _ = rand.Read(b)
		return hex.EncodeToString(b)
	}
	trace, flags := random(16), "01"
	if p := strings.Split(strings.TrimSpace(header), "-"); len(p) == 4 && p[0] == "00" && isHex(p[1], 32) && isHex(p[2], 16) && isHex(p[3], 2) &&
		p[1] != strings.Repeat("0", 32) && p[2] != strings.Repeat("0", 16) {
		trace, flags = p[1], p[3]
	}
	return "00-" + trace + "-" + random(8) + "-" + flags
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
