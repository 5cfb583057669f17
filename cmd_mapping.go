package main

import (
	"os"

	"github.com/spf13/cobra"

	"b2h/sync/mapping"
)

func newMappingCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "mapping", Short: "Show or export the field mapping in force"}
	var unitTarget string
	build := func(cmd *cobra.Command) (*mapping.Mapping, error) {
		target, err := mappingUnitTarget(unitTarget)
		if err != nil {
			return nil, err
		}
		if g.mappingFile == "" {
			return mapping.Default(mapping.Options{UnitTarget: target}), nil
		}
		if !cmd.Flags().Changed("units") {
			// A file describes the unit target it was exported for.
			if data, err := os.ReadFile(g.mappingFile); err == nil {
				if t := mapping.FileUnitTarget(data); t != "" {
					target = t
				}
			}
		}
		return loadMappingFileOn(g.mappingFile, mapping.Default(mapping.Options{UnitTarget: target}))
	}
	show := &cobra.Command{
		Use:   "show",
		Short: "Describe every field, conversion and validation rule (Markdown)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := build(cmd)
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
			m, err := build(cmd)
			if err != nil {
				return err
			}
			return m.Export(cmd.OutOrStdout())
		},
	}
	for _, c := range []*cobra.Command{show, export} {
		c.Flags().StringVar(&unitTarget, "units", mapping.TargetUnit, "unit target to describe: unit (custom object, Enterprise; also custom-object) or listings (other tiers); with --mapping, the file's own by default")
	}
	cmd.AddCommand(show, export)
	return cmd
}

// mappingUnitTarget reads mapping show/export --units.
func mappingUnitTarget(units string) (string, error) {
	switch units {
	case mapping.TargetUnit, "custom-object":
		return mapping.TargetUnit, nil
	case mapping.TargetListings:
		return mapping.TargetListings, nil
	}
	return "", usageErr("--units %q: use unit (the custom object, Enterprise) or listings", units)
}

// mappingFileOverride checks --mapping when a command starts, so that a
// bad file is a usage error (exit 2) before anything is read or written,
// and returns the function that applies the file to the default of the
// account's unit target during the run (nil without --mapping). Before the
// account check chooses that target, the file is checked against the
// default of the target that units (sync's --units) forces, else of the
// target the file was exported for (mapping.FileUnitTarget), else of
// either: an exported file is accepted on every tier.
func mappingFileOverride(g *globals, units string) (func(*mapping.Mapping) (*mapping.Mapping, error), error) {
	if g.mappingFile == "" {
		return nil, nil
	}
	data, err := os.ReadFile(g.mappingFile)
	if err != nil {
		return nil, usageErr("mapping file: %v", err)
	}
	var targets []string
	switch units {
	case mapping.TargetListings:
		targets = []string{mapping.TargetListings}
	case "custom-object", mapping.TargetUnit:
		targets = []string{mapping.TargetUnit}
	default:
		if t := mapping.FileUnitTarget(data); t != "" {
			targets = []string{t}
		} else {
			targets = []string{mapping.TargetUnit, mapping.TargetListings}
		}
	}
	var first error
	for _, t := range targets {
		_, err := loadMappingFileOn(g.mappingFile, mapping.Default(mapping.Options{UnitTarget: t}))
		if err == nil {
			first = nil
			break
		}
		if first == nil {
			first = err
		}
	}
	if first != nil {
		return nil, first
	}
	return func(base *mapping.Mapping) (*mapping.Mapping, error) { return loadMappingFileOn(g.mappingFile, base) }, nil
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
