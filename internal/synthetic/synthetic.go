// Package synthetic generates a region of invented persons with the shape of
// real social networks, for benchmarks and for trying the network analysis
// at scale: households, neighbourhoods in which most ties stay, a few hubs
// with hundreds of contacts across municipalities (as recruiters look),
// professionals with formal ties, and cases about some of the persons.
//
// The same seed and size give the same region. It comes in batches whose
// size bounds the memory used; every tie in a batch refers to persons of
// that batch or an earlier one, so the batches can be loaded in order.
package synthetic

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"time"

	"casusnet/internal/casus"
	"casusnet/internal/region"
)

// Options size the region.
type Options struct {
	Seed    uint64
	Persons int
	// Batch is how many persons one batch holds (default 10,000).
	Batch int
	// CaseEvery makes one case per this many persons (default 500).
	CaseEvery int
}

// Shape parameters.
const (
	neighbourhood = 200  // persons per neighbourhood
	hubEvery      = 1000 // one hub per this many persons
	caseEvery     = 500  // one case per this many persons, unless Options say otherwise
	proEvery      = 100  // one professional per this many persons
	crossShare    = 0.05 // share of informal ties that leave the neighbourhood
)

// municipalities are those of the Amstelland region; their codes are real,
// everything else is invented.
var municipalities = []region.Municipality{
	{Code: "GM0358", Name: "Aalsmeer", Inhabitants: 33000},
	{Code: "GM0362", Name: "Amstelveen", Inhabitants: 92000},
	{Code: "GM0384", Name: "Diemen", Inhabitants: 32000},
	{Code: "GM0437", Name: "Ouder-Amstel", Inhabitants: 15000},
	{Code: "GM0736", Name: "De Ronde Venen", Inhabitants: 45000},
	{Code: "GM0451", Name: "Uithoorn", Inhabitants: 31000},
}

var (
	firstNames = []string{"Sem", "Noah", "Liam", "Daan", "Levi", "Mohamed", "Adam", "Finn", "Luuk", "Milan", "Yusuf", "Ayoub",
		"Emma", "Julia", "Mila", "Sophie", "Tess", "Noor", "Sara", "Yara", "Fatima", "Lina", "Zoë", "Anna", "Ilse", "Bram",
		"Kees", "Jan", "Ahmed", "Omar", "Ines", "Eva", "Lotte", "Hamza", "Imane", "Ravi", "Priya", "Kofi", "Ama", "Piotr"}
	lastNames = []string{"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
		"Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "El Amrani", "Yilmaz", "Kaya", "Bouzid", "Ait Taleb",
		"Öztürk", "Demir", "Ramdin", "Kowalski", "Mensah", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits"}
	informalRoles = []casus.ContactRole{"FRIEND", "FRIEND", "FRIEND", "ONLINE_CONTACT", "KEY_FIGURE"}
	formalRoles   = []casus.ContactRole{"TEACHER", "YOUTH_WORKER", "SPORTS_COACH", "CASE_WORKER", "IMAM"}
	sources       = []string{"politie", "jongerenwerk", "school", "wijkteam", "GGD"}
	phases        = []casus.Phase{"REGISTERED", "ASSESSMENT", "CASE_CONFERENCE", "ACTION_PLAN", "EXECUTION", "AFTERCARE"}
	riskGroups    = []casus.RiskGroup{"RADICALISING", "RADICALISING", "FAMILY_OF_TRAVELLER", "TRAVELLER", "TERRORIST_OR_RETURNEE", "RECRUITER"}
	ideologies    = []casus.Ideology{"JIHADIST", "RIGHT_WING", "LEFT_WING", "ANIMAL_RIGHTS", "OTHER"}
)

// providers and offerings are the synthetic region's intervention partners
// and what they offer.
var (
	providers = []region.Organisation{
		{ID: "syn-org-jeugd", Name: "Jeugdzorg Synthetisch", Type: "YOUTH_CARE", ProvidesInterventions: true},
		{ID: "syn-org-ggz", Name: "GGZ Synthetisch", Type: "GGD", ProvidesInterventions: true},
		{ID: "syn-org-exit", Name: "Exitprogramma Synthetisch", Type: "OTHER", ProvidesInterventions: true},
	}
	offerings = []region.Offering{
		{ID: "syn-off-mentor", ProviderID: "syn-org-jeugd", Name: "Mentortraject", Description: "Een vaste mentor.", TargetRiskGroups: []casus.RiskGroup{"RADICALISING"}},
		{ID: "syn-off-gezin", ProviderID: "syn-org-jeugd", Name: "Gezinsbegeleiding", Description: "Begeleiding van het gezin.", TargetRiskGroups: []casus.RiskGroup{"FAMILY_OF_TRAVELLER"}},
		{ID: "syn-off-ggz", ProviderID: "syn-org-ggz", Name: "Traumabehandeling", Description: "Behandeling bij trauma.", TargetRiskGroups: []casus.RiskGroup{"TERRORIST_OR_RETURNEE"}},
		{ID: "syn-off-exit", ProviderID: "syn-org-exit", Name: "Exitbegeleiding", Description: "Begeleiding bij uitstappen.", TargetRiskGroups: []casus.RiskGroup{"RECRUITER", "RADICALISING"}},
		{ID: "syn-off-theo", ProviderID: "syn-org-exit", Name: "Theologisch gesprek", Description: "Gesprekken met een theoloog.", TargetRiskGroups: []casus.RiskGroup{"RADICALISING"}},
	}
)

// interventions are case n's: one to three, of different offerings.
func interventions(work *rand.Rand, n int) []region.Intervention {
	var out []region.Intervention
	first := work.IntN(len(offerings))
	for k := range 1 + work.IntN(3) {
		out = append(out, region.Intervention{
			ID: fmt.Sprintf("syn-int-%05d-%d", n, k), OfferingID: offerings[(first+k)%len(offerings)].ID,
			Status: "PROPOSED", Goal: "Synthetisch doel.",
		})
		if s := work.IntN(4); s > 0 {
			out[k].Status, out[k].Start = "ACTIVE", time.Date(2025, time.Month(1+work.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
			if s == 3 {
				out[k].Status, out[k].End, out[k].Outcome = "COMPLETED", out[k].Start.AddDate(0, 6, 0), "Afgerond."
			}
		}
	}
	return out
}

// PersonID is the id of the i-th synthetic person.
func PersonID(i int) string { return fmt.Sprintf("syn-p-%07d", i) }

// Region returns the region in batches. The first also carries the
// municipalities, the organisation and the directors.
func Region(o Options) iter.Seq[region.Data] {
	if o.Batch <= 0 {
		o.Batch = 10_000
	}
	if o.CaseEvery <= 0 {
		o.CaseEvery = caseEvery
	}
	return func(yield func(region.Data) bool) {
		rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
		// Interventions draw from their own stream, so that persons and ties
		// are the same whatever the number of cases.
		work := rand.New(rand.NewPCG(o.Seed, 0xca5e))
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for start := 0; start < o.Persons; start += o.Batch {
			end := min(start+o.Batch, o.Persons)
			d := region.Data{}
			if start == 0 {
				d.Municipalities = municipalities
				d.Organisations = append([]region.Organisation{{ID: "syn-org", Name: "Veiligheidshuis Synthetisch", Type: "OTHER", ProvidesDirectors: true}}, providers...)
				d.Offerings = offerings
				for i := range 12 {
					d.Directors = append(d.Directors, region.Director{ID: fmt.Sprintf("syn-dir-%02d", i), Name: fmt.Sprintf("Regisseur %02d", i),
						OrganisationID: "syn-org", Municipalities: []string{municipalities[i%len(municipalities)].Code}, Capacity: 40})
				}
			}
			generate(&d, rng, work, start, end, o.CaseEvery, base)
			if !yield(d) {
				return
			}
		}
	}
}

// municipalityOf is the municipality of person i's neighbourhood.
func municipalityOf(i int) string { return municipalities[(i/neighbourhood)%len(municipalities)].Code }

// generate adds persons start..end-1 and their ties to earlier persons.
func generate(d *region.Data, rng, work *rand.Rand, start, end, caseEvery int, base time.Time) {
	since := func() time.Time { return base.AddDate(0, 0, -rng.IntN(3650)) }
	tied := map[int]bool{} // whom the current person is tied to already
	contact := func(from, to int, network casus.Network, role casus.ContactRole) {
		if tied[to] {
			return
		}
		tied[to] = true
		d.Contacts = append(d.Contacts, region.Contact{From: PersonID(from), To: PersonID(to), Network: network, Role: role,
			Since: since(), Source: sources[rng.IntN(len(sources))], Confidence: 0.5 + float64(rng.IntN(51))/100})
	}
	household := start // the first person of the current household
	for i := start; i < end; i++ {
		clear(tied)
		last := lastNames[rng.IntN(len(lastNames))]
		if i > household && i-household < 6 && rng.IntN(3) > 0 {
			// Same household: same last name, a family tie to its first member.
			last = d.Persons[len(d.Persons)-(i-household)].LastName
			kind := []casus.RelativeKind{"PARENT", "SIBLING", "PARTNER", "CHILD"}[rng.IntN(4)]
			d.Relatives = append(d.Relatives, region.Relative{From: PersonID(i), To: PersonID(household), Kind: kind})
		} else {
			household = i
		}
		d.Persons = append(d.Persons, region.Person{
			ID: PersonID(i), FirstName: firstNames[rng.IntN(len(firstNames))], LastName: last,
			BirthDate:    base.AddDate(-12-rng.IntN(49), 0, -rng.IntN(365)),
			Municipality: municipalityOf(i),
		})
		hood := i / neighbourhood * neighbourhood
		// Informal ties, mostly within the neighbourhood, to earlier persons.
		for range 1 + rng.IntN(4) {
			if i == 0 {
				break
			}
			to := hood + rng.IntN(max(i-hood, 1))
			if rng.Float64() < crossShare || to >= i {
				to = rng.IntN(i)
			}
			if to != i {
				contact(i, to, "INFORMAL", informalRoles[rng.IntN(len(informalRoles))])
			}
		}
		// A formal tie to the neighbourhood's professional.
		if pro := hood + 1; i > pro && rng.IntN(4) == 0 {
			contact(i, pro, "FORMAL", formalRoles[rng.IntN(len(formalRoles))])
		}
		// Hubs reach far: 50 to 300 persons anywhere before them, whose
		// recruiter they are ("To is From's role": the tie runs from the
		// person reached to the hub).
		if i%hubEvery == hubEvery/2 {
			for range 50 + rng.IntN(251) {
				if from := rng.IntN(i); from != i && !tied[from] {
					tied[from] = true
					d.Contacts = append(d.Contacts, region.Contact{From: PersonID(from), To: PersonID(i), Network: "INFORMAL", Role: "RECRUITER",
						Since: since(), Source: sources[rng.IntN(len(sources))], Confidence: 0.3 + float64(rng.IntN(41))/100})
				}
			}
		}
		if i%caseEvery == caseEvery-1 {
			n := i / caseEvery
			d.Cases = append(d.Cases, region.Case{
				ID: fmt.Sprintf("syn-case-%05d", n), Reference: fmt.Sprintf("SY-2026-%05d", n), Municipality: municipalityOf(i),
				Subjects: []string{PersonID(i)}, RiskGroups: []casus.RiskGroup{riskGroups[work.IntN(len(riskGroups))]},
				Ideology: ideologies[work.IntN(len(ideologies))], RiskLevel: []casus.RiskLevel{"LOW", "MEDIUM", "HIGH"}[work.IntN(3)],
				Phase: phases[work.IntN(len(phases))], EscalationLevel: "LOCAL", DirectorID: fmt.Sprintf("syn-dir-%02d", work.IntN(12)),
				Summary: "Synthetische casus voor metingen.", OpenedAt: base.AddDate(0, 0, -work.IntN(700)),
				Interventions: interventions(work, n),
			})
		}
	}
}
