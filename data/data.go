// Package data holds factgraph's embedded data sets: the text of each article and
// its hand-curated quads. See docs/vocabulary.md for the vocabulary.
package data

import (
	_ "embed"
)

// ArticleName is the file name of the embedded article's quads, used in messages.
const ArticleName = "kyodo-2024-05-02-japan-france-raa.nq"

//go:embed kyodo-2024-05-02-japan-france-raa.nq
var articleQuads []byte

//go:embed kyodo-2024-05-02-japan-france-raa.txt
var articleText string

// ArticleQuads returns the curated N-Quads of the Kyodo article of 2 May 2024.
// The caller may not modify the returned slice.
func ArticleQuads() []byte { return articleQuads }

// ArticleText returns the article's text as published.
func ArticleText() string { return articleText }

// ArticleIRI is the IRI of the article's document node.
const ArticleIRI = "https://w3id.org/factgraph/news/kyodo-2024-05-02-japan-france-raa"
