using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// Every kind of entry point, resolved once per compilation: <see cref="Classify"/> for methods that are entry points by
/// their declaration (controllers, FastEndpoints, Razor Pages, gRPC, consumers, background services, jobs);
/// <see cref="MinimalApi"/> for handlers that are entry points by being mapped, <see cref="Hangfire"/> for methods that
/// are by being scheduled. Adding a kind is adding its <see cref="IEntryPointRule"/> file and its line here.
/// </summary>
internal sealed class EntryPoints
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, EntryPoints> Cache = new();

    private readonly ImmutableArray<IEntryPointRule> _rules;

    private EntryPoints(Compilation compilation)
    {
        ImmutableArray<IEntryPointRule> all =
        [
            new ControllerActions(compilation),
            new RazorPageHandlers(compilation),
            new FastEndpointsHandlers(compilation),
            new GrpcServiceMethods(compilation),
            Messages = new MessageHandlers(compilation),
            new BackgroundServices(compilation),
            new ScheduledJobs(compilation),
        ];
        _rules = all;
        MinimalApi = new MinimalApiHandlers(compilation);
        Hangfire = new HangfireJobs(compilation);
        HttpResults = new HttpResultShapes(compilation);
    }

    /// <summary>The entry points of <paramref name="compilation"/>, resolved once per compilation.</summary>
    public static EntryPoints From(Compilation compilation) => Cache.GetValue(compilation, static c => new EntryPoints(c));

    /// <summary>Message consumers and handlers.</summary>
    public MessageHandlers Messages { get; }

    /// <summary>Handlers mapped with <c>Map*</c>.</summary>
    public MinimalApiHandlers MinimalApi { get; }

    /// <summary>What HTTP entry points' results carry (for logging them).</summary>
    public HttpResultShapes HttpResults { get; }

    /// <summary>Jobs scheduled with Hangfire.</summary>
    public HangfireJobs Hangfire { get; }

    /// <summary>Whether <paramref name="type"/> can declare entry points: the per-type check before looking at methods.</summary>
    public bool MayDeclare(INamedTypeSymbol type) => _rules.Any(r => r.MayDeclare(type));

    /// <summary>The kind of entry point <paramref name="method"/> is by its declaration, or null.</summary>
    public EntryPointKind? Classify(IMethodSymbol method)
    {
        foreach (IEntryPointRule rule in _rules)
        {
            if (rule.MayDeclare(method.ContainingType) && rule.IsEntryPoint(method))
            {
                return rule.Kind;
            }
        }

        return null;
    }
}
