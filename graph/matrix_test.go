package graph_test

import (
	"fmt"
	"slices"
	"testing"

	"casusnet/internal/casus"
)

// target is what a mutation acts on, in or out of a role's scope.
type target struct {
	caseID, personID, signalID, interventionID, municipality string
	actionID, conferenceID, goalID                           string
}

// scopes gives each role one target inside its scope and one outside.
var scopes = map[string][2]target{
	"coordinator": {{caseID: "case-a", personID: "p-a", signalID: "sig-a", interventionID: "int-jw", municipality: "GM0358", actionID: "act-jw", conferenceID: "conf-a", goalID: "goal-a"}, {}},
	"director A":  {{caseID: "case-a", personID: "p-a", signalID: "sig-a", interventionID: "int-jw", municipality: "GM0358", actionID: "act-jw", conferenceID: "conf-a", goalID: "goal-a"}, {caseID: "case-b", personID: "p-x", signalID: "sig-b", interventionID: "int-b", municipality: "GM0362", actionID: "act-b", conferenceID: "conf-b", goalID: "goal-b"}},
	"mayor B":     {{caseID: "case-b", personID: "p-b", signalID: "sig-b", interventionID: "int-b", municipality: "GM0362", actionID: "act-b", conferenceID: "conf-b", goalID: "goal-b"}, {caseID: "case-a", personID: "p-a-rel", signalID: "sig-a", interventionID: "int-jw", municipality: "GM0358", actionID: "act-jw", conferenceID: "conf-a", goalID: "goal-a"}},
	"analyst A":   {{caseID: "case-a", personID: "p-a", signalID: "sig-a", interventionID: "int-jw", municipality: "GM0358", actionID: "act-jw", conferenceID: "conf-a", goalID: "goal-a"}, {caseID: "case-b", personID: "p-x", signalID: "sig-b", interventionID: "int-b", municipality: "GM0362", actionID: "act-b", conferenceID: "conf-b", goalID: "goal-b"}},
	"partner JW":  {{caseID: "case-a", personID: "p-a", signalID: "sig-a", interventionID: "int-jw", municipality: "GM0358", actionID: "act-jw", conferenceID: "conf-a", goalID: "goal-a"}, {caseID: "case-b", personID: "p-x", signalID: "sig-b", interventionID: "int-ggd", municipality: "GM0362", actionID: "act-ggd", conferenceID: "conf-b", goalID: "goal-b"}},
	"reporter":    {{caseID: "case-a", personID: "p-a", signalID: "sig-a", interventionID: "int-jw", municipality: "GM0358", actionID: "act-jw", conferenceID: "conf-a", goalID: "goal-a"}, {caseID: "case-b", personID: "p-x", signalID: "sig-b", interventionID: "int-b", municipality: "GM0362", actionID: "act-b", conferenceID: "conf-b", goalID: "goal-b"}},
	"auditor":     {{caseID: "case-a", personID: "p-a", signalID: "sig-a", interventionID: "int-jw", municipality: "GM0358", actionID: "act-jw", conferenceID: "conf-a", goalID: "goal-a"}, {caseID: "case-b", personID: "p-x", signalID: "sig-b", interventionID: "int-b", municipality: "GM0362", actionID: "act-b", conferenceID: "conf-b", goalID: "goal-b"}},
	"dpo":         {{caseID: "case-a", personID: "p-a", signalID: "sig-a", interventionID: "int-jw", municipality: "GM0358", actionID: "act-jw", conferenceID: "conf-a", goalID: "goal-a"}, {caseID: "case-b", personID: "p-b", signalID: "sig-b", interventionID: "int-b", municipality: "GM0362", actionID: "act-b", conferenceID: "conf-b", goalID: "goal-b"}},
}

// mutations maps every mutation of the schema to the action the policy
// table (casus.Permit) knows it by, and to a request on a target. A
// mutation without a target (creating something new) has no out-of-scope case.
var mutations = map[string]struct {
	action   casus.Action
	targeted bool
	query    func(t target) string
}{
	"submitSignal": {casus.ActSubmitSignal, false, func(t target) string {
		return `mutation { submitSignal(input: {municipality: "GM0358", description: "d"}) { signal { id } } }`
	}},
	"dismissSignal": {casus.ActDismissSignal, true, func(t target) string {
		return fmt.Sprintf(`mutation { dismissSignal(input: {signal: %q, reason: "r"}) { signal { id } } }`, gid("Signal", t.signalID))
	}},
	"openCase": {casus.ActOpenCase, true, func(t target) string {
		return fmt.Sprintf(`mutation { openCase(input: {municipality: %q, subjects: [%q], summary: "s", riskGroups: [RADICALISING], ideology: OTHER, riskLevel: LOW}) { case { id } } }`, t.municipality, gid("Person", t.personID))
	}},
	"advanceCase":    {casus.ActAdvanceCase, true, caseMutation(`advanceCase(input: {case: %q, to: AFTERCARE, reason: "r"})`)},
	"escalateCase":   {casus.ActEscalate, true, caseMutation(`escalateCase(input: {case: %q, reason: "r", criteria: [{code: "MULTIPLE_MUNICIPALITIES", explanation: "x"}]})`)},
	"deescalateCase": {casus.ActEscalate, true, caseMutation(`deescalateCase(input: {case: %q, reason: "r", criteria: [{code: "LOCAL_SUFFICES", explanation: "x"}]})`)},
	"assignDirector": {casus.ActAssignDirector, true, func(t target) string {
		return fmt.Sprintf(`mutation { assignDirector(input: {case: %q, director: %q}) { case { id } } }`, gid("Case", t.caseID), gid("Director", "dir-a"))
	}},
	"scheduleReview": {casus.ActScheduleReview, true, caseMutation(`scheduleReview(input: {case: %q, on: "2099-01-01"})`)},
	"closeCase":      {casus.ActCloseCase, true, caseMutation(`closeCase(input: {case: %q, report: {summary: "s", outcome: "o", recommendations: "r"}})`)},
	"createPerson":   {casus.ActEditNetwork, false, func(t target) string { return `mutation { createPerson(input: {lastName: "N"}) { person { id } } }` }},
	"updatePerson":   {casus.ActEditNetwork, true, personMutation(`updatePerson(input: {person: %q, notes: "n"})`)},
	"relatePersons": {casus.ActEditNetwork, true, func(t target) string {
		return fmt.Sprintf(`mutation { relatePersons(input: {person: %q, relative: %q, kind: OTHER}) { person { id } } }`, gid("Person", t.personID), gid("Person", "p-a-con"))
	}},
	"unrelatePersons": {casus.ActEditNetwork, true, func(t target) string {
		return fmt.Sprintf(`mutation { unrelatePersons(input: {person: %q, relative: %q}) { person { id } } }`, gid("Person", t.personID), gid("Person", "p-a-con"))
	}},
	"addNetworkContact": {casus.ActEditNetwork, true, func(t target) string {
		return fmt.Sprintf(`mutation { addNetworkContact(input: {from: %q, to: %q, network: FORMAL, role: TEACHER, source: "s", confidence: 1}) { contact { id } } }`, gid("Person", t.personID), gid("Person", "p-a-con"))
	}},
	"removeNetworkContact": {casus.ActEditNetwork, true, func(t target) string {
		return fmt.Sprintf(`mutation { removeNetworkContact(input: {contact: %q}) { contact { id } } }`, gid("NetworkContact", "none-"+t.personID))
	}},
	"createGroup": {casus.ActEditNetwork, true, func(t target) string {
		return fmt.Sprintf(`mutation { createGroup(input: {name: "g", members: [%q]}) { group { id } } }`, gid("Person", t.personID))
	}},
	"proposeIntervention": {casus.ActProposeIntervention, true, func(t target) string {
		return fmt.Sprintf(`mutation { proposeIntervention(input: {case: %q, offering: %q, goal: "g"}) { intervention { id } } }`, gid("Case", t.caseID), gid("InterventionOffering", "off-jw"))
	}},
	"startIntervention":    {casus.ActMoveIntervention, true, interventionMutation(`startIntervention(input: {intervention: %q})`)},
	"completeIntervention": {casus.ActMoveIntervention, true, interventionMutation(`completeIntervention(input: {intervention: %q, outcome: "o"})`)},
	"stopIntervention":     {casus.ActMoveIntervention, true, interventionMutation(`stopIntervention(input: {intervention: %q, reason: "r"})`)},
	"decideMeasure":        {casus.ActDecideMeasure, true, caseMutation(`decideMeasure(input: {case: %q, type: AREA_BAN, decision: REJECTED, reason: "r"})`)},
	// Merging a record into itself is INVALID once permitted: the matrix
	// must not delete its own targets. TestPossibleDuplicatesAndMerge merges.
	"mergePersons": {casus.ActMergePersons, true, func(t target) string {
		return fmt.Sprintf(`mutation { mergePersons(input: {keep: %[1]q, merge: %[1]q, reason: "r"}) { person { id } } }`, gid("Person", t.personID))
	}},
	"setInhabitants": {casus.ActSetInhabitants, false, func(target) string {
		return `mutation { setInhabitants(input: {municipality: "GM0358", year: 2026, inhabitants: 33000}) { year } }`
	}},
	"recordTraining": {casus.ActRecordTraining, false, func(target) string {
		return fmt.Sprintf(`mutation { recordTraining(input: {date: "2026-10-01", organisation: %q, municipality: "GM0358", participants: 3, topic: "t"}) { training { id } } }`, gid("Organisation", "org-jw"))
	}},
	"watchPerson":        {casus.ActWatch, true, personMutation(`watchPerson(input: {person: %q})`)},
	"unwatchPerson":      {casus.ActWatch, false, personMutation(`unwatchPerson(input: {person: %q})`)},
	"recordWeighing":     {casus.ActWeigh, true, caseMutation(`recordWeighing(input: {case: %q, members: [{organisation: "` + gid("Organisation", "org-gem") + `", name: "G"}], criteria: [{code: "IDEOLOGY", met: true}], outcome: INCLUDE, reasons: "r"})`)},
	"scheduleConference": {casus.ActConference, true, caseMutation(`scheduleConference(input: {case: %q, date: "2099-01-01", startsAt: "10:00", endsAt: "11:00", chair: "C", invitations: [{organisation: "` + gid("Organisation", "org-jw") + `"}]})`)},
	"recordConference": {casus.ActConference, true, func(t target) string {
		return fmt.Sprintf(`mutation { recordConference(input: {conference: %q, attended: [], minutes: "m"}) { __typename } }`, gid("Conference", t.conferenceID))
	}},
	"addGoal": {casus.ActPlan, true, caseMutation(`addGoal(input: {case: %q, domain: SAFETY, description: "d"})`)},
	"addAction": {casus.ActPlan, true, func(t target) string {
		return fmt.Sprintf(`mutation { addAction(input: {goal: %q, description: "d", organisation: %q}) { __typename } }`, gid("Goal", t.goalID), gid("Organisation", "org-jw"))
	}},
	"reportAction": {casus.ActReportAction, true, func(t target) string {
		return fmt.Sprintf(`mutation { reportAction(input: {action: %q, status: DONE, result: "r"}) { __typename } }`, gid("PlanAction", t.actionID))
	}},
	"recordAssessment":  {casus.ActAssess, true, caseMutation(`recordAssessment(input: {case: %q, instrument: VERA_2R, assessor: "A", accredited: true, on: "2026-01-01", outcome: HIGH})`)},
	"overrideRiskLevel": {casus.ActOverrideRisk, true, caseMutation(`overrideRiskLevel(input: {case: %q, level: MEDIUM, reason: "r"})`)},
	"recordInforming":   {casus.ActInform, true, caseMutation(`recordInforming(input: {case: %q, informed: false, ground: "g", reconsiderOn: "2099-01-01"})`)},
	"registerRequest": {casus.ActHandleRequest, true, func(t target) string {
		return fmt.Sprintf(`mutation { registerRequest(input: {kind: ACCESS, person: %q, receivedOn: "2026-11-01", identityCheckedBy: "balie"}) { __typename } }`, gid("Person", t.personID))
	}},
	// No request exists in the access region: in scope these answer
	// NOT_FOUND too. TestDataSubjectRequestAndDossier extends and decides.
	"extendRequest": {casus.ActHandleRequest, false, func(target) string {
		return fmt.Sprintf(`mutation { extendRequest(input: {request: %q, reason: "r"}) { __typename } }`, gid("SubjectRequest", "none"))
	}},
	"decideRequest": {casus.ActHandleRequest, false, func(target) string {
		return fmt.Sprintf(`mutation { decideRequest(input: {request: %q, decision: GRANTED}) { __typename } }`, gid("SubjectRequest", "none"))
	}},
	"restrictPerson": {casus.ActHandleRequest, false, func(target) string {
		return fmt.Sprintf(`mutation { restrictPerson(input: {request: %q}) { __typename } }`, gid("SubjectRequest", "none"))
	}},
	"rectifyPerson": {casus.ActHandleRequest, false, func(target) string {
		return fmt.Sprintf(`mutation { rectifyPerson(input: {request: %q, lastName: "X"}) { __typename } }`, gid("SubjectRequest", "none"))
	}},
	"askAdvice": {casus.ActAskAdvice, true, caseMutation(`askAdvice(input: {case: %q, question: "q"})`)},
	// No advice exists in the access region: in scope these answer
	// NOT_FOUND too. TestEscalationChangesWhoWorksTheCase gives and answers.
	"giveAdvice": {casus.ActGiveAdvice, false, func(target) string {
		return fmt.Sprintf(`mutation { giveAdvice(input: {advice: %q, text: "a"}) { __typename } }`, gid("Advice", "none"))
	}},
	"answerAdvice": {casus.ActAskAdvice, false, func(target) string {
		return fmt.Sprintf(`mutation { answerAdvice(input: {advice: %q, takeUp: true, reason: "r"}) { __typename } }`, gid("Advice", "none"))
	}},
	// A question about nobody in particular: in scope a no-hit answer,
	// out of scope NOT_FOUND for the purpose. No question or request
	// exists to follow up: in scope these answer NOT_FOUND too.
	"askKnownElsewhere": {casus.ActAskKnown, true, func(t target) string {
		return fmt.Sprintf(`mutation { askKnownElsewhere(input: {purpose: %q, firstName: "A", lastName: "B"}) { hit } }`, gid("Signal", t.signalID))
	}},
	"requestShare": {casus.ActAskKnown, false, func(target) string {
		return fmt.Sprintf(`mutation { requestShare(input: {question: %q, reason: "r"}) { __typename } }`, gid("KnownQuestion", "none"))
	}},
	"decideShare": {casus.ActDecideShare, false, func(target) string {
		return fmt.Sprintf(`mutation { decideShare(input: {request: %q, grant: false, reason: "r"}) { __typename } }`, gid("ShareRequest", "none"))
	}},
	"linkSignalPerson": {casus.ActDismissSignal, true, func(t target) string {
		return fmt.Sprintf(`mutation { linkSignalPerson(input: {signal: %q, person: %q}) { __typename } }`, gid("Signal", t.signalID), gid("Person", t.personID))
	}},
	"addCaseSubject": {casus.ActAddSubject, true, func(t target) string {
		return fmt.Sprintf(`mutation { addCaseSubject(input: {case: %q, person: %q}) { __typename } }`, gid("Case", t.caseID), gid("Person", t.personID))
	}},
	// Only planned conferences move; the access region's are held: in
	// scope these answer INVALID.
	"moveConference": {casus.ActConference, true, func(t target) string {
		return fmt.Sprintf(`mutation { moveConference(input: {conference: %q, date: "2099-01-01", startsAt: "10:00", endsAt: "11:00", reason: "r"}) { __typename } }`, gid("Conference", t.conferenceID))
	}},
	"cancelConference": {casus.ActConference, true, func(t target) string {
		return fmt.Sprintf(`mutation { cancelConference(input: {conference: %q, reason: "r"}) { __typename } }`, gid("Conference", t.conferenceID))
	}},
	"grantCaseAccess": {casus.ActGrantAccess, true, func(t target) string {
		return fmt.Sprintf(`mutation { grantCaseAccess(input: {case: %q, user: "u-x", userName: "X", until: "2099-01-01T00:00:00Z", reason: "r"}) { grant { id } } }`, gid("Case", t.caseID))
	}},
}

func caseMutation(field string) func(target) string {
	return func(t target) string {
		return "mutation { " + fmt.Sprintf(field, gid("Case", t.caseID)) + " { __typename } }"
	}
}

func personMutation(field string) func(target) string {
	return func(t target) string {
		return "mutation { " + fmt.Sprintf(field, gid("Person", t.personID)) + " { __typename } }"
	}
}

func interventionMutation(field string) func(target) string {
	return func(t target) string {
		return "mutation { " + fmt.Sprintf(field, gid("Intervention", t.interventionID)) + " { __typename } }"
	}
}

// TestMutationMatrix runs every mutation of the schema as every role, on a
// target inside and one outside the role's scope, and checks the outcome
// the policy table predicts: a role the table does not permit is FORBIDDEN;
// out of scope is NOT_FOUND or INVALID ("no such person"), never a change;
// in scope is never refused for access (it may still be INVALID for the
// state the target is in).
func TestMutationMatrix(t *testing.T) {
	schema := servedSchema()
	for _, f := range schema.Mutation.Fields {
		if _, ok := mutations[f.Name]; !ok {
			t.Errorf("mutation %s is not in the access matrix: add it", f.Name)
		}
	}

	a := newAPI(t, accessRegion())
	leaks := 0
	for role, actor := range actors {
		c := a.as(actor)
		for name, m := range mutations {
			for side, tgt := range scopes[role] {
				if side == 1 && (!m.targeted || tgt == (target{})) {
					continue
				}
				r := c.do(m.query(tgt), nil, nil)
				code := ""
				if len(r.Errors) > 0 {
					code, _ = r.Errors[0].Extensions["code"].(string)
				}
				permitted := casus.Permit(casus.WithActor(t.Context(), actor), m.action) == nil
				where := map[int]string{0: "in scope", 1: "out of scope"}[side]
				switch {
				case !permitted && code != "FORBIDDEN":
					t.Errorf("%s %s %s: %q, want FORBIDDEN", role, name, where, code)
				case permitted && side == 1 && code != "NOT_FOUND" && code != "INVALID":
					leaks++
					t.Errorf("LEAK: %s %s %s: %q %+v", role, name, where, code, r.Errors)
				case permitted && side == 0 && slices.Contains([]string{"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED", "INTERNAL"}, code):
					if code != "NOT_FOUND" || !slices.Contains([]string{"removeNetworkContact", "unrelatePersons", "extendRequest", "decideRequest", "restrictPerson", "rectifyPerson", "giveAdvice", "answerAdvice", "requestShare", "decideShare"}, name) {
						t.Errorf("%s %s %s: refused with %s: %v", role, name, where, code, r.Errors)
					}
				}
			}
		}
	}
	if leaks > 0 {
		t.Fatalf("%d leaks", leaks)
	}
}
