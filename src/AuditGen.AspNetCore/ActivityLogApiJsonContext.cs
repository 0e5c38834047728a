using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuditGen.AspNetCore;

/// <summary>The read API's JSON contract: camelCase, source-generated (trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ActivityPageResponse))]
[JsonSerializable(typeof(ActivityActionCatalogResponse))]
[JsonSerializable(typeof(ActivityItemResponse))]
[JsonSerializable(typeof(ActivityEntityStateResponse))]
[JsonSerializable(typeof(ActorSummaryResponse))]
[JsonSerializable(typeof(OwnerSummaryResponse))]
[JsonSerializable(typeof(ActivityCheckpointResponse))]
[JsonSerializable(typeof(ActivityInclusionProofResponse))]
[JsonSerializable(typeof(ActivityConsistencyProofResponse))]
[JsonSerializable(typeof(ActivityPurgeResponse))]
[JsonSerializable(typeof(ActivityLegalHoldRequest))]
[JsonSerializable(typeof(ActivityLegalHoldResponse))]
[JsonSerializable(typeof(ActivityLegalHoldResponse[]))]
[JsonSerializable(typeof(ActivitySubjectErasureRequest))]
[JsonSerializable(typeof(ActivitySubjectErasureResponse))]
public sealed partial class ActivityLogApiJsonContext : JsonSerializerContext;
