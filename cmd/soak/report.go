package main

import (
	"bytes"
	"fmt"
	"image/color"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"casusnet/internal/load"
)

// writeReport writes the Markdown report and the plot.
func writeReport(s settings, r *result, started time.Time, command string) error {
	var b bytes.Buffer
	var requests, failed int
	for _, w := range r.windows {
		requests += w.requests
		for _, n := range w.errors {
			failed += n
		}
	}
	fmt.Fprintf(&b, "# Soak\n\nRewritten by `make soak` (%s). Started %s, ran %v.\n\n", command, started.UTC().Format(time.RFC3339), s.duration)
	fmt.Fprintf(&b, "Machine: %s; casusnet, its Neo4j (heap 1 GB) and this load generator share it.\n\n", machine())
	fmt.Fprintf(&b, "Load: %.0f requests/s (30%% case pages, 20%% single cases, 15%% person searches, 10%% network depth 2, 15%% signals with idempotency keys, 10%% scheduled reviews), "+
		"and %d caseEvents subscriptions open throughout (4 in 5 coordinators, 1 in 5 a mayor). As a coordinator, access log on.\n\n", s.rate, s.subscribers)
	fmt.Fprintf(&b, "## Summary\n\n")
	fmt.Fprintf(&b, "- Requests: %d, failed: %d (%.3f%%); not sent because 64 were in flight: %d.\n", requests, failed, 100*float64(failed)/float64(max(requests, 1)), r.skipped)
	if n := len(r.windows); n >= 2 {
		third := max(1, n/3)
		first, last := r.windows[:third], r.windows[n-third:]
		fmt.Fprintf(&b, "- p99 latency, first third vs last third of the windows (median of the windows' p99): %s vs %s.\n", load.Ms(medianP99(first)), load.Ms(medianP99(last)))
		fmt.Fprintf(&b, "- Resident memory: before the subscribers %d MB; first window %d MB, last window %d MB; Go heap in use first %d MB, last %d MB.\n",
			r.baseRSS>>20, r.windows[0].rss>>20, r.windows[n-1].rss>>20, r.windows[0].heap>>20, r.windows[n-1].heap>>20)
	}
	fmt.Fprintf(&b, "- Goroutines: %d before the subscribers opened, %d after they closed.\n", r.baseGoroutines, r.endGoroutine)
	fmt.Fprintf(&b, "- Case events acknowledged (reviews scheduled): %d; received per coordinator subscriber: min %d, max %d; subscriber streams that failed: %d.\n\n",
		r.caseWrites, r.minGot, r.maxGot, r.subscriberErrors)
	fmt.Fprintf(&b, "## Per window\n\n| at | requests | errors | p50 | p99 | RSS | heap | goroutines | subscriptions | events delivered |\n|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, w := range r.windows {
		var es []string
		for _, code := range slices.Sorted(maps.Keys(w.errors)) {
			es = append(es, fmt.Sprintf("%s %d", code, w.errors[code]))
		}
		if len(es) == 0 {
			es = []string{"0"}
		}
		fmt.Fprintf(&b, "| %v | %d | %s | %s | %s | %d MB | %d MB | %d | %d | %d |\n", w.at.Round(time.Second), w.requests, strings.Join(es, ", "),
			load.Ms(w.p50), load.Ms(w.p99), w.rss>>20, w.heap>>20, w.goroutines, w.subscriptions, w.delivered)
	}
	fmt.Fprintf(&b, "\n![p50/p99 latency and resident memory over time](soak.png)\n")
	if err := os.WriteFile(s.out, b.Bytes(), 0o644); err != nil {
		return err
	}
	return writePlot(s.plot, r.windows)
}

func medianP99(ws []window) time.Duration {
	ds := make([]time.Duration, len(ws))
	for i, w := range ws {
		ds[i] = w.p99
	}
	return load.Percentile(ds, 50)
}

// writePlot draws latency (p50, p99) above resident memory, over minutes.
func writePlot(path string, ws []window) error {
	lat := plot.New()
	lat.Title.Text = "casusnet soak: latency"
	lat.X.Label.Text, lat.Y.Label.Text = "minutes", "ms"
	mem := plot.New()
	mem.Title.Text = "resident memory and goroutines/10"
	mem.X.Label.Text, mem.Y.Label.Text = "minutes", "MB"
	series := func(f func(window) float64) plotter.XYs {
		xy := make(plotter.XYs, len(ws))
		for i, w := range ws {
			xy[i].X, xy[i].Y = w.at.Minutes(), f(w)
		}
		return xy
	}
	for i, s := range []struct {
		p    *plot.Plot
		name string
		xy   plotter.XYs
	}{
		{lat, "p50", series(func(w window) float64 { return float64(w.p50) / 1e6 })},
		{lat, "p99", series(func(w window) float64 { return float64(w.p99) / 1e6 })},
		{mem, "RSS MB", series(func(w window) float64 { return float64(w.rss >> 20) })},
		{mem, "goroutines/10", series(func(w window) float64 { return float64(w.goroutines) / 10 })},
	} {
		l, err := plotter.NewLine(s.xy)
		if err != nil {
			return err
		}
		l.Color = []color.Color{color.RGBA{0, 90, 160, 255}, color.RGBA{200, 60, 40, 255}}[i%2]
		l.Width = vg.Points(1.5)
		s.p.Add(l)
		s.p.Legend.Add(s.name, l)
	}
	lat.Y.Min, mem.Y.Min = 0, 0
	lat.Legend.Top, mem.Legend.Top = true, true
	img := vgimg.New(8*vg.Inch, 7*vg.Inch)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadX: vg.Millimeter, PadY: 4 * vg.Millimeter, PadTop: 2 * vg.Millimeter, PadBottom: 2 * vg.Millimeter, PadLeft: 2 * vg.Millimeter, PadRight: 2 * vg.Millimeter}
	plots := [][]*plot.Plot{{lat}, {mem}}
	canvases := plot.Align(plots, tiles, dc)
	for j := range plots {
		plots[j][0].Draw(canvases[j][0])
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
