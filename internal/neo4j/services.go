package neo4j

import "casusnet/internal/casus"

// NewServices returns every domain service on db, as the program and the
// tests wire them.
func NewServices(db *DB) casus.Services {
	return casus.Services{
		CaseService:         NewCaseService(db),
		PhaseService:        NewPhaseService(db),
		EventService:        NewEventService(db),
		InterventionService: NewInterventionService(db),
		MeasureService:      NewMeasureService(db),
		ReportService:       NewReportService(db),
		GrantService:        NewGrantService(db),
		PersonService:       NewPersonService(db),
		RelativeService:     NewRelativeService(db),
		ContactService:      NewContactService(db),
		GroupService:        NewGroupService(db),
		SignalService:       NewSignalService(db),
		DirectoryService:    NewDirectoryService(db),
		DashboardService:    NewDashboardService(db),
		NetworkService:      NewNetworkService(db),
		WatchService:        NewWatchService(db),
		FundingService:      NewFundingService(db),
		Advisor:             NewAdvisor(db),
		TrainingService:     NewTrainingService(db),
		WeighingService:     NewWeighingService(db),
		ConferenceService:   NewConferenceService(db),
		PlanService:         NewPlanService(db),
		AssessmentService:   NewAssessmentService(db),
		RequestService:      NewRequestService(db),
		DossierService:      NewDossierService(db),
		EscalationService:   NewEscalationService(db),
		AdviceService:       NewAdviceService(db),
		KnownService:        NewKnownService(db),
	}
}
