package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"casusnet/internal/casus"
)

// metrics are the server's Prometheus metrics, on a registry of its own.
// Labels are bounded: routes, operation types, schema fields and error
// codes, never ids or user names.
type metrics struct {
	registry   *prometheus.Registry
	requests   *prometheus.HistogramVec // by route and status class
	operations *prometheus.HistogramVec // by operation type
	resolvers  *prometheus.HistogramVec // by Object.field, resolvers only
	errors     *prometheus.CounterVec   // by code
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "casusnet_http_request_duration_seconds", Help: "HTTP requests by route and status class, websockets excluded.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "status"}),
		operations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "casusnet_graphql_operation_duration_seconds", Help: "GraphQL operations (queries and mutations) by type.",
			Buckets: prometheus.DefBuckets,
		}, []string{"type"}),
		resolvers: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "casusnet_graphql_resolver_duration_seconds", Help: "GraphQL resolvers by schema field.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"field"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casusnet_graphql_errors_total", Help: "GraphQL errors by extensions.code.",
		}, []string{"code"}),
	}
	m.registry.MustRegister(m.requests, m.operations, m.resolvers, m.errors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// handler serves the metrics in Prometheus' text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// observe times requests to route.
func (m *metrics) observe(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r) // a websocket lives for hours: not a request to time
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		m.requests.WithLabelValues(route, strconv.Itoa(sw.status/100)+"xx").Observe(time.Since(start).Seconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// gqlMiddleware times operations and resolvers and counts errors by code.
func (m *metrics) gqlMiddleware() (graphql.FieldMiddleware, graphql.ResponseMiddleware) {
	fields := func(ctx context.Context, next graphql.Resolver) (any, error) {
		fc := graphql.GetFieldContext(ctx)
		if fc == nil || !fc.IsResolver {
			return next(ctx)
		}
		start := time.Now()
		res, err := next(ctx)
		m.resolvers.WithLabelValues(fc.Object + "." + fc.Field.Name).Observe(time.Since(start).Seconds())
		return res, err
	}
	responses := func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		start := time.Now()
		resp := next(ctx)
		// A request refused before it became an operation has no context.
		if graphql.HasOperationContext(ctx) {
			if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && string(oc.Operation.Operation) != "subscription" {
				m.operations.WithLabelValues(string(oc.Operation.Operation)).Observe(time.Since(start).Seconds())
			}
		}
		if resp != nil {
			for _, e := range resp.Errors {
				code, _ := e.Extensions["code"].(string)
				if code == "" {
					code = casus.EINTERNAL
				}
				m.errors.WithLabelValues(code).Inc()
			}
		}
		return resp
	}
	return fields, responses
}
