namespace AuditGen.Generators;

// The generator's pipeline models: strings, bools, enums and EquatableArrays only — never a symbol, syntax node,
// semantic model or compilation — so unchanged input compares equal and every step stays cached.

/// <summary>A use-case type with its logged methods, the interfaces to decorate, and how to reach its log.</summary>
internal sealed record UseCaseModel(
    string Namespace,
    string Name,
    string FullyQualifiedName,
    string Keyword,
    string? LogMember,
    string? ActorAccessorMember,
    EquatableArray<LoggedMethodModel> Methods,
    EquatableArray<DecoratedInterfaceModel> Interfaces)
{
    /// <summary>The type is partial, top-level, not generic and holds its log, so direct calls can be intercepted.</summary>
    public bool CanIntercept => LogMember is not null;
}

internal enum ReturnKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>
/// How one logged method builds its record. Expressions are C# over the method's parameters and <c>result</c>.
/// <see cref="Id"/> (name and parameter types) tells overloads apart; <see cref="FailureCondition"/>, for a result wrapped
/// in a success/failure type, says when there is no change to record.
/// </summary>
internal sealed record LoggedMethodModel(
    string Name,
    string Id,
    string Action,
    string EntityType,
    ReturnKind ReturnKind,
    string? ResultType,
    EquatableArray<ParameterModel> Parameters,
    string? CancellationToken,
    string? ActorExpression,
    string OwnerExpression,
    string EntityIdExpression,
    EquatableArray<MetadataEntryModel> Metadata,
    string? FailureCondition,
    GeneratedLocals Locals,
    bool ActorFromSystem = false)
{
    /// <summary>No actor source of its own: the actor comes from <c>IActorAccessor</c>.</summary>
    public bool ActorFromAccessor => ActorExpression is null && !ActorFromSystem;
}

internal sealed record ParameterModel(string Name, string Type, string Modifier);

/// <summary>
/// The names the generated code declares next to the use case's parameters: the conventional ones, unless a parameter
/// already has that name (then a number is added), so a parameter named <c>result</c> still compiles.
/// </summary>
internal sealed record GeneratedLocals(string Result, string Transaction, string UseCase, string Logged);

internal sealed record MetadataEntryModel(string Key, string Expression);

/// <summary>An interface a use case implements, with every member its decorator must implement.</summary>
internal sealed record DecoratedInterfaceModel(string FullyQualifiedName, string DecoratorName, EquatableArray<InterfaceMemberModel> Members);

internal enum MemberKind
{
    Method,
    Property,
    Indexer,
    Event,
}

/// <summary>
/// One interface member, forwarded to the inner instance, or logged when <see cref="LoggedMethod"/> names a method of the use case.
/// </summary>
internal sealed record InterfaceMemberModel(
    MemberKind Kind,
    string DeclaringInterface,
    string Name,
    string Type,
    string TypeParameters,
    EquatableArray<ParameterModel> Parameters,
    bool HasGetter,
    bool HasSetter,
    bool SetterIsInit,
    string? LoggedMethod);

/// <summary>A direct call to a logged method that the generator intercepts.</summary>
internal sealed record InterceptedCallModel(
    int LocationVersion,
    string LocationData,
    string DisplayLocation,
    string UseCaseType,
    LoggedMethodModel Method);

/// <summary>What the compilation says about registration: its assembly and the public registration method, if asked for.</summary>
internal sealed record RegistrationOptionsModel(string AssemblyName, string? PublicMethodName);
