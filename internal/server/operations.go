package server

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"casusnet/internal/casus"
)

// mutationActions declares what each mutation does to the data, as the
// access log records it (NEN 7513's action). Every mutation of the schema
// has an entry; a test holds the table against the schema, so that a new
// mutation cannot be logged by a guess.
var mutationActions = map[string]string{
	// Signals.
	"submitSignal":  casus.AuditCreate,
	"dismissSignal": casus.AuditUpdate,
	// Cases.
	"openCase":        casus.AuditCreate,
	"advanceCase":     casus.AuditUpdate,
	"escalateCase":    casus.AuditUpdate,
	"deescalateCase":  casus.AuditUpdate,
	"assignDirector":  casus.AuditUpdate,
	"scheduleReview":  casus.AuditUpdate,
	"closeCase":       casus.AuditUpdate,
	"grantCaseAccess": casus.AuditCreate,
	// Persons, their ties and groups.
	"createPerson":         casus.AuditCreate,
	"updatePerson":         casus.AuditUpdate,
	"mergePersons":         casus.AuditDelete, // the duplicate's record goes; the other takes its ties
	"relatePersons":        casus.AuditCreate,
	"unrelatePersons":      casus.AuditDelete,
	"addNetworkContact":    casus.AuditCreate,
	"removeNetworkContact": casus.AuditDelete,
	"createGroup":          casus.AuditCreate,
	"watchPerson":          casus.AuditCreate,
	"unwatchPerson":        casus.AuditDelete,
	// Interventions and measures.
	"proposeIntervention":  casus.AuditCreate,
	"startIntervention":    casus.AuditUpdate,
	"completeIntervention": casus.AuditUpdate,
	"stopIntervention":     casus.AuditUpdate,
	"decideMeasure":        casus.AuditCreate,
	// The work inside the phases: weighing, conferences, the plan,
	// assessments, informing the person concerned.
	"recordWeighing":     casus.AuditCreate,
	"scheduleConference": casus.AuditCreate,
	"recordConference":   casus.AuditUpdate,
	"addGoal":            casus.AuditCreate,
	"addAction":          casus.AuditCreate,
	"reportAction":       casus.AuditUpdate,
	"recordAssessment":   casus.AuditCreate,
	"overrideRiskLevel":  casus.AuditUpdate,
	"recordInforming":    casus.AuditUpdate,
	// The region's figures.
	"setInhabitants": casus.AuditUpdate,
	"recordTraining": casus.AuditCreate,
}

// auditAction names what an operation did to the data: a query or
// subscription reads; a mutation does what the table declares for its
// fields, the weightiest when it has several (a removal over a creation
// over a change).
func auditAction(oc *graphql.OperationContext) string {
	if oc.Operation.Operation != ast.Mutation {
		return casus.AuditRead
	}
	weight := map[string]int{casus.AuditUpdate: 0, casus.AuditCreate: 1, casus.AuditDelete: 2}
	action := casus.AuditUpdate
	for _, s := range oc.Operation.SelectionSet {
		f, ok := s.(*ast.Field)
		if !ok {
			continue
		}
		if a, ok := mutationActions[f.Name]; ok && weight[a] > weight[action] {
			action = a
		}
	}
	return action
}
