package pgha

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Latencies are the times writes took to show through another server, in
// the order of the writes.
type Latencies []time.Duration

// Quantile returns the q-quantile (0.5 the median, 0.99 the 99th percentile)
// by the nearest-rank rule.
func (l Latencies) Quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// Propagation writes n quads, one request each, through from and measures
// how long after the 200 each shows through to, which it polls every
// millisecond; it gives up on a write after timeout.
func Propagation(ctx context.Context, from, to *Server, n int, timeout time.Duration) (Latencies, error) {
	run := time.Now().UnixNano()
	var lat Latencies
	for i := range n {
		subject := fmt.Sprintf("urn:propagation:%d:%d", run, i)
		status, err := from.Load(ctx, fmt.Sprintf("<%s> <urn:p> <urn:o> .\n", subject))
		if err != nil || status != 200 {
			return lat, fmt.Errorf("write %d through %s: status %d, %v", i, from.URL, status, err)
		}
		acked := time.Now()
		for {
			got, err := to.Quads(ctx, subject)
			if err != nil {
				return lat, err
			}
			if got != "" {
				lat = append(lat, time.Since(acked))
				break
			}
			if time.Since(acked) > timeout {
				return lat, fmt.Errorf("write %d through %s: not visible through %s after %s", i, from.URL, to.URL, timeout)
			}
			time.Sleep(time.Millisecond)
		}
	}
	return lat, nil
}
