using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AuditGen.Generators;

/// <summary>One logged method: its action, return shape and parameters, then one resolver per field of the record.</summary>
internal static partial class UseCaseParser
{
    public static LoggedMethodModel? ParseMethod(IMethodSymbol method, AttributeData attribute, KnownTypes known, Action<Diagnostic>? report)
    {
        var problems = new ParseProblems(report);
        Location? at = AttributeLocation(attribute) ?? method.Locations.FirstOrDefault();
        string action = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string a ? a : "";
        if (!IsValidAction(action))
        {
            problems.Add(Diagnostics.InvalidAction, at, action);
        }

        ReturnKind? returnKind = GetReturnKind(method.ReturnType, known, out ITypeSymbol? resultType);
        if (returnKind is null)
        {
            problems.Add(Diagnostics.Synchronous, at, method.Name, method.ReturnType.ToDisplayString());
            return null;
        }

        if (method.IsGenericMethod || method.IsStatic)
        {
            problems.Add(Diagnostics.Unreachable, at, method.Name,
                method.IsStatic ? "it is static; make it an instance method" : "it is generic; give it concrete parameter types");
            return null;
        }

        return ParseFields(method, attribute, action, at, returnKind.Value, resultType, known, problems);
    }

    /// <summary>
    /// The record's fields of a logged method whose call shape is already checked (a use case, or an entry point whose
    /// <paramref name="resultType"/> is the value its result carries): entity type, parameters, and one resolver per field.
    /// </summary>
    internal static LoggedMethodModel? ParseFields(IMethodSymbol method, AttributeData attribute, string action, Location? at, ReturnKind returnKind,
        ITypeSymbol? resultType, KnownTypes known, ParseProblems problems)
    {
        string? declaredEntityType = DeclaredEntityType(attribute);
        if (declaredEntityType is not null && !IsValidEntityType(declaredEntityType))
        {
            problems.Add(Diagnostics.InvalidEntityType, at, SymbolDisplay.FormatLiteral(declaredEntityType, quote: true), method.Name);
        }

        var parameters = method.Parameters.Select(p => new ParameterModel(Names.Identifier(p.Name), p.Type.ToDisplayString(TypeFormat), Modifier(p))).ToList();
        string? cancellationToken = method.Parameters.FirstOrDefault(p => KnownTypes.Is(p.Type, known.CancellationToken)) is { } token
            ? Names.Identifier(token.Name)
            : null;

        var taken = new HashSet<string>(parameters.Select(p => p.Name), StringComparer.Ordinal) { "actorId" };
        var locals = new GeneratedLocals(Names.Unique("result", taken), Names.Unique("activityTransaction", taken),
            Names.Unique("useCase", taken), Names.Unique("logged", taken));

        // A result wrapped in a success/failure type (Ardalis.Result, FluentResults, ErrorOr, hand-written Result<T>) is
        // unwrapped for mapping, and a failed result records nothing.
        ITypeSymbol? mappedType = resultType;
        string resultExpression = locals.Result;
        string? failureCondition = null;
        if (resultType is not null && ResultWrapper(resultType, known, locals.Result) is { } wrapper)
        {
            (mappedType, failureCondition, string valueProperty) = wrapper;
            resultExpression = $"{locals.Result}.{Names.Identifier(valueProperty)}";
        }

        var context = new SourceContext(method, mappedType, resultExpression, known, at, problems);
        string? actor = ResolveActor(context, method);
        (string? entityType, string? entityId) = ResolveEntity(context, method, known, action, declaredEntityType, at, problems);
        Source? owner = ResolveOwner(context, known);
        string ownerExpression = owner?.Expression ?? actor ?? "actorId";
        List<MetadataEntryModel> metadata = ResolveMetadata(context, method, known, ResolveDataSubject(context) ?? ownerExpression, problems);
        if (problems.Any)
        {
            return null;
        }

        return new LoggedMethodModel(
            method.Name,
            UniqueId(method, parameters),
            action,
            entityType!,
            returnKind,
            resultType?.ToDisplayString(TypeFormat),
            parameters.ToEquatableArray(),
            cancellationToken,
            actor,
            ownerExpression,
            entityId!,
            metadata.ToEquatableArray(),
            failureCondition,
            locals);
    }

    /// <summary>The data subject of the record's personal metadata: [DataSubject] (a Guid), else null (the owner).</summary>
    private static string? ResolveDataSubject(SourceContext context)
    {
        Source? source = context.Single(context.Known.DataSubject, "DataSubject");
        return source is not null && context.CheckGuid(source, "data subject") ? source.Expression : null;
    }

    private static string? DeclaredEntityType(AttributeData attribute) =>
        attribute.NamedArguments.FirstOrDefault(n => n.Key == "EntityType").Value.Value as string;

    /// <summary>Actor: [Actor], else a Guid parameter named actorId, else null (IActorAccessor, resolved where the code is generated).</summary>
    private static string? ResolveActor(SourceContext context, IMethodSymbol method)
    {
        Source? source = context.Single(context.Known.Actor, "Actor");
        if (source is null && method.Parameters.FirstOrDefault(p => p.Name == "actorId") is { } actorId)
        {
            source = new Source(Names.Identifier(actorId.Name), actorId.Type, null, actorId);
        }

        return source is not null && context.CheckGuid(source, "actor") ? source.Expression : null;
    }

    /// <summary>
    /// Entity id: [EntityId], the result itself when it is an id, result.Id, a parameter's Id (the request), a parameter
    /// named id or &lt;entity&gt;Id. Guids, strings, integers and strongly typed ids (one Value of those) are accepted.
    /// Entity type: the declared one, else the id's holder type, else the strongly typed id's name.
    /// </summary>
    private static (string? EntityType, string? IdExpression) ResolveEntity(SourceContext context, IMethodSymbol method, KnownTypes known,
        string action, string? entityType, Location? at, ParseProblems problems)
    {
        Source? source = context.Single(known.EntityId, "EntityId")
            ?? context.ResultItself(t => IdFormat(t, known) is not null)
            ?? context.ResultProperty("Id")
            ?? context.ParameterProperty("Id", t => IdFormat(t, known) is not null)
            ?? context.ParameterNamed("id", entityType is null ? null : Names.CamelCase(entityType) + "Id");
        if (source is null && entityType is not null && known.CapturedEntityId is not null)
        {
            // No id anywhere, but the EF Core store captures the use case's changes: the key the database generates for the
            // entity of that type it adds becomes the record's entity id (CapturedEntityId.Placeholder, filled on append).
            return (entityType, "global::" + KnownTypes.CapturedEntityIdType + ".Placeholder");
        }

        if (source is null)
        {
            problems.Add(Diagnostics.MissingEntityId, at, method.Name);
            return (entityType, null);
        }

        string? format = IdFormat(source.Type, known);
        if (format is null || source.NullableHolder)
        {
            problems.Add(Diagnostics.WrongSourceType, context.LocationOf(source), "entity id", source.Expression, method.Name,
                source.Type.ToDisplayString(), source.NullableHolder
                    ? "read from a non-nullable value"
                    : "a Guid, a non-nullable string, an integer, or a strongly typed id with one Value of those");
        }

        entityType ??= source.HolderTypeName ?? StronglyTypedEntityName(source.Type, format);
        if (entityType is null)
        {
            problems.Add(Diagnostics.MissingEntityType, at, method.Name, source.Expression, IsValidAction(action) ? action : "action");
        }

        return (entityType, source.Expression + format);
    }

    /// <summary>Owner: [Owner], else result.OwnerId, else (null here) the actor.</summary>
    private static Source? ResolveOwner(SourceContext context, KnownTypes known)
    {
        Source? source = context.Single(known.Owner, "Owner") ?? context.ResultProperty("OwnerId");
        return source is not null && context.CheckGuid(source, "owner") ? source : null;
    }

    /// <summary>
    /// Metadata: only what is marked [ActivityMetadata], under its key (the member's name in camelCase by default). A member
    /// that is also personal data is wrapped as the data subject's <c>PersonalValue</c>, which the pipeline seals.
    /// </summary>
    private static List<MetadataEntryModel> ResolveMetadata(SourceContext context, IMethodSymbol method, KnownTypes known, string subject,
        ParseProblems problems)
    {
        var metadata = new List<MetadataEntryModel>();
        foreach (Source source in context.All(known.Metadata))
        {
            string key = source.Attribute?.ConstructorArguments.Length == 1 && source.Attribute.ConstructorArguments[0].Value is string k
                ? k
                : Names.CamelCase(source.Symbol.Name);
            if (!IsValidText(key, 100))
            {
                problems.Add(Diagnostics.InvalidMetadata, context.LocationOf(source), key, method.Name,
                    "has an invalid key: keys are 1-100 characters, not blank, without control characters");
            }
            else if (metadata.Any(m => m.Key == key))
            {
                problems.Add(Diagnostics.InvalidMetadata, context.LocationOf(source), key, method.Name,
                    "is declared twice: give one of them another key with [ActivityMetadata(\"key\")]");
            }
            else if (!IsJsonSafe(source.Type, known, allowArray: true))
            {
                problems.Add(Diagnostics.InvalidMetadata, context.LocationOf(source), key, method.Name,
                    $"has type '{source.Type.ToDisplayString()}', which is not a JSON-safe metadata value: mark a property of string, bool, number, decimal, Guid, DateTimeOffset, DateOnly, TimeOnly or enum type (or an array of those) instead");
            }
            else
            {
                metadata.Add(new MetadataEntryModel(key, PersonalData.IsPersonal(source.Symbol)
                    ? $"new global::AuditGen.PersonalValue({subject}, {source.Expression})"
                    : source.Expression));
            }
        }

        return metadata;
    }

    public static ReturnKind? GetReturnKind(ITypeSymbol returnType, KnownTypes known, out ITypeSymbol? resultType)
    {
        resultType = null;
        if (KnownTypes.Is(returnType, known.Task))
        {
            return ReturnKind.Task;
        }

        if (KnownTypes.Is(returnType, known.ValueTask))
        {
            return ReturnKind.ValueTask;
        }

        if (returnType is INamedTypeSymbol { IsGenericType: true } generic)
        {
            if (KnownTypes.Is(generic.OriginalDefinition, known.TaskOfT))
            {
                resultType = generic.TypeArguments[0];
                return ReturnKind.TaskOfT;
            }

            if (KnownTypes.Is(generic.OriginalDefinition, known.ValueTaskOfT))
            {
                resultType = generic.TypeArguments[0];
                return ReturnKind.ValueTaskOfT;
            }
        }

        return null;
    }

    private static string Modifier(IParameterSymbol p) => p.RefKind switch
    {
        RefKind.Ref => "ref ",
        RefKind.Out => "out ",
        RefKind.In => "in ",
        _ => p.IsParams ? "params " : "",
    };
}
