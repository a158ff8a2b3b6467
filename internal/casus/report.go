package casus

import (
	"context"
	"strings"
	"time"
)

// FinalReport closes a case. It is addressed to the mayor responsible for
// the case: the mayor of the case's municipality.
type FinalReport struct {
	Summary          string
	Outcome          string
	Recommendations  string
	AddressedTo      string // the responsible mayor, as named by the municipality
	MunicipalityCode string
	WrittenByID      string
	WrittenByName    string
	WrittenAt        time.Time
}

// MaxReport bounds each part of a final report.
const MaxReport = 20000

// Validate checks and trims the report's parts.
func (r *FinalReport) Validate() error {
	r.Summary, r.Outcome = strings.TrimSpace(r.Summary), strings.TrimSpace(r.Outcome)
	r.Recommendations = strings.TrimSpace(r.Recommendations)
	for _, p := range []struct{ field, text string }{
		{"report.summary", r.Summary}, {"report.outcome", r.Outcome}, {"report.recommendations", r.Recommendations},
	} {
		if p.text == "" {
			return Invalid(p.field, "the final report needs a %s", strings.TrimPrefix(p.field, "report."))
		}
		if len(p.text) > MaxReport {
			return Invalid(p.field, "longer than %d characters", MaxReport)
		}
	}
	return nil
}

// ReportService closes cases with their final report, and reads the
// report.
type ReportService interface {
	// CloseCase closes a case with its final report.
	CloseCase(ctx context.Context, in CaseChange, report FinalReport) (*Case, error)
	// FinalReport returns the final report of a closed case, nil for an open one.
	FinalReport(ctx context.Context, caseID string) (*FinalReport, error)
}
