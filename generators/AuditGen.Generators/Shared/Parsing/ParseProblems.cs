using System;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// The rules one parse broke: each is handed to the analyzers' callback (the generator passes none) and remembered, so
/// the parse can tell at the end whether it may build a model.
/// </summary>
internal sealed class ParseProblems(Action<Diagnostic>? report)
{
    public bool Any { get; private set; }

    public void Add(DiagnosticDescriptor descriptor, Location? location, params object?[] args)
    {
        Any = true;
        report?.Invoke(Diagnostic.Create(descriptor, location, args));
    }
}
