using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AuditGen.AspNetCore;

/// <summary>
/// Describes the list routes' parameters in the OpenAPI document. They bind as text (so that a bad value is a 400
/// naming it, not a binding failure); this gives clients their real types, ranges and formats.
/// </summary>
internal static class ActivityLogApiOpenApi
{
    public static Task DescribeListAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (IOpenApiParameter parameter in operation.Parameters ?? [])
        {
            if (parameter is not OpenApiParameter p)
            {
                continue;
            }

            (p.Description, p.Schema) = p.Name switch
            {
                ActivityQueryParameters.Limit => ($"Page size, 1 to {ActivityQuery.MaxLimit}; {ActivityQuery.DefaultLimit} unless set.",
                    new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = ActivityQuery.MaxLimit.ToString(CultureInfo.InvariantCulture), Default = ActivityQuery.DefaultLimit }),
                ActivityQueryParameters.Cursor => ("The nextCursor of the previous page of this same query. Opaque.",
                    new OpenApiSchema { Type = JsonSchemaType.String }),
                ActivityQueryParameters.Order => ("newest (the default) or oldest first.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Enum = [ActivityQueryParameters.Newest, ActivityQueryParameters.Oldest], Default = ActivityQueryParameters.Newest }),
                ActivityQueryParameters.Since => ("Only records that occurred at or after this time: ISO-8601 with Z or an offset.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
                ActivityQueryParameters.Until => ("Only records that occurred before this time: ISO-8601 with Z or an offset.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
                "ownerId" => ("The owner whose data the records are about.", new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }),
                "actorId" => ("The actor who did what the records say.", new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }),
                "entityType" => ("The entity's type, such as Task.", p.Schema),
                "entityId" => ("The entity's id.", p.Schema),
                "action" => ("The action, such as create_task.", p.Schema),
                _ => (p.Description, p.Schema),
            };
        }

        return Task.CompletedTask;
    }
}
