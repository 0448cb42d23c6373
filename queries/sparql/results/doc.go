// Package results writes and reads the SPARQL 1.1 query result formats:
// XML (application/sparql-results+xml), JSON (application/sparql-results+json),
// CSV and TSV. A Set is either the solutions of a SELECT or the boolean of an
// ASK.
package results
