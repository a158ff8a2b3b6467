package demo

import (
	"casusnet/internal/casus"
	"time"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func at(y, m, d, h int) time.Time { return time.Date(y, time.Month(m), d, h, 0, 0, 0, time.UTC) }

// Region returns the demo region: the five Amstelland municipalities and
// Amsterdam. It returns fresh values on every call.
func Region() Data {
	d := Data{
		Municipalities: []Municipality{
			{Code: "GM0358", Name: "Aalsmeer", Inhabitants: 33_000, Mayor: "G. van Rijn-Vos"},
			{Code: "GM0362", Name: "Amstelveen", Inhabitants: 92_000, Mayor: "T. Poortvliet"},
			{Code: "GM0384", Name: "Diemen", Inhabitants: 32_000, Mayor: "M. de Kort"},
			{Code: "GM0437", Name: "Ouder-Amstel", Inhabitants: 14_500, Mayor: "J. Hollander"},
			{Code: "GM0451", Name: "Uithoorn", Inhabitants: 31_500, Mayor: "P. Koelewijn"},
			{Code: "GM0363", Name: "Amsterdam", Inhabitants: 930_000, Mayor: "F. van der Linden"},
		},
		Organisations: []Organisation{
			{ID: "org-oov-amstelveen", Name: "Gemeente Amstelveen, afdeling OOV", Type: "MUNICIPALITY_OOV", ProvidesDirectors: true},
			{ID: "org-oov-amsterdam", Name: "Gemeente Amsterdam, directie OOV", Type: "MUNICIPALITY_OOV"},
			{ID: "org-avz", Name: "Actiecentrum Veiligheid en Zorg", Type: "OTHER", ProvidesDirectors: true},
			{ID: "org-regio", Name: "Regionaal team radicalisering Amstelland", Type: "MUNICIPALITY_OOV", ProvidesDirectors: true},
			{ID: "org-politie", Name: "Politie eenheid Amsterdam", Type: "POLICE"},
			{ID: "org-om", Name: "Openbaar Ministerie, arrondissement Amsterdam", Type: "PUBLIC_PROSECUTOR"},
			{ID: "org-nctv", Name: "NCTV", Type: "NCTV"},
			{ID: "org-jongerenwerk", Name: "Jongerenwerk Amstelland", Type: "YOUTH_WORK", ProvidesInterventions: true},
			{ID: "org-welzijn", Name: "Welzijn Amstelland", Type: "WELFARE", ProvidesInterventions: true},
			{ID: "org-jeugdzorg", Name: "Jeugdzorg Amstelland", Type: "YOUTH_CARE", ProvidesDirectors: true, ProvidesInterventions: true},
			{ID: "org-ggd", Name: "GGD Amsterdam-Amstelland", Type: "GGD", ProvidesInterventions: true},
			{ID: "org-school-keizer", Name: "Amstelland Lyceum", Type: "SCHOOL"},
			{ID: "org-school-thamen", Name: "Scholengemeenschap De Waterkant", Type: "SCHOOL"},
			{ID: "org-moskee", Name: "Stichting Moskee Al-Amal", Type: "OTHER", ProvidesInterventions: true},
		},
		Directors: []Director{
			{ID: "dir-de-vries", Name: "Anouk de Vries", OrganisationID: "org-avz", Municipalities: []string{"GM0362", "GM0384", "GM0363", "GM0437"},
				Expertise: []string{"JIHADIST", "RETURNEES", "TRAVELLERS", "FAMILY"}, Capacity: 8},
			{ID: "dir-bakker", Name: "Ruben Bakker", OrganisationID: "org-oov-amstelveen", Municipalities: []string{"GM0358", "GM0362", "GM0437", "GM0451"},
				Expertise: []string{"RIGHT_WING", "LEFT_WING", "MINORS"}, Capacity: 6},
			{ID: "dir-el-idrissi", Name: "Samira El Idrissi", OrganisationID: "org-avz", Municipalities: []string{"GM0363", "GM0384"},
				Expertise: []string{"JIHADIST", "RECRUITERS"}, Capacity: 10},
			{ID: "dir-jansen", Name: "Mark Jansen", OrganisationID: "org-jeugdzorg", Municipalities: []string{"GM0358", "GM0451"},
				Expertise: []string{"MINORS", "FAMILY", "ANIMAL_RIGHTS"}, Capacity: 5},
			{ID: "dir-regio", Name: "Karin Smit", OrganisationID: "org-regio", Expertise: []string{"JIHADIST", "RIGHT_WING", "RECRUITERS"}, Capacity: 6},
			{ID: "dir-visser", Name: "Lotte Visser", OrganisationID: "org-oov-amstelveen", Municipalities: []string{"GM0362", "GM0437"},
				Expertise: []string{"LEFT_WING", "ANIMAL_RIGHTS", "RIGHT_WING"}, Capacity: 4},
		},
		Offerings: []Offering{
			{ID: "off-mentor", ProviderID: "org-jongerenwerk", Name: "Mentortraject", Description: "Een vaste mentor voor de jongere, wekelijks contact.", TargetRiskGroups: []casus.RiskGroup{"RADICALISING", "TRAVELLER"}},
			{ID: "off-sport", ProviderID: "org-jongerenwerk", Name: "Sport en binding", Description: "Begeleide deelname aan een sportvereniging.", TargetRiskGroups: []casus.RiskGroup{"RADICALISING"}},
			{ID: "off-gezin", ProviderID: "org-jeugdzorg", Name: "Gezinsbegeleiding", Description: "Ondersteuning van ouders en broers en zussen.", TargetRiskGroups: []casus.RiskGroup{"FAMILY_OF_TRAVELLER", "RADICALISING"}},
			{ID: "off-exit", ProviderID: "org-welzijn", Name: "Exit-programma", Description: "Begeleiding bij het verlaten van een extremistische groep.", TargetRiskGroups: []casus.RiskGroup{"RADICALISING", "RECRUITER", "TERRORIST_OR_RETURNEE"}},
			{ID: "off-schulden", ProviderID: "org-welzijn", Name: "Schuldhulpverlening", Description: "Orde op zaken in de financiën.", TargetRiskGroups: []casus.RiskGroup{"TERRORIST_OR_RETURNEE", "FAMILY_OF_TRAVELLER"}},
			{ID: "off-ggd-trauma", ProviderID: "org-ggd", Name: "Traumabehandeling", Description: "Psychologische zorg na een verblijf in een conflictgebied.", TargetRiskGroups: []casus.RiskGroup{"TERRORIST_OR_RETURNEE", "FAMILY_OF_TRAVELLER"}},
			{ID: "off-ggd-psy", ProviderID: "org-ggd", Name: "Psychologische ondersteuning", Description: "Laagdrempelige gesprekken met een psycholoog.", TargetRiskGroups: []casus.RiskGroup{"RADICALISING", "TRAVELLER"}},
			{ID: "off-dialoog", ProviderID: "org-moskee", Name: "Theologisch tegengeluid", Description: "Gesprekken met een imam over het geloof.", TargetRiskGroups: []casus.RiskGroup{"RADICALISING", "TRAVELLER", "RECRUITER"}},
			{ID: "off-school", ProviderID: "org-jeugdzorg", Name: "Terug naar school", Description: "Begeleiding bij herstart van de opleiding.", TargetRiskGroups: []casus.RiskGroup{"RADICALISING", "TRAVELLER"}},
			{ID: "off-wonen", ProviderID: "org-welzijn", Name: "Begeleid wonen", Description: "Een eigen plek met begeleiding.", TargetRiskGroups: []casus.RiskGroup{"TERRORIST_OR_RETURNEE"}},
		},
	}

	p := func(id, first, last string, birth time.Time, muni, notes string, aliases ...string) {
		d.Persons = append(d.Persons, Person{ID: id, FirstName: first, LastName: last, Aliases: aliases, BirthDate: birth, Municipality: muni, Notes: notes})
	}
	// Family El Amrani, Diemen: a returnee, a prevented traveller and their family.
	p("p-01", "Yassin", "El Amrani", day(1998, 4, 12), "GM0384", "Teruggekeerd uit Syrië in 2024.", "Abu Yusuf")
	p("p-02", "Ilyas", "El Amrani", day(2007, 9, 3), "GM0384", "Jongere broer; reisplannen in 2025 voorkomen.")
	p("p-03", "Fatima", "El Amrani", day(1972, 1, 20), "GM0384", "Moeder.")
	p("p-04", "Hassan", "El Amrani", day(1968, 6, 2), "GM0384", "Vader.")
	p("p-05", "Nadia", "El Amrani", day(2001, 11, 30), "GM0363", "Zus, woont in Amsterdam.")
	// Amstelveen: a radicalising student and his circle.
	p("p-06", "Daan", "Kuipers", day(2008, 2, 17), "GM0362", "Scholier Amstelland Lyceum; extreemrechtse memes.")
	p("p-07", "Ellen", "Kuipers", day(1979, 8, 8), "GM0362", "Moeder.")
	p("p-08", "Bas", "Kuipers", day(2005, 5, 25), "GM0362", "Oudere broer.")
	p("p-09", "Thijs", "Mulder", day(2007, 12, 1), "GM0362", "Vriend; zelfde chatgroep.", "Wolfje")
	p("p-10", "Joris", "Hendriks", day(2006, 3, 14), "GM0451", "Chatgroep; woont in Uithoorn.")
	p("p-11", "Ruud", "Verbeek", day(1985, 10, 9), "GM0358", "Beheerder van de chatgroep; verdacht van ronselen.", "Kapitein")
	// The recruiter who reaches several subjects.
	p("p-12", "Karim", "Benali", day(1990, 7, 7), "GM0363", "In beeld als ronselaar voor jihadistische netwerken.", "Abu Hamza", "K.B.")
	// Ouder-Amstel: a traveller's family.
	p("p-13", "Mohamed", "Ouali", day(2003, 1, 5), "GM0437", "Vermoedelijk uitgereisd in 2025.")
	p("p-14", "Samir", "Ouali", day(2009, 6, 18), "GM0437", "Jongere broer van een uitreiziger.")
	p("p-15", "Khadija", "Ouali", day(1975, 4, 4), "GM0437", "Moeder.")
	p("p-16", "Amina", "Ouali", day(2000, 2, 29), "GM0363", "Zus.")
	// Aalsmeer: animal-rights activists.
	p("p-17", "Femke", "de Groot", day(1995, 9, 21), "GM0358", "Actief in dierenrechtenactiegroep; bedreigingen aan kwekers.")
	p("p-18", "Sven", "Dijkstra", day(1993, 12, 12), "GM0358", "Actiegroep.")
	p("p-19", "Iris", "van Leeuwen", day(1998, 3, 3), "GM0451", "Actiegroep.")
	// Uithoorn: left-wing extremism.
	p("p-20", "Noah", "Smit", day(1999, 7, 19), "GM0451", "Betrokken bij gewelddadige demonstraties.")
	p("p-21", "Lisa", "Smit", day(2001, 8, 2), "GM0451", "Zus; niet betrokken.")
	// Amsterdam: a returnee and her children.
	p("p-22", "Sara", "Haddou", day(1994, 5, 11), "GM0363", "Teruggekeerd uit kamp Roj met twee kinderen.")
	p("p-23", "Adam", "Haddou", day(2017, 10, 1), "GM0363", "Zoon; in jeugdzorg.")
	p("p-24", "Maryam", "Haddou", day(2019, 12, 24), "GM0363", "Dochter; in jeugdzorg.")
	p("p-25", "Rachid", "Haddou", day(1966, 3, 30), "GM0384", "Vader van Sara.")
	// Diemen: an online radicalising minor.
	p("p-26", "Youssef", "Tahiri", day(2009, 1, 15), "GM0384", "Volgt jihadistische kanalen op Telegram.")
	p("p-27", "Laila", "Tahiri", day(1980, 9, 9), "GM0384", "Moeder.")
	// Professionals and key figures (formal and informal networks).
	p("p-28", "Willem", "de Boer", day(1975, 2, 2), "GM0362", "Docent geschiedenis Amstelland Lyceum.")
	p("p-29", "Meryem", "Aksoy", day(1988, 4, 27), "GM0384", "Jongerenwerker Diemen.")
	p("p-30", "Abdelkader", "Zerouali", day(1962, 11, 11), "GM0384", "Imam Al-Amal.")
	p("p-31", "Kees", "Bos", day(1970, 6, 6), "GM0362", "Voetbaltrainer AFC Amstelveen.")
	p("p-32", "Nicole", "Peters", day(1983, 1, 23), "GM0363", "Casemanager reclassering.")
	p("p-33", "Hanneke", "Vos", day(1986, 3, 17), "GM0437", "Mentor De Waterkant.")
	p("p-34", "Erik", "Meijer", day(1979, 5, 5), "GM0451", "Wijkagent Uithoorn.")
	p("p-35", "Soufiane", "Amrani", day(1996, 8, 14), "GM0363", "Sleutelfiguur in de wijk; oud-jongerenwerker.")
	p("p-36", "Tom", "Wouters", day(1992, 10, 10), "GM0358", "Online contact; verspreidt dierenrechtenpropaganda.")
	p("p-37", "Jamal", "Idrissi", day(2004, 4, 1), "GM0363", "Vriend van Ilyas en Samir.")
	p("p-38", "Ayoub", "Chaouch", day(2002, 2, 12), "GM0437", "Vriend van Mohamed; contact met Karim Benali.")
	p("p-39", "Emma", "Jacobs", day(2008, 7, 7), "GM0362", "Klasgenoot van Daan; meldde zorgen.")
	p("p-40", "Ahmed", "Bouzid", day(1988, 12, 3), "GM0363", "Gezinscoach jeugdzorg.")

	rel := func(from string, kind casus.RelativeKind, to string) {
		d.Relatives = append(d.Relatives, Relative{From: from, To: to, Kind: kind})
	}
	rel("p-03", "PARENT", "p-01")
	rel("p-04", "PARENT", "p-01")
	rel("p-03", "PARENT", "p-02")
	rel("p-04", "PARENT", "p-02")
	rel("p-02", "SIBLING", "p-01")
	rel("p-05", "SIBLING", "p-01")
	rel("p-04", "PARTNER", "p-03")
	rel("p-07", "PARENT", "p-06")
	rel("p-08", "SIBLING", "p-06")
	rel("p-15", "PARENT", "p-13")
	rel("p-15", "PARENT", "p-14")
	rel("p-14", "SIBLING", "p-13")
	rel("p-16", "SIBLING", "p-13")
	rel("p-21", "SIBLING", "p-20")
	rel("p-22", "PARENT", "p-23")
	rel("p-22", "PARENT", "p-24")
	rel("p-23", "SIBLING", "p-24")
	rel("p-25", "PARENT", "p-22")
	rel("p-27", "PARENT", "p-26")
	rel("p-35", "OTHER", "p-01")

	contact := func(from, to string, network casus.Network, role casus.ContactRole, since time.Time, source string, confidence float64) {
		d.Contacts = append(d.Contacts, Contact{From: from, To: to, Network: network, Role: role, Since: since, Source: source, Confidence: confidence})
	}
	// The recruiter reaches subjects of three cases in three municipalities.
	contact("p-01", "p-12", "INFORMAL", "RECRUITER", day(2022, 3, 1), "politie", 0.8)
	contact("p-13", "p-12", "INFORMAL", "RECRUITER", day(2024, 9, 1), "politie", 0.7)
	contact("p-26", "p-12", "INFORMAL", "ONLINE_CONTACT", day(2026, 2, 1), "NCTV", 0.5)
	contact("p-38", "p-12", "INFORMAL", "FRIEND", day(2023, 6, 1), "jongerenwerk", 0.6)
	contact("p-13", "p-38", "INFORMAL", "FRIEND", day(2019, 1, 1), "jongerenwerk", 0.9)
	contact("p-02", "p-37", "INFORMAL", "FRIEND", day(2021, 5, 1), "school", 0.9)
	contact("p-14", "p-37", "INFORMAL", "FRIEND", day(2023, 2, 1), "jongerenwerk", 0.7)
	contact("p-02", "p-01", "INFORMAL", "KEY_FIGURE", day(2024, 6, 1), "gezin", 1.0)
	// Right-wing chat group.
	contact("p-06", "p-09", "INFORMAL", "FRIEND", day(2023, 9, 1), "school", 0.9)
	contact("p-06", "p-11", "INFORMAL", "ONLINE_CONTACT", day(2025, 11, 1), "politie", 0.7)
	contact("p-09", "p-11", "INFORMAL", "ONLINE_CONTACT", day(2025, 10, 1), "politie", 0.7)
	contact("p-10", "p-11", "INFORMAL", "RECRUITER", day(2025, 8, 1), "politie", 0.6)
	contact("p-06", "p-39", "INFORMAL", "FRIEND", day(2022, 9, 1), "school", 0.5)
	// Animal rights.
	contact("p-17", "p-18", "INFORMAL", "FRIEND", day(2020, 4, 1), "politie", 0.9)
	contact("p-17", "p-36", "INFORMAL", "ONLINE_CONTACT", day(2024, 1, 1), "politie", 0.6)
	contact("p-19", "p-17", "INFORMAL", "KEY_FIGURE", day(2025, 3, 1), "politie", 0.7)
	contact("p-20", "p-19", "INFORMAL", "FRIEND", day(2023, 5, 1), "politie", 0.4)
	// Formal networks built by the directors.
	contact("p-06", "p-28", "FORMAL", "TEACHER", day(2022, 9, 1), "school", 1.0)
	contact("p-06", "p-31", "FORMAL", "SPORTS_COACH", day(2021, 8, 1), "gezin", 1.0)
	contact("p-09", "p-28", "FORMAL", "TEACHER", day(2022, 9, 1), "school", 1.0)
	contact("p-02", "p-29", "FORMAL", "YOUTH_WORKER", day(2025, 3, 1), "jongerenwerk", 1.0)
	contact("p-26", "p-29", "FORMAL", "YOUTH_WORKER", day(2026, 4, 1), "jongerenwerk", 1.0)
	contact("p-02", "p-30", "FORMAL", "IMAM", day(2025, 6, 1), "casusregisseur", 0.9)
	contact("p-01", "p-32", "FORMAL", "PROBATION_OFFICER", day(2024, 8, 1), "reclassering", 1.0)
	contact("p-01", "p-30", "FORMAL", "IMAM", day(2024, 9, 1), "casusregisseur", 0.8)
	contact("p-14", "p-33", "FORMAL", "TEACHER", day(2023, 9, 1), "school", 1.0)
	contact("p-20", "p-34", "FORMAL", "KEY_FIGURE", day(2024, 2, 1), "politie", 0.8)
	contact("p-22", "p-40", "FORMAL", "CASE_WORKER", day(2025, 1, 15), "jeugdzorg", 1.0)
	contact("p-22", "p-32", "FORMAL", "PROBATION_OFFICER", day(2025, 1, 15), "reclassering", 1.0)
	contact("p-26", "p-35", "INFORMAL", "KEY_FIGURE", day(2026, 5, 1), "jongerenwerk", 0.8)
	contact("p-13", "p-35", "INFORMAL", "KEY_FIGURE", day(2021, 1, 1), "jongerenwerk", 0.6)
	contact("p-17", "p-34", "FORMAL", "KEY_FIGURE", day(2025, 9, 1), "politie", 0.7)
	contact("p-10", "p-33", "FORMAL", "TEACHER", day(2024, 9, 1), "school", 0.9)
	contact("p-11", "p-36", "INFORMAL", "ONLINE_CONTACT", day(2025, 12, 1), "politie", 0.3)
	contact("p-22", "p-12", "INFORMAL", "OTHER", day(2019, 1, 1), "NCTV", 0.4)

	d.Memberships = []Membership{
		{PersonID: "p-28", OrganisationID: "org-school-keizer"},
		{PersonID: "p-33", OrganisationID: "org-school-thamen"},
		{PersonID: "p-29", OrganisationID: "org-jongerenwerk"},
		{PersonID: "p-30", OrganisationID: "org-moskee"},
		{PersonID: "p-40", OrganisationID: "org-jeugdzorg"},
		{PersonID: "p-34", OrganisationID: "org-politie"},
	}
	d.Groups = []Group{
		{ID: "grp-chat", Name: "Telegramgroep 'Vaderland Eerst'", Members: []string{"p-06", "p-09", "p-10", "p-11"}},
		{ID: "grp-dieren", Name: "Actiegroep 'Bevrijd de Kas'", Members: []string{"p-17", "p-18", "p-19"}},
	}

	mv := func(phase casus.Phase, t time.Time, reason string) Move {
		return Move{Phase: phase, At: t, Reason: reason}
	}
	d.Cases = []Case{
		{ID: "case-01", Reference: "AM-2025-0011", Municipality: "GM0384", Subjects: []string{"p-01"},
			RiskGroups: []casus.RiskGroup{"TERRORIST_OR_RETURNEE", "RECRUITER"}, Ideology: "JIHADIST", RiskLevel: "HIGH",
			Phase: "EXECUTION", EscalationLevel: "NATIONAL", DirectorID: "dir-de-vries",
			Summary: "Teruggekeerde uitreiziger; contact met bekende ronselaar.", OpenedAt: at(2025, 2, 3, 9),
			NextReview: day(2026, 11, 2),
			Course: []Move{mv("ASSESSMENT", at(2025, 2, 10, 10), "Informatie politie en NCTV verzameld"),
				mv("CASE_CONFERENCE", at(2025, 3, 4, 14), "Casusoverleg met partners"),
				mv("ACTION_PLAN", at(2025, 3, 18, 11), "Plan opgesteld"),
				mv("EXECUTION", at(2025, 4, 1, 9), "Interventies gestart")},
			Interventions: []Intervention{
				{ID: "int-01", OfferingID: "off-ggd-trauma", Status: "ACTIVE", Goal: "Verwerking van oorlogservaringen", Start: day(2025, 4, 7)},
				{ID: "int-02", OfferingID: "off-wonen", Status: "COMPLETED", Goal: "Stabiele woonsituatie", Start: day(2025, 4, 1), End: day(2025, 10, 1), Outcome: "Eigen woning met begeleiding"},
				{ID: "int-03", OfferingID: "off-dialoog", Status: "STOPPED", Goal: "Theologisch tegengeluid", Start: day(2025, 5, 1), End: day(2025, 7, 1), Outcome: "Betrokkene weigerde verdere gesprekken"},
			},
			Measures: []Measure{{ID: "meas-01", Type: "REPORTING_DUTY", Decision: "IMPOSED", DecidedBy: "M. de Kort", Reason: "Zicht op betrokkene houden", DecidedAt: at(2025, 3, 20, 12)},
				{ID: "meas-02", Type: "CONTACT_BAN", Decision: "IMPOSED", DecidedBy: "M. de Kort", Reason: "Contact met ronselaar verbreken", DecidedAt: at(2025, 3, 20, 12)}}},
		{ID: "case-02", Reference: "AM-2025-0014", Municipality: "GM0384", Subjects: []string{"p-02"},
			RiskGroups: []casus.RiskGroup{"TRAVELLER", "FAMILY_OF_TRAVELLER"}, Ideology: "JIHADIST", RiskLevel: "HIGH",
			Phase: "AFTERCARE", EscalationLevel: "AVZ", DirectorID: "dir-de-vries",
			Summary: "Voorkomen uitreis van minderjarige broer van een terugkeerder.", OpenedAt: at(2025, 3, 12, 8),
			NextReview: day(2026, 12, 15),
			Course: []Move{mv("ASSESSMENT", at(2025, 3, 13, 9), "Spoedbeoordeling"),
				mv("CASE_CONFERENCE", at(2025, 3, 17, 15), "Casusoverleg"),
				mv("ACTION_PLAN", at(2025, 3, 24, 10), "Plan met school en gezin"),
				mv("EXECUTION", at(2025, 4, 1, 9), "Uitvoering"),
				mv("AFTERCARE", at(2026, 6, 1, 9), "Doelen behaald; nazorg")},
			Interventions: []Intervention{
				{ID: "int-04", OfferingID: "off-mentor", Status: "COMPLETED", Goal: "Vaste mentor en dagbesteding", Start: day(2025, 4, 2), End: day(2026, 5, 30), Outcome: "Weer op school, nieuwe vrienden"},
				{ID: "int-05", OfferingID: "off-gezin", Status: "ACTIVE", Goal: "Ouders versterken in opvoeding", Start: day(2025, 4, 15)},
			},
			Measures: []Measure{{ID: "meas-03", Type: "PASSPORT_WITHDRAWAL", Decision: "IMPOSED", DecidedBy: "M. de Kort", Reason: "Concrete reisplannen", DecidedAt: at(2025, 3, 14, 16)}}},
		{ID: "case-03", Reference: "AM-2026-0003", Municipality: "GM0362", Subjects: []string{"p-06"}, GroupID: "grp-chat",
			RiskGroups: []casus.RiskGroup{"RADICALISING"}, Ideology: "RIGHT_WING", RiskLevel: "MEDIUM",
			Phase: "CASE_CONFERENCE", EscalationLevel: "REGIONAL", DirectorID: "dir-bakker",
			Summary: "Scholier deelt extreemrechtse memes in een besloten Telegramgroep.", OpenedAt: at(2026, 1, 20, 10),
			NextReview: day(2026, 11, 10),
			Course: []Move{mv("ASSESSMENT", at(2026, 1, 27, 10), "Gesprek met school"),
				mv("CASE_CONFERENCE", at(2026, 2, 24, 14), "Casusoverleg gepland")}},
		{ID: "case-04", Reference: "AM-2026-0004", Municipality: "GM0451", GroupID: "grp-chat",
			RiskGroups: []casus.RiskGroup{"RECRUITER", "RADICALISING"}, Ideology: "RIGHT_WING", RiskLevel: "HIGH",
			Phase: "ACTION_PLAN", EscalationLevel: "AVZ", DirectorID: "dir-bakker",
			Summary: "Beheerder van de Telegramgroep ronselt minderjarigen.", OpenedAt: at(2026, 2, 2, 9),
			NextReview: day(2026, 12, 1),
			Course: []Move{mv("ASSESSMENT", at(2026, 2, 3, 9), "Politie-informatie"),
				mv("CASE_CONFERENCE", at(2026, 2, 17, 14), "Casusoverleg"),
				mv("ACTION_PLAN", at(2026, 3, 3, 11), "Plan in voorbereiding")},
			Interventions: []Intervention{{ID: "int-06", OfferingID: "off-exit", Status: "PROPOSED", Goal: "Uitstap uit de groep"}}},
		{ID: "case-05", Reference: "AM-2025-0020", Municipality: "GM0437", Subjects: []string{"p-14", "p-15"},
			RiskGroups: []casus.RiskGroup{"FAMILY_OF_TRAVELLER"}, Ideology: "JIHADIST", RiskLevel: "MEDIUM",
			Phase: "EXECUTION", EscalationLevel: "REGIONAL", DirectorID: "dir-de-vries",
			Summary: "Gezin van een vermoedelijke uitreiziger; broer op school in beeld.", OpenedAt: at(2025, 6, 2, 10),
			NextReview: day(2026, 10, 1),
			Course: []Move{mv("ASSESSMENT", at(2025, 6, 9, 10), "Huisbezoek"),
				mv("CASE_CONFERENCE", at(2025, 6, 23, 14), "Casusoverleg"),
				mv("ACTION_PLAN", at(2025, 7, 7, 10), "Plan"),
				mv("EXECUTION", at(2025, 8, 25, 9), "Start na de zomer")},
			Interventions: []Intervention{
				{ID: "int-07", OfferingID: "off-gezin", Status: "ACTIVE", Goal: "Steun aan moeder en broer", Start: day(2025, 9, 1)},
				{ID: "int-08", OfferingID: "off-school", Status: "ACTIVE", Goal: "Schoolgang van Samir", Start: day(2025, 9, 1)},
			}},
		{ID: "case-06", Reference: "AM-2026-0006", Municipality: "GM0358", GroupID: "grp-dieren", Subjects: []string{"p-17"},
			RiskGroups: []casus.RiskGroup{"RADICALISING"}, Ideology: "ANIMAL_RIGHTS", RiskLevel: "MEDIUM",
			Phase: "ASSESSMENT", EscalationLevel: "LOCAL", DirectorID: "dir-jansen",
			Summary: "Bedreigingen aan bloemkwekers door een dierenrechtenactiegroep.", OpenedAt: at(2026, 9, 1, 9),
			NextReview: day(2026, 11, 30),
			Course:     []Move{mv("ASSESSMENT", at(2026, 9, 8, 10), "Informatie van de politie")}},
		{ID: "case-07", Reference: "AM-2026-0007", Municipality: "GM0451", Subjects: []string{"p-20"},
			RiskGroups: []casus.RiskGroup{"RADICALISING"}, Ideology: "LEFT_WING", RiskLevel: "LOW",
			Phase: "REGISTERED", EscalationLevel: "LOCAL",
			Summary: "Betrokkenheid bij gewelddadige demonstraties; nog geen regisseur.", OpenedAt: at(2026, 11, 16, 9),
			NextReview: day(2026, 12, 7)},
		{ID: "case-08", Reference: "AM-2025-0031", Municipality: "GM0363", Subjects: []string{"p-22", "p-23", "p-24"},
			RiskGroups: []casus.RiskGroup{"TERRORIST_OR_RETURNEE", "FAMILY_OF_TRAVELLER"}, Ideology: "JIHADIST", RiskLevel: "HIGH",
			Phase: "EXECUTION", EscalationLevel: "NATIONAL", DirectorID: "dir-el-idrissi",
			Summary: "Terugkeerster met twee jonge kinderen uit kamp Roj.", OpenedAt: at(2025, 1, 10, 9),
			NextReview: day(2026, 11, 18),
			Course: []Move{mv("ASSESSMENT", at(2025, 1, 11, 9), "Bij aankomst"),
				mv("CASE_CONFERENCE", at(2025, 1, 14, 14), "Casusoverleg met OM en NCTV"),
				mv("ACTION_PLAN", at(2025, 1, 21, 10), "Plan"),
				mv("EXECUTION", at(2025, 2, 1, 9), "Uitvoering")},
			Interventions: []Intervention{
				{ID: "int-09", OfferingID: "off-ggd-trauma", Status: "ACTIVE", Goal: "Traumazorg moeder en kinderen", Start: day(2025, 2, 3)},
				{ID: "int-10", OfferingID: "off-schulden", Status: "COMPLETED", Goal: "Schulden in kaart", Start: day(2025, 2, 10), End: day(2025, 9, 1), Outcome: "Regeling getroffen"},
			},
			Measures: []Measure{{ID: "meas-04", Type: "AREA_BAN", Decision: "REJECTED", DecidedBy: "F. van der Linden", Reason: "Niet proportioneel", DecidedAt: at(2025, 1, 20, 12)}}},
		{ID: "case-09", Reference: "AM-2026-0009", Municipality: "GM0384", Subjects: []string{"p-26"},
			RiskGroups: []casus.RiskGroup{"RADICALISING"}, Ideology: "JIHADIST", RiskLevel: "MEDIUM",
			Phase: "ACTION_PLAN", EscalationLevel: "REGIONAL", DirectorID: "dir-el-idrissi",
			Summary: "Minderjarige volgt jihadistische kanalen; online contact met ronselaar.", OpenedAt: at(2026, 4, 14, 9),
			NextReview: day(2026, 11, 20),
			Course: []Move{mv("ASSESSMENT", at(2026, 4, 15, 9), "Gesprek met moeder"),
				mv("CASE_CONFERENCE", at(2026, 4, 28, 14), "Casusoverleg"),
				mv("ACTION_PLAN", at(2026, 5, 12, 10), "Plan")},
			Interventions: []Intervention{
				{ID: "int-11", OfferingID: "off-mentor", Status: "PROPOSED", Goal: "Mentor via jongerenwerk"},
				{ID: "int-12", OfferingID: "off-dialoog", Status: "PROPOSED", Goal: "Gesprekken met imam"},
			}},
		{ID: "case-10", Reference: "AM-2025-0008", Municipality: "GM0362", Subjects: []string{"p-09"},
			RiskGroups: []casus.RiskGroup{"RADICALISING"}, Ideology: "RIGHT_WING", RiskLevel: "LOW",
			Phase: "CLOSED", EscalationLevel: "LOCAL", DirectorID: "dir-visser",
			Summary: "Zorgen over extreemrechtse uitingen; na beoordeling geen verdere actie.", OpenedAt: at(2025, 9, 15, 9),
			Course: []Move{mv("ASSESSMENT", at(2025, 9, 22, 10), "Gesprek met ouders en school"),
				mv("CLOSED", at(2025, 10, 6, 10), "Geen verdere actie nodig")}},
		{ID: "case-11", Reference: "AM-2024-0019", Municipality: "GM0437", Subjects: []string{"p-38"},
			RiskGroups: []casus.RiskGroup{"RADICALISING", "TRAVELLER"}, Ideology: "JIHADIST", RiskLevel: "MEDIUM",
			Phase: "CLOSED", EscalationLevel: "REGIONAL", DirectorID: "dir-de-vries",
			Summary: "Reisplannen van een jongvolwassene; traject afgerond.", OpenedAt: at(2024, 5, 6, 9),
			Course: []Move{mv("ASSESSMENT", at(2024, 5, 8, 10), "Beoordeling"),
				mv("CASE_CONFERENCE", at(2024, 5, 21, 14), "Casusoverleg"),
				mv("ACTION_PLAN", at(2024, 6, 4, 10), "Plan"),
				mv("EXECUTION", at(2024, 6, 18, 9), "Uitvoering"),
				mv("AFTERCARE", at(2025, 3, 1, 9), "Nazorg"),
				mv("CLOSED", at(2025, 9, 1, 9), "Nazorg afgerond zonder nieuwe signalen")},
			Interventions: []Intervention{{ID: "int-13", OfferingID: "off-ggd-psy", Status: "COMPLETED", Goal: "Gesprekken", Start: day(2024, 6, 20), End: day(2025, 2, 20), Outcome: "Reisplannen losgelaten"}}},
		{ID: "case-12", Reference: "AM-2026-0012", Municipality: "GM0358", Subjects: []string{"p-36"},
			RiskGroups: []casus.RiskGroup{"RECRUITER"}, Ideology: "OTHER", RiskLevel: "LOW",
			Phase: "REGISTERED", EscalationLevel: "LOCAL", DirectorID: "dir-jansen",
			Summary: "Online verspreider van oproepen tot actie; ideologie gemengd.", OpenedAt: at(2026, 11, 9, 9),
			NextReview: day(2026, 12, 14)},
		{ID: "case-13", Reference: "AM-2026-0013", Municipality: "GM0363", Subjects: []string{"p-37"},
			RiskGroups: []casus.RiskGroup{"RADICALISING"}, Ideology: "JIHADIST", RiskLevel: "HIGH",
			Phase: "CLOSED", EscalationLevel: "REGIONAL", DirectorID: "dir-el-idrissi",
			Summary: "Voorbereidingshandelingen voor een aanslag gemeld; na weging overgedragen aan het OM.", OpenedAt: at(2026, 6, 2, 9),
			Course: []Move{mv("ASSESSMENT", at(2026, 6, 2, 11), "Spoedweging"),
				mv("CLOSED", at(2026, 6, 3, 10), "Overgedragen aan het Openbaar Ministerie")}},
	}

	d.Signals = []Signal{
		{ID: "sig-01", ReporterName: "Wijkagent Diemen", OrganisationID: "org-politie", Municipality: "GM0384", Description: "Terugkeerder gesignaleerd bij aankomst Schiphol.", Indicators: []string{"CONTACT_WITH_EXTREMISTS", "TRAVEL_PLANS"}, ReceivedAt: at(2025, 2, 1, 14), Status: "CASE_OPENED", About: []string{"p-01"}, CaseID: "case-01"},
		{ID: "sig-02", ReporterName: "Mentor", OrganisationID: "org-school-thamen", Municipality: "GM0384", Description: "Leerling vertelt over reis naar Turkije.", Indicators: []string{"TRAVEL_PLANS", "BEHAVIOUR_CHANGE"}, ReceivedAt: at(2025, 3, 11, 11), Status: "CASE_OPENED", About: []string{"p-02"}, CaseID: "case-02"},
		{ID: "sig-03", ReporterName: "W. de Boer", OrganisationID: "org-school-keizer", Municipality: "GM0362", Description: "Leerling deelt memes met hakenkruizen in de klas-app.", Indicators: []string{"ONLINE_PROPAGANDA", "VIOLENT_LANGUAGE"}, ReceivedAt: at(2026, 1, 15, 10), Status: "CASE_OPENED", About: []string{"p-06"}, CaseID: "case-03"},
		{ID: "sig-04", ReporterName: "Wijkagent", OrganisationID: "org-politie", Municipality: "GM0451", Description: "Telegramgroep werft minderjarigen.", Indicators: []string{"ONLINE_PROPAGANDA", "CONTACT_WITH_EXTREMISTS"}, ReceivedAt: at(2026, 1, 30, 9), Status: "CASE_OPENED", About: []string{"p-11", "p-10"}, CaseID: "case-04"},
		{ID: "sig-05", ReporterName: "H. Vos", OrganisationID: "org-school-thamen", Municipality: "GM0437", Description: "Broer van leerling is vertrokken; leerling teruggetrokken.", Indicators: []string{"ISOLATION", "BEHAVIOUR_CHANGE"}, ReceivedAt: at(2025, 5, 28, 13), Status: "CASE_OPENED", About: []string{"p-14"}, CaseID: "case-05"},
		{ID: "sig-06", ReporterName: "E. Meijer", OrganisationID: "org-politie", Municipality: "GM0358", Description: "Dreigbrieven bij kwekerijen.", Indicators: []string{"VIOLENT_LANGUAGE"}, ReceivedAt: at(2026, 8, 28, 9), Status: "CASE_OPENED", About: []string{"p-17"}, CaseID: "case-06"},
		{ID: "sig-07", ReporterName: "E. Meijer", OrganisationID: "org-politie", Municipality: "GM0451", Description: "Aangehouden bij gewelddadige demonstratie.", Indicators: []string{"SUPPORT_FOR_VIOLENCE"}, ReceivedAt: at(2026, 11, 14, 22), Status: "CASE_OPENED", About: []string{"p-20"}, CaseID: "case-07"},
		{ID: "sig-08", ReporterName: "NCTV", OrganisationID: "org-nctv", Municipality: "GM0363", Description: "Repatriëring uit kamp Roj aangekondigd.", Indicators: []string{"CONTACT_WITH_EXTREMISTS"}, ReceivedAt: at(2025, 1, 6, 9), Status: "CASE_OPENED", About: []string{"p-22"}, CaseID: "case-08"},
		{ID: "sig-09", ReporterName: "M. Aksoy", OrganisationID: "org-jongerenwerk", Municipality: "GM0384", Description: "Jongere toont IS-filmpjes aan vrienden.", Indicators: []string{"ONLINE_PROPAGANDA"}, ReceivedAt: at(2026, 4, 10, 16), Status: "CASE_OPENED", About: []string{"p-26"}, CaseID: "case-09"},
		{ID: "sig-10", ReporterName: "E. Jacobs", OrganisationID: "org-school-keizer", Municipality: "GM0362", Description: "Vriend van Daan zegt rare dingen over migranten.", Indicators: []string{"VIOLENT_LANGUAGE"}, ReceivedAt: at(2025, 9, 12, 12), Status: "CASE_OPENED", About: []string{"p-09"}, CaseID: "case-10"},
		{ID: "sig-11", ReporterName: "Jongerenwerk", OrganisationID: "org-jongerenwerk", Municipality: "GM0437", Description: "Jongere praat over uitreizen.", Indicators: []string{"TRAVEL_PLANS"}, ReceivedAt: at(2024, 5, 2, 15), Status: "CASE_OPENED", About: []string{"p-38"}, CaseID: "case-11"},
		{ID: "sig-12", ReporterName: "Buurtbewoner via politie", OrganisationID: "org-politie", Municipality: "GM0358", Description: "Online oproepen tot actie tegen kwekers.", Indicators: []string{"ONLINE_PROPAGANDA"}, ReceivedAt: at(2026, 11, 20, 10), Status: "NEW", About: []string{"p-36"}},
		{ID: "sig-13", ReporterName: "Docent", OrganisationID: "org-school-keizer", Municipality: "GM0362", Description: "Broer van Daan draagt symbolen.", Indicators: []string{"BEHAVIOUR_CHANGE"}, ReceivedAt: at(2026, 11, 18, 9), Status: "IN_REVIEW", About: []string{"p-08"}},
		{ID: "sig-14", ReporterName: "Welzijn", OrganisationID: "org-welzijn", Municipality: "GM0451", Description: "Zus van Noah maakt zich zorgen.", Indicators: []string{"OTHER"}, ReceivedAt: at(2026, 10, 2, 11), Status: "DISMISSED", About: []string{"p-21"}, DismissReason: "Geen aanwijzingen voor radicalisering bij de zus zelf."},
		{ID: "sig-15", ReporterName: "J. Idrissi", OrganisationID: "org-jongerenwerk", Municipality: "GM0363", Description: "Vriend vraagt naar reizen naar Syrië.", Indicators: []string{"TRAVEL_PLANS"}, ReceivedAt: at(2026, 11, 21, 17), Status: "NEW", About: []string{"p-37"}},
	}
	addProcess(&d)
	d.Escalation = amstellandAgreements()
	addEscalations(&d)
	addKnown(&d)
	return d
}
