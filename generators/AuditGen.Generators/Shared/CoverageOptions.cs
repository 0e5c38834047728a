using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AuditGen.Generators;

/// <summary>
/// The coverage conventions, from .editorconfig (or a global config):
/// <c>auditgen.use_case_suffixes</c>, <c>auditgen.use_case_interfaces</c>, <c>auditgen.mutation_prefixes</c>,
/// <c>auditgen.repository_suffixes</c>; comma-separated lists that replace the defaults. Each can also be set for a
/// whole project with an MSBuild property (<c>AuditGenUseCaseSuffixes</c>, <c>AuditGenUseCaseInterfaces</c>,
/// <c>AuditGenMutationPrefixes</c>, <c>AuditGenRepositorySuffixes</c>), which the package's build props make
/// visible to the compiler; an .editorconfig value for a file wins over the property.
/// </summary>
internal sealed class CoverageOptions
{
    public static readonly CoverageOptions Default = new(
        ["UseCase", "Handler", "CommandHandler"],
        [("IRequestHandler", 2), ("ICommandHandler", 1), ("ICommandHandler", 2)],
        ["Add", "Create", "Insert", "Update", "Upsert", "Save", "Delete", "Remove"],
        ["Repository", "Repo", "Store"]);

    private CoverageOptions(ImmutableArray<string> useCaseSuffixes, ImmutableArray<(string Name, int Arity)> useCaseInterfaces,
        ImmutableArray<string> mutationPrefixes, ImmutableArray<string> repositorySuffixes)
    {
        UseCaseSuffixes = useCaseSuffixes;
        UseCaseInterfaces = useCaseInterfaces;
        MutationPrefixes = mutationPrefixes;
        RepositorySuffixes = repositorySuffixes;
    }

    public ImmutableArray<string> UseCaseSuffixes { get; }

    public ImmutableArray<(string Name, int Arity)> UseCaseInterfaces { get; }

    public ImmutableArray<string> MutationPrefixes { get; }

    public ImmutableArray<string> RepositorySuffixes { get; }

    /// <summary>Options of one syntax tree; trees with the same settings share one instance.</summary>
    public static CoverageOptions For(AnalyzerConfigOptions options, AnalyzerConfigOptions global, ConcurrentDictionary<string, CoverageOptions> cache)
    {
        string? suffixes = Value(options, global, "auditgen.use_case_suffixes", "build_property.AuditGenUseCaseSuffixes");
        string? interfaces = Value(options, global, "auditgen.use_case_interfaces", "build_property.AuditGenUseCaseInterfaces");
        string? prefixes = Value(options, global, "auditgen.mutation_prefixes", "build_property.AuditGenMutationPrefixes");
        string? repositories = Value(options, global, "auditgen.repository_suffixes", "build_property.AuditGenRepositorySuffixes");
        if (suffixes is null && interfaces is null && prefixes is null && repositories is null)
        {
            return Default;
        }

        return cache.GetOrAdd($"{suffixes}|{interfaces}|{prefixes}|{repositories}", _ => new CoverageOptions(
            suffixes is null ? Default.UseCaseSuffixes : List(suffixes),
            interfaces is null ? Default.UseCaseInterfaces : List(interfaces).Select(ParseInterface).ToImmutableArray(),
            prefixes is null ? Default.MutationPrefixes : List(prefixes),
            repositories is null ? Default.RepositorySuffixes : List(repositories)));
    }

    /// <summary>The .editorconfig key, else the MSBuild property (unset properties arrive as empty strings).</summary>
    private static string? Value(AnalyzerConfigOptions options, AnalyzerConfigOptions global, string key, string property) =>
        options.TryGetValue(key, out string? value) ? value :
        global.TryGetValue(property, out string? fromProperty) && !string.IsNullOrWhiteSpace(fromProperty) ? fromProperty : null;

    private static ImmutableArray<string> List(string value) =>
        value.Split([','], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0).ToImmutableArray();

    /// <summary><c>IRequestHandler&lt;,&gt;</c> → (IRequestHandler, 2); <c>IHandler</c> → (IHandler, 0).</summary>
    private static (string Name, int Arity) ParseInterface(string text)
    {
        int open = text.IndexOf('<');
        if (open < 0)
        {
            int tick = text.IndexOf('`');
            return tick < 0 ? (text, 0) : (text.Substring(0, tick), int.TryParse(text.Substring(tick + 1), out int n) ? n : 0);
        }

        return (text.Substring(0, open).Trim(), text.Substring(open).Count(c => c == ',') + 1);
    }
}
