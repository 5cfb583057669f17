package main

import (
	"os"

	"github.com/spf13/cobra"

	"b2h/sync/mapping"
)

func newMappingCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "mapping", Short: "Show or export the field mapping in force"}
	var unitTarget string
	build := func() (*mapping.Mapping, error) {
		base := mapping.Default(mapping.Options{UnitTarget: unitTarget})
		if g.mappingFile == "" {
			return base, nil
		}
		return loadMappingFileOn(g.mappingFile, base)
	}
	show := &cobra.Command{
		Use:   "show",
		Short: "Describe every field, conversion and validation rule (Markdown)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := build()
			if err != nil {
				return err
			}
			return m.Describe(cmd.OutOrStdout())
		},
	}
	export := &cobra.Command{
		Use:   "export",
		Short: "Write the mapping as a YAML file to edit and pass back with --mapping",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := build()
			if err != nil {
				return err
			}
			return m.Export(cmd.OutOrStdout())
		},
	}
	for _, c := range []*cobra.Command{show, export} {
		c.Flags().StringVar(&unitTarget, "units", mapping.TargetUnit, "unit target to describe: unit (custom object, Enterprise) or listings")
	}
	cmd.AddCommand(show, export)
	return cmd
}

func loadMappingFileOn(path string, base *mapping.Mapping) (*mapping.Mapping, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usageErr("mapping file: %v", err)
	}
	defer f.Close()
	m, err := mapping.Load(f, path, base)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return m, nil
}
