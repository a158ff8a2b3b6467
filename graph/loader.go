package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/graph-gophers/dataloader/v7"
	"github.com/vektah/gqlparser/v2/ast"

	"casusnet/internal/casus"
)

// loaders batch the lookups of one request, so that a page of cases costs a
// fixed number of database round trips, not one per case.
type loaders struct {
	municipality  *dataloader.Loader[string, *casus.Municipality]
	organisation  *dataloader.Loader[string, *casus.Organisation]
	director      *dataloader.Loader[string, *casus.Director]
	offering      *dataloader.Loader[string, *casus.Offering]
	person        *dataloader.Loader[string, *casus.Person]
	group         *dataloader.Loader[string, *casus.Group]
	caseByID      *dataloader.Loader[string, *casus.Case]
	interventions *dataloader.Loader[string, []*casus.Intervention]
	measures      *dataloader.Loader[string, []*casus.Measure]
	caseSignals   *dataloader.Loader[string, []*casus.Signal]
	relatives     *dataloader.Loader[string, []casus.Relative]
	contacts      *dataloader.Loader[string, []*casus.Contact]
	groupsOf      *dataloader.Loader[string, []*casus.Group]
	personCases   *dataloader.Loader[string, []*casus.Case]
	directorCases *dataloader.Loader[string, []*casus.Case]
	offeringsOf   *dataloader.Loader[string, []*casus.Offering]
	grants        *dataloader.Loader[string, []*casus.Grant]
}

type loadersKey struct{}

// WithLoaders returns a context with fresh per-request loaders. The server
// calls it once per GraphQL operation; nothing is cached across requests, so
// nothing outlives the caller's view of the data. A subscription lives long
// and shows each change as it is, so its loaders batch but do not cache.
func (r *Resolver) WithLoaders(ctx context.Context) context.Context {
	cache := !graphql.HasOperationContext(ctx) || graphql.GetOperationContext(ctx).Operation == nil ||
		graphql.GetOperationContext(ctx).Operation.Operation != ast.Subscription
	l := &loaders{
		municipality:  newLoader(r.DirectoryService.MunicipalitiesByCode, cache),
		organisation:  newLoader(r.DirectoryService.OrganisationsByID, cache),
		director:      newLoader(r.DirectoryService.DirectorsByID, cache),
		offering:      newLoader(r.DirectoryService.OfferingsByID, cache),
		person:        newLoader(r.PersonService.PersonsByID, cache),
		group:         newLoader(r.PersonService.GroupsByID, cache),
		caseByID:      newLoader(r.CaseService.CasesByID, cache),
		interventions: newLoader(r.CaseService.InterventionsOfCases, cache),
		measures:      newLoader(r.CaseService.MeasuresOfCases, cache),
		caseSignals:   newLoader(r.SignalService.SignalsOfCases, cache),
		relatives:     newLoader(r.PersonService.RelativesOf, cache),
		contacts:      newLoader(r.PersonService.ContactsOf, cache),
		groupsOf:      newLoader(r.PersonService.GroupsOf, cache),
		personCases:   newLoader(r.CaseService.CasesOfPersons, cache),
		directorCases: newLoader(r.CaseService.CasesOfDirectors, cache),
		offeringsOf:   newLoader(r.offeringsOf, cache),
		grants:        newLoader(r.CaseService.GrantsOfCases, cache),
	}
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFrom(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	return l
}

// newLoader adapts a service call that returns values in the order of its
// keys to a batching loader.
func newLoader[V any](fetch func(context.Context, []string) ([]V, error), cache bool) *dataloader.Loader[string, V] {
	batch := func(ctx context.Context, keys []string) []*dataloader.Result[V] {
		vals, err := fetch(ctx, keys)
		out := make([]*dataloader.Result[V], len(keys))
		for i := range keys {
			if err != nil {
				out[i] = &dataloader.Result[V]{Error: err}
			} else {
				out[i] = &dataloader.Result[V]{Data: vals[i]}
			}
		}
		return out
	}
	opts := []dataloader.Option[string, V]{
		dataloader.WithWait[string, V](time.Millisecond),
		dataloader.WithBatchCapacity[string, V](500),
	}
	if !cache {
		opts = append(opts, dataloader.WithCache[string, V](&dataloader.NoCache[string, V]{}))
	}
	return dataloader.NewBatchedLoader(batch, opts...)
}

// load loads one key.
func load[V any](ctx context.Context, l *dataloader.Loader[string, V], key string) (V, error) {
	return l.Load(ctx, key)()
}

// loadMany loads keys and drops the ones not found.
func loadMany[V any](ctx context.Context, l *dataloader.Loader[string, *V], keys []string) ([]*V, error) {
	vals, errs := l.LoadMany(ctx, keys)()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	out := make([]*V, 0, len(vals))
	for _, v := range vals {
		if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// loadOptional loads key unless it is empty.
func loadOptional[V any](ctx context.Context, l *dataloader.Loader[string, *V], key string) (*V, error) {
	if key == "" {
		return nil, nil
	}
	return load(ctx, l, key)
}

// offeringsOf returns each provider's offerings. The list of offerings is
// short, so one read of all of them serves any number of providers.
func (r *Resolver) offeringsOf(ctx context.Context, providerIDs []string) ([][]*casus.Offering, error) {
	all, err := r.DirectoryService.Offerings(ctx)
	if err != nil {
		return nil, err
	}
	byProvider := map[string][]*casus.Offering{}
	for _, o := range all {
		byProvider[o.ProviderID] = append(byProvider[o.ProviderID], o)
	}
	out := make([][]*casus.Offering, len(providerIDs))
	for i, id := range providerIDs {
		out[i] = byProvider[id]
		if out[i] == nil {
			out[i] = []*casus.Offering{}
		}
	}
	return out, nil
}
