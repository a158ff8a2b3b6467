package casus

// Services is every domain service, one per concern. An adapter builds it
// once (neo4j.NewServices); the program and the tests wire it the same way.
type Services struct {
	CaseService         CaseService
	PhaseService        PhaseService
	EventService        EventService
	InterventionService InterventionService
	MeasureService      MeasureService
	ReportService       ReportService
	GrantService        GrantService
	PersonService       PersonService
	RelativeService     RelativeService
	ContactService      ContactService
	GroupService        GroupService
	SignalService       SignalService
	DirectoryService    DirectoryService
	DashboardService    DashboardService
	NetworkService      NetworkService
	WatchService        Watchlist
	FundingService      FundingService
	Advisor             Advisor
	TrainingService     TrainingService
	WeighingService     WeighingService
	ConferenceService   ConferenceService
	PlanService         PlanService
	AssessmentService   AssessmentService
	RequestService      RequestService
	DossierService      DossierService
	EscalationService   EscalationService
	AdviceService       AdviceService
	KnownService        KnownService
}
