package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/datalid/datalid/internal/config"
)

func newConfigCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Show or check configuration"}
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration (preset + --config file + DATALID_* environment)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.load()
			if err != nil {
				return err
			}
			b, err := c.YAML()
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(b)
			return err
		},
	}
	check := &cobra.Command{
		Use:   "check FILE",
		Short: "Validate a config file strictly (unknown keys, types, ranges)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := config.Load(args[0], g.preset)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (preset %s)\n", args[0], c.Preset)
			return nil
		},
	}
	presets := &cobra.Command{
		Use:   "presets",
		Short: "List the embedded presets",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			for _, n := range config.PresetNames() {
				fmt.Fprintln(cmd.OutOrStdout(), n)
			}
		},
	}
	cmd.AddCommand(show, check, presets)
	return cmd
}
