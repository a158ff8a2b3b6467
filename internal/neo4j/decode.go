package neo4j

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Values come back from the driver as any; these read them leniently: a
// missing or null property reads as the zero value.

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) int64 {
	n, _ := v.(int64)
	return n
}

func float(v any) float64 {
	f, _ := v.(float64)
	return f
}

func boolean(v any) bool {
	b, _ := v.(bool)
	return b
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func strList(v any) []string {
	l := list(v)
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, str(x))
	}
	return out
}

func tm(v any) time.Time {
	t, _ := v.(time.Time)
	return t.UTC()
}

// tmPtr reads a time that may be missing: nil for a missing or null one.
func tmPtr(v any) *time.Time {
	if v == nil {
		return nil
	}
	t := tm(v)
	return &t
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func toLower(s string) string { return strings.ToLower(s) }

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func asErr[E error](err error, target *E) bool { return errors.As(err, target) }

// column returns column key of rec, strictly: a column the statement does
// not return is an error, never a zero value.
func column(rec *driver.Record, key string) (any, error) {
	v, ok := rec.Get(key)
	if !ok {
		return nil, fmt.Errorf("result has no column %q (it has %v)", key, rec.Keys)
	}
	return v, nil
}

// only returns column key of the single row a statement returns.
func only(recs []*driver.Record, key string) (any, error) {
	if len(recs) != 1 {
		return nil, fmt.Errorf("want one row with column %q, got %d rows", key, len(recs))
	}
	return column(recs[0], key)
}

// columns returns the named columns of rec, in order, strictly.
func columns(rec *driver.Record, keys ...string) ([]any, error) {
	out := make([]any, len(keys))
	for i, k := range keys {
		v, err := column(rec, k)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// idAnd returns the "id" column of rec as a string, and the column key.
func idAnd(rec *driver.Record, key string) (string, any, error) {
	vs, err := columns(rec, "id", key)
	if err != nil {
		return "", nil, err
	}
	return str(vs[0]), vs[1], nil
}

// byID runs cypher, which takes $ids and returns rows of (id, row), and
// returns the decoded rows in the order of ids, nil for an id not found.
func byID[T any](ctx context.Context, db *DB, what string, ids []string, cypher string, params map[string]any, decode func(any) (*T, error)) ([]*T, error) {
	out := make([]*T, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	found, err := read(ctx, db, func(tx txRunner) (map[string]*T, error) {
		recs, err := db.collect(ctx, tx, cypher, withIDs(params, ids))
		if err != nil {
			return nil, err
		}
		m := make(map[string]*T, len(recs))
		for _, r := range recs {
			id, row, err := idAnd(r, "row")
			if err != nil {
				return nil, err
			}
			v, err := decode(row)
			if err != nil {
				return nil, err
			}
			m[id] = v
		}
		return m, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	for i, id := range ids {
		out[i] = found[id]
	}
	return out, nil
}

// groupedBy runs cypher, which takes $ids and returns rows of (id, rows), and
// returns each id's decoded rows in the order of ids, empty for an id without.
func groupedBy[T any](ctx context.Context, db *DB, what string, ids []string, cypher string, params map[string]any, decode func(any) (*T, error)) ([][]*T, error) {
	out := make([][]*T, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	found, err := read(ctx, db, func(tx txRunner) (map[string][]*T, error) {
		recs, err := db.collect(ctx, tx, cypher, withIDs(params, ids))
		if err != nil {
			return nil, err
		}
		m := make(map[string][]*T, len(recs))
		for _, r := range recs {
			id, rows, err := idAnd(r, "rows")
			if err != nil {
				return nil, err
			}
			for _, row := range list(rows) {
				v, err := decode(row)
				if err != nil {
					return nil, err
				}
				m[id] = append(m[id], v)
			}
		}
		return m, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	for i, id := range ids {
		out[i] = found[id]
		if out[i] == nil {
			out[i] = []*T{}
		}
	}
	return out, nil
}

func trim(s string) string { return strings.TrimSpace(s) }

// withIDs returns params with ids added as $ids.
func withIDs(params map[string]any, ids []string) map[string]any {
	out := map[string]any{"ids": ids}
	for k, v := range params {
		out[k] = v
	}
	return out
}

// field returns the column key of rec as a T, strictly: a missing column or
// a value of another type is an error, never a zero value.
func field[T any](rec *driver.Record, key string) (T, error) {
	var zero T
	v, ok := rec.Get(key)
	if !ok {
		return zero, fmt.Errorf("result has no column %q", key)
	}
	t, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("column %q is %T, not %T", key, v, zero)
	}
	return t, nil
}

// textOrNil returns s, or nil for the empty string, so that an empty text is
// not stored.
func textOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}
