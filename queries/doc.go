// Package queries runs queries in any registered Cayley query language (factgraph's
// path expressions, Gizmo, GraphQL, MQL) under a deadline and a row limit, and
// turns their results into one model: rows of named values, optional evidence,
// and metadata (columns, truncated, elapsed). Encoders write that model as a
// table, JSON, NDJSON, CSV or TSV.
package queries
