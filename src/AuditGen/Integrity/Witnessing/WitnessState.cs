namespace AuditGen.Integrity;

/// <summary>What the checkpointer knows of one witness: the size it cosigned, its failures, and the wake-up signal.</summary>
internal sealed class WitnessState(ActivityWitnessEndpoint endpoint) : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private long _cosignedSize;
    private long _knownSize;
    private int _failures;
    private string? _lastError;

    public ActivityWitnessEndpoint Endpoint { get; } = endpoint;

    /// <summary>The largest tree size this witness cosigned for this log (as far as this process saw).</summary>
    public long CosignedSize => Volatile.Read(ref _cosignedSize);

    /// <summary>The size the witness holds for this log: 0 until it answers, then its latest.</summary>
    public long KnownSize
    {
        get => Volatile.Read(ref _knownSize);
        set => Volatile.Write(ref _knownSize, value);
    }

    /// <summary>Failed submissions since the last success.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Why the last submission failed; null after a success.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    public void Cosigned(long size, IReadOnlyList<NoteSignature> cosignatures)
    {
        _ = cosignatures;
        KnownSize = size;
        Volatile.Write(ref _cosignedSize, Math.Max(CosignedSize, size));
    }

    public void Succeeded()
    {
        Volatile.Write(ref _failures, 0);
        Volatile.Write(ref _lastError, null);
    }

    /// <summary>Counts a failure; returns the wait before the next attempt (1 s, doubling, at most <paramref name="max"/>).</summary>
    public TimeSpan Failed(string error, TimeSpan max)
    {
        int failures = Interlocked.Increment(ref _failures);
        Volatile.Write(ref _lastError, error);
        double seconds = Math.Pow(2, Math.Min(failures - 1, 30));
        return seconds >= max.TotalSeconds ? max : TimeSpan.FromSeconds(seconds);
    }

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already awake
        }
    }

    public async Task WaitAsync(TimeSpan poll, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task delay = Task.Delay(poll, clock, timeout.Token);
        Task woken = _wake.WaitAsync(timeout.Token);
        await Task.WhenAny(delay, woken).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose() => _wake.Dispose();
}
