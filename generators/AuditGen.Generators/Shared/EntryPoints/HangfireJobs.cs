using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AuditGen.Generators;

/// <summary>
/// Hangfire jobs: any method can be one, so they are recognised where they are scheduled — the method called in the
/// expression passed to <c>BackgroundJob.Enqueue</c>/<c>Schedule</c>, <c>RecurringJob.AddOrUpdate</c>, or the same on
/// <c>IBackgroundJobClient</c>/<c>IRecurringJobManager</c> (<c>Enqueue&lt;T&gt;(x =&gt; x.Run())</c>).
/// </summary>
internal sealed class HangfireJobs(Compilation compilation)
{
    private readonly ImmutableArray<INamedTypeSymbol> _schedulers = EntryPointSymbols.Resolve(compilation,
        "Hangfire.BackgroundJob", "Hangfire.RecurringJob", "Hangfire.IBackgroundJobClient", "Hangfire.IRecurringJobManager",
        "Hangfire.BackgroundJobClientExtensions", "Hangfire.RecurringJobManagerExtensions");

    public static EntryPointKind Kind => EntryPointKind.Job;

    /// <summary>Whether the compilation references Hangfire at all.</summary>
    public bool IsAvailable => !_schedulers.IsEmpty;

    /// <summary>The job method <paramref name="invocation"/> schedules, or null when it schedules none.</summary>
    public IMethodSymbol? JobOf(IInvocationOperation invocation)
    {
        IMethodSymbol target = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        if (_schedulers.IsEmpty || target.Name is not ("Enqueue" or "Schedule" or "AddOrUpdate" or "Create") ||
            !_schedulers.Contains(target.ContainingType.OriginalDefinition, SymbolEqualityComparer.Default))
        {
            return null;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IOperation value = argument.Value;
            while (value is IConversionOperation or IDelegateCreationOperation)
            {
                value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
            }

            // An expression tree's lambda: its body is the job call (returned, or a statement followed by the implicit return).
            if (value is IAnonymousFunctionOperation { Body.Operations: [var first, ..] })
            {
                IOperation call = first switch
                {
                    IReturnOperation { ReturnedValue: { } returned } => returned,
                    IExpressionStatementOperation statement => statement.Operation,
                    _ => first,
                };
                while (call is IConversionOperation conversion)
                {
                    call = conversion.Operand;
                }

                if (call is IInvocationOperation job)
                {
                    return job.TargetMethod.OriginalDefinition;
                }
            }
        }

        return null;
    }
}
