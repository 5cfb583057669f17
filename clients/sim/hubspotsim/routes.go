package hubspotsim

import (
	"net/http"
	"strings"
)

// Path prefixes served by the same handlers: the versioned paths and the
// date-based (DBV) ones (hubspot-api.md §0, §4).
var (
	objectPrefixes   = []string{"/crm/v3/objects", "/crm/objects/2026-03"}
	assocObjPrefixes = []string{"/crm/v4/objects", "/crm/objects/2026-03"}
	assocPrefixes    = []string{"/crm/v4/associations", "/crm/associations/v4", "/crm/associations/2026-03"}
	propPrefixes     = []string{"/crm/v3/properties", "/crm/properties/2026-03"}
	schemaPrefixes   = []string{"/crm-object-schemas/v3/schemas", "/crm-object-schemas/2026-03/schemas"}
	limitPrefixes    = []string{"/crm/v3/limits", "/crm/limits/2026-03"}
	libraryPrefixes  = []string{"/crm/v3/object-library", "/crm/object-library/2026-03"}
	accountPrefixes  = []string{"/account-info/v3", "/account-info/2026-03"}
)

// sunsetPrefixes are the versioned paths HubSpot stops serving (v4 on
// 2027-03-30, v1–v3 in September 2027); with VariantDatedOnly they answer
// 404.
var sunsetPrefixes = []string{"/crm/v3/", "/crm/v4/", "/crm/associations/v4/", "/crm-object-schemas/v3/"}

// sunset reports whether VariantDatedOnly hides the path pattern.
func (s *Server) sunset(pattern string) bool {
	if !s.Has(VariantDatedOnly) {
		return false
	}
	_, path, _ := strings.Cut(pattern, " ")
	for _, p := range sunsetPrefixes {
		if strings.HasPrefix(path+"/", p) {
			return true
		}
	}
	return false
}

// register adds one route through the request pipeline, with the answer
// variants that rewrite its bodies; a route the variants hide is left to
// the not-found handler.
func (s *Server) register(pattern string, ep endpoint) {
	if s.sunset(pattern) {
		return
	}
	s.mux.HandleFunc(pattern, s.specErrors(func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, &ep) }))
}

// routes registers every endpoint.
func (s *Server) routes() {
	r := func(pattern, kind string, write bool, fn func(*call) reply) {
		s.register(pattern, endpoint{kind: kind, write: write, fn: fn})
	}
	for _, p := range objectPrefixes {
		r("GET "+p+"/{type}", "objects.list", false, s.listObjects)
		r("POST "+p+"/{type}", "objects.create", true, s.createObject)
		r("GET "+p+"/{type}/{id}", "objects.get", false, s.getObject)
		r("PATCH "+p+"/{type}/{id}", "objects.patch", true, s.patchObject)
		r("DELETE "+p+"/{type}/{id}", "objects.delete", true, s.deleteObject)
		r("POST "+p+"/{type}/batch/create", "objects.batch.create", true, s.batchCreate)
		r("POST "+p+"/{type}/batch/read", "objects.batch.read", false, s.batchRead)
		r("POST "+p+"/{type}/batch/update", "objects.batch.update", true, s.batchUpdate)
		r("POST "+p+"/{type}/batch/upsert", "objects.batch.upsert", true, s.batchUpsert)
		r("POST "+p+"/{type}/batch/archive", "objects.batch.archive", true, s.batchArchive)
		s.register("POST "+p+"/{type}/search", endpoint{kind: "search", search: true, fn: s.search})
	}
	for _, p := range assocObjPrefixes {
		r("PUT "+p+"/{type}/{id}/associations/default/{toType}/{toId}", "associations.default", true, s.putDefault)
		r("PUT "+p+"/{type}/{id}/associations/{toType}/{toId}", "associations.create", true, s.putLabelled)
		r("DELETE "+p+"/{type}/{id}/associations/{toType}/{toId}", "associations.archive", true, s.deleteAssociation)
		r("GET "+p+"/{type}/{id}/associations/{toType}", "associations.list", false, s.listAssociations)
	}
	for _, p := range assocPrefixes {
		b := p + "/{from}/{to}"
		r("POST "+b+"/batch/associate/default", "associations.batch.default", true, s.batchDefault)
		r("POST "+b+"/batch/create", "associations.batch.create", true, s.batchCreateAssoc)
		r("POST "+b+"/batch/read", "associations.batch.read", false, s.batchReadAssoc)
		r("POST "+b+"/batch/archive", "associations.batch.archive", true, s.batchArchiveAssoc)
		r("POST "+b+"/batch/labels/archive", "associations.batch.labels.archive", true, s.batchArchiveLabels)
		r("GET "+b+"/labels", "associations.labels", false, s.listLabels)
		r("POST "+b+"/labels", "associations.labels", true, s.createLabel)
		r("PUT "+b+"/labels", "associations.labels", true, s.updateLabel)
		r("DELETE "+b+"/labels/{typeId}", "associations.labels", true, s.deleteLabel)
	}
	for _, p := range propPrefixes {
		r("GET "+p+"/{type}", "properties", false, s.listProperties)
		r("POST "+p+"/{type}", "properties", true, s.createProperty)
		r("GET "+p+"/{type}/{name}", "properties", false, s.getProperty)
		r("PATCH "+p+"/{type}/{name}", "properties", true, s.patchProperty)
		r("POST "+p+"/{type}/batch/create", "properties", true, s.batchCreateProperties)
		r("POST "+p+"/{type}/batch/read", "properties", false, s.batchReadProperties)
		r("POST "+p+"/{type}/batch/archive", "properties", true, s.batchArchiveProperties)
		r("GET "+p+"/{type}/groups", "properties", false, s.listGroups)
		r("POST "+p+"/{type}/groups", "properties", true, s.createGroup)
		r("GET "+p+"/{type}/groups/{name}", "properties", false, s.getGroup)
	}
	for _, p := range schemaPrefixes {
		r("GET "+p, "schemas", false, s.listSchemas)
		r("POST "+p, "schemas", true, s.createSchema)
		r("GET "+p+"/{objectType}", "schemas", false, s.getSchema)
		r("PATCH "+p+"/{objectType}", "schemas", true, s.patchSchema)
		r("POST "+p+"/{objectType}/associations", "schemas", true, s.createSchemaAssociation)
	}
	for _, p := range limitPrefixes {
		r("GET "+p+"/associations/labels", "limits", false, s.labelLimits)
	}
	for _, p := range libraryPrefixes {
		r("GET "+p+"/enablement", "enablement", false, s.enablement)
		r("GET "+p+"/enablement/{objectTypeId}", "enablement", false, s.enablementOf)
	}
	for _, p := range accountPrefixes {
		r("GET "+p+"/details", "account", false, s.accountDetails)
		r("GET "+p+"/api-usage/daily/private-apps", "account", false, s.dailyUsage)
	}
	s.register("POST /oauth/v2/private-apps/get/access-token-info", endpoint{kind: "tokeninfo", open: true, fn: s.tokenInfo})
	s.mux.HandleFunc("/", s.specErrors(s.notFoundRoute))
}
