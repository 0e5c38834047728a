using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AuditGen.Generators;

/// <summary>
/// Turns a use-case type into its <see cref="UseCaseModel"/>, reporting every rule it breaks through
/// <c>report</c>. Shared by the generator (which passes no reporter and skips what it cannot build) and the
/// analyzers (which report), so the two never disagree.
/// </summary>
internal static partial class UseCaseParser
{
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static UseCaseModel? ParseType(INamedTypeSymbol type, KnownTypes known, Action<Diagnostic>? report, CancellationToken cancellationToken)
    {
        var methods = new List<LoggedMethodModel>();
        var loggedSymbols = new List<IMethodSymbol>();
        var attributes = new List<Location?>();
        foreach ((IMethodSymbol method, AttributeData attribute) in FindLoggedMethods(type, known, report))
        {
            cancellationToken.ThrowIfCancellationRequested();
            LoggedMethodModel? model = ParseMethod(method, attribute, known, report);
            if (model is not null)
            {
                methods.Add(model);
                loggedSymbols.Add(method);
                attributes.Add(AttributeLocation(attribute) ?? method.Locations.FirstOrDefault());
            }
        }

        if (methods.Count == 0)
        {
            return null;
        }

        string? logMember = FindMember(type, known.Log, requirePartial: true);
        string? accessorMember = FindMember(type, known.Accessor, requirePartial: true);
        EquatableArray<DecoratedInterfaceModel> interfaces = FindInterfaces(type, loggedSymbols, methods);

        for (int i = 0; i < methods.Count; i++)
        {
            bool decorated = interfaces.Any(itf => itf.Members.Any(m => m.LoggedMethod == methods[i].Id));
            string? whyNot = logMember is null ? WhyNotInterceptable(type, known) : null;
            if (!decorated && whyNot is not null)
            {
                Report(report, Diagnostics.Unreachable, attributes[i], loggedSymbols[i].Name,
                    $"it implements no interface member, and {whyNot}; implement an interface, or make the class partial with an IActivityLogRepo constructor parameter, field or property");
                methods.RemoveAt(i);
                loggedSymbols.RemoveAt(i);
                attributes.RemoveAt(i);
                i--;
            }
            else if (methods[i].ActorFromAccessor && !decorated && accessorMember is null)
            {
                Report(report, Diagnostics.MissingActor, attributes[i], loggedSymbols[i].Name);
                methods.RemoveAt(i);
                loggedSymbols.RemoveAt(i);
                attributes.RemoveAt(i);
                i--;
            }
        }

        if (methods.Count == 0)
        {
            return null;
        }

        return new UseCaseModel(
            type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            type.ToDisplayString(TypeFormat),
            type.IsRecord ? "record" : "class",
            logMember,
            accessorMember,
            methods.ToEquatableArray(),
            interfaces);
    }

    /// <summary>The methods marked [LogsActivity], and the use-case method of a class marked [LogsActivity].</summary>
    public static IEnumerable<(IMethodSymbol Method, AttributeData Attribute)> FindLoggedMethods(INamedTypeSymbol type, KnownTypes known, Action<Diagnostic>? report)
    {
        IMethodSymbol? classMethod = null;
        if (KnownTypes.FindAttribute(type, known.LogsActivity) is { } classAttribute)
        {
            classMethod = FindClassUseCaseMethod(type, known, report);
            if (classMethod is not null && !KnownTypes.HasAttribute(classMethod, known.LogsActivity))
            {
                yield return (classMethod, classAttribute);
            }
        }

        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IMethodSymbol method && KnownTypes.FindAttribute(method, known.LogsActivity) is { } attribute)
            {
                yield return (method, attribute);
            }
        }
    }

    /// <summary>The one public instance method returning a task of a class marked [LogsActivity].</summary>
    public static IMethodSymbol? FindClassUseCaseMethod(INamedTypeSymbol type, KnownTypes known, Action<Diagnostic>? report)
    {
        var candidates = type.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && !m.IsStatic && m.DeclaredAccessibility == Accessibility.Public &&
                        GetReturnKind(m.ReturnType, known, out _) is not null)
            .ToList();
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        Report(report, Diagnostics.ClassUseCaseMethod,
            KnownTypes.FindAttribute(type, known.LogsActivity) is { } onClass ? AttributeLocation(onClass) : type.Locations.FirstOrDefault(), type.Name,
            candidates.Count == 0 ? "none" : string.Join(", ", candidates.Select(c => c.Name)));
        return null;
    }

    public static LoggedMethodModel? ParseMethod(IMethodSymbol method, AttributeData attribute, KnownTypes known, Action<Diagnostic>? report)
    {
        bool ok = true;
        Location? at = AttributeLocation(attribute) ?? method.Locations.FirstOrDefault();
        string action = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string a ? a : "";
        if (!IsValidAction(action))
        {
            Report(report, Diagnostics.InvalidAction, at, action);
            ok = false;
        }

        string? entityType = null;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "EntityType" && named.Value.Value is string t)
            {
                entityType = t;
            }
        }

        ReturnKind? returnKind = GetReturnKind(method.ReturnType, known, out ITypeSymbol? resultType);
        if (returnKind is null)
        {
            Report(report, Diagnostics.Synchronous, at, method.Name, method.ReturnType.ToDisplayString());
            return null;
        }

        if (method.IsGenericMethod || method.IsStatic)
        {
            Report(report, Diagnostics.Unreachable, at, method.Name,
                method.IsStatic ? "it is static; make it an instance method" : "it is generic; give it concrete parameter types");
            return null;
        }

        var parameters = new List<ParameterModel>();
        string? cancellationToken = null;
        foreach (IParameterSymbol p in method.Parameters)
        {
            parameters.Add(new ParameterModel(Escape(p.Name), p.Type.ToDisplayString(TypeFormat), Modifier(p)));
            if (cancellationToken is null && KnownTypes.Is(p.Type, known.CancellationToken))
            {
                cancellationToken = Escape(p.Name);
            }
        }

        if (entityType is not null && !IsValidEntityType(entityType))
        {
            Report(report, Diagnostics.InvalidEntityType, at, SymbolDisplay.FormatLiteral(entityType, quote: true), method.Name);
            ok = false;
        }

        // A result wrapped in a success/failure type (Ardalis.Result, FluentResults, ErrorOr, hand-written Result<T>) is
        // unwrapped for mapping, and a failed result records nothing.
        ITypeSymbol? mappedType = resultType;
        string resultExpression = "result";
        string? failureCondition = null;
        if (resultType is not null && ResultWrapper(resultType, known) is { } wrapper)
        {
            (mappedType, failureCondition, string valueProperty) = wrapper;
            resultExpression = $"result.{Escape(valueProperty)}";
        }

        var context = new SourceContext(method, mappedType, resultExpression, known, at);

        // Actor: [Actor], else a Guid parameter named actorId, else IActorAccessor (resolved where the code is generated).
        string? actor = null;
        Source? actorSource = context.Single(known.Actor, "Actor", report, ref ok);
        if (actorSource is null)
        {
            IParameterSymbol? actorId = method.Parameters.FirstOrDefault(p => p.Name == "actorId");
            if (actorId is not null)
            {
                actorSource = new Source(Escape(actorId.Name), actorId.Type, null, actorId);
            }
        }

        if (actorSource is not null)
        {
            ok &= context.CheckGuid(actorSource, "actor", report);
            actor = actorSource.Expression;
        }

        // Entity id: [EntityId], the result itself when it is an id, result.Id, a parameter's Id (the request), a parameter
        // named id or <entity>Id. Guids, strings, integers and strongly typed ids (one Value of those) are accepted.
        Source? idSource = context.Single(known.EntityId, "EntityId", report, ref ok)
            ?? context.ResultItself(t => IdFormat(t, known) is not null)
            ?? context.ResultProperty("Id")
            ?? context.ParameterProperty("Id", t => IdFormat(t, known) is not null, report, ref ok)
            ?? context.ParameterNamed("id", entityType is null ? null : CamelCase(entityType) + "Id");
        string? idExpression = null;
        if (idSource is null)
        {
            Report(report, Diagnostics.MissingEntityId, at, method.Name);
            ok = false;
        }
        else
        {
            string? format = IdFormat(idSource.Type, known);
            if (format is null || idSource.NullableHolder)
            {
                Report(report, Diagnostics.WrongSourceType, context.LocationOf(idSource), "entity id", idSource.Expression, method.Name,
                    idSource.Type.ToDisplayString(), idSource.NullableHolder
                        ? "read from a non-nullable value"
                        : "a Guid, a non-nullable string, an integer, or a strongly typed id with one Value of those");
                ok = false;
            }

            idExpression = idSource.Expression + format;
            if (entityType is null)
            {
                entityType = idSource.HolderTypeName ?? StronglyTypedEntityName(idSource.Type, format);
                if (entityType is null)
                {
                    Report(report, Diagnostics.MissingEntityType, at,
                        method.Name, idSource.Expression, IsValidAction(action) ? action : "action");
                    ok = false;
                }
            }
        }

        // Owner: [Owner], else result.OwnerId, else the actor.
        Source? ownerSource = context.Single(known.Owner, "Owner", report, ref ok) ?? context.ResultProperty("OwnerId");
        if (ownerSource is not null)
        {
            ok &= context.CheckGuid(ownerSource, "owner", report);
        }

        // Metadata: only what is marked, under its key.
        var metadata = new List<MetadataEntryModel>();
        foreach (Source source in context.All(known.Metadata))
        {
            string key = source.Attribute?.ConstructorArguments.Length == 1 && source.Attribute.ConstructorArguments[0].Value is string k
                ? k
                : CamelCase(source.Symbol.Name);
            if (!IsValidText(key, 100))
            {
                Report(report, Diagnostics.InvalidMetadata, context.LocationOf(source), key, method.Name, "has an invalid key: keys are 1-100 characters, not blank, without control characters");
                ok = false;
            }
            else if (metadata.Any(m => m.Key == key))
            {
                Report(report, Diagnostics.InvalidMetadata, context.LocationOf(source), key, method.Name, "is declared twice: give one of them another key with [ActivityMetadata(\"key\")]");
                ok = false;
            }
            else if (!IsJsonSafe(source.Type, known, allowArray: true))
            {
                Report(report, Diagnostics.InvalidMetadata, context.LocationOf(source), key, method.Name,
                    $"has type '{source.Type.ToDisplayString()}', which is not a JSON-safe metadata value: mark a property of string, bool, number, decimal, Guid, DateTimeOffset, DateOnly, TimeOnly or enum type (or an array of those) instead");
                ok = false;
            }
            else
            {
                metadata.Add(new MetadataEntryModel(key, source.Expression));
            }
        }

        if (!ok)
        {
            return null;
        }

        return new LoggedMethodModel(
            method.Name,
            UniqueId(method, parameters),
            action,
            entityType!,
            returnKind.Value,
            resultType?.ToDisplayString(TypeFormat),
            parameters.ToEquatableArray(),
            cancellationToken,
            actor,
            ownerSource?.Expression ?? actor ?? "actorId",
            idExpression!,
            metadata.ToEquatableArray(),
            failureCondition);
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

    /// <summary>
    /// The use case's own member of <paramref name="type"/> kind (a primary constructor parameter, field or property),
    /// when the generator can add code to the class to reach it; otherwise null.
    /// </summary>
    public static string? FindMember(INamedTypeSymbol useCase, INamedTypeSymbol? type, bool requirePartial)
    {
        if (type is null || (requirePartial && WhyNotPartial(useCase) is not null))
        {
            return null;
        }

        for (INamedTypeSymbol? t = useCase; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            foreach (ISymbol member in t.GetMembers())
            {
                if (member.IsStatic || member.IsImplicitlyDeclared || (!SymbolEqualityComparer.Default.Equals(t, useCase) && member.DeclaredAccessibility == Accessibility.Private))
                {
                    continue;
                }

                ITypeSymbol? memberType = member switch
                {
                    IFieldSymbol f when f.AssociatedSymbol is null => f.Type,
                    IPropertySymbol { GetMethod: not null, IsIndexer: false } p => p.Type,
                    _ => null,
                };
                if (memberType is not null && IsOrImplements(memberType, type))
                {
                    return Escape(member.Name);
                }
            }
        }

        // A primary constructor parameter: in scope in every part of the partial class.
        foreach (SyntaxReference reference in useCase.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is TypeDeclarationSyntax { ParameterList: { } list })
            {
                IMethodSymbol? ctor = useCase.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == list.Parameters.Count &&
                    c.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax));
                IParameterSymbol? parameter = ctor?.Parameters.FirstOrDefault(p => IsOrImplements(p.Type, type));
                if (parameter is not null)
                {
                    return Escape(parameter.Name);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The logged method a direct call on the concrete type reaches, when the generator can intercept it; otherwise null,
    /// with <paramref name="whyNot"/> saying why (null when the method is not logged at all).
    /// </summary>
    public static LoggedMethodModel? ResolveDirectCall(IMethodSymbol method, INamedTypeSymbol type, KnownTypes known, out string? whyNot)
    {
        whyNot = null;
        AttributeData? attribute = KnownTypes.FindAttribute(method, known.LogsActivity);
        if (attribute is null && KnownTypes.FindAttribute(type, known.LogsActivity) is { } onClass &&
            SymbolEqualityComparer.Default.Equals(FindClassUseCaseMethod(type, known, report: null), method))
        {
            attribute = onClass;
        }

        if (attribute is null)
        {
            return null;
        }

        LoggedMethodModel? model = ParseMethod(method, attribute, known, report: null);
        if (model is null)
        {
            whyNot = $"'{method.Name}' has [LogsActivity] errors of its own (see its AUD0xxx diagnostics)";
            return null;
        }

        if (type.Locations.Any(l => l.IsInSource))
        {
            // In its own compilation, the generator makes the class implement ILoggedUseCase.
            whyNot = WhyNotInterceptable(type, known);
            if (whyNot is null && model.ActorFromAccessor && FindMember(type, known.Accessor, requirePartial: true) is null)
            {
                whyNot = $"'{method.Name}' takes its actor from IActorAccessor, but class '{type.Name}' has no IActorAccessor constructor parameter, field or property";
            }
        }
        else if (!type.AllInterfaces.Any(i => KnownTypes.Is(i, known.UseCaseInterface)))
        {
            whyNot = $"class '{type.Name}' was compiled without the AuditGen generator, or is not partial with an IActivityLogRepo member";
        }

        return whyNot is null ? model : null;
    }

    /// <summary>Whether the project lets the generated interceptors in (the AuditGen package's props do).</summary>
    public static bool InterceptorsEnabled(ParseOptions options) =>
        options.Features.TryGetValue("InterceptorsNamespaces", out string? namespaces) && ContainsGeneratedNamespace(namespaces) ||
        options.Features.TryGetValue("InterceptorsPreviewNamespaces", out namespaces) && ContainsGeneratedNamespace(namespaces);

    private static bool ContainsGeneratedNamespace(string namespaces) =>
        namespaces.Split(';', ',').Any(n => n.Trim() == KnownTypes.GeneratedNamespace);

    /// <summary>Why a direct call to the type's logged methods cannot be intercepted in its own compilation; null when it can.</summary>
    public static string? WhyNotInterceptable(INamedTypeSymbol type, KnownTypes known) =>
        WhyNotPartial(type) ?? (FindMember(type, known.Log, requirePartial: false) is null
            ? $"class '{type.Name}' has no IActivityLogRepo constructor parameter, field or property"
            : null);

    private static string? WhyNotPartial(INamedTypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Class)
        {
            return $"'{type.Name}' is not a class";
        }

        if (type.ContainingType is not null)
        {
            return $"class '{type.Name}' is nested in another type";
        }

        if (type.IsGenericType)
        {
            return $"class '{type.Name}' is generic";
        }

        bool partial = type.DeclaringSyntaxReferences.Any(r =>
            r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)));
        return partial ? null : $"class '{type.Name}' is not partial";
    }

    private static bool IsOrImplements(ITypeSymbol candidate, INamedTypeSymbol type) =>
        SymbolEqualityComparer.Default.Equals(candidate, type) ||
        candidate.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, type));

    private static EquatableArray<DecoratedInterfaceModel> FindInterfaces(INamedTypeSymbol type, List<IMethodSymbol> logged, List<LoggedMethodModel> models)
    {
        var found = new List<(INamedTypeSymbol Interface, Dictionary<ISymbol, string> LoggedMembers)>();
        foreach (INamedTypeSymbol itf in type.AllInterfaces)
        {
            var loggedMembers = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
            foreach (ISymbol member in itf.GetMembers())
            {
                if (member is IMethodSymbol m && !m.IsStatic &&
                    type.FindImplementationForInterfaceMember(m) is IMethodSymbol impl &&
                    logged.FindIndex(l => SymbolEqualityComparer.Default.Equals(l, impl)) is var index and >= 0 &&
                    index < models.Count)
                {
                    loggedMembers[m] = models[index].Id;
                }
            }

            if (loggedMembers.Count > 0)
            {
                found.Add((itf, loggedMembers));
            }
        }

        var result = new List<DecoratedInterfaceModel>();
        foreach ((INamedTypeSymbol itf, Dictionary<ISymbol, string> loggedMembers) in found)
        {
            string decoratorName = found.Count == 1
                ? $"{type.Name}LoggingDecorator"
                : $"{type.Name}{Sanitize(itf.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))}LoggingDecorator";
            var members = new List<InterfaceMemberModel>();
            foreach (INamedTypeSymbol declaring in new[] { itf }.Concat(itf.AllInterfaces))
            {
                foreach (ISymbol member in declaring.GetMembers())
                {
                    if (member.IsStatic || !(member.IsAbstract || member.IsVirtual))
                    {
                        continue;
                    }

                    InterfaceMemberModel? model = member switch
                    {
                        IMethodSymbol { MethodKind: MethodKind.Ordinary } m => new InterfaceMemberModel(MemberKind.Method,
                            declaring.ToDisplayString(TypeFormat), Escape(m.Name), m.ReturnType.ToDisplayString(TypeFormat),
                            m.TypeParameters.Length == 0 ? "" : $"<{string.Join(", ", m.TypeParameters.Select(t => Escape(t.Name)))}>",
                            m.Parameters.Select(p => new ParameterModel(Escape(p.Name), p.Type.ToDisplayString(TypeFormat), Modifier(p))).ToEquatableArray(),
                            false, false, false,
                            loggedMembers.TryGetValue(m, out string? name) ? name : null),
                        IPropertySymbol p => new InterfaceMemberModel(p.IsIndexer ? MemberKind.Indexer : MemberKind.Property,
                            declaring.ToDisplayString(TypeFormat), Escape(p.Name), p.Type.ToDisplayString(TypeFormat), "",
                            p.Parameters.Select(x => new ParameterModel(Escape(x.Name), x.Type.ToDisplayString(TypeFormat), Modifier(x))).ToEquatableArray(),
                            p.GetMethod is not null, p.SetMethod is not null, p.SetMethod?.IsInitOnly == true, null),
                        IEventSymbol e => new InterfaceMemberModel(MemberKind.Event,
                            declaring.ToDisplayString(TypeFormat), Escape(e.Name), e.Type.ToDisplayString(TypeFormat), "",
                            EquatableArray<ParameterModel>.Empty, false, false, false, null),
                        _ => null,
                    };
                    if (model is not null)
                    {
                        members.Add(model);
                    }
                }
            }

            result.Add(new DecoratedInterfaceModel(itf.ToDisplayString(TypeFormat), decoratorName, members.ToEquatableArray()));
        }

        return result.ToEquatableArray();
    }

    public static bool IsValidAction(string action) =>
        action.Length is > 0 and <= 100 &&
        action.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.' or ':' or '-');

    private static bool IsJsonSafe(ITypeSymbol type, KnownTypes known, bool allowArray)
    {
        if (type is IArrayTypeSymbol array)
        {
            return allowArray && array.Rank == 1 && IsJsonSafe(array.ElementType, known, allowArray: false);
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            return IsJsonSafe(nullable.TypeArguments[0], known, allowArray: false);
        }

        return type.TypeKind == TypeKind.Enum ||
               type.SpecialType is SpecialType.System_String or SpecialType.System_Boolean or SpecialType.System_SByte or
                   SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or
                   SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or
                   SpecialType.System_Double or SpecialType.System_Decimal ||
               KnownTypes.Is(type, known.Guid) || KnownTypes.Is(type, known.DateTimeOffset) ||
               KnownTypes.Is(type, known.DateOnly) || KnownTypes.Is(type, known.TimeOnly);
    }

    internal static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    internal static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    private static string Sanitize(string text) => new(text.Where(char.IsLetterOrDigit).ToArray());

    private static string Modifier(IParameterSymbol p) => p.RefKind switch
    {
        RefKind.Ref => "ref ",
        RefKind.Out => "out ",
        RefKind.In => "in ",
        _ => p.IsParams ? "params " : "",
    };

    private static Location? AttributeLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation();

    private static void Report(Action<Diagnostic>? report, DiagnosticDescriptor descriptor, Location? location, params object?[] args) =>
        report?.Invoke(Diagnostic.Create(descriptor, location, args));
}
