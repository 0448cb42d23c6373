package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus collectors, in a registry of its own so
// that several servers (tests) can live in one process.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	queries  *prometheus.HistogramVec
	limited  *prometheus.CounterVec
	handler  http.Handler
}

func newMetrics() *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "factgraph_http_requests_total",
			Help: "HTTP requests by route (the matched pattern) and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "factgraph_http_request_duration_seconds",
			Help:    "Time from request to the end of the response, by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "factgraph_query_duration_seconds",
			Help:    "Query run time by language and outcome (ok or an error code).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"lang", "outcome"}),
	}
	m.limited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "factgraph_queries_limited_total",
		Help: "Queries a limit refused or stopped, by reason: busy (no slot), query_memory, server_memory, abandoned (answered at the deadline, left to end).",
	}, []string{"reason"})
	reg.MustRegister(m.requests, m.duration, m.queries, m.limited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}

func (m *metrics) request(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// query records one query; outcome is "ok" or the error's code.
func (m *metrics) query(lang, outcome string, d time.Duration) {
	m.queries.WithLabelValues(lang, outcome).Observe(d.Seconds())
}

// limitedQuery counts a query that a limit refused or stopped.
func (m *metrics) limitedQuery(reason string) { m.limited.WithLabelValues(reason).Inc() }
