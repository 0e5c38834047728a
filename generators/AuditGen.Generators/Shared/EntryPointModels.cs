namespace AuditGen.Generators;

// The pipeline models of logged entry points (minimal-API handlers, controller actions, Razor Pages handlers): equatable
// like every model in Models.cs, in their own file so the use-case models stay as they are.

/// <summary>
/// A logged entry point: the record's fields (<see cref="Method"/>, whose expressions read the handler's parameters and
/// <c>result</c>, the value its successful result carries), and how that value is read.
/// </summary>
internal sealed record EntryPointMethodModel(
    LoggedMethodModel Method,
    ResultValueKind ValueKind,
    string? ValueType,
    EquatableArray<int> ReadParameters);

/// <summary>A <c>Map*</c> call whose handler is logged: intercepted to attach the generated endpoint filter.</summary>
internal sealed record MappedEndpointModel(
    int LocationVersion,
    string LocationData,
    string DisplayLocation,
    string MapMethod,
    string ReturnType,
    EquatableArray<ParameterModel> MapParameters,
    EntryPointMethodModel Handler,
    string CatalogType,
    string CatalogMethod);

/// <summary>A logged controller action or Razor Pages handler: the generated filter attached to it at startup.</summary>
internal sealed record LoggedActionModel(
    bool IsPage,
    string ContainingType,
    string MethodName,
    EquatableArray<string> ParameterTypes,
    EntryPointMethodModel Handler);
