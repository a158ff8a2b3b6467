package graph

import (
	"encoding/base64"
	"strings"

	"casusnet/internal/casus"
)

// Global ids are the type name and the object's own key, base64url-encoded,
// so that clients treat them as opaque and every object has one.
const (
	kindCase         = "Case"
	kindMunicipality = "Municipality"
	kindOrganisation = "Organisation"
	kindDirector     = "Director"
	kindOffering     = "InterventionOffering"
	kindIntervention = "Intervention"
	kindMeasure      = "Measure"
	kindPerson       = "Person"
	kindContact      = "NetworkContact"
	kindGroup        = "Group"
	kindSignal       = "Signal"
	kindEvent        = "CaseEvent"
	kindWeighing     = "Weighing"
	kindConference   = "Conference"
	kindGoal         = "Goal"
	kindAction       = "PlanAction"
	kindAssessment   = "RiskAssessment"
	kindRequest      = "SubjectRequest"
	kindAdvice       = "Advice"
	kindEscalation   = "Escalation"
	kindQuestion     = "KnownQuestion"
	kindShare        = "ShareRequest"
)

// globalID returns the global id of the object of kind with key.
func globalID(kind, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + key))
}

// parseID returns the kind and key of a global id. An id that is not one
// answers NOT_FOUND, the same as an id of an object that does not exist.
func parseID(id string) (kind, key string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err == nil {
		var ok bool
		kind, key, ok = strings.Cut(string(b), ":")
		if ok && kind != "" && key != "" {
			return kind, key, nil
		}
	}
	return "", "", notFound(id)
}

func notFound(id string) error {
	return casus.Errorf(casus.ENOTFOUND, "no object with id %q", id)
}

// keyOf returns the key of a global id that must be of kind, or NOT_FOUND.
func keyOf(kind, id string) (string, error) {
	k, key, err := parseID(id)
	if err != nil || k != kind {
		return "", notFound(id)
	}
	return key, nil
}

// inputKey returns the key of a global id given in an input field, or an
// INVALID error naming the field.
func inputKey(kind, id, field string) (string, error) {
	k, key, err := parseID(id)
	if err != nil || k != kind {
		return "", casus.Invalid(field, "%q is not the id of a %s", id, strings.ToLower(kind))
	}
	return key, nil
}

// inputKeys is inputKey for a list.
func inputKeys(kind string, ids []string, field string) ([]string, error) {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		key, err := inputKey(kind, id, field)
		if err != nil {
			return nil, err
		}
		out = append(out, key)
	}
	return out, nil
}

// optionalInputKey is inputKey for an optional field.
func optionalInputKey(kind string, id *string, field string) (string, error) {
	if id == nil || *id == "" {
		return "", nil
	}
	return inputKey(kind, *id, field)
}
