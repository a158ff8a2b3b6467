package graph

import (
	"context"
	"time"

	"github.com/graph-gophers/dataloader/v7"

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
// nothing outlives the caller's view of the data.
func (r *Resolver) WithLoaders(ctx context.Context) context.Context {
	l := &loaders{
		municipality:  newLoader(r.DirectoryService.MunicipalitiesByCode),
		organisation:  newLoader(r.DirectoryService.OrganisationsByID),
		director:      newLoader(r.DirectoryService.DirectorsByID),
		offering:      newLoader(r.DirectoryService.OfferingsByID),
		person:        newLoader(r.PersonService.PersonsByID),
		group:         newLoader(r.PersonService.GroupsByID),
		caseByID:      newLoader(r.CaseService.CasesByID),
		interventions: newLoader(r.CaseService.InterventionsOfCases),
		measures:      newLoader(r.CaseService.MeasuresOfCases),
		caseSignals:   newLoader(r.SignalService.SignalsOfCases),
		relatives:     newLoader(r.PersonService.RelativesOf),
		contacts:      newLoader(r.PersonService.ContactsOf),
		groupsOf:      newLoader(r.PersonService.GroupsOf),
		personCases:   newLoader(r.CaseService.CasesOfPersons),
		directorCases: newLoader(r.CaseService.CasesOfDirectors),
		offeringsOf:   newLoader(r.offeringsOf),
		grants:        newLoader(r.CaseService.GrantsOfCases),
	}
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFrom(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	return l
}

// newLoader adapts a service call that returns values in the order of its
// keys to a batching loader.
func newLoader[V any](fetch func(context.Context, []string) ([]V, error)) *dataloader.Loader[string, V] {
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
	return dataloader.NewBatchedLoader(batch,
		dataloader.WithWait[string, V](time.Millisecond),
		dataloader.WithBatchCapacity[string, V](500))
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
