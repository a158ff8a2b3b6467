package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

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
func dossier(dossiers casus.DossierService, audit accessLog) http.Handler {
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
			err = report.DossierPDF(&buf, d)
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
