package csvimport

import (
	"fmt"
	"strings"
	"testing"
)

// TestRead reads files with good and bad lines: every bad line is reported
// with its file, number and reason, and only good ones are kept.
func TestRead(t *testing.T) {
	persons := "id,first_name,last_name,birth_date,municipality,aliases\n" +
		"p1,Sem,de Jong,2005-04-03,GM0358,Semmie;S.\n" +
		"p2,Noor,Bakker,,GM0362,\n" +
		"p1,Dubbel,Dubbel,,,\n" + // line 4: id twice
		"p3,Fout,Datum,03-04-2005,GM0358,\n" + // line 5: date
		"p4,Ver,Weg,,GM9999,\n" // line 6: municipality
	relations := "from,to,type,kind,network,since,source,confidence\n" +
		"p1,p2,CONTACT,FRIEND,INFORMAL,2024-01-01,politie,0.8\n" +
		"p2,p1,RELATIVE,SIBLING,,,,\n" +
		"p1,p9,CONTACT,FRIEND,INFORMAL,,politie,0.5\n" + // line 4: unknown person
		"p1,p2,CONTACT,FRIEND,INFORMAL,,politie,1.5\n" + // line 5: confidence
		"p1,p2,CONTACT,ROBBER,INFORMAL,,politie,0.5\n" + // line 6: role
		"p1,p1,RELATIVE,SIBLING,,,,\n" // line 7: itself
	cases := "id,reference,municipality,subjects,risk_groups,ideology,risk_level,phase,escalation_level,summary,opened_at\n" +
		"c1,AM-2020-0001,GM0358,p1,RADICALISING,JIHADIST,HIGH,EXECUTION,LOCAL,Zorgen,2020-03-01\n" +
		"c2,AM-2020-0002,GM0358,p3,RADICALISING,JIHADIST,HIGH,EXECUTION,LOCAL,Zorgen,2020-03-01\n" + // line 3: p3 was rejected
		"c3,AM-2020-0003,GM0358,p1,RADICALISING,JIHADIST,HIGH,SOMEWHERE,LOCAL,Zorgen,2020-03-01\n" // line 4: phase
	d, rejected, err := Read(Files{
		Persons: strings.NewReader(persons), Relations: strings.NewReader(relations), Cases: strings.NewReader(cases),
		KnownMunicipality: func(c string) bool { return c == "GM0358" || c == "GM0362" },
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rejected {
		got = append(got, fmt.Sprintf("%s:%d", r.File, r.Line))
	}
	want := "persons.csv:4 persons.csv:5 persons.csv:6 relations.csv:4 relations.csv:5 relations.csv:6 relations.csv:7 cases.csv:3 cases.csv:4"
	if strings.Join(got, " ") != want {
		t.Errorf("rejected %v\nwant     %s\n%v", got, want, rejected)
	}
	if len(d.Persons) != 2 || len(d.Contacts) != 1 || len(d.Relatives) != 1 || len(d.Cases) != 1 || d.Persons[0].Aliases[1] != "S." {
		t.Errorf("kept %d persons, %d contacts, %d relatives, %d cases", len(d.Persons), len(d.Contacts), len(d.Relatives), len(d.Cases))
	}
	if _, _, err := Read(Files{Persons: strings.NewReader("id,first_name\np1,x\n")}); err == nil || !strings.Contains(err.Error(), "last_name") {
		t.Errorf("a header without last_name: %v", err)
	}
}
