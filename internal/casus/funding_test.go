package casus

import (
	"fmt"
	"testing"
)

// TestAllocate checks largest-remainder sharing by hand: 100 cents over
// inhabitants 1, 1, 1 is 33.33 each, and the one cent left goes to the first
// code; over 2, 3, 5 exactly 20, 30, 50.
func TestAllocate(t *testing.T) {
	for _, c := range []struct {
		budget int64
		counts []Inhabitants
		want   string
	}{
		{100, []Inhabitants{{"GM3", 1, 0}, {"GM1", 1, 0}, {"GM2", 1, 0}}, "GM1:34 GM2:33 GM3:33"},
		{100, []Inhabitants{{"A", 2, 0}, {"B", 3, 0}, {"C", 5, 0}}, "A:20 B:30 C:50"},
		// 100,000,000.00 euro over five municipalities: the whole cents leave 3 over,
		// which go to the largest remainders (.89, .88, .63 of a cent).
		{100_000_000_00, []Inhabitants{{"GM0358", 33_000, 0}, {"GM0362", 92_000, 0}, {"GM0384", 32_000, 0}, {"GM0437", 15_000, 0}, {"GM0736", 45_000, 0}},
			"GM0358:1520737327 GM0362:4239631336 GM0384:1474654378 GM0437:691244240 GM0736:2073732719"},
		{0, []Inhabitants{{"A", 2, 0}}, "A:0"},
	} {
		shares, err := Allocate(c.budget, c.counts)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		s := ""
		for i, sh := range shares {
			if i > 0 {
				s += " "
			}
			s += fmt.Sprintf("%s:%d", sh.MunicipalityCode, sh.Cents)
			sum += sh.Cents
		}
		if s != c.want || sum != c.budget {
			t.Errorf("Allocate(%d) = %s (sum %d), want %s", c.budget, s, sum, c.want)
		}
	}
	for _, bad := range []struct {
		budget int64
		counts []Inhabitants
	}{{-1, []Inhabitants{{"A", 1, 0}}}, {100, nil}, {100, []Inhabitants{{"A", -1, 0}}}, {MaxBudgetCents + 1, []Inhabitants{{"A", 1, 0}}}} {
		if _, err := Allocate(bad.budget, bad.counts); ErrorCode(err) != EINVALID {
			t.Errorf("Allocate(%d, %v): %v", bad.budget, bad.counts, err)
		}
	}
}
