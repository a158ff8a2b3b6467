package neo4j

import (
	"context"

	"casusnet/internal/casus"
)

// Create requests may carry an idempotency key: a retried request with the
// same key, from the same user, for the same operation, returns what the first
// one created instead of creating it again. The key is stored in the same
// transaction as the object, so it exists exactly when the object does.

// idempotencyKey scopes key to op and the actor; "" when the request has none.
func idempotencyKey(ctx context.Context, op, key string) string {
	if key == "" {
		return ""
	}
	actor, _ := casus.ActorFrom(ctx)
	return op + "\x00" + actor.ID + "\x00" + key
}

// createdBefore returns the id of the object an earlier request with key
// created, or "" when there is none (or key is "").
func (db *DB) createdBefore(ctx context.Context, tx runner, key string) (string, error) {
	if key == "" {
		return "", nil
	}
	recs, err := db.collect(ctx, tx, `MATCH (k:IdempotencyKey {key: $key}) RETURN k.id AS id`,
		map[string]any{"key": key})
	if err != nil || len(recs) == 0 {
		return "", err
	}
	id, err := column(recs[0], "id")
	return str(id), err
}

// remember records that the request with key created the object id. A
// concurrent request with the same key fails on the unique constraint, and
// the driver's retry then finds this one's object.
func (db *DB) remember(ctx context.Context, tx runner, key, id string) error {
	if key == "" {
		return nil
	}
	_, err := db.collect(ctx, tx, `CREATE (:IdempotencyKey {key: $key, id: $id, createdAt: datetime()})`,
		map[string]any{"key": key, "id": id})
	return err
}

// writeOnce runs work in a write transaction. When a concurrent request with
// the same idempotency key won the race (the unique constraint refused this
// one's key), it runs work once more, which then finds the winner's object.
func writeOnce[T any](ctx context.Context, db *DB, key string, work func(tx txRunner) (T, error)) (T, error) {
	v, err := write(ctx, db, work)
	if key != "" && isConstraintError(err) {
		return write(ctx, db, work)
	}
	return v, err
}
