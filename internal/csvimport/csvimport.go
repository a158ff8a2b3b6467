// Package csvimport reads persons, relations and cases from CSV files, as
// regions moving from spreadsheets or an earlier system have them, and
// checks every line. It writes nothing: the caller loads the result in one
// transaction, or not at all when any line was rejected.
//
// The files have a header row; columns may come in any order; lists inside
// a cell are separated by semicolons; dates are YYYY-MM-DD.
//
//	persons.csv:   id, first_name, last_name, birth_date, municipality, aliases
//	relations.csv: from, to, type (RELATIVE or CONTACT), kind (relative kind or contact role),
//	               network, since, source, confidence
//	cases.csv:     id, reference, municipality, subjects, risk_groups, ideology, risk_level,
//	               phase, escalation_level, summary, opened_at
package csvimport

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"casusnet/internal/casus"
	"casusnet/internal/region"
)

// LineError is a rejected line and why.
type LineError struct {
	File string
	Line int
	Err  string
}

func (e LineError) String() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Err) }

// Columns are the columns each file must have.
var Columns = map[string][]string{
	"persons":   {"id", "first_name", "last_name", "birth_date", "municipality", "aliases"},
	"relations": {"from", "to", "type", "kind", "network", "since", "source", "confidence"},
	"cases":     {"id", "reference", "municipality", "subjects", "risk_groups", "ideology", "risk_level", "phase", "escalation_level", "summary", "opened_at"},
}

// MaxLines bounds a file, so that an import is one reasonable transaction.
const MaxLines = 200_000

// MaxBytes bounds a file's size, so that a file without line ends (or
// /dev/zero) cannot take all memory.
const MaxBytes = 100 << 20

// Files are the readers of the files to import; any may be nil.
type Files struct {
	Persons, Relations, Cases io.Reader
	// Known reports whether a person or municipality already exists in the
	// database, for references to what the files do not contain.
	KnownPerson, KnownMunicipality func(string) bool
}

// Read reads and checks the files. It returns the data and every rejected
// line; an error is a file that cannot be read at all.
func Read(f Files) (region.Data, []LineError, error) {
	var d region.Data
	var rejected []LineError
	persons := map[string]bool{}
	reject := func(file string, line int, format string, args ...any) {
		rejected = append(rejected, LineError{File: file, Line: line, Err: fmt.Sprintf(format, args...)})
	}
	municipality := func(file string, line int, code string) bool {
		if code == "" || f.KnownMunicipality == nil || f.KnownMunicipality(code) {
			return true
		}
		reject(file, line, "unknown municipality %q", code)
		return false
	}
	if err := each(f.Persons, "persons", reject, func(line int, r row) {
		p := region.Person{ID: r.get("id"), FirstName: r.get("first_name"), LastName: r.get("last_name"), Municipality: r.get("municipality"), Aliases: r.list("aliases")}
		switch {
		case p.ID == "":
			reject("persons.csv", line, "id is empty")
			return
		case persons[p.ID]:
			reject("persons.csv", line, "id %s appears twice", p.ID)
			return
		case p.LastName == "":
			reject("persons.csv", line, "last_name is empty")
			return
		}
		var ok bool
		if p.BirthDate, ok = r.date("birth_date", func(msg string) { reject("persons.csv", line, "%s", msg) }); !ok {
			return
		}
		if !municipality("persons.csv", line, p.Municipality) {
			return
		}
		persons[p.ID] = true
		d.Persons = append(d.Persons, p)
	}); err != nil {
		return d, nil, err
	}
	known := func(id string) bool { return persons[id] || (f.KnownPerson != nil && f.KnownPerson(id)) }
	if err := each(f.Relations, "relations", reject, func(line int, r row) {
		from, to, kind := r.get("from"), r.get("to"), r.get("kind")
		switch {
		case !known(from):
			reject("relations.csv", line, "from: unknown person %q", from)
			return
		case !known(to):
			reject("relations.csv", line, "to: unknown person %q", to)
			return
		case from == to:
			reject("relations.csv", line, "a person cannot be tied to themselves")
			return
		}
		switch r.get("type") {
		case "RELATIVE":
			if !casus.RelativeKind(kind).Valid() {
				reject("relations.csv", line, "kind %q is not a family tie (PARENT, CHILD, SIBLING, PARTNER, OTHER)", kind)
				return
			}
			d.Relatives = append(d.Relatives, region.Relative{From: from, To: to, Kind: casus.RelativeKind(kind)})
		case "CONTACT":
			c := region.Contact{From: from, To: to, Network: casus.Network(r.get("network")), Role: casus.ContactRole(kind), Source: r.get("source")}
			if !casus.ContactRole(kind).Valid() {
				reject("relations.csv", line, "kind %q is not a contact role", kind)
				return
			}
			if !casus.Network(c.Network).Valid() {
				reject("relations.csv", line, "network %q: want FORMAL or INFORMAL", c.Network)
				return
			}
			conf, err := strconv.ParseFloat(r.get("confidence"), 64)
			if err != nil || conf < 0 || conf > 1 {
				reject("relations.csv", line, "confidence %q: want a number from 0 to 1", r.get("confidence"))
				return
			}
			c.Confidence = conf
			var ok bool
			if c.Since, ok = r.date("since", func(msg string) { reject("relations.csv", line, "%s", msg) }); !ok {
				return
			}
			if c.Source == "" {
				reject("relations.csv", line, "source is empty: say who reported the tie")
				return
			}
			d.Contacts = append(d.Contacts, c)
		default:
			reject("relations.csv", line, "type %q: want RELATIVE or CONTACT", r.get("type"))
		}
	}); err != nil {
		return d, nil, err
	}
	cases := map[string]bool{}
	if err := each(f.Cases, "cases", reject, func(line int, r row) {
		c := region.Case{ID: r.get("id"), Reference: r.get("reference"), Municipality: r.get("municipality"), Subjects: r.list("subjects"),
			RiskGroups: kinds[casus.RiskGroup](r.list("risk_groups")), Ideology: casus.Ideology(r.get("ideology")),
			RiskLevel: casus.RiskLevel(r.get("risk_level")), Phase: casus.Phase(r.get("phase")),
			EscalationLevel: casus.EscalationLevel(r.get("escalation_level")), Summary: r.get("summary")}
		problem := ""
		switch {
		case c.ID == "" || cases[c.ID]:
			problem = fmt.Sprintf("id %q is empty or appears twice", c.ID)
		case c.Reference == "":
			problem = "reference is empty"
		case c.Municipality == "":
			problem = "municipality is empty"
		case len(c.Subjects) == 0:
			problem = "subjects is empty"
		case !casus.Ideology(c.Ideology).Valid():
			problem = fmt.Sprintf("ideology %q is unknown", c.Ideology)
		case !casus.RiskLevel(c.RiskLevel).Valid():
			problem = fmt.Sprintf("risk_level %q is unknown", c.RiskLevel)
		case !casus.Phase(c.Phase).Valid():
			problem = fmt.Sprintf("phase %q is unknown", c.Phase)
		case !casus.EscalationLevel(c.EscalationLevel).Valid():
			problem = fmt.Sprintf("escalation_level %q is unknown", c.EscalationLevel)
		case strings.TrimSpace(c.Summary) == "":
			problem = "summary is empty"
		}
		for _, g := range c.RiskGroups {
			if problem == "" && !casus.RiskGroup(g).Valid() {
				problem = fmt.Sprintf("risk group %q is unknown", g)
			}
		}
		for _, s := range c.Subjects {
			if problem == "" && !known(s) {
				problem = fmt.Sprintf("subject %q is no person", s)
			}
		}
		if problem != "" {
			reject("cases.csv", line, "%s", problem)
			return
		}
		if !municipality("cases.csv", line, c.Municipality) {
			return
		}
		var ok bool
		if c.OpenedAt, ok = r.date("opened_at", func(msg string) { reject("cases.csv", line, "%s", msg) }); !ok {
			return
		}
		if c.OpenedAt.IsZero() {
			reject("cases.csv", line, "opened_at is empty")
			return
		}
		cases[c.ID] = true
		d.Cases = append(d.Cases, c)
	}); err != nil {
		return d, nil, err
	}
	return d, rejected, nil
}

// row is one line, by column name.
type row map[string]string

func (r row) get(col string) string { return strings.TrimSpace(r[col]) }

func (r row) list(col string) []string {
	var out []string
	for _, s := range strings.Split(r.get(col), ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// date reads an optional date; it reports a bad one and answers false.
func (r row) date(col string, bad func(string)) (time.Time, bool) {
	v := r.get(col)
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		bad(fmt.Sprintf("%s %q: want a date like 2026-01-31", col, v))
		return time.Time{}, false
	}
	return t, true
}

// bounded reads at most left bytes of r, then fails.
type bounded struct {
	r    io.Reader
	left int64
}

var errTooLarge = fmt.Errorf("larger than %d MB; split the import", MaxBytes>>20)

func (b *bounded) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// maxField is the longest value of a column: the domain's limits, and
// casus.MaxName for every column not named.
var maxField = map[string]int{
	"summary": casus.MaxSummary, "aliases": casus.MaxAliases * (casus.MaxName + 1), "subjects": casus.MaxGroupSize * (casus.MaxKey + 1),
	"id": casus.MaxKey, "from": casus.MaxKey, "to": casus.MaxKey,
}

// checkFields reports what is wrong with a line's values, or "": text
// that is not UTF-8, control characters, or values longer than their column
// allows.
func checkFields(r row) string {
	for col, v := range r {
		limit, ok := maxField[col]
		if !ok {
			limit = casus.MaxName
		}
		switch {
		case !utf8.ValidString(v):
			return fmt.Sprintf("%s is not UTF-8 text", col)
		case strings.ContainsFunc(v, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\t' }):
			return fmt.Sprintf("%s contains control characters", col)
		case len(v) > limit:
			return fmt.Sprintf("%s is longer than %d bytes", col, limit)
		}
	}
	return ""
}

// each calls fn for every line of the file after its header whose values
// pass checkFields, and rejects the others.
func each(in io.Reader, kind string, reject func(file string, line int, format string, args ...any), fn func(line int, r row)) error {
	if in == nil {
		return nil
	}
	cr := csv.NewReader(&bounded{r: in, left: MaxBytes})
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s.csv: %w", kind, err)
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, col := range Columns[kind] {
		if _, ok := index[col]; !ok {
			return fmt.Errorf("%s.csv: the header lacks the column %q (want %s)", kind, col, strings.Join(Columns[kind], ", "))
		}
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s.csv:%d: %w", kind, line, err)
		}
		if line > MaxLines+1 {
			return fmt.Errorf("%s.csv: more than %d lines; split the import", kind, MaxLines)
		}
		r := row{}
		for col, i := range index {
			if i < len(rec) {
				r[col] = rec[i]
			}
		}
		if msg := checkFields(r); msg != "" {
			reject(kind+".csv", line, "%s", msg)
			continue
		}
		fn(line, r)
	}
}

// kinds types the values of a list column as one of the domain's kinds;
// whether each is valid is checked with the rest of the row.
func kinds[T ~string](values []string) []T {
	out := make([]T, len(values))
	for i, v := range values {
		out[i] = T(v)
	}
	return out
}
