package pg

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/jackc/pgx/v5/pgconn"
)

// valueColumns are the columns of a node row that hold its value, in the
// order valueOf reads them.
var valueColumns = []string{"value", "value_string", "datatype", "language", "iri", "bnode",
	"value_int", "value_bool", "value_float", "value_time"}

// quadsQuery selects the values of the quads q (an alias that from must
// define) that match where: ten value columns for each of subject,
// predicate, object and label (all NULL for no label).
func quadsQuery(from, where string) string {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, n := range []string{"ns", "np", "no", "nl"} {
		for j, c := range valueColumns {
			if i+j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(n + "." + c)
		}
	}
	b.WriteString(" FROM " + from +
		" JOIN nodes ns ON ns.hash = q.subject_hash" +
		" JOIN nodes np ON np.hash = q.predicate_hash" +
		" JOIN nodes no ON no.hash = q.object_hash" +
		" LEFT JOIN nodes nl ON nl.hash = q.label_hash")
	if where != "" {
		b.WriteString(" WHERE " + where)
	}
	return b.String()
}

// copyQuads runs query (from quadsQuery) as a binary COPY on conn and calls
// fn with each quad, its values read as Cayley's SQL store reads them.
func copyQuads(ctx context.Context, conn *pgconn.PgConn, query string, fn func(quad.Quad) error) error {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := readQuadRows(bufio.NewReaderSize(pr, 1<<16), fn)
		pr.CloseWithError(err) // stops the copy if fn or the parse failed
		done <- err
	}()
	_, err := conn.CopyTo(ctx, pw, "COPY ("+query+") TO STDOUT (FORMAT binary)")
	pw.CloseWithError(err)
	if rerr := <-done; rerr != nil && !errors.Is(rerr, io.ErrClosedPipe) {
		return rerr
	}
	return err
}

// copySignature opens PostgreSQL's binary COPY format.
var copySignature = []byte("PGCOPY\n\xff\r\n\x00")

// readQuadRows reads a binary COPY of quadsQuery's columns.
func readQuadRows(r *bufio.Reader, fn func(quad.Quad) error) error {
	head := make([]byte, len(copySignature)+8)
	if _, err := io.ReadFull(r, head); err != nil {
		return fmt.Errorf("copy header: %w", err)
	}
	if !bytes.Equal(head[:len(copySignature)], copySignature) {
		return errors.New("copy header: not PostgreSQL's binary COPY format")
	}
	if _, err := r.Discard(int(binary.BigEndian.Uint32(head[len(copySignature)+4:]))); err != nil {
		return fmt.Errorf("copy header: %w", err)
	}
	var (
		n4    [4]byte
		field [40][]byte
		buf   []byte
	)
	for {
		if _, err := io.ReadFull(r, n4[:2]); err != nil {
			return fmt.Errorf("copy row: %w", err)
		}
		nf := int16(binary.BigEndian.Uint16(n4[:2]))
		if nf == -1 {
			return nil // trailer
		}
		if int(nf) != len(field) {
			return fmt.Errorf("copy row: %d fields, want %d", nf, len(field))
		}
		buf = buf[:0]
		ends := [len(field)]int{}
		for i := range field {
			if _, err := io.ReadFull(r, n4[:]); err != nil {
				return fmt.Errorf("copy field: %w", err)
			}
			size := int32(binary.BigEndian.Uint32(n4[:]))
			if size < 0 {
				ends[i] = -1
				continue
			}
			start := len(buf)
			buf = slices.Grow(buf, int(size))[:start+int(size)]
			if _, err := io.ReadFull(r, buf[start:]); err != nil {
				return fmt.Errorf("copy field: %w", err)
			}
			ends[i] = len(buf)
		}
		start := 0
		for i := range field {
			if ends[i] < 0 {
				field[i] = nil
				continue
			}
			field[i] = buf[start:ends[i]:ends[i]]
			start = ends[i]
		}
		var (
			q   quad.Quad
			err error
		)
		for d := quad.Subject; d <= quad.Label; d++ {
			k := int(d-quad.Subject) * len(valueColumns)
			v, verr := valueOf(field[k : k+len(valueColumns)])
			if verr != nil {
				err = verr
				break
			}
			q.Set(d, v)
		}
		if err != nil {
			return err
		}
		if err := fn(q); err != nil {
			return err
		}
	}
}

// pgEpoch is where PostgreSQL's binary timestamps count from, in
// microseconds since 1970.
const pgEpoch = 946684800 * 1e6

// valueOf reads a value from the binary forms of valueColumns (nil for
// NULL), with the rules of Cayley's SQL store: the string column with its
// flags (IRI, blank node, language, datatype) first, then the typed columns,
// then the protobuf encoding of any other kind of value. All NULL is no
// value (a quad without a label).
func valueOf(f [][]byte) (quad.Value, error) {
	value, str, datatype, lang, iri, bnode := f[0], f[1], f[2], f[3], f[4], f[5]
	vint, vbool, vfloat, vtime := f[6], f[7], f[8], f[9]
	isTrue := func(b []byte) bool { return len(b) == 1 && b[0] == 1 }
	switch {
	case str != nil:
		s := string(str)
		switch {
		case isTrue(iri):
			return quad.IRI(s), nil
		case isTrue(bnode):
			return quad.BNode(s), nil
		case lang != nil:
			return quad.LangString{Value: quad.String(unescapeNul(s)), Lang: string(lang)}, nil
		case datatype != nil:
			return quad.TypedString{Value: quad.String(unescapeNul(s)), Type: quad.IRI(datatype)}, nil
		}
		return quad.String(unescapeNul(s)), nil
	case len(vint) == 8:
		return quad.Int(int64(binary.BigEndian.Uint64(vint))), nil
	case len(vbool) == 1:
		return quad.Bool(vbool[0] == 1), nil
	case len(vfloat) == 8:
		return quad.Float(math.Float64frombits(binary.BigEndian.Uint64(vfloat))), nil
	case len(vtime) == 8:
		us := int64(binary.BigEndian.Uint64(vtime))
		return quad.Time(time.UnixMicro(us + pgEpoch).UTC()), nil
	case value != nil:
		v, err := pquads.UnmarshalValue(value)
		if err != nil {
			return nil, fmt.Errorf("node value: %w", err)
		}
		return v, nil
	}
	return nil, nil
}

// unescapeNul undoes Cayley's escaping of NUL bytes in stored strings.
func unescapeNul(s string) string { return strings.ReplaceAll(s, `\x00`, "\x00") }
