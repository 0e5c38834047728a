namespace AuditGen.Tests;

internal static class TestData
{
    public static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    public static readonly Guid Bob = Guid.Parse("0b0e4c1e-0000-4000-8000-000000000b0b");
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    public static EntityRef TaskRef(int n) => new("Task", $"task-{n}");

    public static ActivityRecord Record(
        string action = "create_task",
        Guid? actor = null,
        Guid? owner = null,
        EntityRef? entity = null,
        IReadOnlyDictionary<string, object?>? metadata = null,
        DateTimeOffset? occurredAt = null) =>
        ActivityRecord.Create(actor ?? Alice, owner ?? actor ?? Alice, action, entity ?? TaskRef(1), metadata, occurredAt);
}
