package casus

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Person is someone a case is about, a relative, or a contact in a network.
type Person struct {
	ID               string
	FirstName        string
	LastName         string
	Aliases          []string
	BirthDate        *time.Time // date only; nil when unknown
	MunicipalityCode string     // residence; empty when unknown
	Notes            string
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// Redacted is set on a person the caller reached through a tie but may not
	// see: only the id is filled in.
	Redacted bool
}

// Redacted returns the stand-in for a person outside the caller's scope.
func Redacted(id string) *Person { return &Person{ID: id, Redacted: true} }

// FullName returns the first and last name.
func (p *Person) FullName() string {
	return strings.TrimSpace(p.FirstName + " " + p.LastName)
}

// RelativeKind is a family tie, read as "the relative is KIND of the person".
type RelativeKind string

// Family ties.
const (
	KindParent  RelativeKind = "PARENT"
	KindChild   RelativeKind = "CHILD"
	KindSibling RelativeKind = "SIBLING"
	KindPartner RelativeKind = "PARTNER"
	KindOther   RelativeKind = "OTHER"
)

// RelativeKinds lists every family tie.
var RelativeKinds = []RelativeKind{KindParent, KindChild, KindSibling, KindPartner, KindOther}

// Valid reports whether k is a known family tie.
func (k RelativeKind) Valid() bool { return slices.Contains(RelativeKinds, k) }

// Inverse returns the tie seen from the other side: a parent's child is a child.
func (k RelativeKind) Inverse() RelativeKind {
	switch k {
	case KindParent:
		return KindChild
	case KindChild:
		return KindParent
	}
	return k
}

// Relative is a family tie seen from one person: Relative is Kind of that person.
type Relative struct {
	Kind       RelativeKind
	RelativeID string
}

// Network is the kind of network a contact belongs to.
type Network string

// Networks.
const (
	NetworkFormal   Network = "FORMAL"
	NetworkInformal Network = "INFORMAL"
)

// Valid reports whether n is a known network.
func (n Network) Valid() bool { return n == NetworkFormal || n == NetworkInformal }

// ContactRole is the role a contact plays for a person.
type ContactRole string

// Contact roles. Formal: professionals around the person; informal: people
// from their own life.
const (
	RoleTeacher          ContactRole = "TEACHER"
	RoleYouthWorker      ContactRole = "YOUTH_WORKER"
	RoleImam             ContactRole = "IMAM"
	RoleSportsCoach      ContactRole = "SPORTS_COACH"
	RoleCaseWorker       ContactRole = "CASE_WORKER"
	RoleProbationOfficer ContactRole = "PROBATION_OFFICER"
	RoleKeyFigure        ContactRole = "KEY_FIGURE"
	RoleFriend           ContactRole = "FRIEND"
	RoleOnlineContact    ContactRole = "ONLINE_CONTACT"
	RoleRecruiter        ContactRole = "RECRUITER"
	RoleOtherContact     ContactRole = "OTHER"
)

// ContactRoles lists every contact role.
var ContactRoles = []ContactRole{RoleTeacher, RoleYouthWorker, RoleImam, RoleSportsCoach, RoleCaseWorker,
	RoleProbationOfficer, RoleKeyFigure, RoleFriend, RoleOnlineContact, RoleRecruiter, RoleOtherContact}

// Valid reports whether r is a known contact role.
func (r ContactRole) Valid() bool { return slices.Contains(ContactRoles, r) }

// Contact is a tie in a person's network: To is From's Role, in Network.
type Contact struct {
	ID         string
	FromID     string
	ToID       string
	Network    Network
	Role       ContactRole
	Since      *time.Time // date; nil when unknown
	Source     string     // who reported the tie
	Confidence float64    // 0 to 1
}

// Group is a set of persons a case can be about.
type Group struct {
	ID        string
	Name      string
	MemberIDs []string
}

// CreatePersonInput is what a new person needs.
type CreatePersonInput struct {
	FirstName        string
	LastName         string
	Aliases          []string
	BirthDate        *time.Time
	MunicipalityCode string
	Notes            string
	IdempotencyKey   string
}

// Limits on a person's text.
const (
	MaxName    = 200
	MaxAliases = 20
	MaxNotes   = 10000
)

// Validate checks and trims the input.
func (in *CreatePersonInput) Validate(now time.Time) error {
	in.FirstName, in.LastName = strings.TrimSpace(in.FirstName), strings.TrimSpace(in.LastName)
	in.MunicipalityCode, in.Notes = strings.TrimSpace(in.MunicipalityCode), strings.TrimSpace(in.Notes)
	if err := validateName("lastName", in.LastName, true); err != nil {
		return err
	}
	if err := validateName("firstName", in.FirstName, false); err != nil {
		return err
	}
	aliases, err := cleanAliases(in.Aliases)
	if err != nil {
		return err
	}
	in.Aliases = aliases
	if err := validateBirthDate(in.BirthDate, now); err != nil {
		return err
	}
	if len(in.Notes) > MaxNotes {
		return Invalid("notes", "the notes are longer than %d characters", MaxNotes)
	}
	return validateKey(in.IdempotencyKey)
}

// UpdatePersonInput changes a person. Nil fields stay as they are.
type UpdatePersonInput struct {
	ID               string
	FirstName        *string
	LastName         *string
	Aliases          []string // nil: unchanged; empty: none
	BirthDate        *time.Time
	ClearBirthDate   bool
	MunicipalityCode *string
	Notes            *string
	ExpectedVersion  *int
}

// Validate checks and trims the input.
func (in *UpdatePersonInput) Validate(now time.Time) error {
	if in.FirstName != nil {
		*in.FirstName = strings.TrimSpace(*in.FirstName)
		if err := validateName("firstName", *in.FirstName, false); err != nil {
			return err
		}
	}
	if in.LastName != nil {
		*in.LastName = strings.TrimSpace(*in.LastName)
		if err := validateName("lastName", *in.LastName, true); err != nil {
			return err
		}
	}
	if in.Aliases != nil {
		aliases, err := cleanAliases(in.Aliases)
		if err != nil {
			return err
		}
		in.Aliases = aliases
	}
	if err := validateBirthDate(in.BirthDate, now); err != nil {
		return err
	}
	if in.BirthDate != nil && in.ClearBirthDate {
		return Invalid("birthDate", "give a birth date or clear it, not both")
	}
	if in.Notes != nil {
		*in.Notes = strings.TrimSpace(*in.Notes)
		if len(*in.Notes) > MaxNotes {
			return Invalid("notes", "the notes are longer than %d characters", MaxNotes)
		}
	}
	if in.MunicipalityCode != nil {
		*in.MunicipalityCode = strings.TrimSpace(*in.MunicipalityCode)
	}
	return nil
}

func validateName(field, s string, required bool) error {
	switch {
	case required && s == "":
		return Invalid(field, "a %s is required", fieldWords(field))
	case len(s) > MaxName:
		return Invalid(field, "longer than %d characters", MaxName)
	}
	return nil
}

func fieldWords(field string) string {
	var b strings.Builder
	for _, r := range field {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func cleanAliases(in []string) ([]string, error) {
	if len(in) > MaxAliases {
		return nil, Invalid("aliases", "at most %d aliases", MaxAliases)
	}
	out := []string{}
	for _, a := range in {
		a = strings.TrimSpace(a)
		if a == "" || slices.Contains(out, a) {
			continue
		}
		if len(a) > MaxName {
			return nil, Invalid("aliases", "an alias is longer than %d characters", MaxName)
		}
		out = append(out, a)
	}
	return out, nil
}

func validateBirthDate(d *time.Time, now time.Time) error {
	if d == nil {
		return nil
	}
	if d.After(now) {
		return Invalid("birthDate", "the birth date is in the future")
	}
	if d.Year() < 1900 {
		return Invalid("birthDate", "the birth date is before 1900")
	}
	return nil
}

func validateKey(key string) error {
	if len(key) > MaxKey {
		return Invalid("idempotencyKey", "the idempotency key is longer than %d characters", MaxKey)
	}
	return nil
}

// RelateInput records that Relative is Kind of Person.
type RelateInput struct {
	PersonID   string
	RelativeID string
	Kind       RelativeKind
}

// Validate checks the input.
func (in RelateInput) Validate() error {
	switch {
	case !in.Kind.Valid():
		return Invalid("kind", "unknown family tie %q", in.Kind)
	case in.PersonID == in.RelativeID:
		return Invalid("relative", "a person is not their own relative")
	}
	return nil
}

// AddContactInput records that To is From's Role in Network.
type AddContactInput struct {
	FromID         string
	ToID           string
	Network        Network
	Role           ContactRole
	Since          *time.Time
	Source         string
	Confidence     float64
	IdempotencyKey string
}

// Validate checks and trims the input.
func (in *AddContactInput) Validate(now time.Time) error {
	in.Source = strings.TrimSpace(in.Source)
	switch {
	case in.FromID == in.ToID:
		return Invalid("to", "a person is not their own contact")
	case !in.Network.Valid():
		return Invalid("network", "unknown network %q", in.Network)
	case !in.Role.Valid():
		return Invalid("role", "unknown role %q", in.Role)
	case in.Since != nil && in.Since.After(now):
		return Invalid("since", "the date is in the future")
	case in.Source == "":
		return Invalid("source", "say who reported the tie")
	case len(in.Source) > MaxName:
		return Invalid("source", "longer than %d characters", MaxName)
	case !(in.Confidence >= 0 && in.Confidence <= 1): // NaN too
		return Invalid("confidence", "the confidence must be between 0 and 1")
	}
	return validateKey(in.IdempotencyKey)
}

// CreateGroupInput is what a new group needs.
type CreateGroupInput struct {
	Name           string
	MemberIDs      []string
	IdempotencyKey string
}

// MaxGroupSize bounds a group's members.
const MaxGroupSize = 200

// Validate checks and trims the input.
func (in *CreateGroupInput) Validate() error {
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		return Invalid("name", "a name is required")
	case len(in.Name) > MaxName:
		return Invalid("name", "longer than %d characters", MaxName)
	case len(in.MemberIDs) == 0:
		return Invalid("members", "a group needs at least one member")
	case len(in.MemberIDs) > MaxGroupSize:
		return Invalid("members", "at most %d members", MaxGroupSize)
	}
	in.MemberIDs = dedupe(in.MemberIDs)
	return validateKey(in.IdempotencyKey)
}

func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// PersonFilter narrows a list of persons. Zero values mean "any".
type PersonFilter struct {
	// Name matches a prefix of the first name, last name, full name or an
	// alias, ignoring case.
	Name             string
	MunicipalityCode string
}

// PersonEdge is a person with its cursor in a list.
type PersonEdge struct {
	Cursor string
	Person *Person
}

// PersonPage is one window of a list of persons.
type PersonPage struct {
	Edges           []PersonEdge
	TotalCount      int
	HasNextPage     bool
	HasPreviousPage bool
}

// PersonService reads and changes persons, their family ties, networks and groups.
type PersonService interface {
	Person(ctx context.Context, id string) (*Person, error)
	PersonsByID(ctx context.Context, ids []string) ([]*Person, error)
	// Persons returns a page of persons ordered by last name, first name, id.
	Persons(ctx context.Context, filter PersonFilter, page Page) (*PersonPage, error)
	CreatePerson(ctx context.Context, in CreatePersonInput) (*Person, error)
	UpdatePerson(ctx context.Context, in UpdatePersonInput) (*Person, error)
	// MergePersons folds one person record into another that is the same
	// person: every tie moves to the one kept, the names become aliases,
	// and the merged id is remembered.
	MergePersons(ctx context.Context, in MergePersonsInput) (*Person, error)
}

// RelativeService reads and records family ties.
type RelativeService interface {
	// RelativesOf returns each person's family ties, seen from that person.
	RelativesOf(ctx context.Context, personIDs []string) ([][]Relative, error)
	// RelatePersons records a family tie; recording it again changes its kind.
	RelatePersons(ctx context.Context, in RelateInput) (*Person, error)
	// UnrelatePersons removes every family tie between the two.
	UnrelatePersons(ctx context.Context, personID, relativeID string) (*Person, error)
}

// ContactService reads and records network ties.
type ContactService interface {
	// ContactsOf returns each person's network ties, in either direction.
	ContactsOf(ctx context.Context, personIDs []string) ([][]*Contact, error)
	AddContact(ctx context.Context, in AddContactInput) (*Contact, error)
	// RemoveContact removes a network tie and returns it as it was.
	RemoveContact(ctx context.Context, id string) (*Contact, error)
}

// GroupService reads and records groups of persons.
type GroupService interface {
	// GroupsOf returns the groups each person is a member of.
	GroupsOf(ctx context.Context, personIDs []string) ([][]*Group, error)
	Group(ctx context.Context, id string) (*Group, error)
	GroupsByID(ctx context.Context, ids []string) ([]*Group, error)
	CreateGroup(ctx context.Context, in CreateGroupInput) (*Group, error)
}

// MergePersonsInput names the record to keep and the one to fold into it.
type MergePersonsInput struct {
	KeepID, MergeID string
	Reason          string
	ExpectedVersion *int // of the record kept
}

// Validate checks the input.
func (in *MergePersonsInput) Validate() error {
	if in.KeepID == in.MergeID {
		return Invalid("merge", "a person cannot be merged into itself")
	}
	return validateReason(&in.Reason, true)
}
