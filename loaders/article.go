package loaders

import (
	"bytes"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/data"
)

// ReadArticle reads the quads of the embedded article (data.ArticleQuads), the
// graph every memory store starts with unless told otherwise.
func ReadArticle() ([]quad.Quad, error) {
	return Read(data.ArticleName, bytes.NewReader(data.ArticleQuads()), ReadOptions{})
}
