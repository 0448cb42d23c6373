package server

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3 description of every route; a test keeps it and the
// route table in step.
//
//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the OpenAPI 3 document of the HTTP API. The caller may not
// modify it.
func OpenAPI() []byte { return openAPI }

func handleOpenAPI(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openAPI)
	return err
}
