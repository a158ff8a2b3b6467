package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/rs/zerolog"

	"casusnet/graph"
	"casusnet/internal/casus"
	"casusnet/internal/report"
)

// courseLabels name the events a final report's course shows.
var courseLabels = map[string]string{
	casus.EventCaseOpened: "Casus geopend", casus.EventPhaseChanged: "Naar fase", casus.EventCaseClosed: "Casus gesloten",
	casus.EventEscalated: "Opgeschaald naar", casus.EventDeescalated: "Afgeschaald naar", casus.EventDirectorAssigned: "Casusregisseur toegewezen",
	casus.EventWeighed: "Gewogen; naar fase", casus.EventConferenceHeld: "Casusoverleg gehouden", casus.EventAssessed: "Risicotaxatie vastgelegd",
}

// Dutch names of the weighing outcomes, life domains and action statuses,
// as the final report shows them.
var (
	outcomeNames = map[casus.WeighingOutcome]string{casus.WeighingNoAction: "geen actie", casus.WeighingMoreInformation: "meer informatie nodig",
		casus.WeighingInclude: "opnemen in de persoonsgerichte aanpak", casus.WeighingRefer: "overdragen aan het Openbaar Ministerie"}
	domainNames = map[casus.LifeDomain]string{casus.DomainSafety: "Veiligheid", casus.DomainIdeology: "Ideologie", casus.DomainFamily: "Gezin",
		casus.DomainHousing: "Wonen", casus.DomainWorkSchool: "Werk en school", casus.DomainFinances: "Financiën", casus.DomainHealth: "Gezondheid",
		casus.DomainSocialNetwork: "Sociaal netwerk", casus.DomainJustice: "Justitie", casus.DomainOther: "Overig"}
	statusNames = map[casus.ActionStatus]string{casus.ActionOpen: "open", casus.ActionDone: "afgerond", casus.ActionCancelled: "vervallen"}
)

// finalReport serves GET /report/{case}?format=html|pdf: a closed case's
// final report for the mayor, to print or keep. The case must be visible to
// the caller; the rendering is written to the access log as EXPORT before
// it leaves.
func finalReport(res casus.Services, audit accessLog) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		format := r.URL.Query().Get("format")
		if format != "html" && format != "pdf" {
			writeAppError(w, casus.Invalid("format", "format must be html or pdf"))
			return
		}
		key, err := graph.CaseKey(r.PathValue("case"))
		if err != nil {
			writeAppError(w, err)
			return
		}
		doc, subjects, err := reportDocument(r, res, key)
		if err != nil {
			writeAppError(w, err)
			return
		}
		var buf bytes.Buffer
		if format == "pdf" {
			err = report.PDF(&buf, doc)
		} else {
			err = report.HTML(&buf, doc)
		}
		if err != nil {
			zerolog.Ctx(ctx).Error().Err(err).Msg("render final report")
			writeAppError(w, err)
			return
		}
		objects := []string{"Case:" + key}
		for _, s := range subjects {
			objects = append(objects, "Person:"+s)
		}
		if !logExport(w, r, audit, casus.ActivityCaseWork, "final report "+format, objects, []string{key}) {
			return
		}
		types := map[string]string{"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
		w.Header().Set("Content-Type", types[format])
		w.Header().Set("Cache-Control", "no-store")
		if format == "pdf" {
			w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="eindrapportage-%s.pdf"`, doc.Reference))
		}
		_, _ = w.Write(buf.Bytes())
	})
}

// reportDocument gathers a closed case's report, course, interventions and
// measures, as the caller may read them.
func reportDocument(r *http.Request, res casus.Services, key string) (*report.Document, []string, error) {
	ctx := r.Context()
	c, err := res.CaseService.Case(ctx, key)
	if err != nil {
		return nil, nil, err
	}
	rep, err := res.ReportService.FinalReport(ctx, key)
	if err != nil {
		return nil, nil, err
	}
	if rep == nil {
		return nil, nil, casus.Errorf(casus.ENOTFOUND, "the case has no final report: it is not closed")
	}
	doc := &report.Document{Reference: c.Reference, Municipality: c.MunicipalityCode, Report: *rep, OpenedAt: c.OpenedAt}
	if ms, err := res.DirectoryService.MunicipalitiesByCode(ctx, []string{c.MunicipalityCode}); err == nil && ms[0] != nil {
		doc.Municipality = ms[0].Name
	}
	first := 100
	page, err := res.EventService.Timeline(ctx, key, casus.Page{First: &first})
	if err != nil {
		return nil, nil, err
	}
	for _, edge := range page.Edges {
		e := edge.Event
		label, ok := courseLabels[e.Type]
		if !ok {
			continue
		}
		var after []string
		for _, ch := range e.Changes {
			if ch.After != nil && (ch.Field == "phase" || ch.Field == "escalationLevel") {
				after = append(after, casus.Word(fmt.Sprint(ch.After)))
			}
		}
		text := strings.TrimSpace(label + " " + strings.Join(after, ", "))
		if e.Reason != "" {
			text += " — " + e.Reason
		}
		doc.Course = append(doc.Course, report.Step{At: e.At, Text: text})
	}
	ivs, err := res.InterventionService.InterventionsOfCases(ctx, []string{key})
	if err != nil {
		return nil, nil, err
	}
	var offeringIDs []string
	for _, i := range ivs[0] {
		offeringIDs = append(offeringIDs, i.OfferingID)
	}
	offerings, err := res.DirectoryService.OfferingsByID(ctx, offeringIDs)
	if err != nil {
		return nil, nil, err
	}
	for k, i := range ivs[0] {
		name := i.OfferingID
		if offerings[k] != nil {
			name = offerings[k].Name
		}
		doc.Interventions = append(doc.Interventions, report.Intervention{Name: name, Status: casus.Word(string(i.Status)), Goal: i.Goal, Outcome: i.Outcome})
	}
	if err := addProcess(ctx, res, key, doc); err != nil {
		return nil, nil, err
	}
	measures, err := res.MeasureService.MeasuresOfCases(ctx, []string{key})
	if err != nil {
		return nil, nil, err
	}
	for _, m := range measures[0] {
		doc.Measures = append(doc.Measures, report.Step{At: m.DecidedAt, Text: fmt.Sprintf("%s: %s — %s (%s)", casus.Capital(string(m.Type)), casus.Word(string(m.Decision)), m.Reason, m.DecidedByName)})
	}
	return doc, c.SubjectIDs, nil
}

// addProcess adds to doc the weighings of case key, the decisions of its
// conferences and its plan of action with what came of each action.
func addProcess(ctx context.Context, res casus.Services, key string, doc *report.Document) error {
	ws, err := res.WeighingService.WeighingsOfCases(ctx, []string{key})
	if err != nil {
		return err
	}
	criteria, err := res.WeighingService.Criteria(ctx)
	if err != nil {
		return err
	}
	label := func(code string) string {
		for _, k := range criteria {
			if k.Code == code {
				return k.Label
			}
		}
		return casus.Word(code)
	}
	for _, w := range ws[0] {
		var met []string
		for _, k := range w.Criteria {
			if k.Met {
				met = append(met, label(k.Code))
			}
		}
		text := fmt.Sprintf("Uitkomst: %s. %s", outcomeNames[w.Outcome], w.Reasons)
		if len(met) > 0 {
			text += " (criteria: " + strings.Join(met, "; ") + ")"
		}
		doc.Weighings = append(doc.Weighings, report.Step{At: w.WeighedOn, Text: text})
	}
	ks, err := res.ConferenceService.ConferencesOfCases(ctx, []string{key})
	if err != nil {
		return err
	}
	for _, k := range ks[0] {
		for _, d := range k.Decisions {
			doc.Decisions = append(doc.Decisions, report.Step{At: k.Date, Text: d.Text})
		}
	}
	gs, err := res.PlanService.GoalsOfCases(ctx, []string{key})
	if err != nil {
		return err
	}
	for _, g := range gs[0] {
		goal := report.Goal{Domain: domainNames[g.Domain], Description: g.Description}
		for _, a := range g.Actions {
			line := a.Description + " (" + statusNames[a.Status] + ")"
			if a.Result != "" {
				line += ": " + a.Result
			}
			goal.Actions = append(goal.Actions, line)
		}
		doc.Goals = append(doc.Goals, goal)
	}
	return nil
}
