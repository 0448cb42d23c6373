package compact

import (
	"runtime"
	"sync/atomic"
	"unsafe"
)

// File is a segment file mapped into memory, as a store reads it.
type File struct {
	Data []byte
	// Release unmaps Data; nil if the store need not. The store calls it
	// once, when nothing reads from Data any more: no snapshot (so no
	// iterator) and no dictionary of the store's uses the file. That is
	// when the garbage collector finds the last of them unreachable, some
	// time after a checkpoint replaced the file.
	Release func()
}

// mapping keeps a segment file in use: every segment and dictionary read
// from the file holds it, so every snapshot that sees them does, and the
// iterators working on those snapshots. When the last of them is
// unreachable, the collector runs the file's Release.
//
// A graph.Ref of a quad in the file points into it: it is valid while an
// iterator that returned it (or any other holder of its snapshot) is in use.
// Refs of values live on the heap (nodeTable), and values are copied out
// of the file (arenaCopies), so both stay valid for the life of the store.
type mapping struct {
	data []byte
}

func newMapping(f File) *mapping {
	m := &mapping{data: f.Data}
	if f.Release != nil {
		runtime.AddCleanup(m, func(release func()) { release() }, f.Release)
	}
	return m
}

// arenaBlockBits sizes the blocks of a mapped arena that values are copied
// out of: 64 KiB.
const arenaBlockBits = 16

// arenaCopies are heap copies of the blocks of a mapped arena that values
// were read from. A value handed out (NameOf) is a string into a copy, not
// into the file, so it outlives the file's mapping; a block is copied once,
// the first time a value in it is asked for, and the values of a query share
// the copies as they share the arena of a store in memory. Opening copies
// nothing; what queries name is copied, at most the arena.
type arenaCopies struct {
	arena  []byte
	blocks []atomic.Pointer[[1 << arenaBlockBits]byte]
}

func newArenaCopies(arena []byte) *arenaCopies {
	n := (len(arena) + 1<<arenaBlockBits - 1) >> arenaBlockBits
	return &arenaCopies{arena: arena, blocks: make([]atomic.Pointer[[1 << arenaBlockBits]byte], n)}
}

// text returns the n bytes at off of the arena, from a heap copy of their
// block; a value across two blocks is copied on its own.
func (c *arenaCopies) text(off, n uint32) string {
	if n == 0 {
		return ""
	}
	i, in := off>>arenaBlockBits, off&(1<<arenaBlockBits-1)
	if in+n > 1<<arenaBlockBits {
		return string(c.arena[off : off+n])
	}
	b := c.blocks[i].Load()
	if b == nil {
		b = new([1 << arenaBlockBits]byte)
		copy(b[:], c.arena[i<<arenaBlockBits:])
		if !c.blocks[i].CompareAndSwap(nil, b) {
			b = c.blocks[i].Load()
		}
	}
	return unsafe.String(&b[in], n)
}
