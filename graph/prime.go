package graph

import (
	"context"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"golang.org/x/sync/errgroup"

	"casusnet/internal/casus"
)

// Batch loaders gather the keys their siblings ask for within a short wait;
// under load, siblings can miss the window and cost another round trip. For a
// page of cases, the most common read by far, the resolver knows from the
// query every field asked for below the cases: the page's own statement reads
// the objects around them (caseInclude), and primeCases primes the loaders
// with those and loads what lies further below up front, one round trip per
// kind, so the page costs the same round trips however long it is.

// selection returns the sub-selections of the current field found along
// path (field names or aliases' names), or nil when the path is not asked for.
func selection(ctx context.Context, path ...string) ast.SelectionSet {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil
	}
	sel := fc.Field.Selections
	for _, name := range path {
		var next ast.SelectionSet
		for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), sel, nil) {
			if f.Name == name {
				next = append(next, f.Selections...)
			}
		}
		if next == nil {
			return nil
		}
		sel = next
	}
	return sel
}

// fieldsOf returns the names of the fields selected in sel, and for each the
// merged selection below it.
func fieldsOf(ctx context.Context, sel ast.SelectionSet) map[string]ast.SelectionSet {
	out := map[string]ast.SelectionSet{}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), sel, nil) {
		out[f.Name] = append(out[f.Name], f.Selections...)
	}
	return out
}

// caseInclude returns what a page of cases reads along with the cases, from
// the selection sel below each case.
func caseInclude(ctx context.Context, sel ast.SelectionSet) casus.CaseInclude {
	var in casus.CaseInclude
	if sel == nil || loadersFrom(ctx) == nil {
		return in
	}
	fields := fieldsOf(ctx, sel)
	_, in.Municipality = fields["municipality"]
	if sub, ok := fields["subjects"]; ok {
		in.Subjects = true
		below := fieldsOf(ctx, sub)
		if rel, ok := below["relatives"]; ok {
			in.Relatives = true
			_, in.Ties = fieldsOf(ctx, rel)["person"]
		}
		if con, ok := below["contacts"]; ok {
			in.Contacts = true
			ends := fieldsOf(ctx, con)
			_, from := ends["from"]
			_, to := ends["to"]
			in.Ties = in.Ties || from || to
		}
	}
	in.OpenCases = asked(ctx, "Director", "openCaseCount")
	in.SubjectNames = asked(ctx, "Intervention", "subjectNames")
	if sub, ok := fields["director"]; ok {
		in.Director = true
		_, in.DirectorOrganisation = fieldsOf(ctx, sub)["organisation"]
	}
	if sub, ok := fields["interventions"]; ok {
		in.Interventions = true
		if off, ok := fieldsOf(ctx, sub)["offering"]; ok {
			in.Offerings = true
			_, in.Providers = fieldsOf(ctx, off)["provider"]
		}
	}
	return in
}

// asked reports whether the operation selects the field of typ anywhere, in
// any fragment. A costly member that the operation never asks for need not
// be read, and the loaders, which share what they hold across the whole
// operation, cannot hand it out without it.
func asked(ctx context.Context, typ, field string) bool {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil {
		return true
	}
	seen := map[string]bool{}
	var walk func(ast.SelectionSet) bool
	walk = func(set ast.SelectionSet) bool {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				if s.Name == field && (s.ObjectDefinition == nil || s.ObjectDefinition.Name == typ) {
					return true
				}
				if walk(s.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if walk(s.SelectionSet) {
					return true
				}
			case *ast.FragmentSpread:
				if s.Definition == nil {
					return true
				}
				if !seen[s.Name] {
					seen[s.Name] = true
					if walk(s.Definition.SelectionSet) {
						return true
					}
				}
			}
		}
		return false
	}
	return walk(oc.Operation.SelectionSet)
}

// primeCases loads what the query asks for below the given cases, starting
// from what was read along with them (have, which may be nil).
func (r *Resolver) primeCases(ctx context.Context, sel ast.SelectionSet, cases []*casus.Case, have *casus.CaseRelated) error {
	l := loadersFrom(ctx)
	if l == nil || len(cases) == 0 || sel == nil {
		return nil
	}
	fields := fieldsOf(ctx, sel)
	var ids, codes, directors, subjects []string
	for _, c := range cases {
		ids = append(ids, c.ID)
		codes = appendNew(codes, c.MunicipalityCode)
		if c.DirectorID != "" {
			directors = appendNew(directors, c.DirectorID)
		}
		for _, s := range c.SubjectIDs {
			subjects = appendNew(subjects, s)
		}
	}
	if have != nil {
		primeHad(ctx, l, cases, have)
	}
	// The branches are independent: load them at once, so that the page
	// costs the round trips of its deepest branch, not of all.
	g, ctx := errgroup.WithContext(ctx)
	if _, ok := fields["municipality"]; ok && have == nil {
		g.Go(func() error { return prime(ctx, &l.municipality, codes, r.DirectoryService.MunicipalitiesByCode) })
	}
	if sub, ok := fields["subjects"]; ok && have == nil {
		g.Go(func() error { return r.primePersons(ctx, sub, subjects) })
	}
	if sub, ok := fields["director"]; ok && have == nil {
		g.Go(func() error {
			ds, err := primed(ctx, &l.director, directors, r.DirectoryService.DirectorsByID)
			if err != nil {
				return err
			}
			if _, ok := fieldsOf(ctx, sub)["organisation"]; !ok {
				return nil
			}
			var orgs []string
			for _, d := range ds {
				if d != nil {
					orgs = appendNew(orgs, d.OrganisationID)
				}
			}
			return prime(ctx, &l.organisation, orgs, r.DirectoryService.OrganisationsByID)
		})
	}
	if sub, ok := fields["interventions"]; ok && have == nil {
		g.Go(func() error { return r.primeInterventions(ctx, sub, ids) })
	}
	return g.Wait()
}

// primeHad primes the loaders with what a page of cases brought along. What
// it asked for and did not bring does not exist or is out of the caller's
// scope, which the loaders answer with nil as their own lookups would.
func primeHad(ctx context.Context, l *loaders, cases []*casus.Case, have *casus.CaseRelated) {
	municipalities := indexBy(have.Municipalities, func(m *casus.Municipality) string { return m.Code })
	directors := indexBy(have.Directors, func(d *casus.Director) string { return d.ID })
	organisations := indexBy(have.Organisations, func(o *casus.Organisation) string { return o.ID })
	persons := indexBy(have.Persons, func(p *casus.Person) string { return p.ID })
	offerings := indexBy(have.Offerings, func(f *casus.Offering) string { return f.ID })
	organisation := func(id string) {
		if id != "" && organisations != nil {
			l.organisation.get().Prime(ctx, id, organisations[id])
		}
	}
	for _, c := range cases {
		if municipalities != nil {
			l.municipality.get().Prime(ctx, c.MunicipalityCode, municipalities[c.MunicipalityCode])
		}
		if directors != nil && c.DirectorID != "" {
			d := directors[c.DirectorID]
			l.director.get().Prime(ctx, c.DirectorID, d)
			if d != nil {
				organisation(d.OrganisationID)
			}
		}
		if persons != nil {
			for _, id := range c.SubjectIDs {
				l.person.get().Prime(ctx, id, persons[id])
				primeTies(ctx, l, id, have, persons)
			}
		}
		if have.Interventions == nil {
			continue
		}
		ivs := have.Interventions[c.ID]
		l.interventions.get().Prime(ctx, c.ID, ivs)
		for _, i := range ivs {
			if offerings != nil {
				f := offerings[i.OfferingID]
				l.offering.get().Prime(ctx, i.OfferingID, f)
				if f != nil {
					organisation(f.ProviderID)
				}
			}
		}
	}
}

// primeTies primes the loaders with the ties of the subject id that have
// brought, and with the persons at their other ends if it brought them (nil
// for those the caller may not see). A subject the caller may not see has
// none, as the loaders' own reads would answer.
func primeTies(ctx context.Context, l *loaders, id string, have *casus.CaseRelated, persons map[string]*casus.Person) {
	var ends []string
	if have.Relatives != nil {
		l.relatives.get().Prime(ctx, id, have.Relatives[id])
		for _, r := range have.Relatives[id] {
			ends = append(ends, r.RelativeID)
		}
	}
	if have.Contacts != nil {
		l.contacts.get().Prime(ctx, id, have.Contacts[id])
		for _, c := range have.Contacts[id] {
			ends = append(ends, c.FromID, c.ToID)
		}
	}
	if have.Include.Ties {
		for _, e := range ends {
			l.person.get().Prime(ctx, e, persons[e])
		}
	}
}

// indexBy maps xs by their keys; nil for nil xs (not asked for).
func indexBy[T any](xs []*T, key func(*T) string) map[string]*T {
	if xs == nil {
		return nil
	}
	out := make(map[string]*T, len(xs))
	for _, x := range xs {
		out[key(x)] = x
	}
	return out
}

// primePersons loads the persons ids and what sel
// asks for below them: their relatives and network contacts, and the persons
// at the other ends. The persons, the relatives and the contacts load at
// once; the other ends after.
func (r *Resolver) primePersons(ctx context.Context, sel ast.SelectionSet, ids []string) error {
	l := loadersFrom(ctx)
	fields := fieldsOf(ctx, sel)
	var (
		mu     sync.Mutex
		others []string
	)
	reached := func(id string) {
		mu.Lock()
		defer mu.Unlock()
		if !slices.Contains(ids, id) {
			others = appendNew(others, id)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return prime(gctx, &l.person, ids, r.PersonService.PersonsByID) })
	if sub, ok := fields["relatives"]; ok {
		g.Go(func() error {
			rels, err := primed(gctx, &l.relatives, ids, r.RelativeService.RelativesOf)
			if _, ok := fieldsOf(gctx, sub)["person"]; !ok || err != nil {
				return err
			}
			for _, list := range rels {
				for _, rel := range list {
					reached(rel.RelativeID)
				}
			}
			return nil
		})
	}
	if sub, ok := fields["contacts"]; ok {
		g.Go(func() error {
			contacts, err := primed(gctx, &l.contacts, ids, r.ContactService.ContactsOf)
			if err != nil {
				return err
			}
			ends := fieldsOf(gctx, sub)
			_, from := ends["from"]
			_, to := ends["to"]
			for _, list := range contacts {
				for _, c := range list {
					if from {
						reached(c.FromID)
					}
					if to {
						reached(c.ToID)
					}
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return prime(ctx, &l.person, others, r.PersonService.PersonsByID)
}

// primeInterventions loads the interventions of the cases ids, and their
// offerings and providers if sub asks for them.
func (r *Resolver) primeInterventions(ctx context.Context, sub ast.SelectionSet, ids []string) error {
	l := loadersFrom(ctx)
	ivs, err := primed(ctx, &l.interventions, ids, r.InterventionService.InterventionsOfCases)
	if err != nil {
		return err
	}
	offSel, ok := fieldsOf(ctx, sub)["offering"]
	if !ok {
		return nil
	}
	var offerings []string
	for _, list := range ivs {
		for _, i := range list {
			offerings = appendNew(offerings, i.OfferingID)
		}
	}
	offs, err := primed(ctx, &l.offering, offerings, r.DirectoryService.OfferingsByID)
	if err != nil {
		return err
	}
	if _, ok := fieldsOf(ctx, offSel)["provider"]; !ok {
		return nil
	}
	var orgs []string
	for _, o := range offs {
		if o != nil {
			orgs = appendNew(orgs, o.ProviderID)
		}
	}
	return prime(ctx, &l.organisation, orgs, r.DirectoryService.OrganisationsByID)
}

func appendNew(s []string, v string) []string {
	if v == "" || slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// prime fetches keys in one call and primes l with the values.
func prime[V any](ctx context.Context, l *lazy[V], keys []string, fetch func(context.Context, []string) ([]V, error)) error {
	_, err := primed(ctx, l, keys, fetch)
	return err
}

// primed is prime that also returns the values, in the order of keys.
func primed[V any](ctx context.Context, l *lazy[V], keys []string, fetch func(context.Context, []string) ([]V, error)) ([]V, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	vals, err := fetch(ctx, keys)
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		l.get().Prime(ctx, k, vals[i])
	}
	return vals, nil
}
