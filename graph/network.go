package graph

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/rs/zerolog"

	"casusnet/graph/model"
	"casusnet/internal/casus"
	"casusnet/internal/gonum"
)

// nodeKinds are the global id kinds of network nodes.
var nodeKinds = map[casus.NodeKind]string{
	casus.NodePerson:       kindPerson,
	casus.NodeCase:         kindCase,
	casus.NodeGroup:        kindGroup,
	casus.NodeOrganisation: kindOrganisation,
}

// NodeID is the global id of the object a network node stands for.
func NodeID(n casus.NodeRef) string { return globalID(nodeKinds[n.Kind], n.ID) }

// CaseKey returns the key of a case's global id given in a request.
func CaseKey(id string) (string, error) { return inputKey(kindCase, id, "case") }

// PersonKey returns the key of a person's global id given as input field.
func PersonKey(id, field string) (string, error) { return inputKey(kindPerson, id, field) }

// optional returns nil for the empty string.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// exportLinks returns the downloads of the network result being resolved:
// the arguments of the query field it came from, as the export endpoint's
// parameters. Results of other fields have none.
func exportLinks(ctx context.Context) []*model.ExportLink {
	var field *graphql.FieldContext
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if fc.Object == "Query" && (fc.Field.Name == "network" || fc.Field.Name == "shortestPaths") {
			field = fc
			break
		}
	}
	if field == nil {
		return []*model.ExportLink{}
	}
	q := url.Values{}
	for name, v := range field.Args {
		switch v := v.(type) {
		case string:
			q.Set(name, v)
		case *string:
			if v != nil {
				q.Set(name, *v)
			}
		case *int:
			if v != nil {
				q.Set(name, fmt.Sprint(*v))
			}
		case *time.Time:
			if v != nil {
				q.Set(name, v.Format(time.DateOnly))
			}
		case []string:
			for _, s := range v {
				q.Add(name, s)
			}
		case []casus.Relation:
			for _, s := range v {
				q.Add(name, string(s))
			}
		case []casus.Network:
			for _, s := range v {
				q.Add(name, string(s))
			}
		}
	}
	what := map[string]string{"network": "network", "shortestPaths": "paths"}[field.Field.Name]
	var out []*model.ExportLink
	for _, f := range model.AllExportFormat {
		q.Set("format", strings.ToLower(string(f)))
		out = append(out, &model.ExportLink{Format: f, URL: "/export/" + what + "?" + q.Encode()})
	}
	return out
}

// maxBetweenness is the most persons betweenness is computed for: it is
// exact (Brandes), and took 36 s for 5,000 persons on the development
// machine (internal/gonum's benchmark).
const maxBetweenness = 1500

// subgraph loads the part of the network an analysis runs on.
func (r *Resolver) subgraph(ctx context.Context, scope model.AnalysisScope) (*casus.NetworkGraph, error) {
	from, err := inputKeys(kindPerson, scope.From, "scope.from")
	if err != nil {
		return nil, err
	}
	purpose, err := analysisPurpose(scope.PurposeCase, scope.Question)
	if err != nil {
		return nil, err
	}
	return r.NetworkService.Subgraph(ctx, casus.AnalysisScope{
		Purpose: purpose, From: from, Depth: deref(scope.Depth), Municipality: deref(scope.Municipality), Limit: deref(scope.Limit),
	})
}

// analysisPurpose is the purpose an analysis names: a case's global id, a
// question, or neither.
func analysisPurpose(purposeCase, question *string) (casus.AnalysisPurpose, error) {
	c, err := optionalInputKey(kindCase, purposeCase, "purposeCase")
	return casus.AnalysisPurpose{CaseID: c, Question: deref(question)}, err
}

// centrality scores the persons of scope under measure, the first n.
func (r *Resolver) centrality(ctx context.Context, scope model.AnalysisScope, measure model.CentralityMeasure, first int) ([]*model.CentralityScore, error) {
	n := first
	if n < 1 || n > 500 {
		return nil, casus.Invalid("first", "first must be 1 to 500")
	}
	g, err := r.subgraph(ctx, scope)
	if err != nil {
		return nil, err
	}
	if measure == model.CentralityMeasureBetweenness && len(g.Nodes) > maxBetweenness {
		return nil, casus.Invalid("scope", "betweenness is exact and grows with persons × ties: narrow the scope to at most %d persons (this one has %d)", maxBetweenness, len(g.Nodes))
	}
	scores, err := gonum.Centrality(g, gonum.Measure(measure))
	if err != nil {
		return nil, err
	}
	scores = scores[:min(n, len(scores))]
	ids := make([]string, len(scores))
	for i, s := range scores {
		ids[i] = s.ID
	}
	ps, err := persons(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*model.CentralityScore, len(scores))
	for i, s := range scores {
		out[i] = &model.CentralityScore{Person: ps[i], Score: s.Score}
	}
	return out, nil
}

// communities partitions the persons of scope.
func (r *Resolver) communities(ctx context.Context, scope model.AnalysisScope) (*model.CommunityResult, error) {
	g, err := r.subgraph(ctx, scope)
	if err != nil {
		return nil, err
	}
	parts, q := gonum.Communities(g)
	out := &model.CommunityResult{Modularity: q, Truncated: g.Truncated, Communities: []*model.Community{}}
	for _, members := range parts {
		ps, err := persons(ctx, members)
		if err != nil {
			return nil, err
		}
		out.Communities = append(out.Communities, &model.Community{Size: len(ps), Members: ps})
	}
	return out, nil
}

// watch puts a person on the caller's watchlist, or takes them off.
func (r *Resolver) watch(ctx context.Context, id string, on bool) (*model.WatchPayload, error) {
	key, err := inputKey(kindPerson, id, "person")
	if err != nil {
		return nil, err
	}
	if on {
		err = r.WatchService.Watch(ctx, key)
	} else {
		err = r.WatchService.Unwatch(ctx, key)
	}
	if err != nil {
		return nil, err
	}
	p, err := person(ctx, key)
	if err != nil {
		return nil, err
	}
	return &model.WatchPayload{Person: p, Watching: on}, nil
}

// alertCursor is the opaque cursor of a watch alert.
func alertCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("alert:" + strconv.FormatInt(seq, 10)))
}

func parseAlertCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		if n, ok := strings.CutPrefix(string(b), "alert:"); ok {
			if seq, err := strconv.ParseInt(n, 10, 64); err == nil && seq >= 0 {
				return seq, nil
			}
		}
	}
	return 0, casus.Invalid("after", "not an alert cursor")
}

// streamAlerts streams the alerts about the caller's watched persons: it
// reads the person event log after the cursor every WatchPoll, with the
// caller's scope at that moment, until ctx ends. Watchers are few (analysts
// and directors), so each stream reads for itself.
func (r *Resolver) streamAlerts(ctx context.Context, after *string) (<-chan *casus.WatchAlert, error) {
	head, err := r.WatchService.LastAlertSeq(ctx) // FORBIDDEN for a role that may not watch
	if err != nil {
		return nil, err
	}
	last := head
	if after != nil && *after != "" {
		if last, err = parseAlertCursor(*after); err != nil {
			return nil, err
		}
		if last > head {
			return nil, casus.Invalid("after", "the cursor is past the newest alert; resume from a cursor you were given, or start without one")
		}
	}
	poll := r.WatchPoll
	if poll <= 0 {
		poll = time.Second
	}
	out := make(chan *casus.WatchAlert)
	go func() {
		defer close(out)
		tick := time.NewTicker(poll)
		defer tick.Stop()
		for {
			alerts, seen, err := r.WatchService.AlertsAfter(ctx, last, 500)
			if err != nil {
				if ctx.Err() == nil {
					zerolog.Ctx(ctx).Warn().Err(err).Msg("watchlist stream: read failed")
				}
				return
			}
			if deliver(ctx, alerts...) != nil {
				EndStream(ctx, unlogged(""))
				return
			}
			for _, a := range alerts {
				select {
				case out <- a:
				case <-ctx.Done():
					return
				}
			}
			last = seen
			if len(alerts) == 500 {
				continue // more waiting
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return out, nil
}

// concealedTie reports whether either person of a network tie is outside
// the caller's scope: the tie then shows at information level 0, that it
// exists and whom in scope it ties, without its facts (network, role,
// start, source, confidence), which are facts about the other person.
func concealedTie(ctx context.Context, c *casus.Contact) (bool, error) {
	ends, err := persons(ctx, []string{c.FromID, c.ToID})
	if err != nil {
		return false, err
	}
	return ends[0].Redacted || ends[1].Redacted, nil
}

// tieFact returns a fact of tie c, or nil when the tie is concealed.
func tieFact[T any](ctx context.Context, c *casus.Contact, v T) (*T, error) {
	if hidden, err := concealedTie(ctx, c); err != nil || hidden {
		return nil, err
	}
	return &v, nil
}
