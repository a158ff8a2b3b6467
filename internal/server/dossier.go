package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/rs/zerolog"

	"casusnet/graph"
	"casusnet/internal/casus"
	"casusnet/internal/report"
)

// dossier serves GET /dossier/{person}?format=json|pdf|record: everything
// casusnet holds about one person, compiled by the data-protection officer
// for that person's request, as JSON or as a PDF for the letter; record is
// the officer's own PDF of what the dossier withholds and why, for the
// file. Writing it is itself in the access log, as an EXPORT for the rights
// of the person concerned, before it leaves.
func dossier(dossiers casus.DossierService, directory casus.DirectoryService, audit accessLog) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		format := r.URL.Query().Get("format")
		if format != "json" && format != "pdf" && format != "record" {
			writeAppError(w, casus.Invalid("format", "format must be json, pdf or record"))
			return
		}
		key, err := graph.PersonKey(r.PathValue("person"), "person")
		if err != nil {
			writeAppError(w, err)
			return
		}
		d, err := dossiers.Dossier(ctx, key, casus.SubjectPseudonym(audit.key, key))
		if err != nil {
			writeAppError(w, err)
			return
		}
		var buf bytes.Buffer
		switch format {
		case "pdf":
			var names map[string]string
			if names, err = dossierNames(ctx, directory, d); err == nil {
				err = report.DossierPDF(&buf, d, names)
			}
		case "record":
			err = report.WithheldPDF(&buf, d)
		default:
			enc := json.NewEncoder(&buf)
			enc.SetIndent("", "  ")
			err = enc.Encode(d)
		}
		if err != nil {
			zerolog.Ctx(ctx).Error().Err(err).Msg("render dossier")
			writeAppError(w, err)
			return
		}
		if !logExport(w, r, audit, casus.ActivityRights, "dossier "+format, []string{"Person:" + key}, nil) {
			return
		}
		types := map[string]string{"json": "application/json", "pdf": "application/pdf", "record": "application/pdf"}
		names := map[string]string{"json": "inzagedossier.json", "pdf": "inzagedossier.pdf", "record": "verantwoording-inzagedossier.pdf"}
		w.Header().Set("Content-Type", types[format])
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, names[format]))
		_, _ = w.Write(buf.Bytes())
	})
}

// dossierNames returns the names of the municipalities and organisations
// dossier d names by code or id, for the letter: a person is told
// "Diemen", not GM0384.
func dossierNames(ctx context.Context, directory casus.DirectoryService, d *casus.Dossier) (map[string]string, error) {
	codes := []string{d.Person.Municipality}
	for _, c := range d.Cases {
		codes = append(codes, c.Municipality)
	}
	var orgs []string
	for _, a := range d.Accesses {
		orgs = append(orgs, a.Organisation)
	}
	names := map[string]string{}
	ms, err := directory.MunicipalitiesByCode(ctx, compact(codes))
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m != nil {
			names[m.Code] = m.Name
		}
	}
	os, err := directory.OrganisationsByID(ctx, compact(orgs))
	if err != nil {
		return nil, err
	}
	for _, o := range os {
		if o != nil {
			names[o.ID] = o.Name
		}
	}
	return names, nil
}

// compact returns the distinct non-empty values of vs.
func compact(vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
