package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datalid/datalid/internal/synth"
)

func newSynthCmd() *cobra.Command {
	var (
		out           string
		n             int
		seed          int64
		width, height int
		layouts       []string
		hard          bool
		hardShare     float64
	)
	cmd := &cobra.Command{
		Use:   "synth --out DIR",
		Short: "Render synthetic labelled packaging photos (JPEG + labels.csv)",
		Long: "Render synthetic labelled packaging photos (JPEG + labels.csv).\n\n" +
			"By default the set mixes classic layouts with a fixed share (--hard-share) of hard ones,\n" +
			"dealt out over the families " + strings.Join(synth.HardFamilies(), ", ") + ".\n" +
			"--layouts renders only the named families (\"" + synth.ClassicFamily + "\", hard ones, or " + strings.Join(synth.NamedFamilies(), ", ") + ",\n" +
			"which no mix holds); --hard renders only the mixed hard ones.\n" +
			"labels.csv's layout column names each photo's family, so eval rows can be grouped by it.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if n < 1 {
				return fmt.Errorf("-n must be at least 1")
			}
			if hard && len(layouts) > 0 {
				return fmt.Errorf("--hard and --layouts are exclusive")
			}
			if hard {
				layouts = synth.HardFamilies()
			}
			o := synth.SetOptions{N: n, Seed: seed, Width: width, Height: height, Families: layouts, HardShare: hardShare}
			if err := synth.WriteSetOptions(out, o); err != nil {
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
	f.IntVar(&width, "width", 1280, "width of the classic photos (hard layouts use phone-camera sizes)")
	f.IntVar(&height, "height", 960, "height of the classic photos")
	f.StringSliceVar(&layouts, "layouts", nil, "render only these layout families, e.g. dotmatrix,embossed (default: the standard mix)")
	f.BoolVar(&hard, "hard", false, "render only the hard layout families")
	f.Float64Var(&hardShare, "hard-share", synth.DefaultHardShare, "share of hard layouts in the standard mix (0..1)")
	return cmd
}
