namespace AuditGen.Benchmarks;

/// <summary>
/// A log of <c>size</c> records where every entity, actor, owner and action has at least 100 records, so a
/// limit-50 query returns a full page at every size and the sizes compare like with like.
/// </summary>
internal static class LogFixture
{
    public const int RecordsPerKey = 100;
    public const int Actions = 10;

    public static Guid Actor(int i) => new(i, 1, 1, [0, 0, 0, 0, 0, 0, 0, 1]);

    public static Guid Owner(int i) => new(i, 2, 2, [0, 0, 0, 0, 0, 0, 0, 2]);

    public static EntityRef Entity(int i) => new("Task", $"task-{i}");

    public static string Action(int i) => $"action_{i}";

    public static async ValueTask FillAsync(IActivityLogRepo log, int size)
    {
        int keys = Math.Max(1, size / RecordsPerKey);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < size; i++)
        {
            await log.AppendAsync(ActivityRecord.Create(Actor(i % keys), Owner((i / 7) % keys), Action(i % Actions), Entity((i / 3) % keys),
                occurredAt: start.AddSeconds(i)));
        }
    }
}
