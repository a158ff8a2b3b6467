package server

import (
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"casusnet/internal/casus"
)

// operation is what a root field does to the data, as the access log
// records it: its action (NEN 7513) and the processing activity of the
// register (casus.DefaultRegister) it serves.
type operation struct{ action, activity string }

// operations declares, for every root field of the schema, its access-log
// action and processing activity; a test holds the table against the
// schema, so that a new field cannot be logged by a guess or serve no
// registered purpose.
var operations = map[string]operation{
	"Query.auditLog":             {casus.AuditRead, casus.ActivityAccessLog},
	"Query.verifyAccessLog":      {casus.AuditRead, casus.ActivityAccessLog},
	"Query.processingActivities": {casus.AuditRead, casus.ActivityAccessLog},
	"Query.subjectRequests":      {casus.AuditRead, casus.ActivityRights},
	"Query.requesters":           {casus.AuditRead, casus.ActivityRights},
	"Mutation.registerRequest":   {casus.AuditCreate, casus.ActivityRights},
	"Mutation.extendRequest":     {casus.AuditUpdate, casus.ActivityRights},
	"Mutation.decideRequest":     {casus.AuditUpdate, casus.ActivityRights},
	"Mutation.restrictPerson":    {casus.AuditUpdate, casus.ActivityRights},
	"Mutation.rectifyPerson":     {casus.AuditUpdate, casus.ActivityRights},
	"Query.case":                 {casus.AuditRead, casus.ActivityCaseWork},
	"Query.caseByReference":      {casus.AuditRead, casus.ActivityCaseWork},
	"Query.cases":                {casus.AuditRead, casus.ActivityCaseWork},
	"Query.conferences":          {casus.AuditRead, casus.ActivityCaseWork},
	"Query.processFigures":       {casus.AuditRead, casus.ActivityMonitoring},
	"Query.dashboard":            {casus.AuditRead, casus.ActivityMonitoring},
	"Query.municipalities":       {casus.AuditRead, casus.ActivityMonitoring},
	"Query.organisations":        {casus.AuditRead, casus.ActivityMonitoring},
	"Query.directors":            {casus.AuditRead, casus.ActivityMonitoring},
	"Query.offerings":            {casus.AuditRead, casus.ActivityMonitoring},
	"Query.possibleDuplicates":   {casus.AuditRead, casus.ActivityCaseWork},
	"Query.costAllocation":       {casus.AuditRead, casus.ActivityMonitoring},
	"Query.interventions":        {casus.AuditRead, casus.ActivityCaseWork},
	"Query.network":              {casus.AuditRead, casus.ActivityNetwork},
	"Query.shortestPaths":        {casus.AuditRead, casus.ActivityNetwork},
	"Query.commonContacts":       {casus.AuditRead, casus.ActivityNetwork},
	"Query.bridges":              {casus.AuditRead, casus.ActivityNetwork},
	"Query.centrality":           {casus.AuditRead, casus.ActivityNetwork},
	"Query.communities":          {casus.AuditRead, casus.ActivityNetwork},
	"Query.person":               {casus.AuditRead, casus.ActivityCaseWork},
	"Query.persons":              {casus.AuditRead, casus.ActivityCaseWork},
	"Query.actions":              {casus.AuditRead, casus.ActivityCaseWork},
	"Query.finalReport":          {casus.AuditRead, casus.ActivityCaseWork},
	"Query.node":                 {casus.AuditRead, casus.ActivityCaseWork},
	"Query.nodes":                {casus.AuditRead, casus.ActivityCaseWork},
	"Query.signal":               {casus.AuditRead, casus.ActivitySignals},
	"Query.signals":              {casus.AuditRead, casus.ActivitySignals},
	"Query.suggestDirectors":     {casus.AuditRead, casus.ActivityCaseWork},
	"Query.suggestInterventions": {casus.AuditRead, casus.ActivityCaseWork},
	"Query.trainings":            {casus.AuditRead, casus.ActivityMonitoring},
	"Query.watchlist":            {casus.AuditRead, casus.ActivityNetwork},
	"Query.weighingCriteria":     {casus.AuditRead, casus.ActivityCaseWork},
	"Query.escalationAgreements": {casus.AuditRead, casus.ActivityCaseWork},
	"Query.caseContexts":         {casus.AuditRead, casus.ActivityCaseWork},
	"Query.openAdviceQuestions":  {casus.AuditRead, casus.ActivityCaseWork},
	"Query.shareRequests":        {casus.AuditRead, casus.ActivityCaseWork},
	"Query.weighingFigures":      {casus.AuditRead, casus.ActivityMonitoring},
	"Subscription.dashboard":     {casus.AuditRead, casus.ActivityMonitoring},
	"Subscription.caseEvents":    {casus.AuditRead, casus.ActivityCaseWork},
	"Subscription.caseUpdated":   {casus.AuditRead, casus.ActivityCaseWork},
	"Subscription.watchlist":     {casus.AuditRead, casus.ActivityNetwork},
	"Mutation.submitSignal":      {casus.AuditCreate, casus.ActivitySignals},
	"Mutation.dismissSignal":     {casus.AuditUpdate, casus.ActivitySignals},
	// Cases.
	"Mutation.openCase":        {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.advanceCase":     {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.escalateCase":    {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.deescalateCase":  {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.assignDirector":  {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.scheduleReview":  {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.closeCase":       {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.grantCaseAccess": {casus.AuditCreate, casus.ActivityCaseWork},
	// Persons, their ties and groups.
	"Mutation.createPerson":         {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.updatePerson":         {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.mergePersons":         {casus.AuditDelete, casus.ActivityCaseWork}, // the duplicate's record goes; the other takes its ties
	"Mutation.relatePersons":        {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.unrelatePersons":      {casus.AuditDelete, casus.ActivityCaseWork},
	"Mutation.addNetworkContact":    {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.removeNetworkContact": {casus.AuditDelete, casus.ActivityCaseWork},
	"Mutation.createGroup":          {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.watchPerson":          {casus.AuditCreate, casus.ActivityNetwork},
	"Mutation.unwatchPerson":        {casus.AuditDelete, casus.ActivityNetwork},
	// Interventions and measures.
	"Mutation.proposeIntervention":  {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.startIntervention":    {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.completeIntervention": {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.stopIntervention":     {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.decideMeasure":        {casus.AuditCreate, casus.ActivityCaseWork},
	// The work inside the phases: weighing, conferences, the plan,
	"Mutation.recordWeighing":     {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.askAdvice":          {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.giveAdvice":         {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.answerAdvice":       {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.askKnownElsewhere":  {casus.AuditRead, casus.ActivitySignals},
	"Mutation.linkSignalPerson":   {casus.AuditUpdate, casus.ActivitySignals},
	"Mutation.addCaseSubject":     {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.moveConference":     {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.cancelConference":   {casus.AuditDelete, casus.ActivityCaseWork},
	"Mutation.requestShare":       {casus.AuditCreate, casus.ActivitySignals},
	"Mutation.decideShare":        {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.scheduleConference": {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.recordConference":   {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.addGoal":            {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.addAction":          {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.reportAction":       {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.recordAssessment":   {casus.AuditCreate, casus.ActivityCaseWork},
	"Mutation.overrideRiskLevel":  {casus.AuditUpdate, casus.ActivityCaseWork},
	"Mutation.recordInforming":    {casus.AuditUpdate, casus.ActivityCaseWork},
	// The region's figures.
	"Mutation.setInhabitants": {casus.AuditUpdate, casus.ActivityMonitoring},
	"Mutation.recordTraining": {casus.AuditCreate, casus.ActivityMonitoring},
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
		if op, ok := operations["Mutation."+f.Name]; ok && weight[op.action] > weight[action] {
			action = op.action
		}
	}
	return action
}

// activitiesOf returns the processing activities the operation's root
// fields serve, each once, in order.
func activitiesOf(oc *graphql.OperationContext) []string {
	kind := map[ast.Operation]string{ast.Query: "Query.", ast.Mutation: "Mutation.", ast.Subscription: "Subscription."}[oc.Operation.Operation]
	var out []string
	for _, s := range oc.Operation.SelectionSet {
		f, ok := s.(*ast.Field)
		if !ok {
			continue
		}
		if op, ok := operations[kind+f.Name]; ok && !slices.Contains(out, op.activity) {
			out = append(out, op.activity)
		}
	}
	slices.Sort(out)
	return out
}
