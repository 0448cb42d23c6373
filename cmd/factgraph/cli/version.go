package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3".
var Version = "dev"

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print factgraph's version and the Cayley version it is built on",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cayley := "unknown"
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, d := range bi.Deps {
					if d.Path == "github.com/cayleygraph/cayley" {
						cayley = d.Version
					}
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "factgraph %s (cayley %s)\n", Version, cayley)
			return nil
		},
	}
}
