package demo

import (
	"slices"
	"time"

	"casusnet/internal/casus"
)

// amstellandAgreements are what the Amstelland municipalities agreed about
// escalating cases: the default levels, criteria and grounds, with who
// takes part at each level. REGIONAL: the regional team's coordinator and
// its joint case director. AVZ: the Actiecentrum's advisers, in full. NATIONAL:
// the NCTV's advisers, at the process level only.
func amstellandAgreements() casus.Agreements {
	as := casus.DefaultAgreements()
	as[1].Participants = []casus.Participant{{OrganisationID: "org-regio", Roles: []string{casus.RoleDirector, casus.RoleCoordinator}, Information: casus.InformationFull}}
	as[2].Participants = []casus.Participant{{OrganisationID: "org-avz", Roles: []string{casus.RoleAdviser}, Information: casus.InformationFull}}
	as[3].Participants = []casus.Participant{{OrganisationID: "org-nctv", Roles: []string{casus.RoleAdviser}, Information: casus.InformationContext}}
	return as
}

// addEscalations gives the demo's escalated cases their recorded moves, and
// shows the whole course of escalation: a case at the Actiecentrum with
// advice given and taken up (case-02), one at the national level with
// advice asked of the NCTV (case-01), and one de-escalated back to LOCAL,
// whose Actiecentrum adviser no longer sees it (case-06).
func addEscalations(d *Data) {
	as := amstellandAgreements()
	ground := func(l casus.EscalationLevel) string { a, _ := as.For(l); return a.Ground }
	move := func(id string, from, to casus.EscalationLevel, code, explanation, reason, by string, at time.Time) casus.Escalation {
		up := slices.Index(casus.EscalationLevels, from) < slices.Index(casus.EscalationLevels, to)
		higher := to
		if !up {
			higher = from
		}
		return casus.Escalation{ID: id, From: from, To: to, Up: up, Criteria: []casus.CriterionNote{{Code: code, Explanation: explanation}},
			Reason: reason, Ground: ground(higher), ByName: by, At: at}
	}
	given := func(t time.Time) *time.Time { return &t }
	for i := range d.Cases {
		c := &d.Cases[i]
		switch c.ID {
		case "case-01":
			c.Escalations = []casus.Escalation{
				move("esc-01a", "LOCAL", "REGIONAL", "MULTIPLE_MUNICIPALITIES", "Netwerk in Diemen en Amsterdam.", "Regionale aanpak nodig", "Coördinator OOV Amstelland", at(2025, 2, 12, 10)),
				move("esc-01b", "REGIONAL", "AVZ", "HIGH_RISK", "Terugkeerder met contact met een bekende ronselaar.", "Expertise Actiecentrum nodig", "Coördinator OOV Amstelland", at(2025, 2, 20, 10)),
				move("esc-01c", "AVZ", "NATIONAL", "INTERNATIONAL", "Terugkeer uit Syrië; internationale contacten.", "Landelijk zicht nodig", "Coördinator OOV Amstelland", at(2025, 3, 1, 10)),
			}
			c.Advice = []casus.Advice{{ID: "adv-01", Level: casus.EscalationNational, Question: "Zijn er landelijke aanwijzingen voor hernieuwde uitreisplannen in deze groep terugkeerders?",
				AskedBy: "Anouk de Vries", AskedAt: at(2026, 11, 20, 9), Status: casus.AdviceAsked}}
		case "case-02":
			c.Escalations = []casus.Escalation{
				move("esc-02a", "LOCAL", "AVZ", "HIGH_RISK", "Concrete reisplannen van een minderjarige.", "Spoed: expertise Actiecentrum", "Coördinator OOV Amstelland", at(2025, 3, 13, 12)),
			}
			c.Advice = []casus.Advice{{ID: "adv-02", Level: casus.EscalationAVZ, Question: "Hoe betrekken we de ouders zonder de broer te vervreemden?", AskedBy: "Anouk de Vries",
				AskedAt: at(2025, 3, 18, 9), Text: "Werk met een vaste gezinscoach en houd school en jongerenwerk op één lijn; spreek de ouders eerst zonder de broer.",
				GivenBy: "Adviseur Actiecentrum", Organisation: "org-avz", GivenAt: given(at(2025, 3, 20, 15)), Status: casus.AdviceTakenUp,
				Response: "Overgenomen in het plan van aanpak: gezinsbegeleiding met vaste coach.", AnsweredBy: "Anouk de Vries", AnsweredAt: given(at(2025, 3, 24, 10))}}
		case "case-06":
			c.Escalations = []casus.Escalation{
				move("esc-06a", "LOCAL", "AVZ", "SPECIALIST_EXPERTISE", "Dreigbrieven; expertise dierenrechtenextremisme gevraagd.", "Advies Actiecentrum", "Coördinator OOV Amstelland", at(2026, 9, 2, 10)),
				move("esc-06b", "AVZ", "LOCAL", "ADVICE_COMPLETED", "Advies gegeven en verwerkt in de beoordeling.", "Gemeente kan verder", "Coördinator OOV Amstelland", at(2026, 9, 20, 10)),
			}
		case "case-03", "case-05", "case-09":
			c.Escalations = []casus.Escalation{move("esc-"+c.ID[5:], "LOCAL", "REGIONAL", "MULTIPLE_MUNICIPALITIES", "Het netwerk raakt meer gemeenten van de regio.", "Regionaal casusoverleg", "Coördinator OOV Amstelland", c.OpenedAt.Add(72*time.Hour))}
		case "case-04":
			c.Escalations = []casus.Escalation{move("esc-04", "LOCAL", "AVZ", "COMPLEX_NETWORK", "Chatgroep met leden buiten de regio.", "Expertise Actiecentrum", "Coördinator OOV Amstelland", c.OpenedAt.Add(72*time.Hour))}
		case "case-08":
			c.Escalations = []casus.Escalation{move("esc-08", "LOCAL", "NATIONAL", "INTERNATIONAL", "Repatriëring uit kamp Roj.", "Landelijke regie", "Coördinator OOV Amstelland", c.OpenedAt.Add(24*time.Hour))}
		}
	}
}

// addKnown gives the demo "known elsewhere?" questions: a hit that the
// coordinator shared for a while (Ruben Bakker asked about a Diemen
// returnee), a hit that was declined, and a no-hit.
func addKnown(d *Data) {
	on := func(t time.Time) *time.Time { return &t }
	d.Questions = []Question{
		{ID: "kq-01", UserID: "dir-bakker", UserName: "Ruben Bakker", PurposeKind: "Signal", PurposeID: "sig-13", At: at(2026, 11, 18, 10),
			Hit: true, PersonIDs: []string{"p-01"}, CaseIDs: []string{"case-01"}},
		{ID: "kq-02", UserID: "dir-de-vries", UserName: "Anouk de Vries", PurposeKind: "Signal", PurposeID: "sig-15", At: at(2026, 11, 22, 9),
			Hit: true, PersonIDs: []string{"p-36"}, CaseIDs: []string{"case-12"}},
		{ID: "kq-03", UserID: "dir-de-vries", UserName: "Anouk de Vries", PurposeKind: "Signal", PurposeID: "sig-15", At: at(2026, 11, 22, 9)},
	}
	d.Shares = []casus.ShareRequest{
		{ID: "share-01", QuestionID: "kq-01", Reason: "De broer van Daan heeft contact met deze persoon; wij willen de aanpak afstemmen.",
			AskedAt: at(2026, 11, 18, 11), Status: casus.ShareGranted, Decision: "Afstemming tussen de regisseurs is nodig.",
			DecidedBy: "Coördinator OOV Amstelland", DecidedAt: on(at(2026, 11, 19, 9)), Until: on(at(2027, 2, 19, 0))},
		{ID: "share-02", QuestionID: "kq-02", Reason: "Mogelijk dezelfde persoon als in een Amsterdamse melding.",
			AskedAt: at(2026, 11, 22, 10), Status: casus.ShareDeclined, Decision: "Geen noodzaak: de Aalsmeerse casus staat los van deze melding.",
			DecidedBy: "Coördinator OOV Amstelland", DecidedAt: on(at(2026, 11, 23, 9))},
	}
}
