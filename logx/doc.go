// Package logx keeps personal data and secrets out of b2h's structured log
// (DESIGN.md §8: "Logs are structured (log/slog) to a file, with PII
// masked"; lessons.md §5.10: "Redact logs").
//
// NewMaskingHandler wraps any slog.Handler. Before a record reaches it, the
// masking handler rewrites every attribute, at any depth, in two ways:
//
//   - By key. An attribute whose key names a secret (secret, token,
//     authorization, password, api key, cookie, credential), a national id
//     (tax id, SSN, EIN) or a date of birth is replaced by [Redacted]. One
//     whose key names contact data (email, phone, mobile, fax, address,
//     street, zip, postal code) keeps the first character of each word and
//     the domain of an email address ("Jane@example.com" → "J***@example.com").
//     A group under such a key (slog.Group, WithGroup, a struct or map logged
//     with slog.Any) inherits the treatment.
//   - By pattern, in every other string: the message, string attributes,
//     error values, and strings inside structs and maps. Email addresses,
//     phone-like digit runs of seven digits or more, SSN and EIN shapes,
//     bearer tokens and HubSpot private-app tokens are masked (see
//     MaskString for what is kept and what is deliberately left alone).
//
// Keys are matched by their words, whatever the spelling: "email",
// "buildium_alternate_email", "AlternateEmail", "HUBSPOT_ACCESS_TOKEN",
// "x-buildium-client-secret" and "DateOfBirth" are all recognised.
//
// The handler costs little when there is nothing to mask: a string with no
// '@', fewer than seven digits and no token prefix is passed through
// without allocation.
package logx
