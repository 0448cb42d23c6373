package cli

import (
	"errors"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph"
)

func newInitCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "init --db URL",
		Short: "Create the database of a persistent store",
		Long: `Create the database of the --db store: the bolt file, or the tables of a
PostgreSQL database (which must exist and be writable by the
user in the URL). Other commands also create a store on first use; init does it
explicitly and says whether there was one already.`,
		Example: `  factgraph init --db bolt://kg.db
  factgraph init --db 'postgres://factgraph@127.0.0.1/factgraph?sslmode=disable'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			err := graph.Init(cmd.Context(), g.db)
			if errors.Is(err, cgraph.ErrDatabaseExists) {
				fmt.Fprintf(cmd.OutOrStdout(), "%s already holds a factgraph store; nothing to do\n", g.db)
				return nil
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created a store at %s\n", g.db)
			return nil
		},
	}
}
