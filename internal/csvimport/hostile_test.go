package csvimport

import (
	"strings"
	"testing"
)

const personsHeader = "id,first_name,last_name,birth_date,municipality,aliases\n"

// TestHostileFiles reads malformed, oversized and hostile files: each is
// refused as a whole (an error) or line by line (rejected lines), and never
// lets a bad value through.
func TestHostileFiles(t *testing.T) {
	for _, tc := range []struct {
		name, persons string
		err           bool   // the file cannot be read at all
		rejected      string // the reason of the one rejected line
	}{
		{name: "bare quote", persons: personsHeader + "p1,Sem,de \"Jong,,,\n", err: true},
		{name: "unterminated quote", persons: personsHeader + "p1,\"Sem,de Jong,,,\n", err: true},
		{name: "no header", persons: "", err: false},
		{name: "header lacks a column", persons: "id,first_name\np1,Sem\n", err: true},
		{name: "not UTF-8", persons: personsHeader + "p1,S\xffm,de Jong,,,\n", rejected: "first_name is not UTF-8 text"},
		{name: "NUL byte", persons: personsHeader + "p1,Sem\x00,de Jong,,,\n", rejected: "first_name contains control characters"},
		{name: "escape sequence", persons: personsHeader + "p1,Sem,de Jong\x1b[31m,,,\n", rejected: "last_name contains control characters"},
		{name: "oversized name", persons: personsHeader + "p1,Sem," + strings.Repeat("x", 201) + ",,,\n", rejected: "last_name is longer than 200 bytes"},
		{name: "oversized id", persons: personsHeader + strings.Repeat("p", 201) + ",Sem,de Jong,,,\n", rejected: "id is longer than 200 bytes"},
		{name: "one-megabyte field", persons: personsHeader + "p1,Sem,de Jong,,," + strings.Repeat("a;", 1<<19) + "\n", rejected: "aliases is longer than"},
		{name: "wrong type of date", persons: personsHeader + "p1,Sem,de Jong,gisteren,,\n", rejected: "birth_date"},
		{name: "many columns", persons: personsHeader + "p1,Sem,de Jong,,," + strings.Repeat(",x", 10000) + "\n", rejected: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, rejected, err := Read(Files{Persons: strings.NewReader(tc.persons)})
			switch {
			case tc.err:
				if err == nil {
					t.Fatalf("read: no error; %d persons, %v", len(d.Persons), rejected)
				}
				return
			case err != nil:
				t.Fatalf("read: %v", err)
			case tc.rejected == "" && tc.name == "many columns":
				if len(rejected) != 0 || len(d.Persons) != 1 {
					t.Fatalf("extra columns: %v, %d persons", rejected, len(d.Persons))
				}
				return
			case tc.name == "no header":
				if len(d.Persons) != 0 {
					t.Fatal("an empty file gave persons")
				}
				return
			}
			if len(rejected) != 1 || !strings.Contains(rejected[0].Err, tc.rejected) || rejected[0].Line != 2 || len(d.Persons) != 0 {
				t.Fatalf("rejected %v with %d persons, want line 2 rejected for %q", rejected, len(d.Persons), tc.rejected)
			}
		})
	}
}

// FuzzRead feeds arbitrary bytes as every file: Read never panics, and what
// it accepts passes the checks it promises.
func FuzzRead(f *testing.F) {
	f.Add(personsHeader+"p1,Sem,de Jong,2005-04-03,GM0358,Semmie;S.\n", "from,to,type,kind,network,since,source,confidence\np1,p1,RELATIVE,SIBLING,,,,\n")
	f.Add(personsHeader+"p1,\"Sem\"\"\",de Jong,,,\n", "\ufefffrom,to,type,kind,network,since,source,confidence\n")
	f.Add("\x00\xff", "")
	f.Fuzz(func(t *testing.T, persons, relations string) {
		d, _, err := Read(Files{Persons: strings.NewReader(persons), Relations: strings.NewReader(relations), Cases: strings.NewReader(persons)})
		if err != nil {
			return
		}
		for _, p := range d.Persons {
			if p.ID == "" || p.LastName == "" || checkFields(row{"id": p.ID, "first_name": p.FirstName, "last_name": p.LastName}) != "" {
				t.Fatalf("accepted %+v", p)
			}
		}
	})
}
