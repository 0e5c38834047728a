namespace AuditGen.Benchmarks;

/// <summary>Hooks that do nothing, to measure what the pipeline itself costs.</summary>
internal static class NoOpHooks
{
    public sealed class Before : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            ValueTask.FromResult(BeforeAppendDecision.Continue);
    }

    public sealed class After : IAfterAppendHook
    {
        public ValueTask<IReadOnlyList<SideEffectRequest>> AfterAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<SideEffectRequest>>([]);
    }
}
