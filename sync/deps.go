// Package sync is b2h's engine: it reads the Buildium portfolio, maps and
// validates it, plans each record's action, and loads HubSpot in batches,
// committing every acknowledged batch to state so any run can be repeated
// or resumed (DESIGN.md §3). It knows nothing of terminals: progress leaves
// it as Events through a Reporter.
package sync

import (
	"context"
	"iter"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/state"
)

// Buildium is what the engine reads from Buildium; *buildium.Client
// implements it.
type Buildium interface {
	Rentals(ctx context.Context, o buildium.ListOptions) iter.Seq2[buildium.Page[buildium.Rental], error]
	Units(ctx context.Context, o buildium.ListOptions) iter.Seq2[buildium.Page[buildium.RentalUnit], error]
	// TenantsShallow lists tenants without their Leases: the engine reads
	// leases from Leases.
	TenantsShallow(ctx context.Context, o buildium.ListOptions) iter.Seq2[buildium.Page[buildium.Tenant], error]
	TenantContacts(ctx context.Context, o buildium.ListOptions) iter.Seq2[buildium.Page[buildium.TenantContact], error]
	Leases(ctx context.Context, o buildium.ListOptions) iter.Seq2[buildium.Page[buildium.Lease], error]
	LeaseSummaries(ctx context.Context, o buildium.ListOptions) iter.Seq2[buildium.Page[buildium.LeaseSummary], error]
	Amenities(ctx context.Context, propertyID int32) (buildium.Amenities, error)
	Rental(ctx context.Context, id int32) (buildium.Rental, error)
	Unit(ctx context.Context, id int32) (buildium.RentalUnit, error)
	Tenant(ctx context.Context, id int32) (buildium.Tenant, error)
	Stats() buildium.Stats
}

// HubSpot is what the engine needs of HubSpot; *hubspot.Client implements it.
type HubSpot interface {
	BatchUpsertKeys(ctx context.Context, objectType string, in []hubspot.UpsertInput) (*hubspot.BatchResult, error)
	BatchRead(ctx context.Context, objectType string, req hubspot.ReadRequest) (*hubspot.BatchResult, error)
	BatchUpdate(ctx context.Context, objectType string, in []hubspot.UpdateInput) (*hubspot.BatchResult, error)
	BatchCreateAssociations(ctx context.Context, fromType, toType string, in []hubspot.AssociationInput) (*hubspot.AssociationBatchResult, error)
	BatchCreateDefaultAssociations(ctx context.Context, fromType, toType string, pairs []hubspot.AssociationPair) (*hubspot.AssociationBatchResult, error)
	BatchArchiveAssociationLabels(ctx context.Context, fromType, toType string, in []hubspot.AssociationInput) error
	BatchArchiveAssociations(ctx context.Context, fromType, toType string, pairs []hubspot.AssociationPair) error
	ListAssociationLabels(ctx context.Context, fromType, toType string) ([]hubspot.AssociationType, error)
	CreateAssociationLabel(ctx context.Context, fromType, toType, label, name, inverseLabel string) ([]hubspot.AssociationType, error)
	ListProperties(ctx context.Context, objectType string) ([]hubspot.Property, error)
	ListSensitiveProperties(ctx context.Context, objectType, sensitivity string) ([]hubspot.Property, error)
	ListPropertyGroups(ctx context.Context, objectType string) ([]hubspot.PropertyGroup, error)
	CreatePropertyGroup(ctx context.Context, objectType string, g hubspot.PropertyGroup) (hubspot.PropertyGroup, error)
	BatchCreateProperties(ctx context.Context, objectType string, in []hubspot.PropertyCreate) (*hubspot.PropertyBatchResult, error)
	ListSchemas(ctx context.Context) ([]hubspot.Schema, error)
	CreateSchema(ctx context.Context, s hubspot.SchemaCreate) (hubspot.Schema, error)
	PatchSchema(ctx context.Context, objectType string, p hubspot.SchemaPatch) (hubspot.Schema, error)
	ListingsEnabled(ctx context.Context) (bool, error)
	TokenInfo(ctx context.Context) (hubspot.TokenInfo, error)
	DailyUsage(ctx context.Context) (hubspot.DailyUsage, error)
	Limits() hubspot.LimitsSnapshot
	Stats() hubspot.Stats
}

// Store is the state the engine keeps; *state.Store implements it.
type Store interface {
	CreateJob(j *state.Job) error
	UpdateJob(id string, fn func(*state.Job) error) error
	Jobs(limit int) ([]state.Job, error)
	MappingsByKey(kind state.Kind, sourceIDs []string) (map[string]state.Mapping, error)
	// MappingHeads is MappingsByKey without snapshots (none decrypted).
	MappingHeads(kind state.Kind, sourceIDs []string) (map[string]state.Mapping, error)
	MappingRefs(kind state.Kind, sourceIDs []string) (map[string]state.Mapping, error)
	MappingsByHubSpot(hubspotType, hubspotID string) ([]state.Mapping, error)
	ForEachMapping(kind state.Kind, fn func(state.Mapping) error) error
	ForEachMappingID(kind state.Kind, fn func(sourceID string) error) error
	CountMappings(kind state.Kind) (int, error)
	Account() (state.Account, error)
	PutAccount(a state.Account) error
	Cursor(kind state.Kind) (state.Cursor, error)
	OpenLedger(kind state.Kind) ([]state.LedgerEntry, error)
	Decisions() ([]state.Decision, error)
	ReviewItems(status string) ([]state.ReviewItem, error)
	Commit(b state.Batch) error
}
