package demo

// User is a demo user: someone a developer can sign in as, one per role, in
// the demo region.
type User struct {
	ID             string
	Name           string
	Role           string
	Organisation   string
	Municipalities []string
}

// Users are the demo region's users, one per role: the coordinator of
// Amstelland, a case director serving four municipalities, the mayor of
// Diemen, an analyst, a youth worker (partner), a teacher who reports
// signals, the privacy officer who audits, the data-protection officer
// who handles the requests of persons concerned, and the participants of
// the higher escalation levels: the region's joint case director, an
// adviser of the Actiecentrum and one of the NCTV.
var Users = []User{
	{ID: "u-coordinator", Name: "Coördinator OOV Amstelland", Role: "COORDINATOR"},
	{ID: "dir-de-vries", Name: "Anouk de Vries", Role: "DIRECTOR", Organisation: "org-avz",
		Municipalities: []string{"GM0362", "GM0384", "GM0363", "GM0437"}},
	{ID: "u-mayor-diemen", Name: "M. de Kort", Role: "MAYOR", Municipalities: []string{"GM0384"}},
	{ID: "u-analyst", Name: "Analist Amstelland", Role: "ANALYST",
		Municipalities: []string{"GM0358", "GM0362", "GM0384", "GM0437", "GM0451"}},
	{ID: "u-jongerenwerk", Name: "Jongerenwerker", Role: "PARTNER", Organisation: "org-jongerenwerk"},
	{ID: "u-docent", Name: "W. de Boer", Role: "REPORTER", Organisation: "org-school-keizer"},
	{ID: "u-privacy", Name: "Privacy officer", Role: "AUDITOR"},
	{ID: "u-fg", Name: "Functionaris gegevensbescherming", Role: "DPO",
		Municipalities: []string{"GM0358", "GM0362", "GM0363", "GM0384", "GM0437", "GM0451"}},
	{ID: "dir-regio", Name: "Karin Smit", Role: "DIRECTOR", Organisation: "org-regio"},
	{ID: "u-avz", Name: "Adviseur Actiecentrum", Role: "ADVISER", Organisation: "org-avz"},
	{ID: "u-nctv", Name: "Adviseur NCTV", Role: "ADVISER", Organisation: "org-nctv"},
}
