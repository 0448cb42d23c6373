package server

import (
	"net/http"

	"github.com/factgraph/factgraph/queries"
)

// historyParams are the URL parameters of GET /api/v1/history.
var historyParams = []string{"name", "as_of"}

// handleHistory answers with the history of a node: the statuses of a
// happening, or the statements about any other node, in date order, each with
// its sentence and source (see queries.HistoryOf).
func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	if err := checkParams(v, historyParams, "parameter"); err != nil {
		return err
	}
	name := v.Get("name")
	if name == "" {
		return invalidf("missing name: pass the happening or node as name=... (RAA-Japan-Philippines, Japan, fg:Japan)")
	}
	h, err := queries.HistoryOf(r.Context(), s.store, name, v.Get("as_of"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h.JSON())
	return nil
}
