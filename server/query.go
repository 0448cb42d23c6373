package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/query"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/graph/format"
	"github.com/factgraph/factgraph/queries"
)

// queryParams are the inputs of a v1 query. They come from the URL and, for
// POST, from a JSON body, a form, or a body that is the query text itself.
type queryParams struct {
	Q        *string `json:"q"`
	Lang     *string `json:"lang"`
	Limit    *int    `json:"limit"`
	Evidence *bool   `json:"evidence"`
	Format   *string `json:"format"`
	MaxDepth *int    `json:"max_depth"`
	AsOf     *string `json:"as_of"`
}

// queryParamNames are the names of queryParams' fields, in the URL, a form or
// a JSON body. Any other name is an error, so that a typo does not go unnoticed.
var queryParamNames = []string{"q", "lang", "limit", "evidence", "format", "max_depth", "as_of"}

// checkParams returns an invalid error naming the keys of v that are not among
// known (what names the keys in the message: "parameter", "form field").
func checkParams(v url.Values, known []string, what string) error {
	var unknown []string
	for key := range v {
		if !slices.Contains(known, key) {
			unknown = append(unknown, strconv.Quote(key))
		}
	}
	switch len(unknown) {
	case 0:
		return nil
	case 1:
		return invalidf("unknown %s %s (known: %s)", what, unknown[0], strings.Join(known, ", "))
	}
	slices.Sort(unknown)
	return invalidf("unknown %ss %s (known: %s)", what, strings.Join(unknown, ", "), strings.Join(known, ", "))
}

// overlay sets the fields of p that o sets.
func (p *queryParams) overlay(o queryParams) {
	if o.Q != nil {
		p.Q = o.Q
	}
	if o.Lang != nil {
		p.Lang = o.Lang
	}
	if o.Limit != nil {
		p.Limit = o.Limit
	}
	if o.Evidence != nil {
		p.Evidence = o.Evidence
	}
	if o.Format != nil {
		p.Format = o.Format
	}
	if o.MaxDepth != nil {
		p.MaxDepth = o.MaxDepth
	}
	if o.AsOf != nil {
		p.AsOf = o.AsOf
	}
}

// paramsFrom reads query parameters from URL or form values.
func paramsFrom(v url.Values) (queryParams, error) {
	var p queryParams
	str := func(key string) *string {
		if !v.Has(key) {
			return nil
		}
		s := v.Get(key)
		return &s
	}
	p.Q, p.Lang, p.Format, p.AsOf = str("q"), str("lang"), str("format"), str("as_of")
	if s := str("limit"); s != nil && *s != "" {
		n, err := strconv.Atoi(*s)
		if err != nil {
			return p, invalidf("limit: expected a whole number of rows, found %q", *s)
		}
		p.Limit = &n
	}
	if s := str("max_depth"); s != nil && *s != "" {
		n, err := strconv.Atoi(*s)
		if err != nil || n < 1 {
			return p, invalidf("max_depth: expected a whole number of steps >= 1, found %q", *s)
		}
		p.MaxDepth = &n
	}
	if s := str("evidence"); s != nil && *s != "" {
		b, err := strconv.ParseBool(*s)
		if err != nil {
			return p, invalidf("evidence: expected true or false, found %q", *s)
		}
		p.Evidence = &b
	}
	return p, nil
}

// parseQueryRequest collects a query's parameters: first the URL's, then, for
// POST, the body's, which win.
func parseQueryRequest(r *http.Request) (queryParams, error) {
	v := r.URL.Query()
	if err := checkParams(v, queryParamNames, "parameter"); err != nil {
		return queryParams{}, err
	}
	p, err := paramsFrom(v)
	if err != nil || r.Method != http.MethodPost {
		return p, err
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var body queryParams
	switch mt {
	case "application/json":
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&body); err != nil {
			return p, &errs.Error{Code: errs.Invalid, Err: err,
				Message: "request body: " + err.Error() + ` (expected {"q": "...", "lang": "...", "limit": N, "evidence": true, "format": "...", "max_depth": N, "as_of": "YYYY-MM-DD"})`}
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return p, &errs.Error{Code: errs.Invalid, Message: "request body: " + err.Error(), Err: err}
		}
		if err := checkParams(r.PostForm, queryParamNames, "form field"); err != nil {
			return p, err
		}
		if body, err = paramsFrom(r.PostForm); err != nil {
			return p, err
		}
	default: // the body is the query text (text/plain, or no type)
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return p, err
		}
		text := string(b)
		body.Q = &text
	}
	p.overlay(body)
	return p, nil
}

// defaultFormat is the result format of a request that names none and
// whose Accept header allows any: JSON.
const defaultFormat = "json"

// resultFormat picks the result format: format= if given, else the Accept
// header's best of the format table's result formats (JSON first, for
// wildcards), else JSON.
func resultFormat(name *string, accept string) string {
	if name != nil && *name != "" {
		return *name
	}
	def, _ := format.Lookup(defaultFormat, format.Rows)
	offers := []string{def.MediaType()}
	for _, f := range format.All(format.Rows) {
		for _, mt := range f.MediaTypes {
			base, _, _ := strings.Cut(mt, ";")
			offers = append(offers, strings.TrimSpace(base))
		}
	}
	if f, ok := format.ByMediaType(negotiate(accept, offers), format.Rows); ok {
		return f.Name
	}
	return defaultFormat
}

// handleQuery runs a query in any registered language and writes its rows in
// the negotiated format, capped at the server's row limit.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) error {
	p, err := parseQueryRequest(r)
	if err != nil {
		return err
	}
	if p.Q == nil || *p.Q == "" {
		return invalidf(`missing query: pass it as q=... in the URL, as "q" in a JSON body, or as a text/plain body`)
	}
	if err := s.checkQuerySize(*p.Q); err != nil {
		return err
	}
	name := resultFormat(p.Format, r.Header.Get("Accept"))
	enc, err := queries.EncoderFor(name)
	if err != nil {
		return err
	}
	limit := s.cfg.MaxRows
	if p.Limit != nil {
		switch {
		case *p.Limit < 0:
			return invalidf("limit: expected a number of rows >= 0, found %d", *p.Limit)
		case *p.Limit > 0 && *p.Limit < limit:
			limit = *p.Limit
		}
	}
	req := queries.Request{Query: *p.Q, Limit: limit, Timeout: s.cfg.Timeout, MaxSteps: s.cfg.MaxSteps,
		Evidence: p.Evidence != nil && *p.Evidence || queries.NeedsEvidence(name)}
	if p.MaxDepth != nil {
		req.MaxDepth = *p.MaxDepth
	}
	if p.Lang != nil {
		req.Lang = *p.Lang
	}
	if p.AsOf != nil {
		req.AsOf = *p.AsOf
	}
	if name == "ndjson" {
		return s.streamQuery(w, r, req)
	}
	start := time.Now()
	var res *queries.Result
	err = s.runQuery(r.Context(), func(ctx context.Context) error {
		var err error
		res, err = queries.Run(ctx, s.store, req)
		return err
	})
	s.metrics.query(langLabel(req.Lang), outcome(err), time.Since(start))
	if err != nil {
		return errs.WithInput(err, req.Query)
	}
	h := w.Header()
	f, _ := format.Lookup(name, format.Rows)
	h.Set("Content-Type", f.ContentType())
	h.Set("X-Truncated", strconv.FormatBool(res.Truncated))
	h.Set("X-Row-Limit", strconv.Itoa(res.Limit))
	for _, warning := range res.Warnings {
		h.Add("X-Warning", warning)
	}
	return enc(w, res)
}

// streamQuery writes NDJSON rows as the query yields them: the first row is
// flushed at once, the rest as the response buffer fills. Whether the row cap
// cut is known only at the end, so X-Truncated comes as an HTTP trailer (and
// X-Row-Limit, known at the start, as a header). An error after the first rows
// cuts the connection (see respondError), so a client never takes a broken
// stream for a whole one.
func (s *Server) streamQuery(w http.ResponseWriter, r *http.Request, req queries.Request) error {
	h := w.Header()
	nd, _ := format.Lookup("ndjson", format.Rows)
	h.Set("Content-Type", nd.ContentType())
	h.Set("X-Row-Limit", strconv.Itoa(req.Limit))
	h.Set("Trailer", "X-Truncated, X-Warning")
	enc := queries.NewJSONEncoder(w)
	rc := http.NewResponseController(w)
	rows := 0
	start := time.Now()
	var res *queries.Result
	err := s.runQueryHere(r.Context(), func(ctx context.Context) error {
		var err error
		res, err = queries.Stream(ctx, s.store, req, func(cols []string, row queries.Row) error {
			if err := enc.Encode(queries.RowToJSON(cols, row, req.Evidence)); err != nil {
				return err
			}
			if rows++; rows == 1 {
				return rc.Flush()
			}
			return nil
		})
		return err
	})
	s.metrics.query(langLabel(req.Lang), outcome(err), time.Since(start))
	if err != nil {
		return errs.WithInput(err, req.Query)
	}
	if rows == 0 {
		w.WriteHeader(http.StatusOK) // an empty result is an empty body
	}
	h.Set("X-Truncated", strconv.FormatBool(res.Truncated))
	for _, warning := range res.Warnings {
		h.Add("X-Warning", warning)
	}
	return nil
}

// langLabel bounds the values of the metrics' lang label to the registered
// languages.
func langLabel(lang string) string {
	if lang == "" {
		lang = queries.DefaultLang
	}
	if query.GetLanguage(lang) == nil {
		return "unknown"
	}
	return lang
}

// outcome is "ok", "canceled" (the client went away) or the error's code.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return string(errs.CodeOf(err))
}
