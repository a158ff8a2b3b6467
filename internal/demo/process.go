package demo

import (
	"time"

	"casusnet/internal/casus"
)

// addProcess fills the phases of the demo cases with their work: the
// weighings (one of each outcome), the case conferences with their
// partners, the plans of action with goals and actions in every state
// (one goal stagnating, some actions overdue), risk assessments (one
// re-assessment overdue) and whether the persons are informed (one not,
// its reconsideration overdue).
func addProcess(d *Data) {
	yes := true
	name := map[string]string{}
	for _, o := range d.Organisations {
		name[o.ID] = o.Name
	}
	team := func(oov string) []casus.TeamMember {
		return []casus.TeamMember{{OrganisationID: oov, Name: "J. Smit (OOV)"}, {OrganisationID: "org-politie", Name: "E. Meijer (wijkagent)"},
			{OrganisationID: "org-om", Name: "mr. P. de Wit (officier van justitie)"}}
	}
	check := func(met ...string) []casus.CriterionCheck {
		var out []casus.CriterionCheck
		for _, k := range casus.DefaultCriteria {
			c := casus.CriterionCheck{Code: k.Code, Explanation: "Niet gebleken."}
			for _, m := range met {
				if m == k.Code {
					c.Met, c.Explanation = true, "Blijkt uit de melding en de politie-informatie."
				}
			}
			out = append(out, c)
		}
		return out
	}
	include := func(id string, on time.Time, oov, reasons string, met ...string) Weighing {
		return Weighing{ID: id, Members: team(oov), Criteria: check(met...), Outcome: casus.WeighingInclude, Reasons: reasons, WeighedOn: on}
	}
	firstConference := func(id string, on time.Time, chair string, partners ...string) Conference {
		k := Conference{ID: id, Date: on, StartsAt: "14:00", EndsAt: "15:30", Chair: chair,
			Agenda:  []casus.AgendaItem{{Title: "Stand van zaken en risico's"}, {Title: "Afspraken en plan van aanpak"}},
			Minutes: "Partners delen wat zij weten binnen hun grondslag; het integrale plan van aanpak is vastgesteld."}
		for _, p := range partners {
			k.Invitations = append(k.Invitations, casus.Invitation{OrganisationID: p, Attended: &yes})
			k.Contributions = append(k.Contributions, casus.Contribution{OrganisationID: p, Summary: "Eigen beeld van de situatie gedeeld.", LegalGround: "Wgs art. 2.6; convenant art. 7"})
		}
		k.Agenda = append(k.Agenda, casus.AgendaItem{Title: "Inbreng " + name[partners[0]], OrganisationID: partners[0]})
		k.Decisions = []casus.Decision{{Text: "Het plan van aanpak wordt vastgesteld.", OrganisationIDs: partners},
			{Text: name[partners[0]] + " neemt de eerste actie op zich.", OrganisationIDs: partners[:1]}}
		return k
	}
	informed := func(on time.Time, by string) *casus.Informing {
		return &casus.Informing{Informed: true, On: &on, By: by}
	}

	content := map[string]func(c *Case){
		"case-01": func(c *Case) {
			c.Weighings = []Weighing{include("w-01", day(2025, 3, 3), "org-oov-amsterdam", "Terugkeerder met contact met een ronselaar; opnemen in de PGA.", "IDEOLOGY", "NETWORK", "TRAVEL", "PROPORTIONALITY")}
			c.Conferences = []Conference{firstConference("conf-01", day(2025, 3, 17), "Anouk de Vries", "org-ggd", "org-politie", "org-om"),
				{ID: "conf-01b", Date: day(2026, 12, 14), StartsAt: "10:00", EndsAt: "11:00", Chair: "Anouk de Vries",
					Invitations: []casus.Invitation{{OrganisationID: "org-ggd", Person: "dr. L. Postma"}, {OrganisationID: "org-politie"}},
					Agenda:      []casus.AgendaItem{{Title: "Voortgang traumabehandeling", OrganisationID: "org-ggd"}, {Title: "Evaluatie meldplicht"}}}}
			c.Goals = []Goal{
				{ID: "goal-01a", Domain: casus.DomainHealth, Description: "Verwerking van oorlogservaringen", CreatedAt: at(2025, 3, 18, 11), ProgressAt: at(2026, 10, 20, 9), Interventions: []string{"int-01"},
					Actions: []Action{
						{ID: "act-01a", ConferenceID: "conf-01", Description: "Intake traumabehandeling", OrganisationID: "org-ggd", Owner: "dr. L. Postma", Due: day(2025, 4, 15), Status: casus.ActionDone, Result: "Behandeling gestart"},
						{ID: "act-01b", Description: "Evaluatie behandeling met regisseur", OrganisationID: "org-ggd", Due: day(2026, 11, 20), Status: casus.ActionOpen},
					}},
				{ID: "goal-01b", Domain: casus.DomainSafety, Description: "Contact met de ronselaar is verbroken", CreatedAt: at(2025, 3, 18, 11), ProgressAt: at(2026, 11, 2, 9),
					Actions: []Action{
						{ID: "act-01c", ConferenceID: "conf-01", Description: "Toezicht op contactverbod", OrganisationID: "org-politie", Condition: "Bij een melding van contact: direct de regisseur informeren", Due: day(2027, 3, 1), Status: casus.ActionOpen},
					}},
			}
			c.Assessments = []Assessment{{ID: "as-01", Instrument: casus.InstrumentVERA2R, Version: "2R", Assessor: "drs. H. Kaya", OrganisationID: "org-ggd", Accredited: true,
				On: day(2026, 9, 1), Outcome: casus.RiskHigh, Scenarios: "Terugval bij hernieuwd contact met de ronselaar; verhoogd risico rond de verjaardag van zijn broer.", NextOn: day(2027, 3, 1)}}
			c.Informing = informed(day(2025, 3, 20), "Anouk de Vries")
		},
		"case-02": func(c *Case) {
			c.Weighings = []Weighing{include("w-02", day(2025, 3, 14), "org-oov-amsterdam", "Concrete reisplannen van een minderjarige.", "TRAVEL", "VULNERABILITY", "PROTECTIVE", "PROPORTIONALITY")}
			c.Conferences = []Conference{firstConference("conf-02", day(2025, 3, 21), "Anouk de Vries", "org-jongerenwerk", "org-school-thamen", "org-jeugdzorg")}
			c.Goals = []Goal{{ID: "goal-02", Domain: casus.DomainWorkSchool, Description: "Weer naar school met dagbesteding", CreatedAt: at(2025, 3, 24, 10), ProgressAt: at(2026, 5, 30, 9), Interventions: []string{"int-04"},
				Actions: []Action{{ID: "act-02", ConferenceID: "conf-02", Description: "Mentor koppelen", OrganisationID: "org-jongerenwerk", Owner: "M. Aksoy", Due: day(2025, 4, 10), Status: casus.ActionDone, Result: "Mentor gekoppeld; wekelijks contact"}}}}
			c.Informing = informed(day(2025, 3, 25), "Anouk de Vries")
		},
		"case-03": func(c *Case) {
			c.Weighings = []Weighing{include("w-03", day(2026, 2, 23), "org-oov-amstelveen", "Deelt extreemrechtse propaganda; school en ouders betrokken.", "IDEOLOGY", "NETWORK", "PROTECTIVE", "PROPORTIONALITY")}
			c.Conferences = []Conference{{ID: "conf-03", Date: day(2026, 12, 9), StartsAt: "15:00", EndsAt: "16:30", Chair: "Ruben Bakker",
				Invitations: []casus.Invitation{{OrganisationID: "org-school-keizer", Person: "W. de Boer"}, {OrganisationID: "org-jongerenwerk", Person: "M. Aksoy"}, {OrganisationID: "org-politie"}},
				Agenda:      []casus.AgendaItem{{Title: "Signalen op school", OrganisationID: "org-school-keizer"}, {Title: "Contact via jongerenwerk", OrganisationID: "org-jongerenwerk"}, {Title: "Plan van aanpak"}}}}
			c.Informing = informed(day(2026, 2, 26), "Ruben Bakker")
		},
		"case-04": func(c *Case) {
			c.Weighings = []Weighing{include("w-04", day(2026, 2, 16), "org-oov-amstelveen", "Ronselt minderjarigen; strafrechtelijk onderzoek loopt parallel.", "IDEOLOGY", "VIOLENCE", "NETWORK", "PROPORTIONALITY")}
			c.Conferences = []Conference{firstConference("conf-04", day(2026, 3, 2), "Ruben Bakker", "org-politie", "org-om", "org-jongerenwerk")}
			c.Goals = []Goal{{ID: "goal-04", Domain: casus.DomainSocialNetwork, Description: "Uitstap uit de Telegramgroep", CreatedAt: at(2026, 3, 3, 11), Interventions: []string{"int-06"}}}
			reconsider := day(2026, 12, 20)
			c.Informing = &casus.Informing{Ground: "Lopend strafrechtelijk onderzoek (afstemming met het OM)", ReconsiderOn: &reconsider}
		},
		"case-05": func(c *Case) {
			c.Weighings = []Weighing{include("w-05", day(2025, 6, 20), "org-oov-amstelveen", "Gezin van een uitreiziger; broer kwetsbaar.", "TRAVEL", "VULNERABILITY", "PROTECTIVE")}
			c.Conferences = []Conference{firstConference("conf-05", day(2025, 7, 4), "Anouk de Vries", "org-welzijn", "org-school-thamen")}
			c.Goals = []Goal{
				{ID: "goal-05a", Domain: casus.DomainFamily, Description: "Moeder voelt zich gesteund in de opvoeding", CreatedAt: at(2025, 7, 7, 10), ProgressAt: at(2026, 3, 1, 9), Interventions: []string{"int-07"},
					Actions: []Action{{ID: "act-05a", ConferenceID: "conf-05", Description: "Maandelijks huisbezoek", OrganisationID: "org-welzijn", Due: day(2026, 9, 1), Status: casus.ActionOpen}}},
				{ID: "goal-05b", Domain: casus.DomainWorkSchool, Description: "Samir gaat elke dag naar school", CreatedAt: at(2025, 7, 7, 10), ProgressAt: at(2026, 10, 1, 9), Interventions: []string{"int-08"},
					Actions: []Action{{ID: "act-05b", ConferenceID: "conf-05", Description: "Verzuim wekelijks doorgeven", OrganisationID: "org-school-thamen", Due: day(2026, 11, 1), Status: casus.ActionOpen},
						{ID: "act-05c", Description: "Bijles regelen", OrganisationID: "org-welzijn", Status: casus.ActionCancelled, Result: "Niet meer nodig: cijfers voldoende"}}},
			}
			c.Assessments = []Assessment{{ID: "as-05", Instrument: casus.InstrumentERG22, Assessor: "K. de Graaf", OrganisationID: "org-jeugdzorg", Accredited: false,
				On: day(2025, 8, 1), Outcome: casus.RiskMedium, Scenarios: "Contact met de uitgereisde broer kan de jongere meetrekken.", NextOn: day(2026, 2, 1)}}
			reconsider := day(2026, 9, 1)
			c.Informing = &casus.Informing{Ground: "Veiligheid: informeren kan de uitgereisde broer waarschuwen", ReconsiderOn: &reconsider}
		},
		"case-06": func(c *Case) {
			c.Weighings = []Weighing{{ID: "w-06", Members: team("org-oov-amstelveen"), Criteria: check("VIOLENCE", "NETWORK"), Outcome: casus.WeighingMoreInformation,
				Reasons: "Dreigbrieven zijn ernstig, maar het is onduidelijk wie ze stuurde.", MissingInformation: "Uitkomst van het politieonderzoek naar de afzender",
				InformationDue: day(2026, 12, 18), WeighedOn: day(2026, 9, 22)}}
		},
		"case-08": func(c *Case) {
			c.Weighings = []Weighing{include("w-08", day(2025, 1, 13), "org-oov-amsterdam", "Terugkeerster met jonge kinderen; strafzaak en zorg lopen samen.", "IDEOLOGY", "TRAVEL", "VULNERABILITY", "EXISTING_CARE", "PROPORTIONALITY")}
			c.Conferences = []Conference{firstConference("conf-08", day(2025, 1, 20), "Samira El Idrissi", "org-om", "org-nctv", "org-ggd", "org-jeugdzorg")}
			c.Goals = []Goal{{ID: "goal-08", Domain: casus.DomainHealth, Description: "Moeder en kinderen krijgen traumazorg", CreatedAt: at(2025, 1, 21, 10), ProgressAt: at(2026, 10, 5, 9), Interventions: []string{"int-09"},
				Actions: []Action{{ID: "act-08", ConferenceID: "conf-08", Description: "Zorg voor de kinderen via jeugdzorg", OrganisationID: "org-jeugdzorg", Due: day(2026, 12, 31), Status: casus.ActionOpen}}}}
			c.Assessments = []Assessment{{ID: "as-08", Instrument: casus.InstrumentVERA2R, Assessor: "drs. H. Kaya", OrganisationID: "org-ggd", Accredited: true,
				On: day(2026, 6, 1), Outcome: casus.RiskHigh, Scenarios: "Ideologische binding blijft; risico vooral op beïnvloeding van de kinderen.", NextOn: day(2026, 12, 1)}}
			c.Informing = informed(day(2025, 1, 15), "Samira El Idrissi")
		},
		"case-09": func(c *Case) {
			c.Weighings = []Weighing{include("w-09", day(2026, 4, 27), "org-oov-amsterdam", "Minderjarige in online contact met een ronselaar.", "IDEOLOGY", "NETWORK", "VULNERABILITY", "PROPORTIONALITY")}
			c.Conferences = []Conference{firstConference("conf-09", day(2026, 5, 11), "Samira El Idrissi", "org-jongerenwerk", "org-moskee")}
			c.Goals = []Goal{{ID: "goal-09", Domain: casus.DomainSocialNetwork, Description: "Youssef heeft een vaste mentor en nieuwe vrienden", CreatedAt: at(2026, 5, 12, 10), Interventions: []string{"int-11"},
				Actions: []Action{{ID: "act-09", ConferenceID: "conf-09", Description: "Kennismaking met mentor regelen", OrganisationID: "org-jongerenwerk", Owner: "M. Aksoy", Due: day(2027, 1, 15), Status: casus.ActionOpen}}}}
		},
		"case-10": func(c *Case) {
			c.Weighings = []Weighing{{ID: "w-10", Members: team("org-oov-amstelveen"), Criteria: check("PROTECTIVE", "EXISTING_CARE"), Outcome: casus.WeighingNoAction,
				Reasons: "Uitingen passen bij puberaal gedrag; school en ouders pakken het op. Geen opname in de PGA.", WeighedOn: day(2025, 10, 6)}}
		},
		"case-13": func(c *Case) {
			c.Weighings = []Weighing{{ID: "w-13", Members: team("org-oov-amsterdam"), Criteria: check("IDEOLOGY", "VIOLENCE", "NETWORK"), Outcome: casus.WeighingRefer,
				Reasons: "Strafbare voorbereidingshandelingen: het strafrecht gaat voor; het OM neemt de zaak over.", WeighedOn: day(2026, 6, 3)}}
		},
		"case-11": func(c *Case) {
			c.Weighings = []Weighing{include("w-11", day(2024, 5, 20), "org-oov-amstelveen", "Reisplannen van een jongvolwassene.", "TRAVEL", "IDEOLOGY")}
			c.Conferences = []Conference{firstConference("conf-11", day(2024, 6, 3), "Anouk de Vries", "org-ggd")}
			c.Goals = []Goal{{ID: "goal-11", Domain: casus.DomainIdeology, Description: "Reisplannen losgelaten", CreatedAt: at(2024, 6, 4, 10), ProgressAt: at(2025, 2, 20, 9), Interventions: []string{"int-13"},
				Actions: []Action{{ID: "act-11", ConferenceID: "conf-11", Description: "Gesprekken met psycholoog", OrganisationID: "org-ggd", Due: day(2025, 2, 28), Status: casus.ActionDone, Result: "Reisplannen losgelaten"}}}}
		},
	}
	for i := range d.Cases {
		if f, ok := content[d.Cases[i].ID]; ok {
			f(&d.Cases[i])
		}
	}
}
