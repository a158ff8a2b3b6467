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
	escalations   lazy[[]*casus.Escalation]
	advice        lazy[[]*casus.Advice]
	contents      lazy[*casus.Content]

	// pseudonyms name the persons outside the caller's scope that this
	// answer reaches (information level 0); made on first use.
	pseudonymsOnce sync.Once
	pseudonyms     *casus.Pseudonyms

	// cache is whether the loaders keep what they read for the rest of
	// the request; started marks the objects whose loads ahead started.
	cache   bool
	mu      sync.Mutex
	started map[*graphql.FieldContext]bool
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
		escalations:   lazy[[]*casus.Escalation]{fetch: r.EscalationService.Escalations, cache: cache},
		advice:        lazy[[]*casus.Advice]{fetch: r.AdviceService.AdviceOfCases, cache: cache},
		contents:      lazy[*casus.Content]{fetch: r.PhaseService.Contents, cache: cache},
		cache:         cache,
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

// aheadOf maps the fields of a type that read through a loader to the
// start of that read for one object.
type aheadOf[T any] map[string]func(context.Context, *loaders, T)

// ahead starts the loads of all the fields the operation asks of obj, the
// object whose field is being resolved, so that they share one batch window.
// gqlgen resolves an object's fields one after another on one goroutine
// (cmd/gqlgen), so without it each field's load would wait for the one
// before. Only the first field of an object starts them; the others find
// their load started. A subscription's loaders do not cache, so a load
// started ahead would run twice: there it does nothing.
func ahead[T any](ctx context.Context, obj T, typ string, starts aheadOf[T]) {
	l := loadersFrom(ctx)
	fc := graphql.GetFieldContext(ctx)
	if l == nil || !l.cache || fc == nil || fc.Parent == nil {
		return
	}
	l.mu.Lock()
	if l.started == nil {
		l.started = map[*graphql.FieldContext]bool{}
	}
	done := l.started[fc.Parent]
	l.started[fc.Parent] = true
	l.mu.Unlock()
	if done {
		return
	}
	// An element of a list has no field of its own; the list's field
	// holds the element's selection.
	sel := fc.Parent
	for sel != nil && sel.Field.Field == nil {
		sel = sel.Parent
	}
	if sel == nil {
		return
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), sel.Field.Selections, []string{typ}) {
		if start := starts[f.Name]; start != nil && f.Name != fc.Field.Name {
			start(ctx, l, obj)
		}
	}
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

// caseAhead starts the loads of a case's fields (see ahead).
var caseAhead = aheadOf[*casus.Case]{
	"municipality":  func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.municipality, c.MunicipalityCode) },
	"director":      func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.director, c.DirectorID) },
	"group":         func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.group, c.GroupID) },
	"subjects":      func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.person, c.SubjectIDs...) },
	"signals":       func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.caseSignals, c.ID) },
	"interventions": func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.interventions, c.ID) },
	"measures":      func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.measures, c.ID) },
	"grants":        func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.grants, c.ID) },
	"weighings":     func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.weighings, c.ID) },
	"conferences":   func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.conferences, c.ID) },
	"plan":          func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.goals, c.ID) },
	"assessments":   func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.assessments, c.ID) },
	"escalations":   func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.escalations, c.ID) },
	"advice":        func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.advice, c.ID) },
	"needs":         func(ctx context.Context, l *loaders, c *casus.Case) { start(ctx, &l.contents, c.ID) },
}

// personAhead starts the loads of a person's fields (see ahead).
var personAhead = aheadOf[*casus.Person]{
	"municipality": func(ctx context.Context, l *loaders, p *casus.Person) {
		start(ctx, &l.municipality, p.MunicipalityCode)
	},
	"relatives": func(ctx context.Context, l *loaders, p *casus.Person) { start(ctx, &l.relatives, p.ID) },
	"contacts":  func(ctx context.Context, l *loaders, p *casus.Person) { start(ctx, &l.contacts, p.ID) },
	"groups":    func(ctx context.Context, l *loaders, p *casus.Person) { start(ctx, &l.groupsOf, p.ID) },
	"cases":     func(ctx context.Context, l *loaders, p *casus.Person) { start(ctx, &l.personCases, p.ID) },
}

// start starts the load of keys without waiting for it; empty keys are
// not loaded.
func start[V any](ctx context.Context, l *lazy[V], keys ...string) {
	for _, k := range keys {
		if k != "" {
			l.get().Load(ctx, k)
		}
	}
}
