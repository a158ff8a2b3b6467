package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
)

// tracing exports a span per HTTP request over OTLP/HTTP to endpoint (a
// URL such as http://collector:4318). Spans are named by route and carry
// no names or contents; request paths can hold opaque object ids.
type tracing struct {
	provider *sdktrace.TracerProvider
}

func startTracing(ctx context.Context, endpoint string) (*tracing, error) {
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(endpoint))
	if err != nil {
		return nil, fmt.Errorf("tracing to %s: %w", endpoint, err)
	}
	res := resource.NewSchemaless(semconv.ServiceName("casusnet"))
	return &tracing{provider: sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))}, nil
}

// wrap traces the requests h serves.
func (t *tracing) wrap(h http.Handler) http.Handler {
	return otelhttp.NewHandler(h, "casusnet", otelhttp.WithTracerProvider(t.provider),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method + " " + route(r.URL.Path) }))
}

// shutdown sends the spans not yet sent.
func (t *tracing) shutdown(ctx context.Context) error { return t.provider.Shutdown(ctx) }

// route is the route of a path, without the ids in it.
func route(path string) string {
	if strings.HasPrefix(path, "/report/") {
		return "/report/{case}"
	}
	return path
}
