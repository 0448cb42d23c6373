package server

import (
	"bytes"
	"io"
	"mime"
	"net/http"

	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/loaders/factsheet"
)

// sheetFormats maps the media types of fact sheets to their formats; any
// other type is read as YAML, of which JSON is a part.
var sheetFormats = map[string]factsheet.Format{
	"application/yaml":     factsheet.YAML,
	"application/x-yaml":   factsheet.YAML,
	"text/yaml":            factsheet.YAML,
	"application/json":     factsheet.JSON,
	"application/x-ndjson": factsheet.JSONLines,
	"application/jsonl":    factsheet.JSONLines,
	"application/ndjson":   factsheet.JSONLines,
}

// ingestResponse reports what an ingest did.
type ingestResponse struct {
	Sheets     int `json:"sheets"`     // sheets in the request
	Documents  int `json:"documents"`  // documents they hold
	Sentences  int `json:"sentences"`  // sentences of their texts
	Facts      int `json:"facts"`      // facts they state
	Read       int `json:"read"`       // quads the sheets make
	Added      int `json:"added"`      // quads new to the store
	Duplicates int `json:"duplicates"` // quads already stored
}

// handleIngest adds the articles of the fact sheets in the request body, all
// or nothing: every sheet is checked against its text, the vocabulary and
// the store's names before the store is touched.
func (s *Server) handleIngest(w http.ResponseWriter, r *http.Request) error {
	format := factsheet.YAML
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil {
		if f, ok := sheetFormats[mt]; ok {
			format = f
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	sheets, err := factsheet.Read(bodyName, bytes.NewReader(body), format)
	if err != nil {
		return inputError(err, body)
	}
	// Names resolve against the store as it is when the batch is applied.
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	res, err := factsheet.Build(r.Context(), s.store, sheets)
	if err != nil {
		return inputError(err, body)
	}
	st, err := loaders.Apply(r.Context(), s.store, res.Quads)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ingestResponse{Sheets: len(sheets), Documents: res.Documents, Sentences: res.Sentences, Facts: res.Facts,
		Read: st.Read, Added: st.Added, Duplicates: st.Duplicates})
	return nil
}
