package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/ldv"
	"casusnet/internal/neo4j"
)

// The maintenance commands: retention, and the access log's export.

// retention removes what is due (or lists it, dry) and writes what it
// removed to the access log.
func retention(ctx context.Context, db *neo4j.DB, period, logPeriod retentionPeriod, dry bool, stdout io.Writer) error {
	now := time.Now().UTC()
	cutoff := period.before(now)
	r, err := db.Retention(ctx, cutoff, dry)
	if err != nil {
		return err
	}
	verb := "removed"
	if dry {
		verb = "would remove"
	}
	fmt.Fprintf(stdout, "retention (closed before %s): %s %d cases (%d events), %d persons, %d signals, %d groups\n",
		cutoff.Format(time.DateOnly), verb, len(r.Cases), r.Events, len(r.Persons), len(r.Signals), len(r.Groups))
	for _, id := range r.Cases {
		fmt.Fprintf(stdout, "case %s\n", id)
	}
	for _, id := range r.Persons {
		fmt.Fprintf(stdout, "person %s\n", id)
	}
	requests, err := db.PruneRequests(ctx, now.Add(-neo4j.RequestRetention), dry)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "requests of persons concerned decided before %s: %s %d\n", now.Add(-neo4j.RequestRetention).Format(time.DateOnly), verb, requests)
	audit := neo4j.NewAuditLog(db)
	logCutoff := logPeriod.before(now)
	pruned, err := audit.Prune(ctx, logCutoff, dry)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "access log entries written before %s: %s %d (the chain verifies from a checkpoint)\n", logCutoff.Format(time.DateOnly), verb, pruned)
	if dry || len(r.Cases) == 0 {
		return nil
	}
	logCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { defer close(done); audit.Run(logCtx) }()
	defer func() { stop(); <-done }()
	if err := audit.Append(ctx, neo4j.RetentionEntries(r, now)...); err != nil {
		return fmt.Errorf("retention: removed, but the access log entry failed: %w", err)
	}
	return nil
}

// exportAccessLog writes the access log in format to stdout, as far as its
// chain verified, and says on stderr how many entries became how many
// records.
func exportAccessLog(ctx context.Context, db *neo4j.DB, format, registerURI string, key []byte, stdout, stderr io.Writer) error {
	if format != "ldv" {
		return fmt.Errorf("audit export: --format %q: the format is ldv", format)
	}
	log := neo4j.NewAuditLog(db)
	n, head, err := log.VerifyHead(ctx)
	if err != nil {
		return fmt.Errorf("audit export: the chain does not verify (%d entries before the break), so nothing is exported: %w", n, err)
	}
	out := bufio.NewWriter(stdout)
	w := ldv.NewWriter(out, registerURI)
	w.Key = key
	entries := 0
	// What was verified is what is exported: the entries up to the head
	// the verification read, not those appended since.
	if err := log.WalkTo(ctx, head, func(e *casus.AuditEntry) error { entries++; return w.Write(e) }); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "access log exported: %d entries, %d records\n", entries, w.Records)
	return nil
}
