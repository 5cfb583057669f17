package mapping

// Drop leaves the named properties off the record (HubSpot keeps what it
// has for them) and hashes it again.
func (r *Record) Drop(names ...string) {
	n := len(r.Properties)
	for _, k := range names {
		delete(r.Properties, k)
	}
	if len(r.Properties) != n {
		r.Hash = Hash(r.Target, r.Properties)
	}
}

// TargetsOf lists the HubSpot properties the entity's fields with this
// Buildium source write.
func (m *Mapping) TargetsOf(ent Entity, source string) []string {
	em := m.Entities[ent]
	if em == nil {
		return nil
	}
	var out []string
	for _, f := range em.Fields {
		if f.Source == source {
			out = append(out, f.Target)
		}
	}
	return out
}
