package neo4j

import (
	"context"
	"fmt"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// migration is one versioned step of the schema. Its statements must be
// idempotent on their own (IF NOT EXISTS), so that two servers migrating at
// once, or a step interrupted half-way, do no harm.
type migration struct {
	version    int
	name       string
	statements []string
}

// migrations is the schema's history. Append only: never edit a step that has
// shipped, add a new one.
var migrations = []migration{
	{1, "unique ids and lookup indexes", []string{
		"CREATE CONSTRAINT municipality_code IF NOT EXISTS FOR (n:Municipality) REQUIRE n.code IS UNIQUE",
		"CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (n:Organisation) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT director_id IF NOT EXISTS FOR (n:Director) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT group_id IF NOT EXISTS FOR (n:Group) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT signal_id IF NOT EXISTS FOR (n:Signal) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT case_id IF NOT EXISTS FOR (n:Case) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT case_reference IF NOT EXISTS FOR (n:Case) REQUIRE n.reference IS UNIQUE",
		"CREATE CONSTRAINT offering_id IF NOT EXISTS FOR (n:InterventionOffering) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT intervention_id IF NOT EXISTS FOR (n:Intervention) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT measure_id IF NOT EXISTS FOR (n:Measure) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT case_event_id IF NOT EXISTS FOR (n:CaseEvent) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT case_event_seq IF NOT EXISTS FOR (n:CaseEvent) REQUIRE n.seq IS UNIQUE",
		"CREATE CONSTRAINT idempotency_key IF NOT EXISTS FOR (n:IdempotencyKey) REQUIRE n.key IS UNIQUE",
		"CREATE CONSTRAINT counter_name IF NOT EXISTS FOR (n:Counter) REQUIRE n.name IS UNIQUE",
		"CREATE INDEX case_opened_at IF NOT EXISTS FOR (n:Case) ON (n.openedAt, n.id)",
		"CREATE INDEX case_phase IF NOT EXISTS FOR (n:Case) ON (n.phase)",
		"CREATE INDEX case_next_review IF NOT EXISTS FOR (n:Case) ON (n.nextReview)",
		"CREATE INDEX person_last_name IF NOT EXISTS FOR (n:Person) ON (n.lastName)",
		"CREATE INDEX signal_status IF NOT EXISTS FOR (n:Signal) ON (n.status)",
	}},
	{2, "access log", []string{
		"CREATE CONSTRAINT audit_seq IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.seq IS UNIQUE",
		"CREATE INDEX audit_user IF NOT EXISTS FOR (n:AuditEntry) ON (n.userId)",
		"CREATE INDEX audit_at IF NOT EXISTS FOR (n:AuditEntry) ON (n.at)",
	}},
	{3, "case access grants", []string{
		"CREATE CONSTRAINT grant_id IF NOT EXISTS FOR (n:Grant) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX grant_user IF NOT EXISTS FOR (n:Grant) ON (n.userId)",
	}},
	{4, "watchlists", []string{
		"CREATE CONSTRAINT person_event_seq IF NOT EXISTS FOR (n:PersonEvent) REQUIRE n.seq IS UNIQUE",
		"CREATE INDEX person_event_person IF NOT EXISTS FOR (n:PersonEvent) ON (n.personId, n.seq)",
		"CREATE INDEX watch_user IF NOT EXISTS FOR (n:Watch) ON (n.userId)",
	}},
	{5, "inhabitants per year", []string{
		"CREATE INDEX inhabitant_count IF NOT EXISTS FOR (n:InhabitantCount) ON (n.code, n.year)",
	}},
	{6, "the work inside the phases: weighings, conferences, plans, assessments", []string{
		"CREATE CONSTRAINT weighing_id IF NOT EXISTS FOR (n:Weighing) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT weighing_criterion_code IF NOT EXISTS FOR (n:WeighingCriterion) REQUIRE n.code IS UNIQUE",
		"CREATE INDEX weighing_weighed_on IF NOT EXISTS FOR (n:Weighing) ON (n.weighedOn)",
		"CREATE CONSTRAINT conference_id IF NOT EXISTS FOR (n:Conference) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX conference_date IF NOT EXISTS FOR (n:Conference) ON (n.date)",
		"CREATE CONSTRAINT goal_id IF NOT EXISTS FOR (n:Goal) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT plan_action_id IF NOT EXISTS FOR (n:PlanAction) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX plan_action_organisation IF NOT EXISTS FOR (n:PlanAction) ON (n.organisation, n.status)",
		"CREATE CONSTRAINT assessment_id IF NOT EXISTS FOR (n:RiskAssessment) REQUIRE n.id IS UNIQUE",
	}},
	// Person search looks names up in an index rather than scanning every
	// person: lower-cased and folded to ASCII (Zoë, Zoe and ZOE are one
	// name), first name, last name and aliases, kept up to date by Neo4j
	// on every write, merge and removal; consistent at commit, so that a
	// person just recorded is found at once.
	{7, "person search by an index of names", []string{
		"CREATE FULLTEXT INDEX person_names IF NOT EXISTS FOR (n:Person) ON EACH [n.firstName, n.lastName, n.aliases] " +
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false}}",
	}},
	// A signal names its municipality by code instead of a relationship to
	// it: linking every new signal to its municipality's node locked that
	// node until each commit, so that all signals of a municipality were
	// written one at a time. The municipality is reference data that is
	// never removed; a signal's is checked to exist when it is submitted.
	{8, "signals name their municipality", []string{
		"CREATE INDEX signal_municipality IF NOT EXISTS FOR (n:Signal) ON (n.municipality)",
		"MATCH (s:Signal)-[r:IN]->(m:Municipality) CALL (s, r, m) { SET s.municipality = m.code DELETE r } IN TRANSACTIONS OF 1000 ROWS",
	}},
	{9, "person events are numbered after their commit", []string{
		"CREATE INDEX person_event_pending IF NOT EXISTS FOR (n:PersonEvent) ON (n.pending)",
	}},
	{10, "cases listed by their last change read in index order", []string{
		"CREATE INDEX case_updated_at IF NOT EXISTS FOR (n:Case) ON (n.updatedAt, n.id)",
	}},
	// Escalation, advice and "known elsewhere?": one asker node per user
	// serialises their questions, so that the hourly limit holds under
	// concurrent requests; one request to share per question.
	{11, "escalation agreements, advice, known elsewhere", []string{
		"CREATE CONSTRAINT escalation_level_code IF NOT EXISTS FOR (n:EscalationLevel) REQUIRE n.code IS UNIQUE",
		"CREATE CONSTRAINT escalation_id IF NOT EXISTS FOR (n:Escalation) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT advice_id IF NOT EXISTS FOR (n:Advice) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT known_asker_user IF NOT EXISTS FOR (n:KnownAsker) REQUIRE n.userId IS UNIQUE",
		"CREATE CONSTRAINT known_question_id IF NOT EXISTS FOR (n:KnownQuestion) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX known_question_user IF NOT EXISTS FOR (n:KnownQuestion) ON (n.userId, n.at)",
		"CREATE CONSTRAINT share_request_id IF NOT EXISTS FOR (n:ShareRequest) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT share_request_question IF NOT EXISTS FOR (n:ShareRequest) REQUIRE n.question IS UNIQUE",
	}},
}

// SchemaVersion is the version Migrate brings the database to.
var SchemaVersion = migrations[len(migrations)-1].version

// Migrate brings the schema to SchemaVersion. It is idempotent and safe to run
// from several servers at once.
func (db *DB) Migrate(ctx context.Context) error {
	current, err := db.schemaVersion(ctx)
	if err != nil {
		return err
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		for _, stmt := range m.statements {
			if err := db.autocommit(ctx, stmt, nil); err != nil {
				return fmt.Errorf("migrate to %d (%s): %w", m.version, m.name, err)
			}
		}
		// Wait for the new indexes, so that queries after Migrate use them.
		if err := db.autocommit(ctx, "CALL db.awaitIndexes(300)", nil); err != nil {
			return fmt.Errorf("migrate to %d: await indexes: %w", m.version, err)
		}
		_, err := write(ctx, db, func(tx *Tx) (struct{}, error) {
			_, err := db.collect(ctx, tx, `
				MERGE (m:SchemaMigration {version: $version})
				ON CREATE SET m.name = $name, m.appliedAt = datetime()`,
				map[string]any{"version": m.version, "name": m.name})
			return struct{}{}, err
		})
		if err != nil {
			return fmt.Errorf("record migration %d: %w", m.version, err)
		}
		db.log.Info().Int("version", m.version).Str("name", m.name).Msg("schema migrated")
	}
	return nil
}

// schemaVersion returns the highest migration applied, 0 for none.
func (db *DB) schemaVersion(ctx context.Context) (int, error) {
	v, err := read(ctx, db, func(tx *Tx) (int64, error) {
		recs, err := db.collect(ctx, tx, "MATCH (m:SchemaMigration) RETURN coalesce(max(m.version), 0) AS v", nil)
		if err != nil {
			return 0, err
		}
		v, _, err := driver.GetRecordValue[int64](recs[0], "v")
		return v, err
	})
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v), nil
}

// Ready reports why the database cannot serve requests yet, or nil when it
// can: the server answers and the schema is migrated.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.Ping(ctx); err != nil {
		return err
	}
	v, err := db.schemaVersion(ctx)
	if err != nil {
		return err
	}
	if v < SchemaVersion {
		return fmt.Errorf("schema at version %d, want %d", v, SchemaVersion)
	}
	return nil
}
