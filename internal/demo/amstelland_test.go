package demo

import (
	"casusnet/internal/casus"
	"regexp"
	"slices"
	"testing"
)

// TestRegionIsConsistent checks that every reference of the demo region
// resolves and that it covers every phase, risk group, ideology, escalation
// level and intervention status.
func TestRegionIsConsistent(t *testing.T) {
	d := Region()
	ids := map[string]map[string]bool{}
	add := func(kind, id string) {
		if ids[kind] == nil {
			ids[kind] = map[string]bool{}
		}
		if ids[kind][id] {
			t.Errorf("%s %s is defined twice", kind, id)
		}
		ids[kind][id] = true
	}
	has := func(kind, id, by string) {
		if !ids[kind][id] {
			t.Errorf("%s refers to unknown %s %q", by, kind, id)
		}
	}
	for _, m := range d.Municipalities {
		add("municipality", m.Code)
	}
	for _, o := range d.Organisations {
		add("organisation", o.ID)
	}
	for _, p := range d.Persons {
		add("person", p.ID)
		if p.Municipality != "" {
			has("municipality", p.Municipality, p.ID)
		}
	}
	for _, dr := range d.Directors {
		add("director", dr.ID)
		has("organisation", dr.OrganisationID, dr.ID)
		for _, m := range dr.Municipalities {
			has("municipality", m, dr.ID)
		}
	}
	for _, o := range d.Offerings {
		add("offering", o.ID)
		has("organisation", o.ProviderID, o.ID)
	}
	for _, g := range d.Groups {
		add("group", g.ID)
		for _, m := range g.Members {
			has("person", m, g.ID)
		}
	}
	for _, r := range d.Relatives {
		has("person", r.From, "relative")
		has("person", r.To, "relative")
	}
	for _, c := range d.Contacts {
		has("person", c.From, "contact")
		has("person", c.To, "contact")
	}
	ref := regexp.MustCompile(`^AM-20\d\d-\d{4}$`)
	used := map[string]bool{}
	phases := []casus.Phase{"REGISTERED", "ASSESSMENT", "CASE_CONFERENCE", "ACTION_PLAN", "EXECUTION", "AFTERCARE", "CLOSED"}
	for _, c := range d.Cases {
		add("case", c.ID)
		add("reference", c.Reference)
		if !ref.MatchString(c.Reference) {
			t.Errorf("%s: reference %q", c.ID, c.Reference)
		}
		has("municipality", c.Municipality, c.ID)
		if c.DirectorID != "" {
			has("director", c.DirectorID, c.ID)
		}
		if c.GroupID != "" {
			has("group", c.GroupID, c.ID)
		}
		for _, s := range c.Subjects {
			has("person", s, c.ID)
		}
		if len(c.Subjects) == 0 && c.GroupID == "" {
			t.Errorf("%s is about nobody", c.ID)
		}
		used["phase:"+string(c.Phase)] = true
		used["ideology:"+string(c.Ideology)] = true
		used["escalation:"+string(c.EscalationLevel)] = true
		for _, g := range c.RiskGroups {
			used["risk:"+string(g)] = true
		}
		last, prev := casus.PhaseRegistered, 0
		for _, m := range c.Course {
			i := slices.Index(phases, m.Phase)
			if i <= prev || (m.Phase != "CLOSED" && i != prev+1) || !m.At.After(c.OpenedAt) {
				t.Errorf("%s: illegal move to %s", c.ID, m.Phase)
			}
			prev, last = i, m.Phase
		}
		if last != c.Phase {
			t.Errorf("%s: course ends in %s, phase is %s", c.ID, last, c.Phase)
		}
		for _, i := range c.Interventions {
			add("intervention", i.ID)
			has("offering", i.OfferingID, i.ID)
			used["intervention:"+string(i.Status)] = true
		}
		for _, m := range c.Measures {
			add("measure", m.ID)
		}
	}
	for _, s := range d.Signals {
		add("signal", s.ID)
		has("municipality", s.Municipality, s.ID)
		has("organisation", s.OrganisationID, s.ID)
		for _, p := range s.About {
			has("person", p, s.ID)
		}
		if s.CaseID != "" {
			has("case", s.CaseID, s.ID)
		}
		if (s.Status == "CASE_OPENED") != (s.CaseID != "") {
			t.Errorf("%s: status %s with case %q", s.ID, s.Status, s.CaseID)
		}
	}
	want := []string{"ideology:JIHADIST", "ideology:RIGHT_WING", "ideology:LEFT_WING", "ideology:ANIMAL_RIGHTS", "ideology:OTHER",
		"escalation:LOCAL", "escalation:REGIONAL", "escalation:AVZ", "escalation:NATIONAL",
		"risk:TERRORIST_OR_RETURNEE", "risk:RECRUITER", "risk:TRAVELLER", "risk:RADICALISING", "risk:FAMILY_OF_TRAVELLER",
		"intervention:PROPOSED", "intervention:ACTIVE", "intervention:COMPLETED", "intervention:STOPPED"}
	for _, p := range phases {
		want = append(want, "phase:"+string(p))
	}
	for _, w := range want {
		if !used[w] {
			t.Errorf("the demo region has no %s", w)
		}
	}
	if len(d.Persons) < 40 || len(d.Cases) < 12 {
		t.Errorf("%d persons and %d cases; want some 40 and a dozen", len(d.Persons), len(d.Cases))
	}
}
