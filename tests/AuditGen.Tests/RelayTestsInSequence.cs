namespace AuditGen.Tests;

/// <summary>
/// Tests that start relays, or depend on none running: whether a relay runs is a fact about the process (the pipeline's
/// "no relay runs here" warning, the relay gauges), so these classes run one after the other, never beside each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RelayTestsInSequence
{
    public const string Name = "Relays in this process";
}
