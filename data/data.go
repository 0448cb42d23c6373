// Package data holds factgraph's embedded data set: the fact sheet of one
// Kyodo article and the quads `factgraph ingest` makes of it. See
// docs/fact-sheets.md for the sheet and docs/vocabulary.md for the quads.
package data

import (
	_ "embed"

	"gopkg.in/yaml.v3"
)

// ArticleName is the file name of the embedded article's quads, used in messages.
const ArticleName = "kyodo-2024-05-02-japan-france-raa.nq"

// SheetName is the file name of the embedded article's fact sheet.
const SheetName = "kyodo-2024-05-02-japan-france-raa.yaml"

// The quads are built from the sheet ahead of time and kept beside it, not at
// startup: every command and test starts from them, and reading N-Quads is
// cheaper than building a sheet; a test checks that they are exactly what the
// sheet makes (go test ./data -update rewrites them).
//
//go:embed kyodo-2024-05-02-japan-france-raa.nq
var articleQuads []byte

//go:embed kyodo-2024-05-02-japan-france-raa.yaml
var articleSheet []byte

// ArticleQuads returns the N-Quads of the Kyodo article of 2 May 2024, as
// built from its fact sheet. The caller may not modify the returned slice.
func ArticleQuads() []byte { return articleQuads }

// ArticleSheet returns the article's fact sheet (YAML). The caller may not
// modify the returned slice.
func ArticleSheet() []byte { return articleSheet }

// ArticleText returns the article's text as published: the sheet's text.
func ArticleText() string {
	var sheet struct {
		Text string `yaml:"text"`
	}
	if err := yaml.Unmarshal(articleSheet, &sheet); err != nil {
		panic("data: the embedded fact sheet does not parse: " + err.Error())
	}
	return sheet.Text
}

// ArticleIRI is the IRI of the article's document node.
const ArticleIRI = "https://w3id.org/factgraph/news/kyodo-2024-05-02-japan-france-raa"
