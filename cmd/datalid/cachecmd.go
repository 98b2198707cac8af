package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/datalid/datalid/internal/cache"
	"github.com/datalid/datalid/internal/engine"
)

func newCacheCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cache stats|clear",
		Short: "Show or empty the configured result cache (disk and Redis tiers)",
	}
	var format string
	stats := &cobra.Command{
		Use:   "stats",
		Short: "Entries and bytes of the disk and Redis tiers (a server's memory tier: GET /info)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := openSharedTiers(g)
			if err != nil || c == nil {
				return err
			}
			defer c.Close()
			st := c.Stats()
			for i, t := range c.Tiers() {
				if r, ok := t.(*cache.Redis); ok {
					// Counting Redis keys is a SCAN: fine here, never on the request path.
					n, err := r.Count(cmd.Context())
					if err != nil {
						return fmt.Errorf("redis: %w", err)
					}
					st[i].Entries = n
				}
			}
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "tier\tentries\tbytes\tmax bytes\tcorrupt")
			for _, s := range st {
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\n", s.Tier, s.Entries, unknown(s.Bytes, -1), unknown(s.MaxBytes, 0), s.Corrupt)
			}
			return tw.Flush()
		},
	}
	stats.Flags().StringVar(&format, "format", "table", "output format: table or json")
	clear := &cobra.Command{
		Use:   "clear",
		Short: "Delete every cached result of the disk tier and under the Redis key prefix",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := openSharedTiers(g)
			if err != nil || c == nil {
				return err
			}
			defer c.Close()
			if err := c.Clear(cmd.Context()); err != nil {
				return err
			}
			for _, t := range c.Tiers() {
				fmt.Fprintf(cmd.OutOrStdout(), "cleared %s\n", t.Name())
			}
			return nil
		},
	}
	cmd.AddCommand(stats, clear)
	return cmd
}

// openSharedTiers opens the configured tiers that outlive a process (disk, Redis); the
// memory tier belongs to each running process. nil (and a note) when there are none.
func openSharedTiers(g *globalFlags) (*cache.Tiered, error) {
	cfg, err := g.load()
	if err != nil {
		return nil, err
	}
	var tiers []string
	for _, t := range cfg.Cache.Tiers {
		if t != "memory" {
			tiers = append(tiers, t)
		}
	}
	if len(tiers) == 0 {
		return nil, fmt.Errorf("no disk or redis cache tier is configured (cache.tiers: %v); a memory tier lives and dies with its process", cfg.Cache.Tiers)
	}
	cfg.Cache.Tiers = tiers
	c, err := engine.OpenCache(cfg)
	if errors.Is(err, cache.ErrInUse) {
		return nil, fmt.Errorf("%w (stop the datalid process using %s first)", err, cfg.Cache.Dir)
	}
	return c, err
}

// unknown writes n, or "-" when it is the value that means "not known" / "none".
func unknown(n, none int64) string {
	if n == none {
		return "-"
	}
	return fmt.Sprint(n)
}
