package graph

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/graph-gophers/dataloader/v7"
	"github.com/vektah/gqlparser/v2/ast"

	"casusnet/internal/casus"
)

// loaders batch the lookups of one request, so that a page of cases costs a
// fixed number of database round trips, not one per case.
type loaders struct {
	municipality  lazy[*casus.Municipality]
	organisation  lazy[*casus.Organisation]
	director      lazy[*casus.Director]
	offering      lazy[*casus.Offering]
	person        lazy[*casus.Person]
	group         lazy[*casus.Group]
	caseByID      lazy[*casus.Case]
	interventions lazy[[]*casus.Intervention]
	measures      lazy[[]*casus.Measure]
	caseSignals   lazy[[]*casus.Signal]
	relatives     lazy[[]casus.Relative]
	contacts      lazy[[]*casus.Contact]
	groupsOf      lazy[[]*casus.Group]
	personCases   lazy[[]*casus.Case]
	directorCases lazy[[]*casus.Case]
	offeringsOf   lazy[[]*casus.Offering]
	grants        lazy[[]*casus.Grant]
	weighings     lazy[[]*casus.Weighing]
	conferences   lazy[[]*casus.Conference]
	goals         lazy[[]*casus.Goal]
	assessments   lazy[[]*casus.Assessment]

	// pseudonyms name the persons outside the caller's scope that this
	// answer reaches (information level 0); made on first use.
	pseudonymsOnce sync.Once
	pseudonyms     *casus.Pseudonyms
}

// pseudonymsOf returns the pseudonyms of this request's answer.
func pseudonymsOf(ctx context.Context) *casus.Pseudonyms {
	l := loadersFrom(ctx)
	l.pseudonymsOnce.Do(func() { l.pseudonyms = casus.NewPseudonyms() })
	return l.pseudonyms
}

type loadersKey struct{}

// WithLoaders returns a context with fresh per-request loaders. The server
// calls it once per GraphQL operation; nothing is cached across requests, so
// nothing outlives the caller's view of the data. A subscription lives long
// and shows each change as it is, so its loaders batch but do not cache —
// except the municipalities and organisations, directory data that names
// every case and changes seldom: a subscription reads each of them once,
// not once per event.
func (r *Resolver) WithLoaders(ctx context.Context) context.Context {
	cache := !graphql.HasOperationContext(ctx) || graphql.GetOperationContext(ctx).Operation == nil ||
		graphql.GetOperationContext(ctx).Operation.Operation != ast.Subscription
	l := &loaders{
		municipality:  lazy[*casus.Municipality]{fetch: r.DirectoryService.MunicipalitiesByCode, cache: true},
		organisation:  lazy[*casus.Organisation]{fetch: r.DirectoryService.OrganisationsByID, cache: true},
		director:      lazy[*casus.Director]{fetch: r.DirectoryService.DirectorsByID, cache: cache},
		offering:      lazy[*casus.Offering]{fetch: r.DirectoryService.OfferingsByID, cache: cache},
		person:        lazy[*casus.Person]{fetch: r.PersonService.PersonsByID, cache: cache},
		group:         lazy[*casus.Group]{fetch: r.GroupService.GroupsByID, cache: cache},
		caseByID:      lazy[*casus.Case]{fetch: r.CaseService.CasesByID, cache: cache},
		interventions: lazy[[]*casus.Intervention]{fetch: r.InterventionService.InterventionsOfCases, cache: cache},
		measures:      lazy[[]*casus.Measure]{fetch: r.MeasureService.MeasuresOfCases, cache: cache},
		caseSignals:   lazy[[]*casus.Signal]{fetch: r.SignalService.SignalsOfCases, cache: cache},
		relatives:     lazy[[]casus.Relative]{fetch: r.RelativeService.RelativesOf, cache: cache},
		contacts:      lazy[[]*casus.Contact]{fetch: r.ContactService.ContactsOf, cache: cache},
		groupsOf:      lazy[[]*casus.Group]{fetch: r.GroupService.GroupsOf, cache: cache},
		personCases:   lazy[[]*casus.Case]{fetch: r.CaseService.CasesOfPersons, cache: cache},
		directorCases: lazy[[]*casus.Case]{fetch: r.CaseService.CasesOfDirectors, cache: cache},
		offeringsOf:   lazy[[]*casus.Offering]{fetch: r.offeringsOf, cache: cache},
		grants:        lazy[[]*casus.Grant]{fetch: r.GrantService.GrantsOfCases, cache: cache},
		weighings:     lazy[[]*casus.Weighing]{fetch: r.WeighingService.WeighingsOfCases, cache: cache},
		conferences:   lazy[[]*casus.Conference]{fetch: r.ConferenceService.ConferencesOfCases, cache: cache},
		goals:         lazy[[]*casus.Goal]{fetch: r.PlanService.GoalsOfCases, cache: cache},
		assessments:   lazy[[]*casus.Assessment]{fetch: r.AssessmentService.AssessmentsOfCases, cache: cache},
	}
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFrom(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	return l
}

// lazy is a loader made on first use: most requests use few of them, and
// a subscription, which lives long, should hold none it does not need.
type lazy[V any] struct {
	once   sync.Once
	fetch  func(context.Context, []string) ([]V, error)
	cache  bool
	loader *dataloader.Loader[string, V]
}

func (z *lazy[V]) get() *dataloader.Loader[string, V] {
	z.once.Do(func() { z.loader = newLoader(z.fetch, z.cache) })
	return z.loader
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
func load[V any](ctx context.Context, l *lazy[V], key string) (V, error) {
	return l.get().Load(ctx, key)()
}

// loadMany loads keys and drops the ones not found.
func loadMany[V any](ctx context.Context, l *lazy[*V], keys []string) ([]*V, error) {
	vals, errs := l.get().LoadMany(ctx, keys)()
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
func loadOptional[V any](ctx context.Context, l *lazy[*V], key string) (*V, error) {
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
