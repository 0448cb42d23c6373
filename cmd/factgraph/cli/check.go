package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/disk"
	"github.com/factgraph/factgraph/graph/errs"
)

func newCheckCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "check --db disk://DIR",
		Short: "Verify the files of a disk store",
		Long: `Verify a disk store without changing it (its writer may be running): every
section of the current segment against its CRC-32C checksum, the indexes
against the quads and the dictionary against its hash table, then every
record of the write-ahead log, by checksum and by replaying it onto the
segment. Prints what it checked and a verdict; exits 1 if anything is damaged,
naming the file and the offset. A torn last log record (a crash while it was
being written, never acknowledged) is reported and is not damage: the writer
drops it when it next opens the store.`,
		Example: `  factgraph check --db disk://kg`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc, err := graph.ParseURL(g.db)
			if err != nil {
				return err
			}
			if loc.Backend != graph.BackendDisk {
				return errs.Errorf(errs.Invalid, "check verifies disk:// stores; %s is a %s store", g.db, loc.Backend)
			}
			dir, _, _ := strings.Cut(loc.Address, "?")
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "store\t%s\n", g.db)
			r, err := disk.Check(dir)
			if r.Segment != "" {
				fmt.Fprintf(out, "segment\t%s\n", r.Segment)
			}
			if err != nil {
				fmt.Fprintf(out, "verdict\tdamaged\n")
				return fmt.Errorf("check %s: %w", g.db, err)
			}
			if r.Segment != "" {
				fmt.Fprintf(out, "\t%d quads, %d values: checksums, indexes and dictionary ok\n", r.Quads, r.Values)
			}
			if r.Log != "" {
				fmt.Fprintf(out, "log\t%s\n\t%d batches ok\n", r.Log, r.LogRecords)
			}
			if r.TornTail {
				fmt.Fprintf(out, "\ta torn last record (a write cut short, never acknowledged): dropped when the store next opens for writing\n")
			}
			fmt.Fprintf(out, "quads\t%d\nverdict\tclean\n", r.Live)
			return nil
		},
	}
}
