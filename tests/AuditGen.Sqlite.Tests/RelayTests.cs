using System.Diagnostics;
using System.Globalization;

namespace AuditGen.Sqlite.Tests;

/// <summary>
/// The durable relay over a real SQLite file, in real child processes: killed with SIGKILL mid-batch it resumes without a
/// gap; two relays of one name on one file do not both deliver.
/// </summary>
public sealed class RelayTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    private readonly TempDatabase _database = new(onDisk: true);

    public void Dispose() => _database.Dispose();

    /// <summary>Appends <paramref name="count"/> records; returns their ids in sequence order.</summary>
    private async Task<List<Guid>> SeedAsync(int count)
    {
        using var log = new SqliteActivityLogRepo(_database.ConnectionString);
        ActivityRecord[] records = [.. Enumerable.Range(0, count).Select(i => ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}")))];
        return [.. (await log.AppendManyAsync(records)).Select(r => r.RecordId)];
    }

    private Process StartRelay(string name, int leaseMs, int delayMs)
    {
        var start = new ProcessStartInfo("dotnet", [CrashTests.WriterPath(), "relay", _database.FilePath, name,
            leaseMs.ToString(CultureInfo.InvariantCulture), delayMs.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        return Process.Start(start)!;
    }

    /// <summary>Reads the relay's lines into <paramref name="delivered"/> until <paramref name="done"/> holds or the deadline passes.</summary>
    private static async Task ReadUntilAsync(Process relay, List<Guid> delivered, Func<string, bool> done)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var last = new Queue<string>();
        try
        {
            while (await relay.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                last.Enqueue(line);
                if (last.Count > 5)
                {
                    last.Dequeue();
                }

                if (line.StartsWith("delivered ", StringComparison.Ordinal))
                {
                    delivered.Add(Guid.Parse(line["delivered ".Length..]));
                }

                if (done(line))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Say what the relay was doing, so that a run under load that times out can be told from a relay that stalled.
            Assert.Fail($"the relay was not done within 60 s: {delivered.Count} delivered, exited: {relay.HasExited}, last lines: [{string.Join(" | ", last)}]");
        }

        Assert.Fail("the relay exited before it was done");
    }

    [Fact]
    public async Task A_relay_killed_mid_batch_resumes_from_its_checkpoint_without_a_gap()
    {
        List<Guid> appended = await SeedAsync(300);
        var first = new List<Guid>();
        var second = new List<Guid>();

        using (Process relay = StartRelay("orders", leaseMs: 500, delayMs: 2))
        {
            Assert.Equal("ready", await relay.StandardOutput.ReadLineAsync());
            await ReadUntilAsync(relay, first, _ => first.Count >= 137); // inside its sixth batch of 25
            relay.Kill(entireProcessTree: true); // SIGKILL
            while (await relay.StandardOutput.ReadLineAsync() is { } line) // deliveries written before the kill count too
            {
                if (line.StartsWith("delivered ", StringComparison.Ordinal))
                {
                    first.Add(Guid.Parse(line["delivered ".Length..]));
                }
            }

            await relay.WaitForExitAsync();
        }

        using (Process relay = StartRelay("orders", leaseMs: 500, delayMs: 0))
        {
            Assert.Equal("ready", await relay.StandardOutput.ReadLineAsync());
            await ReadUntilAsync(relay, second, line => line == "idle" && second.Count > 0 && second[^1] == appended[^1]);
            relay.Kill(entireProcessTree: true);
            await relay.WaitForExitAsync();
        }

        // Each relay delivered in sequence order; the second began at or before where the first stopped (at least once:
        // the event in flight at the kill may come twice), and together they delivered every record.
        Assert.Equal(appended.Take(first.Count), first);
        int resumeAt = appended.IndexOf(second[0]);
        Assert.InRange(resumeAt, first.Count - 1, first.Count);
        Assert.Equal(appended.Skip(resumeAt), second);
    }

    [Fact]
    public async Task Two_relays_of_one_name_on_one_file_do_not_both_deliver()
    {
        List<Guid> appended = await SeedAsync(200);
        var one = new List<Guid>();
        var two = new List<Guid>();
        using Process a = StartRelay("billing", leaseMs: 30_000, delayMs: 1);
        using Process b = StartRelay("billing", leaseMs: 30_000, delayMs: 1);
        try
        {
            Assert.Equal("ready", await a.StandardOutput.ReadLineAsync());
            Assert.Equal("ready", await b.StandardOutput.ReadLineAsync());

            // Each reads until it is idle with everything delivered by one of them.
            Task readA = ReadUntilAsync(a, one, line => line == "idle" && one.Count + two.Count >= appended.Count);
            Task readB = ReadUntilAsync(b, two, line => line == "idle" && one.Count + two.Count >= appended.Count);
            await Task.WhenAll(readA, readB);
        }
        finally
        {
            a.Kill(entireProcessTree: true);
            b.Kill(entireProcessTree: true);
        }

        // The lease holder delivered everything, once, in order; the other delivered nothing.
        List<Guid> holder = one.Count > 0 ? one : two;
        Assert.True(one.Count == 0 || two.Count == 0, $"both delivered: {one.Count} and {two.Count}");
        Assert.Equal(appended, holder);
    }
}
