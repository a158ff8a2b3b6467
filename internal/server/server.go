// Package server serves casusnet over HTTP: GraphQL at /graphql (POST, GET and
// websocket), liveness at /healthz, readiness at /readyz, and in development
// a GraphQL explorer at /.
package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"
	"github.com/vektah/gqlparser/v2/ast"

	"casusnet/graph"
	"casusnet/internal/casus"
)

// Config is what the HTTP layer needs to know.
type Config struct {
	// Dev enables development conveniences: the explorer at / and introspection.
	Dev bool
	// AllowedOrigins are the browser origins allowed to open websockets; empty
	// means the server's own origin only.
	AllowedOrigins []string
}

// ReadyFunc reports why the server cannot serve yet, or nil when it can.
type ReadyFunc func(ctx context.Context) error

// New returns the HTTP handler of the whole server.
func New(cfg Config, log zerolog.Logger, resolver *graph.Resolver, ready ReadyFunc) http.Handler {
	gql := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: resolver}))
	gql.AddTransport(transport.Websocket{
		Implementation:        newGorillaWebsocket(cfg.AllowedOrigins),
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: 15 * time.Second,
	})
	gql.AddTransport(transport.Options{})
	gql.AddTransport(transport.GET{})
	gql.AddTransport(transport.POST{})
	gql.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	gql.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	if cfg.Dev {
		gql.Use(extension.Introspection{})
	}
	gql.SetErrorPresenter(presentError)
	gql.SetRecoverFunc(recoverPanic)
	gql.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(resolver.WithLoaders(ctx))
	})

	mux := http.NewServeMux()
	mux.Handle("/graphql", gql)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	if cfg.Dev {
		mux.Handle("GET /{$}", playground.Handler("casusnet", "/graphql"))
	}

	var h http.Handler = mux
	h = withActor(h)
	h = hlog.AccessHandler(func(r *http.Request, status, size int, d time.Duration) {
		hlog.FromRequest(r).Info().Str("method", r.Method).Str("path", r.URL.Path).
			Int("status", status).Int("size", size).Dur("duration", d).Msg("request")
	})(h)
	h = hlog.RequestIDHandler("request_id", "X-Request-Id")(h)
	h = hlog.RemoteAddrHandler("remote")(h)
	h = hlog.NewHandler(log)(h)
	return h
}

// withActor puts the caller on the request's context. Until authentication
// lands every request acts as the anonymous development actor.
func withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := casus.WithActor(r.Context(), casus.Actor{ID: "anonymous", Name: "anonymous"})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
