namespace AuditGen;

/// <summary>
/// Wakes the durable relays of this process when an append commits here, so an <see cref="ActivityRecorded"/> event or a
/// side effect reaches its handler without waiting for the relay's next poll. Polling stays, for appends made by other
/// processes (and appends that bypass the pipeline, such as a store's own batch append).
/// </summary>
/// <remarks>
/// <para>
/// A relay calls <see cref="Next"/> <em>before</em> it reads the outbox, and waits on the task it got (or its poll
/// interval) only when that read found nothing. An append that commits after the read completes that task; one that
/// committed before it was seen by the read. Both sides go through full fences (<see cref="Interlocked"/>), so no commit
/// falls between them unseen.
/// </para>
/// <para>
/// Appends pay for the signal only while a relay waits on it: <see cref="Appended"/> swaps in a new task (one allocation)
/// only when the current one was handed out. One signal for the whole process: a relay woken by another log's append
/// reads its outbox once, finds nothing, and waits again.
/// </para>
/// </remarks>
internal static class ActivityAppendSignal
{
    private static TaskCompletionSource NextAppend = New();
    private static int Observed;

    /// <summary>The task the next append in this process completes.</summary>
    public static Task Next()
    {
        Interlocked.Exchange(ref Observed, 1);
        return Volatile.Read(ref NextAppend).Task;
    }

    /// <summary>Called after an append committed: wakes every relay waiting on <see cref="Next"/>.</summary>
    public static void Appended()
    {
        if (Interlocked.Exchange(ref Observed, 0) == 0)
        {
            return; // nobody took the current task since the last signal: nothing to wake
        }

        Interlocked.Exchange(ref NextAppend, New()).TrySetResult();
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
