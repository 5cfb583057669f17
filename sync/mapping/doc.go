// Package mapping turns Buildium records into HubSpot property sets.
//
// It holds three things, all pure logic with no I/O beyond reading a mapping
// file from an io.Reader:
//
//   - value conversions (email, phone, dates, enums, addresses, names) and
//     Sanitize, which every mapped string passes through;
//   - the mapping model: Default returns the mapping of DESIGN.md §2 for all
//     five entities, Load overrides it from a YAML mapping file with
//     line-numbered errors, Export and Describe write it back out;
//   - record mapping and validation: Mapping.Tenant, Rental, Unit,
//     EmergencyContact and the lease helpers produce a Record whose Errors
//     say, in words a person can act on, why it must not be sent.
//
// The engine (package b2h/sync) owns everything that needs I/O: choosing the
// unit target from the account check, creating properties from
// Mapping.Properties and UnitSchema, de-duplicating records by Key and
// sending them.
package mapping
