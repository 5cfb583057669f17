package buildium

// DecodeTenantsPage decodes a page of tenants the way a list call does,
// for the benchmarks of package buildium_test: items and bad records.
func DecodeTenantsPage(body []byte, pageSize int) (items, bad int, err error) {
	d := &pageDecoder[Tenant]{kind: KindTenants, capHint: pageSize, clean: func(s string) string { return s }}
	err = d.decodeBody(body)
	return len(d.items), len(d.bad), err
}
