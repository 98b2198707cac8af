package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/datalid/datalid/internal/synth"
)

func init() {
	subcommands = append(subcommands, func(*globalFlags) *cobra.Command { return newSynthCmd() })
}

func newSynthCmd() *cobra.Command {
	var (
		out           string
		n             int
		seed          int64
		width, height int
	)
	cmd := &cobra.Command{
		Use:   "synth --out DIR",
		Short: "Render synthetic labelled packaging photos (JPEG + labels.csv)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if n < 1 {
				return fmt.Errorf("-n must be at least 1")
			}
			if err := synth.WriteSet(out, n, seed, width, height); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %d photos and labels.csv to %s\n", n, out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "samples", "output folder")
	f.IntVarP(&n, "count", "n", 8, "number of photos")
	f.Int64Var(&seed, "seed", 1, "random seed (same seed, same photos)")
	f.IntVar(&width, "width", 1280, "photo width")
	f.IntVar(&height, "height", 960, "photo height")
	return cmd
}
