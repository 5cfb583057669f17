package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"b2h/tui"
)

// runTUI starts the guided terminal UI. Without a terminal it explains the
// headless commands instead.
func runTUI(cmd *cobra.Command, g *globals) error {
	if !isTerminal(os.Stdin) || !isTerminal(os.Stdout) {
		fmt.Fprintln(cmd.OutOrStdout(), "b2h: no terminal; use the headless commands (b2h sync --json, b2h plan, b2h review --json). See b2h --help.")
		return nil
	}
	s, err := openSession(g, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer s.Close()
	info := tui.Info{Demo: g.demo, StatePath: s.st.Path()}
	creds := envCredentials(g)
	info.BuildiumURL, info.HubSpotURL = creds.BuildiumURL, creds.HubSpotURL
	if s.env != nil {
		info.BuildiumURL, info.HubSpotURL = s.env.BuildiumURL, s.env.HubSpotURL
	}
	return tui.Run(cmd.Context(), info, os.Stdin, os.Stdout)
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
