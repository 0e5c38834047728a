using System.Globalization;
using AuditGen;
using AuditGen.Sqlite;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/AuditGen.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/AuditGen.Benchmarks -- seed-sqlite <file> <records> <owner>   (eng/load-check.sh)
if (args is ["seed-sqlite", string file, string count, string owner])
{
    await SeedSqliteAsync(file, int.Parse(count, CultureInfo.InvariantCulture), Guid.Parse(owner));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

// A log for the HTTP load check: `records` records over 1,000 owners, every tenth one owned by `owner`.
static async Task SeedSqliteAsync(string file, int records, Guid owner)
{
    await using var repo = new SqliteActivityLogRepo(new SqliteActivityLogOptions
    {
        ConnectionString = $"Data Source={file}",
        Durability = SqliteDurability.Normal,
    });
    var random = new Random(42);
    Guid[] owners = [.. Enumerable.Range(0, 1000).Select(_ => Guid.CreateVersion7())];
    string[] actions = ["create_task", "update_task", "complete_task", "delete_task"];
    DateTimeOffset start = DateTimeOffset.UtcNow.AddDays(-30);
    const int Batch = 10_000;
    for (int done = 0; done < records; done += Batch)
    {
        var batch = new List<ActivityRecord>(Batch);
        for (int i = done; i < Math.Min(records, done + Batch); i++)
        {
            Guid recordOwner = i % 10 == 0 ? owner : owners[random.Next(owners.Length)];
            batch.Add(ActivityRecord.Create(
                actorId: random.Next(4) == 0 ? owners[random.Next(owners.Length)] : recordOwner,
                ownerId: recordOwner,
                action: actions[random.Next(actions.Length)],
                entityRef: new EntityRef("Task", $"task-{i / 4}"),
                metadata: new Dictionary<string, object?> { ["title"] = $"Task {i / 4}" },
                occurredAt: start.AddMilliseconds(i * 2.5)));
        }

        await repo.AppendManyAsync(batch);
    }

    Console.WriteLine($"{records} records in {file}; {(records + 9) / 10} owned by {owner}");
}
