using System.Globalization;
using AuditGen;
using AuditGen.Sqlite;

// Usage: AuditGen.Sqlite.CrashWriter <database file> <batch size>
// Appends records forever (one at a time, or in batches) and writes "ack <record id>" for each once its append returned.
string path = args[0];
int batchSize = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
var actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
using var log = new SqliteActivityLogRepo($"Data Source={path}");
using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
await output.WriteLineAsync("ready");
for (long n = 0; ; n += batchSize)
{
    ActivityRecord[] batch = [.. Enumerable.Range(0, batchSize).Select(i => ActivityRecord.Create(actor, actor, "crash_test",
        new EntityRef("Task", $"task-{(n + i) % 100}"), new Dictionary<string, object?> { ["n"] = n + i, ["payload"] = new string('x', 200) }))];
    IReadOnlyList<ActivityRecord> stored = batchSize == 1 ? [(await log.AppendAsync(batch[0])).Record!] : await log.AppendManyAsync(batch);
    foreach (ActivityRecord record in stored)
    {
        await output.WriteLineAsync($"ack {record.RecordId}");
    }
}
