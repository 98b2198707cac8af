// Command datalid reads expiry dates from photos of product packaging.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/datalid/datalid/internal/config"
	"github.com/datalid/datalid/internal/memtrim"
)

var version = "dev"

// errReported marks failures whose details were already printed; main only sets the status.
var errReported = errors.New("some inputs failed")

type globalFlags struct {
	configFile string
	preset     string
	verbose    bool
}

func main() {
	memtrim.TuneAllocator() // before ONNX Runtime allocates anything
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot()
	if err := root.ExecuteContext(ctx); err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "datalid:", err)
		}
		os.Exit(1)
	}
}

func newRoot() *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "datalid",
		Short:         "Read expiry dates from photos of product packaging",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			level := slog.LevelWarn
			if g.verbose {
				level = slog.LevelDebug
			}
			slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.configFile, "config", os.Getenv("DATALID_CONFIG"), "YAML config file (env DATALID_CONFIG)")
	pf.StringVar(&g.preset, "preset", os.Getenv("DATALID_PRESET"), "base preset: development, production, high_performance, memory_optimized (env DATALID_PRESET)")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "debug logging on stderr")
	// Every command, in one list: what the binary can do is read here, not gathered from
	// init functions across the files.
	root.AddCommand(
		newReadCmd(g), newParseCmd(), newEvalCmd(g), newSynthCmd(),
		newServeCmd(g), newWorkerCmd(g), newSubmitCmd(g),
		newBenchCmd(g), newLoadtestCmd(g), newProbeCmd(g), newQuantizeCmd(g),
		newConfigCmd(g), newCacheCmd(g),
	)
	return root
}

// load builds the configuration: preset, then file, then DATALID_* environment.
func (g *globalFlags) load() (config.Config, error) {
	return config.Load(g.configFile, g.preset)
}

// loadModels is load for commands that run the models: it also finds them (config.ModelPlaces:
// $DATALID_MODELS_DIR, ./models, beside the executable, the per-user directory), so a command
// run from any folder works, and one that cannot find them fails at once naming every place.
func (g *globalFlags) loadModels() (config.Config, error) {
	c, err := g.load()
	if err != nil {
		return c, err
	}
	exe, _ := os.Executable() // "" when unknown: that place is left out
	return c, config.LocateModels(&c, os.Environ(), exe)
}
