package neo4j

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"casusnet/internal/casus"
)

// listQuery is one Relay-paged list: what to match, the conditions, the sort
// keys and the projection of a row. Paging is by keyset, not offset: a cursor
// holds the sort key values of its row, so pages stay stable while rows are
// added, and a page costs the same wherever it is in the list.
type listQuery struct {
	match   string         // e.g. "MATCH (c:Case)"
	where   []string       // conditions, ANDed
	params  map[string]any // parameters of match, where and project
	keys    []string       // sort expressions, most significant first; together unique, e.g. c.openedAt, c.id
	desc    bool           // the list's own order
	project string         // the projection of a row, e.g. caseProjection
	// index, when set, is a range index on the keys in their order, e.g.
	// "c:Case(openedAt, id)", which every row of match has all keys of: the
	// page is read in the index's order and stops at its size, instead of
	// reading every row that matches to sort them.
	index string
}

// listPage is the result of a listQuery.
type listPage struct {
	rows            []any
	cursors         []string
	total           int
	hasNextPage     bool
	hasPreviousPage bool
}

// cursorValue is one sort key value in a cursor, typed so that it comes back
// as the same Cypher type.
type cursorValue struct {
	Time *time.Time `json:"t,omitempty"`
	Str  *string    `json:"s,omitempty"`
	Int  *int64     `json:"i,omitempty"`
}

func encodeCursor(vals []any) (string, error) {
	out := make([]cursorValue, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case time.Time:
			out[i].Time = &v
		case string:
			out[i].Str = &v
		case int64:
			out[i].Int = &v
		default:
			return "", fmt.Errorf("cursor key of type %T", v)
		}
	}
	b, err := json.Marshal(out)
	return base64.RawURLEncoding.EncodeToString(b), err
}

func decodeCursor(field, s string, n int) ([]any, error) {
	if s == "" {
		return nil, nil
	}
	bad := casus.Invalid(field, "not a cursor of this list")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var vals []cursorValue
	if err := json.Unmarshal(b, &vals); err != nil || len(vals) != n {
		return nil, bad
	}
	out := make([]any, n)
	for i, v := range vals {
		switch {
		case v.Time != nil:
			out[i] = *v.Time
		case v.Str != nil:
			out[i] = *v.Str
		case v.Int != nil:
			out[i] = *v.Int
		default:
			return nil, bad
		}
	}
	return out, nil
}

// list reads one page of q and its total in one round trip.
func (db *DB) list(ctx context.Context, q listQuery, page casus.Page) (*listPage, error) {
	if err := page.Validate(); err != nil {
		return nil, err
	}
	after, err := decodeCursor("after", page.After, len(q.keys))
	if err != nil {
		return nil, err
	}
	before, err := decodeCursor("before", page.Before, len(q.keys))
	if err != nil {
		return nil, err
	}
	backward := page.Last != nil
	size := casus.DefaultPageSize
	switch {
	case backward:
		size = *page.Last
	case page.First != nil:
		size = *page.First
	}

	params := map[string]any{"limit": size + 1}
	for k, v := range q.params {
		params[k] = v
	}
	filter := "true"
	if len(q.where) > 0 {
		filter = strings.Join(q.where, " AND ")
	}
	window := []string{filter}
	// beyond: the rows that come after the cursor in the list's own order.
	bound := func(vals []any, name string, beyond bool) {
		if vals == nil {
			return
		}
		op := map[bool]string{true: "<", false: ">"}[q.desc == beyond]
		var ors []string
		for i := range q.keys {
			var ands []string
			for j := 0; j < i; j++ {
				ands = append(ands, fmt.Sprintf("%s = $%s%d", q.keys[j], name, j))
			}
			ands = append(ands, fmt.Sprintf("%s %s $%s%d", q.keys[i], op, name, i))
			ors = append(ors, "("+strings.Join(ands, " AND ")+")")
			params[fmt.Sprintf("%s%d", name, i)] = vals[i]
		}
		window = append(window, "("+strings.Join(ors, " OR ")+")")
	}
	bound(after, "after", true)
	bound(before, "before", false)

	dir := map[bool]string{true: "DESC", false: "ASC"}[q.desc != backward]
	order := make([]string, len(q.keys))
	for i, k := range q.keys {
		order[i] = k + " " + dir
	}
	variable := q.keys[len(q.keys)-1]
	variable = variable[:strings.Index(variable, ".")]
	match := q.match
	// A condition false outright (a role that reads no cases) leaves the
	// planner nothing to read, nor an index to be told to read.
	if q.index != "" && !slices.Contains(q.where, "false") {
		// The planner, which cannot tell how many rows the filters let
		// through, would rather read them all and sort; the keys being
		// there is what lets it read the index instead.
		match += " USING INDEX " + q.index
		for _, k := range q.keys {
			window = append(window, k+" IS NOT NULL")
		}
	}
	total := fmt.Sprintf("CALL () { %s WHERE %s RETURN count(*) AS total }", q.match, filter)
	if page.SkipTotal {
		total = "WITH -1 AS total"
	}
	cypher := fmt.Sprintf(`
		%[8]s
		CALL () {
			%[1]s WHERE %[3]s
			WITH %[4]s ORDER BY %[5]s LIMIT $limit
			RETURN collect({row: %[6]s, keys: [%[7]s]}) AS rows
		}
		RETURN total, rows`,
		match, filter, strings.Join(window, " AND "), variable,
		strings.Join(order, ", "), q.project, strings.Join(q.keys, ", "), total)

	type result struct {
		total int64
		rows  []any
	}
	res, err := read(ctx, db, func(tx txRunner) (result, error) {
		recs, err := db.collect(ctx, tx, cypher, params)
		if err != nil {
			return result{}, err
		}
		m := recs[0].AsMap()
		return result{total: num(m["total"]), rows: list(m["rows"])}, nil
	})
	if err != nil {
		return nil, err
	}

	out := &listPage{total: int(res.total)}
	more := len(res.rows) > size
	if more {
		res.rows = res.rows[:size]
	}
	for _, r := range res.rows {
		m, _ := r.(map[string]any)
		cur, err := encodeCursor(list(m["keys"]))
		if err != nil {
			return nil, err
		}
		out.rows = append(out.rows, m["row"])
		out.cursors = append(out.cursors, cur)
	}
	if backward {
		for i, j := 0, len(out.rows)-1; i < j; i, j = i+1, j-1 {
			out.rows[i], out.rows[j] = out.rows[j], out.rows[i]
			out.cursors[i], out.cursors[j] = out.cursors[j], out.cursors[i]
		}
		out.hasPreviousPage, out.hasNextPage = more, before != nil
	} else {
		out.hasNextPage, out.hasPreviousPage = more, after != nil
	}
	return out, nil
}
