package synthetic

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"casusnet/internal/casus"
	"casusnet/internal/demo"
)

func all(o Options) []demo.Data {
	var out []demo.Data
	for d := range Region(o) {
		out = append(out, d)
	}
	return out
}

// TestRegionShape checks determinism, sizes, that every tie refers to a
// person of its batch or an earlier one and never to itself, that values
// are valid, and that the degree distribution has hubs and cross-municipality
// ties.
func TestRegionShape(t *testing.T) {
	o := Options{Seed: 7, Persons: 25_000, Batch: 10_000}
	a, b := all(o), all(o)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different regions")
	}
	if reflect.DeepEqual(a[1].Contacts, all(Options{Seed: 8, Persons: 25_000, Batch: 10_000})[1].Contacts) {
		t.Fatal("another seed gave the same ties")
	}
	if len(a) != 3 || len(a[0].Persons) != 10_000 || len(a[2].Persons) != 5_000 || len(a[0].Municipalities) != 6 || len(a[1].Municipalities) != 0 {
		t.Fatalf("batches: %d", len(a))
	}
	index := map[string]int{}
	degree := map[string]int{}
	cross, ties := 0, 0
	home := map[string]string{}
	for bi, d := range a {
		for _, p := range d.Persons {
			if _, dup := index[p.ID]; dup {
				t.Fatalf("person %s twice", p.ID)
			}
			index[p.ID] = bi
			home[p.ID] = p.Municipality
		}
		check := func(from, to string) {
			fb, ok1 := index[from]
			tb, ok2 := index[to]
			if !ok1 || !ok2 || fb > bi || tb > bi || from == to {
				t.Fatalf("batch %d: tie %s-%s refers ahead or to itself", bi, from, to)
			}
			degree[from]++
			degree[to]++
			ties++
			if home[from] != home[to] {
				cross++
			}
		}
		for _, r := range d.Relatives {
			if !casus.RelativeKind(r.Kind).Valid() {
				t.Fatalf("relative kind %q", r.Kind)
			}
			check(r.From, r.To)
		}
		for _, c := range d.Contacts {
			if !casus.Network(c.Network).Valid() || !casus.ContactRole(c.Role).Valid() || c.Confidence < 0 || c.Confidence > 1 {
				t.Fatalf("contact %+v", c)
			}
			check(c.From, c.To)
		}
		for _, c := range d.Cases {
			for _, g := range c.RiskGroups {
				if !casus.RiskGroup(g).Valid() {
					t.Fatalf("case %s: risk group %q", c.ID, g)
				}
			}
			if !casus.Ideology(c.Ideology).Valid() || !casus.RiskLevel(c.RiskLevel).Valid() || !casus.Phase(c.Phase).Valid() {
				t.Fatalf("case %+v", c)
			}
			if _, ok := index[c.Subjects[0]]; !ok || !slices.ContainsFunc(municipalities, func(m demo.Municipality) bool { return m.Code == c.Municipality }) {
				t.Fatalf("case %+v", c)
			}
			if len(c.Interventions) < 1 || len(c.Interventions) > 3 {
				t.Fatalf("case %s: %d interventions, want 1 to 3", c.ID, len(c.Interventions))
			}
			for _, i := range c.Interventions {
				if !slices.ContainsFunc(offerings, func(o demo.Offering) bool { return o.ID == i.OfferingID }) ||
					!casus.InterventionStatus(i.Status).Valid() || (i.Status != "PROPOSED") == i.Start.IsZero() {
					t.Fatalf("case %s: intervention %+v", c.ID, i)
				}
			}
		}
	}
	avg := float64(2*ties) / float64(o.Persons)
	top := 0
	for _, n := range degree {
		top = max(top, n)
	}
	if avg < 5 || avg > 12 || top < 50 || float64(cross)/float64(ties) < 0.02 {
		t.Fatalf("average degree %.1f, highest %d, cross-municipality share %.3f", avg, top, float64(cross)/float64(ties))
	}
	t.Logf("average degree %.1f, highest %d, cross-municipality %.1f%%", avg, top, 100*float64(cross)/float64(ties))
}

// TestCaseEvery makes one case per the given number of persons, without
// changing the persons.
func TestCaseEvery(t *testing.T) {
	var few, many demo.Data
	for d := range Region(Options{Seed: 3, Persons: 2000}) {
		few = d
	}
	for d := range Region(Options{Seed: 3, Persons: 2000, CaseEvery: 10}) {
		many = d
	}
	if len(few.Cases) != 4 || len(many.Cases) != 200 {
		t.Errorf("%d and %d cases, want 4 and 200", len(few.Cases), len(many.Cases))
	}
	if !reflect.DeepEqual(few.Persons, many.Persons) || !reflect.DeepEqual(few.Contacts, many.Contacts) {
		t.Error("the number of cases changed the persons or their ties")
	}
}

func BenchmarkRegion(b *testing.B) {
	for b.Loop() {
		n := 0
		for d := range Region(Options{Seed: 1, Persons: 100_000}) {
			n += len(d.Persons)
		}
		if n != 100_000 {
			b.Fatal(fmt.Sprint(n))
		}
	}
}
