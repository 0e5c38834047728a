using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AuditGen.Integrity;
using Microsoft.Extensions.Time.Testing;

namespace AuditGen.Tests.Integrity;

/// <summary>A witness that cannot be reached: checkpoints are still written, and its backlog shows in the health problem and the gauge.</summary>
public sealed class WitnessBacklogTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "auditgen-backlog-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_witness_leaves_appends_and_checkpoints_alone_and_its_backlog_is_reported()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var log = new InMemoryActivityLogRepo(clock);
        string name = "witness.test/" + Guid.NewGuid().ToString("N")[..8];
        var options = new ActivityCheckpointOptions
        {
            Sink = new FileActivityCheckpointSink(_directory),
            Key = ActivityCheckpointKey.Create("k", clock.GetUtcNow().AddDays(-1), DateTimeOffset.MaxValue),
        };
        options.Witnesses.Add("http://127.0.0.1:1/", NoteSigner.Generate(name, NoteSignatureType.CosignatureV1).Verifier.ToString()); // nothing listens on port 1
        using var checkpointer = new ActivityCheckpointer(log, options, clock: clock);
        var backlog = new ConcurrentQueue<long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ActivityLogTelemetry.Name && instrument.Name == "auditgen.witness.backlog")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "auditgen.witness" && (string?)tag.Value == name)
                {
                    backlog.Enqueue(value);
                }
            }
        });
        listener.Start();
        await checkpointer.StartAsync(CancellationToken.None);

        for (int i = 0; i < 12; i++)
        {
            Assert.True((await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}")))).IsAppended);
        }

        Assert.Equal(12, (await checkpointer.CheckpointAsync())!.TreeSize);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while (checkpointer.WitnessProblem() is null)
            {
                await Task.Delay(20, deadline.Token); // until the submission has failed (connection refused)
            }
        }

        Assert.Contains($"witness {name} (http://127.0.0.1:1/) has not cosigned 12 records (backlog", checkpointer.WitnessProblem(), StringComparison.Ordinal);
        Assert.Equal(12, checkpointer.WitnessBacklog()[name]);
        listener.RecordObservableInstruments();
        Assert.Contains(12L, backlog);
        await checkpointer.StopAsync(CancellationToken.None);
    }
}
