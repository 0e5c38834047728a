using System.Linq;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>The symbols the parser compares against, resolved once per compilation.</summary>
internal sealed class KnownTypes
{
    public const string LogsActivityAttribute = "AuditGen.LogsActivityAttribute";
    public const string ActorAttribute = "AuditGen.ActorAttribute";
    public const string OwnerAttribute = "AuditGen.OwnerAttribute";
    public const string EntityIdAttribute = "AuditGen.EntityIdAttribute";
    public const string ActivityMetadataAttribute = "AuditGen.ActivityMetadataAttribute";
    public const string NotLoggedAttribute = "AuditGen.NotLoggedAttribute";
    public const string DataSubjectAttribute = "AuditGen.DataSubjectAttribute";
    public const string MutationAttribute = "AuditGen.MutationAttribute";
    public const string ActivityLogRepo = "AuditGen.IActivityLogRepo";
    public const string ActorAccessor = "AuditGen.IActorAccessor";
    public const string LoggedUseCase = "AuditGen.ILoggedUseCase";
    public const string GeneratedNamespace = "AuditGen.Generated";
    public const string RegistrationAttribute = "AuditGen.LoggedUseCasesRegistrationAttribute";
    public const string ResultShapeAttribute = "AuditGen.ActivityResultShapeAttribute";
    public const string MutatingMembersAttribute = "AuditGen.MutatingMembersAttribute";

    private KnownTypes(Compilation compilation)
    {
        LogsActivity = compilation.GetTypeByMetadataName(LogsActivityAttribute);
        Actor = compilation.GetTypeByMetadataName(ActorAttribute);
        Owner = compilation.GetTypeByMetadataName(OwnerAttribute);
        EntityId = compilation.GetTypeByMetadataName(EntityIdAttribute);
        Metadata = compilation.GetTypeByMetadataName(ActivityMetadataAttribute);
        NotLogged = compilation.GetTypeByMetadataName(NotLoggedAttribute);
        DataSubject = compilation.GetTypeByMetadataName(DataSubjectAttribute);
        Mutation = compilation.GetTypeByMetadataName(MutationAttribute);
        Log = compilation.GetTypeByMetadataName(ActivityLogRepo);
        Accessor = compilation.GetTypeByMetadataName(ActorAccessor);
        UseCaseInterface = compilation.GetTypeByMetadataName(LoggedUseCase);
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Guid = compilation.GetTypeByMetadataName("System.Guid");
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        DateOnly = compilation.GetTypeByMetadataName("System.DateOnly");
        TimeOnly = compilation.GetTypeByMetadataName("System.TimeOnly");
        MutatingMembers = compilation.GetTypeByMetadataName(MutatingMembersAttribute);
        ResultShapes = ReadResultShapes(compilation, compilation.GetTypeByMetadataName(ResultShapeAttribute));
        CapturedEntityId = compilation.GetTypeByMetadataName(CapturedEntityIdType);
    }

    public const string CapturedEntityIdType = "AuditGen.EntityFrameworkCore.CapturedEntityId";

    /// <summary>The EF Core store's placeholder for an entity id the database generates (null without the store).</summary>
    public INamedTypeSymbol? CapturedEntityId { get; }

    /// <summary>A team's own result type, declared with <c>[assembly: ActivityResultShape(...)]</c>.</summary>
    public sealed record ResultShape(INamedTypeSymbol Type, string? SuccessProperty, string? FailureProperty, string ValueProperty);

    /// <summary>The result shapes this compilation declares, by the result type's original definition.</summary>
    public System.Collections.Immutable.ImmutableArray<ResultShape> ResultShapes { get; }

    private static System.Collections.Immutable.ImmutableArray<ResultShape> ReadResultShapes(Compilation compilation, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return [];
        }

        var shapes = System.Collections.Immutable.ImmutableArray.CreateBuilder<ResultShape>();
        foreach (AttributeData data in compilation.Assembly.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute) ||
                data.ConstructorArguments is not [{ Value: INamedTypeSymbol type }])
            {
                continue;
            }

            string? success = null, failure = null, value = "Value";
            foreach (System.Collections.Generic.KeyValuePair<string, TypedConstant> named in data.NamedArguments)
            {
                switch (named.Key)
                {
                    case "SuccessProperty": success = named.Value.Value as string; break;
                    case "FailureProperty": failure = named.Value.Value as string; break;
                    case "ValueProperty": value = named.Value.Value as string ?? value; break;
                }
            }

            shapes.Add(new ResultShape(type.OriginalDefinition, success, failure, value));
        }

        return shapes.ToImmutable();
    }

    public INamedTypeSymbol? LogsActivity { get; }
    public INamedTypeSymbol? Actor { get; }
    public INamedTypeSymbol? Owner { get; }
    public INamedTypeSymbol? EntityId { get; }
    public INamedTypeSymbol? Metadata { get; }
    public INamedTypeSymbol? NotLogged { get; }
    public INamedTypeSymbol? DataSubject { get; }
    public INamedTypeSymbol? Mutation { get; }
    public INamedTypeSymbol? Log { get; }
    public INamedTypeSymbol? Accessor { get; }
    public INamedTypeSymbol? UseCaseInterface { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? Guid { get; }
    public INamedTypeSymbol? DateTimeOffset { get; }
    public INamedTypeSymbol? DateOnly { get; }
    public INamedTypeSymbol? TimeOnly { get; }
    public INamedTypeSymbol? MutatingMembers { get; }

    /// <summary>Whether the runtime's attributes are referenced at all; without them there is nothing to do.</summary>
    public bool IsAvailable => LogsActivity is not null && Log is not null;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, KnownTypes> Cache = new();

    /// <summary>The known types of <paramref name="compilation"/>, resolved once per compilation (transforms run per node).</summary>
    public static KnownTypes From(Compilation compilation) => Cache.GetValue(compilation, static c => new KnownTypes(c));

    public static bool Is(ISymbol? symbol, INamedTypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(symbol, type);

    /// <summary>Whether <paramref name="candidate"/> is <paramref name="type"/> or implements it.</summary>
    public static bool IsOrImplements(ITypeSymbol? candidate, INamedTypeSymbol? type) =>
        candidate is not null && type is not null &&
        (SymbolEqualityComparer.Default.Equals(candidate, type) || candidate.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, type)));

    /// <summary>Whether <paramref name="candidate"/> is <paramref name="type"/> or derives from it.</summary>
    public static bool IsOrDerivesFrom(ITypeSymbol? candidate, INamedTypeSymbol? type)
    {
        for (ITypeSymbol? t = candidate; t is not null && type is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is the log port, <c>IActivityLogRepo</c>, or implements it.</summary>
    public bool IsLogPort(ITypeSymbol? type) => IsOrImplements(type, Log);

    /// <summary>Whether <paramref name="type"/> declares a logged use case: [LogsActivity] on the class or on one of its methods.</summary>
    public bool DeclaresLoggedUseCase(INamedTypeSymbol type) =>
        HasAttribute(type, LogsActivity) || type.GetMembers().Any(m => m is IMethodSymbol && HasAttribute(m, LogsActivity));

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) => FindAttribute(symbol, attribute) is not null;

    public static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return null;
        }

        foreach (AttributeData data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return data;
            }
        }

        return null;
    }
}
