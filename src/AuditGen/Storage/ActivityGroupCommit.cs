using System.ComponentModel;
using System.Diagnostics;

namespace AuditGen.Storage;

/// <summary>
/// Group commit for an adapter's single appends: appends that arrive while a commit is in flight are written together in
/// the next transaction, and each caller is answered only once that transaction is durable. Sequences follow the order in
/// which appends joined. A record the database refuses (a repeated <see cref="ActivityRecord.RecordId"/>: an
/// <see cref="ArgumentException"/> from the write) fails only its own caller: the group is then written one record at a
/// time. Uncontended, an append is written at once on the caller's own call, with no hand-off. Under contention (a group
/// of several records that took a millisecond or more to write), the next group waits up to a millisecond for
/// the callers just answered to come back, as PostgreSQL's <c>commit_delay</c> does: otherwise writers that keep appending
/// split into two sets that alternate, each paying a commit of its own. For adapter implementations.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class ActivityGroupCommit : IAsyncDisposable
{
    private readonly Func<ActivityRecord[], CancellationToken, ValueTask<IReadOnlyList<ActivityRecord>>> _write;
    private readonly int _maxGroupSize;
    private readonly TimeSpan _gatherWindow;
    private readonly object _lock = new();
    private List<Pending> _queue = [];
    private bool _writing;
    private bool _disposed;
    private Task _background = Task.CompletedTask;
    private int _lastGroupSize;
    private TimeSpan _lastWriteTime;
    private long _lastGroupEnded;
    private int _gatherTarget;
    private TaskCompletionSource? _gathered;

    /// <summary>The longest a group waits for more appenders under contention.</summary>
    internal static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(1);

    /// <summary>Groups appends into writes of <paramref name="write"/>.</summary>
    /// <param name="write">
    /// Writes validated records in one transaction, in order, and returns them as stored; all or nothing. Throws
    /// <see cref="ArgumentException"/> when the database refuses a record.
    /// </param>
    /// <param name="maxGroupSize">At most this many records per transaction.</param>
    public ActivityGroupCommit(Func<ActivityRecord[], CancellationToken, ValueTask<IReadOnlyList<ActivityRecord>>> write, int maxGroupSize = 1_000)
        : this(write, maxGroupSize, GatherWindow)
    {
    }

    /// <summary>Groups appends, gathering for up to <paramref name="gatherWindow"/> under contention (tests widen it).</summary>
    internal ActivityGroupCommit(Func<ActivityRecord[], CancellationToken, ValueTask<IReadOnlyList<ActivityRecord>>> write, int maxGroupSize, TimeSpan gatherWindow)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroupSize, 1);
        _write = write;
        _maxGroupSize = maxGroupSize;
        _gatherWindow = gatherWindow;
    }

    /// <summary>
    /// Appends one validated record with whatever else is waiting, and returns it as stored once its transaction has
    /// committed. <paramref name="cancellationToken"/> is honoured until the record joins a group; after that, it is
    /// written (a record is never half-appended, and its caller always learns the outcome).
    /// </summary>
    /// <param name="record">A validated record.</param>
    /// <param name="cancellationToken">Cancels the append before it joins a group.</param>
    /// <returns>The record as stored.</returns>
    public async ValueTask<ActivityRecord> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(record);
        bool lead;
        TaskCompletionSource? gathered = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Add(pending);
            lead = !_writing;
            _writing = true;
            if (_gathered is not null && _queue.Count >= _gatherTarget)
            {
                (gathered, _gathered) = (_gathered, null);
            }
        }

        gathered?.TrySetResult();

        if (lead)
        {
            // The first to arrive writes at once (after a gather, right after a contended group); whoever arrived meanwhile
            // is written by a background leader, so this caller is not held back by later arrivals.
            await GatherAsync().ConfigureAwait(false);
            await WriteNextGroupAsync().ConfigureAwait(false);
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _writing = false;
                }
                else
                {
                    _background = Task.Run(LeadAsync, CancellationToken.None); // joined appends are written whoever asked to cancel
                }
            }
        }

        return await pending.Task.ConfigureAwait(false);
    }

    private async Task LeadAsync()
    {
        while (true)
        {
            await GatherAsync().ConfigureAwait(false);
            await WriteNextGroupAsync().ConfigureAwait(false);
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _writing = false;
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Right after a contended group — it held several records, took at least a millisecond and ended within the window —
    /// waits until as many appends are queued as that group held (its callers, answered and coming back), or the window
    /// passes, whichever is first.
    /// </summary>
    private async Task GatherAsync()
    {
        TaskCompletionSource wait;
        lock (_lock)
        {
            int target = Math.Min(Math.Max(_lastGroupSize, _queue.Count), _maxGroupSize);
            if (_lastGroupSize < 2 || _lastWriteTime < TimeSpan.FromMilliseconds(1) || _queue.Count >= target ||
                Stopwatch.GetElapsedTime(_lastGroupEnded) > _gatherWindow)
            {
                return;
            }

            _gatherTarget = target;
            _gathered = wait = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        using (var window = new CancellationTokenSource())
        {
            Task timeout = Task.Delay(_gatherWindow, window.Token);
            await Task.WhenAny(wait.Task, timeout).ConfigureAwait(false);
            await window.CancelAsync().ConfigureAwait(false);
        }

        lock (_lock)
        {
            _gathered = null;
        }
    }

    private async Task WriteNextGroupAsync()
    {
        Pending[] group;
        lock (_lock)
        {
            if (_queue.Count <= _maxGroupSize)
            {
                group = [.. _queue];
                _queue = [];
            }
            else
            {
                group = [.. _queue.GetRange(0, _maxGroupSize)];
                _queue.RemoveRange(0, _maxGroupSize);
            }
        }

        if (group.Length == 0)
        {
            return;
        }

        long started = Stopwatch.GetTimestamp();

        ActivityRecord[] records = new ActivityRecord[group.Length];
        for (int i = 0; i < group.Length; i++)
        {
            records[i] = group[i].Record;
        }

        try
        {
            IReadOnlyList<ActivityRecord> stored = await _write(records, CancellationToken.None).ConfigureAwait(false);
            lock (_lock)
            {
                (_lastGroupSize, _lastGroupEnded) = (group.Length, Stopwatch.GetTimestamp());
                _lastWriteTime = Stopwatch.GetElapsedTime(started, _lastGroupEnded);
            }

            for (int i = 0; i < group.Length; i++)
            {
                group[i].TrySetResult(stored[i]);
            }
        }
        catch (ArgumentException) when (group.Length > 1)
        {
            // One record was refused and the transaction rolled back: write each alone, so only its caller fails.
            foreach (Pending one in group)
            {
                try
                {
                    one.TrySetResult((await _write([one.Record], CancellationToken.None).ConfigureAwait(false))[0]);
                }
                catch (Exception ex)
                {
                    one.TrySetException(ex);
                }
            }
        }
        catch (Exception ex)
        {
            foreach (Pending one in group)
            {
                one.TrySetException(ex);
            }
        }
    }

    /// <summary>Refuses new appends and waits until every joined one is written.</summary>
    /// <returns>When the queue is empty.</returns>
    public async ValueTask DisposeAsync()
    {
        Task background;
        lock (_lock)
        {
            _disposed = true;
            background = _background;
        }

        await background.ConfigureAwait(false);
        while (true)
        {
            lock (_lock)
            {
                if (!_writing)
                {
                    return;
                }
            }

            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    private sealed class Pending(ActivityRecord record) : TaskCompletionSource<ActivityRecord>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public ActivityRecord Record { get; } = record;
    }
}
