package disk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/graph/errs"
)

// Name is the name the store is registered under with Cayley.
const Name = "disk"

// DefaultCheckpointBytes is the log size past which a write ends in a
// checkpoint, unless the address sets checkpoint=BYTES.
const DefaultCheckpointBytes = 4 << 20

// RefreshInterval is how often, at most, a read-only store looks for what the
// writer has added since.
const RefreshInterval = 100 * time.Millisecond

// ErrReadOnly is returned by writes to a store that another process has open
// for writing. Its code is errs.ReadOnly (HTTP 403).
var ErrReadOnly = &errs.Error{Code: errs.ReadOnly, Message: "the store is open for writing in another process (a running factgraph serve?): this process can only read it; send writes to that process (its HTTP API), or stop it"}

func init() {
	graph.RegisterQuadStore(Name, graph.QuadStoreRegistration{
		NewFunc: func(addr string, _ graph.Options) (graph.QuadStore, error) {
			dir, limit, err := parseAddress(addr)
			if err != nil {
				return nil, err
			}
			return Open(dir, limit)
		},
		InitFunc: func(addr string, _ graph.Options) error {
			dir, _, err := parseAddress(addr)
			if err != nil {
				return err
			}
			return Init(dir)
		},
		IsPersistent: true,
	})
}

// parseAddress splits DIR[?checkpoint=BYTES].
func parseAddress(addr string) (dir string, limit int64, err error) {
	limit = DefaultCheckpointBytes
	dir, query, _ := cutLast(addr, "?")
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return "", 0, fmt.Errorf("disk store %q: %w", addr, err)
		}
		for k := range q {
			if k != "checkpoint" {
				return "", 0, fmt.Errorf("disk store %q: unknown parameter %q (want checkpoint=BYTES)", addr, k)
			}
		}
		if v := q.Get("checkpoint"); v != "" {
			if limit, err = strconv.ParseInt(v, 10, 64); err != nil || limit < 1 {
				return "", 0, fmt.Errorf("disk store %q: checkpoint=%q: want a number of bytes above 0", addr, v)
			}
		}
	}
	if dir == "" {
		return "", 0, fmt.Errorf("disk store: no directory")
	}
	return dir, limit, nil
}

func cutLast(s, sep string) (before, after string, found bool) {
	for i := len(s) - len(sep); i >= 0; i-- {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}

// Init creates an empty store in dir. It fails with graph.ErrDatabaseExists
// if dir holds one already.
func Init(dir string) error {
	if seq, err := latestSegment(dir); err == nil {
		if _, werr := os.Stat(filepath.Join(dir, walName(seq))); seq > 0 || werr == nil {
			return graph.ErrDatabaseExists
		}
	}
	s, err := Open(dir, DefaultCheckpointBytes)
	if err != nil {
		return err
	}
	return s.Close()
}

// Store is a persistent quad store: a compact store whose segment is a file
// mapped into memory and whose writes go to a log first.
type Store struct {
	*compact.Store
	dir   string
	limit int64
	lock  *os.File // the writer's lock; nil in a read-only store

	mu     sync.Mutex // guards what follows
	seq    uint64     // number of the current segment, 0 for none yet
	wal    *wal       // nil in a read-only store until the writer made one
	maps   *segments  // the mapped segment files
	closed bool

	next  atomic.Int64 // read-only: time of the next refresh, unix ns
	syncs atomic.Int64 // writer: syncs of the log that made batches durable
}

var _ graph.QuadStore = (*Store)(nil)

// Open opens the store in dir, creating it if there is none. The process
// that gets the directory's lock writes; any other opens it read-only. A
// write whose batch takes the log past limit bytes ends in a checkpoint.
func Open(dir string, limit int64) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open disk store: %w", err)
	}
	lock, err := lockFile(filepath.Join(dir, lockName))
	if err != nil {
		return nil, fmt.Errorf("open disk store: %w", err)
	}
	s := &Store{dir: dir, limit: limit, lock: lock, maps: newSegments()}
	if err := s.open(); err != nil {
		s.release()
		return nil, err
	}
	return s, nil
}

func (s *Store) writer() bool { return s.lock != nil }

func (s *Store) path(name string) string { return filepath.Join(s.dir, name) }

func (s *Store) open() error {
	seq, err := latestSegment(s.dir)
	if err != nil {
		return fmt.Errorf("open disk store: %w", err)
	}
	if s.writer() {
		if err := removeStale(s.dir, seq); err != nil {
			return fmt.Errorf("open disk store: %w", err)
		}
	}
	var f compact.File
	if seq > 0 {
		data, err := mapFile(s.path(segName(seq)))
		if err != nil {
			return fmt.Errorf("open disk store: %w", err)
		}
		f = s.maps.add(data)
	}
	var p compact.Persister = reader{}
	if s.writer() {
		p = (*persister)(s)
	}
	if s.Store, err = compact.Open(f, p); err != nil {
		return fmt.Errorf("open disk store: %s: %w", s.path(segName(seq)), err)
	}
	s.seq = seq
	walPath := s.path(walName(seq))
	switch {
	case s.writer():
		s.wal, err = openWAL(walPath, seq, true)
		if errors.Is(err, os.ErrNotExist) {
			s.wal, err = createWAL(walPath, seq)
		}
	default:
		s.wal, err = openWAL(walPath, seq, false)
		if errors.Is(err, os.ErrNotExist) && seq == 0 {
			s.wal, err = nil, nil // the writer has not made it yet
		}
	}
	if err != nil {
		return fmt.Errorf("open disk store: %w", err)
	}
	if s.wal == nil {
		return nil
	}
	s.wal.syncs = &s.syncs
	tail, err := s.wal.scan(s.replay)
	if err != nil {
		return fmt.Errorf("open disk store: %w", err)
	}
	if s.writer() {
		switch tail {
		case tailTorn:
			if err := s.wal.dropTail(); err != nil {
				return fmt.Errorf("open disk store: drop the torn end of %s: %w", walPath, err)
			}
		case tailDamaged:
			return fmt.Errorf("open disk store: %s: offset %d: a damaged record with records after it (factgraph check --db disk://%s tells more)", walPath, s.wal.end, s.dir)
		}
	}
	return nil
}

// replay applies one logged batch.
func (s *Store) replay(payload []byte, at int64) error {
	if err := s.Store.Replay(payload); err != nil {
		return fmt.Errorf("%s: offset %d: %w", s.path(walName(s.wal.seq)), at, err)
	}
	return nil
}

// persister is the writer's compact.Persister: the log and checkpoints.
type persister Store

// Log appends the batch to the log; it is durable once the wait it returns
// does, and a checkpoint follows once the log is past its limit.
func (p *persister) Log(rec []byte) (func() error, bool, error) {
	s := (*Store)(p)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, false, fmt.Errorf("write to a closed store")
	}
	w, name := s.wal, s.path(walName(s.seq))
	end, err := w.append(rec)
	if err != nil {
		return nil, false, fmt.Errorf("write log %s: %w", name, err)
	}
	wait := func() error {
		if err := w.waitSynced(end); err != nil {
			return fmt.Errorf("write log %s: %w", name, err)
		}
		return nil
	}
	return wait, end-walHeader > s.limit, nil
}

// Segment writes the next segment and its empty log, then makes them
// current by renaming the segment into place; the old files are removed.
// Their disk space comes back once no process has them open or mapped: this
// one unmaps the old segment when the compact store releases it, once no
// snapshot reads it any more. The batches logged before are synced first:
// the segment holds them, and their writers wait on the old log.
func (p *persister) Segment(write func(io.Writer) error) (compact.File, error) {
	s := (*Store)(p)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return compact.File{}, fmt.Errorf("write to a closed store")
	}
	next := s.seq + 1
	final := s.path(segName(next))
	if err := s.wal.syncAll(); err != nil {
		return compact.File{}, fmt.Errorf("checkpoint %s: log %s: %w", final, s.path(walName(s.seq)), err)
	}
	tmp := final + tmpSuffix
	data, w, err := s.prepare(tmp, next, write)
	if err != nil {
		os.Remove(tmp)
		os.Remove(s.path(walName(next)))
		return compact.File{}, fmt.Errorf("checkpoint %s: %w", final, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		unmap(data)
		w.f.Close()
		os.Remove(tmp)
		os.Remove(s.path(walName(next)))
		return compact.File{}, fmt.Errorf("checkpoint %s: %w", final, err)
	}
	if err := syncDir(s.dir); err != nil {
		// The rename may or may not last; either state is whole.
		unmap(data)
		w.f.Close()
		return compact.File{}, fmt.Errorf("checkpoint %s: sync directory: %w", final, err)
	}
	s.wal.f.Close()
	os.Remove(s.path(walName(s.seq)))
	if s.seq > 0 {
		os.Remove(s.path(segName(s.seq)))
	}
	s.seq, s.wal = next, w
	return s.maps.add(data), nil
}

// prepare writes, syncs and maps the segment file tmp and creates the empty
// log of segment seq.
func (s *Store) prepare(tmp string, seq uint64, write func(io.Writer) error) ([]byte, *wal, error) {
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, nil, err
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, nil, err
	}
	data, err := mapFile(tmp)
	if err != nil {
		return nil, nil, err
	}
	w, err := createWAL(s.path(walName(seq)), seq)
	if err != nil {
		unmap(data)
		return nil, nil, err
	}
	w.syncs = &s.syncs
	return data, w, nil
}

// reader is the compact.Persister of a read-only store: it refuses writes.
type reader struct{}

func (reader) Log([]byte) (func() error, bool, error) { return nil, false, ErrReadOnly }

func (reader) Segment(func(io.Writer) error) (compact.File, error) {
	return compact.File{}, ErrReadOnly
}

// refresh brings a read-only store up to what the writer has made durable,
// at most once per RefreshInterval. Each batch and segment is applied
// whole, as in the writer; a query already running keeps its snapshot.
func (s *Store) refresh() {
	if s.writer() {
		return
	}
	now := time.Now().UnixNano()
	n := s.next.Load()
	if now < n || !s.next.CompareAndSwap(n, now+int64(RefreshInterval)) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.catchUp() // on an error the store keeps what it has, and tries again later
	}
}

func (s *Store) catchUp() error {
	for try := 0; try < 3; try++ {
		latest, err := latestSegment(s.dir)
		if err != nil {
			return err
		}
		if latest > s.seq {
			data, err := mapFile(s.path(segName(latest)))
			if err != nil {
				continue // replaced by a newer one meanwhile
			}
			w, err := openWAL(s.path(walName(latest)), latest, false)
			if err == nil {
				err = s.Store.SwitchSegment(s.maps.add(data))
			}
			if err != nil {
				s.maps.release(data)
				if w != nil {
					w.f.Close()
				}
				continue
			}
			if s.wal != nil {
				s.wal.f.Close()
			}
			s.seq, s.wal = latest, w
		}
		if s.wal == nil {
			w, err := openWAL(s.path(walName(s.seq)), s.seq, false)
			if err != nil {
				return err
			}
			s.wal = w
		}
		_, err = s.wal.scan(s.replay)
		return err
	}
	return nil
}

// Refresh brings a read-only store up to date now; a writer is always.
func (s *Store) Refresh() error {
	if s.writer() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	return s.catchUp()
}

// LogSyncs returns how many syncs of the log have made batches durable since
// the store was opened. Batches written while a sync runs share the next
// one (group commit), so with concurrent writers it is below the number of
// batches.
func (s *Store) LogSyncs() int64 { return s.syncs.Load() }

// ReadOnly reports whether another process has the store open for writing.
func (s *Store) ReadOnly() bool { return !s.writer() }

// ApplyDeltas implements graph.QuadStore. A read-only store refuses every
// batch, even one that would change nothing, with ErrReadOnly.
func (s *Store) ApplyDeltas(in []graph.Delta, opts graph.IgnoreOpts) error {
	_, _, err := s.ApplyBatch(in, opts)
	return err
}

// ApplyBatch is compact.Store.ApplyBatch; a read-only store refuses every
// batch with ErrReadOnly.
func (s *Store) ApplyBatch(in []graph.Delta, opts graph.IgnoreOpts) (added, deleted int, err error) {
	if !s.writer() {
		return 0, 0, ErrReadOnly
	}
	return s.Store.ApplyBatch(in, opts)
}

// LoadNQuads is compact.Store.LoadNQuads; a read-only store refuses it with
// ErrReadOnly.
func (s *Store) LoadNQuads(r io.Reader) (compact.LoadStats, error) {
	if !s.writer() {
		return compact.LoadStats{}, ErrReadOnly
	}
	return s.Store.LoadNQuads(r)
}

// NewQuadWriter implements graph.QuadStore; a read-only store has none.
func (s *Store) NewQuadWriter() (quad.WriteCloser, error) {
	if !s.writer() {
		return nil, ErrReadOnly
	}
	return s.Store.NewQuadWriter()
}

// ValueOf implements graph.Namer; a read-only store refreshes first.
func (s *Store) ValueOf(v quad.Value) (graph.Ref, error) {
	s.refresh()
	return s.Store.ValueOf(v)
}

// Stats implements graph.QuadStore; a read-only store refreshes first.
func (s *Store) Stats(ctx context.Context, exact bool) (graph.Stats, error) {
	s.refresh()
	return s.Store.Stats(ctx, exact)
}

// Reader returns a reader of the store's current version in node ids (see
// compact.Reader); a read-only store refreshes first.
func (s *Store) Reader() compact.Reader {
	s.refresh()
	return s.Store.Reader()
}

// NodesAllIterator implements graph.QuadStore; a read-only store refreshes
// first.
func (s *Store) NodesAllIterator() iterator.Shape {
	s.refresh()
	return s.Store.NodesAllIterator()
}

// QuadsAllIterator implements graph.QuadStore; a read-only store refreshes
// first.
func (s *Store) QuadsAllIterator() iterator.Shape {
	s.refresh()
	return s.Store.QuadsAllIterator()
}

// Close implements graph.QuadStore. A writer whose log holds more than a
// quarter of its limit checkpoints first, so that the next open replays
// little. Refs and iterators of the store must not be used after it.
func (s *Store) Close() error {
	var err error
	if s.writer() {
		s.mu.Lock()
		big := !s.closed && s.wal.end-walHeader > s.limit/4
		s.mu.Unlock()
		if big {
			err = s.Store.Checkpoint()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.writer() {
		// Batches still waiting for their sync get it before the file goes.
		if serr := s.wal.syncAll(); err == nil {
			err = serr
		}
	}
	s.release()
	return err
}

// release closes the files and unmaps the segments.
func (s *Store) release() {
	if s.wal != nil {
		s.wal.f.Close()
	}
	s.maps.releaseAll()
	if s.lock != nil {
		s.lock.Close()
	}
}
