package graph

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"casusnet/graph/model"
	"casusnet/internal/casus"
)

// page turns Relay arguments into a domain page.
func page(ctx context.Context, first *int, after *string, last *int, before *string) casus.Page {
	return casus.Page{First: first, After: deref(after), Last: last, Before: deref(before), SkipTotal: !selects(ctx, "totalCount")}
}

// selects reports whether the field being resolved selects field: a
// connection's totalCount costs a second scan of what it lists, so it is
// counted only when asked for.
func selects(ctx context.Context, field string) bool {
	if graphql.GetFieldContext(ctx) == nil {
		return true // not resolving a field: assume everything is wanted
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == field {
			return true
		}
	}
	return false
}

// pageInfo describes a page of n edges.
func pageInfo(hasNext, hasPrev bool, n int, cursor func(int) string) *model.PageInfo {
	info := &model.PageInfo{HasNextPage: hasNext, HasPreviousPage: hasPrev}
	if n > 0 {
		start, end := cursor(0), cursor(n-1)
		info.StartCursor, info.EndCursor = &start, &end
	}
	return info
}

// node fetches any object by its global id.
func (r *Resolver) node(ctx context.Context, id string) (model.Node, error) {
	kind, key, err := parseID(id)
	if err != nil {
		return nil, err
	}
	l := loadersFrom(ctx)
	var n model.Node
	switch kind {
	case kindCase:
		return r.CaseService.Case(ctx, key)
	case kindPerson:
		return r.PersonService.Person(ctx, key)
	case kindSignal:
		return r.SignalService.Signal(ctx, key)
	case kindGroup:
		return r.GroupService.Group(ctx, key)
	case kindIntervention:
		return r.InterventionService.Intervention(ctx, key)
	case kindMunicipality:
		n, err = found(load(ctx, &l.municipality, key))
	case kindOrganisation:
		n, err = found(load(ctx, &l.organisation, key))
	case kindDirector:
		n, err = found(load(ctx, &l.director, key))
	case kindOffering:
		n, err = found(load(ctx, &l.offering, key))
	default:
		// Events, measures and network ties are reached through their case
		// or person, where access is decided.
		return nil, notFound(id)
	}
	if err == nil && n == nil {
		return nil, notFound(id)
	}
	return n, err
}

// found returns v as a node, or nil when it is a nil pointer.
func found[T any](v *T, err error) (model.Node, error) {
	if err != nil || v == nil {
		return nil, err
	}
	return v, nil
}

// person loads a person reached through a tie. One outside the caller's
// scope comes back redacted: its id and nothing else.
func person(ctx context.Context, id string) (*casus.Person, error) {
	p, err := load(ctx, &loadersFrom(ctx).person, id)
	if err == nil && p == nil {
		p = casus.Redacted(id)
	}
	return p, err
}

// persons loads persons reached through ties, in one batch, redacting those
// out of scope.
func persons(ctx context.Context, ids []string) ([]*casus.Person, error) {
	vals, errs := loadersFrom(ctx).person.get().LoadMany(ctx, ids)()
	out := make([]*casus.Person, len(ids))
	for i, id := range ids {
		if errs != nil && errs[i] != nil {
			return nil, errs[i]
		}
		out[i] = vals[i]
		if out[i] == nil {
			out[i] = casus.Redacted(id)
		}
	}
	return out, nil
}

// analysed loads the persons an analysis found, in one batch: those it
// marks redacted (outside the caller's scope, or restricted) as stand-ins,
// never from the loader, whose read scope knows no restriction.
func analysed(ctx context.Context, refs []casus.PersonRef) ([]*casus.Person, error) {
	var ids []string
	for _, r := range refs {
		if !r.Redacted {
			ids = append(ids, r.ID)
		}
	}
	loaded, err := persons(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*casus.Person, len(refs))
	for i, r := range refs {
		if r.Redacted {
			out[i] = casus.Redacted(r.ID)
			continue
		}
		out[i], loaded = loaded[0], loaded[1:]
	}
	return out, nil
}

// jsonValue renders a change's value as JSON, nil for none.
func jsonValue(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

// required loads an object that must exist: a reference to a missing one is
// a broken graph, an internal error.
func required[V any](ctx context.Context, l *lazy[*V], key string) (*V, error) {
	v, err := load(ctx, l, key)
	if err == nil && v == nil {
		err = fmt.Errorf("%T %s referenced but missing", v, key)
	}
	return v, err
}
