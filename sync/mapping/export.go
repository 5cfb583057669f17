package mapping

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Export writes the whole mapping as a YAML mapping file. Every entity
// lists all its fields with replace_fields: true, so that Load of the
// output over Default(m.Options) gives back m. Association labels, which
// are fixed, are described in comments.
func (m *Mapping) Export(w io.Writer) error {
	root := mapNode()
	addScalar(root, "version", strconv.Itoa(Version))
	ents := mapNode()
	for _, e := range Entities() {
		em := m.Entities[e]
		if em == nil {
			continue
		}
		n := mapNode()
		addScalar(n, "target", em.Target)
		if em.Key != "" {
			addScalar(n, "key", em.Key)
		}
		// Always written, even empty, so that Load does not fall back to
		// the base's list.
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, t := range em.RequireOneOf {
			seq.Content = append(seq.Content, scalar(t))
		}
		add(n, "require_one_of", seq)
		addScalar(n, "replace_fields", "true")
		fields := &yaml.Node{Kind: yaml.SequenceNode}
		for _, f := range em.Fields {
			fields.Content = append(fields.Content, fieldNode(f))
		}
		add(n, "fields", fields)
		k := scalar(string(e))
		k.HeadComment = entityComment(e, em)
		ents.Content = append(ents.Content, k, n)
	}
	add(root, "entities", ents)
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root},
		HeadComment: "b2h mapping file: how Buildium records become HubSpot records.\n" +
			"Load it with --mapping FILE; `b2h mapping show` explains every field.\n" +
			"Transforms: " + strings.Join(Transforms(), ", ") + ".\n" +
			"Rules: " + strings.Join(ruleKinds, ", ") + " (severity: error or warning)."}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("mapping: export: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("mapping: export: %w", err)
	}
	return nil
}

// entityComment is the comment above an entity in an exported file.
func entityComment(e Entity, em *EntityMapping) string {
	switch e {
	case Units:
		if em.Target == TargetListings {
			return "Units are listings on this account (no custom objects), with buildium_record_type = unit."
		}
		return "Units are records of the custom object `unit` (Enterprise)."
	case Leases:
		return "Leases have no records of their own: these fields go on the unit record of the active lease,\n" +
			"and each tenant on a lease is associated with the unit labelled\n" +
			"\"" + LabelCurrentTenant + "\", \"" + LabelFutureTenant + "\" or \"" + LabelPastTenant + "\" (recomputed from dates every run)."
	case EmergencyContacts:
		return "Emergency contacts are contacts associated with their tenant (label \"" + LabelEmergencyContact + "\").\n" +
			"Key: from the normalised email when valid (one contact per person), else from the tenant id."
	}
	return ""
}

func fieldNode(f Field) *yaml.Node {
	n := mapNode()
	n.Style = 0
	if f.Source != "" {
		addScalar(n, "source", f.Source)
	} else {
		addScalar(n, "value", f.Value)
	}
	addScalar(n, "target", f.Target)
	addScalar(n, "transform", f.Transform)
	if f.Clear {
		addScalar(n, "clear", "true")
	}
	if len(f.Rules) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, r := range f.Rules {
			if r.Arg == "" && r.Message == "" && r.Severity == "" {
				seq.Content = append(seq.Content, scalar(r.Kind))
				continue
			}
			rn := mapNode()
			addScalar(rn, "kind", r.Kind)
			if r.Arg != "" {
				addScalar(rn, "arg", r.Arg)
			}
			if r.Message != "" {
				addScalar(rn, "message", r.Message)
			}
			if r.Severity != "" {
				addScalar(rn, "severity", r.Severity)
			}
			seq.Content = append(seq.Content, rn)
		}
		add(n, "rules", seq)
	}
	return n
}

func mapNode() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

// scalar makes a string node; the tag keeps values such as "true" or
// "1001" strings when read back.
func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func add(n *yaml.Node, key string, v *yaml.Node) { n.Content = append(n.Content, scalar(key), v) }

func addScalar(n *yaml.Node, key, v string) {
	node := scalar(v)
	if v == "true" || v == "false" {
		node.Tag = "!!bool"
	} else if _, err := strconv.Atoi(v); err == nil && key == "version" {
		node.Tag = "!!int"
	}
	add(n, key, node)
}
