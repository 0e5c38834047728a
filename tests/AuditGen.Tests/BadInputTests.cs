using static AuditGen.Tests.TestData;

namespace AuditGen.Tests;

/// <summary>
/// Hostile and careless input: each case gets a clear exception that names the field and the rule, and leaves
/// the log exactly as it was, whether it goes to the adapter directly or through the pipeline.
/// </summary>
public class BadInputTests
{
    private sealed class Custom;

    private enum Color { Red }

    public sealed record Case(string Name, Func<IActivityLogRepo, ValueTask> Act, Type Exception, string ParamName, params string[] MessageParts)
    {
        public override string ToString() => Name;
    }

    private static Func<IActivityLogRepo, ValueTask> Append(Func<ActivityRecord> create) =>
        async repo => await repo.AppendAsync(create());

    private static Func<IActivityLogRepo, ValueTask> Query(Func<ActivityQuery> create) =>
        async repo => await repo.QueryAsync(create());

    private static Func<IActivityLogRepo, ValueTask> QueryWithCursor(Func<string, ActivityQuery> create) =>
        async repo =>
        {
            ActivityPage first = await repo.QueryAsync(ActivityQuery.ByActor(Alice, limit: 1));
            await repo.QueryAsync(create(first.NextCursor!));
        };

    private static ActivityRecord WithAction(string action) => ActivityRecord.Create(Alice, Alice, action, TaskRef(1));

    private static ActivityRecord WithEntity(string type, string id) => ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef(type, id));

    private static ActivityRecord WithMetadata(string key, object? value) =>
        ActivityRecord.Create(Alice, Alice, "create_task", TaskRef(1), new Dictionary<string, object?> { [key] = value });

    private const string ActionRule = "1-100 characters of [a-z0-9_.:-]";

    private static readonly Case[] All =
    [
        new("action null", Append(() => WithAction(null!)), typeof(ArgumentNullException), "action", "Action", "required"),
        new("action empty", Append(() => WithAction("")), typeof(ArgumentException), "action", "Action", ActionRule, "0 characters"),
        new("action whitespace", Append(() => WithAction("   ")), typeof(ArgumentException), "action", "Action", ActionRule, "a space"),
        new("action inner space", Append(() => WithAction("create task")), typeof(ArgumentException), "action", "Action", "a space at index 6"),
        new("action LF", Append(() => WithAction("create_task\n")), typeof(ArgumentException), "action", "Action", "line feed"),
        new("action CRLF", Append(() => WithAction("create\r\ntask")), typeof(ArgumentException), "action", "Action", "carriage return"),
        new("action tab", Append(() => WithAction("create\ttask")), typeof(ArgumentException), "action", "Action", "tab"),
        new("action NUL", Append(() => WithAction("create\0task")), typeof(ArgumentException), "action", "Action", "U+0000"),
        new("action upper case", Append(() => WithAction("Create_Task")), typeof(ArgumentException), "action", "Action", "'C' at index 0"),
        new("action non-ascii", Append(() => WithAction("créer")), typeof(ArgumentException), "action", "Action", "'é'"),
        new("action 101 chars", Append(() => WithAction(new string('a', 101))), typeof(ArgumentException), "action", "Action", "101 characters"),
        new("entity type null", Append(() => WithEntity(null!, "1")), typeof(ArgumentNullException), "entityRef", "EntityRef.EntityType", "required"),
        new("entity type empty", Append(() => WithEntity("", "1")), typeof(ArgumentException), "entityRef", "EntityRef.EntityType", "1-100 characters"),
        new("entity type whitespace", Append(() => WithEntity("  ", "1")), typeof(ArgumentException), "entityRef", "EntityRef.EntityType", "blank"),
        new("entity type 101 chars", Append(() => WithEntity(new string('T', 101), "1")), typeof(ArgumentException), "entityRef", "EntityRef.EntityType", "1-100 characters"),
        new("entity type LF", Append(() => WithEntity("Task\n", "1")), typeof(ArgumentException), "entityRef", "EntityRef.EntityType", "control characters"),
        new("entity id null", Append(() => WithEntity("Task", null!)), typeof(ArgumentNullException), "entityRef", "EntityRef.EntityId", "required"),
        new("entity id empty", Append(() => WithEntity("Task", "")), typeof(ArgumentException), "entityRef", "EntityRef.EntityId", "1-200 characters"),
        new("entity id 201 chars", Append(() => WithEntity("Task", new string('1', 201))), typeof(ArgumentException), "entityRef", "EntityRef.EntityId", "1-200 characters"),
        new("entity id BEL", Append(() => WithEntity("Task", "1\u0007")), typeof(ArgumentException), "entityRef", "EntityRef.EntityId", "control characters", "U+0007"),
        new("entity default", Append(() => ActivityRecord.Create(Alice, Alice, "create_task", default)), typeof(ArgumentNullException), "entityRef", "EntityRef.EntityType"),
        new("actor empty", Append(() => ActivityRecord.Create(Guid.Empty, Alice, "create_task", TaskRef(1))), typeof(ArgumentException), "actorId", "ActorId", "Guid.Empty"),
        new("owner empty", Append(() => ActivityRecord.Create(Alice, Guid.Empty, "create_task", TaskRef(1))), typeof(ArgumentException), "ownerId", "OwnerId", "Guid.Empty"),
        new("metadata key empty", Append(() => WithMetadata("", 1)), typeof(ArgumentException), "metadata", "Metadata key", "1-100 characters"),
        new("metadata key 101 chars", Append(() => WithMetadata(new string('k', 101), 1)), typeof(ArgumentException), "metadata", "Metadata key", "1-100 characters"),
        new("metadata List<object>", Append(() => WithMetadata("items", new List<object> { 1 })), typeof(ArgumentException), "metadata", "'items'", "unsupported type", "List"),
        new("metadata custom class", Append(() => WithMetadata("x", new Custom())), typeof(ArgumentException), "metadata", "'x'", "unsupported type", "Custom"),
        new("metadata dictionary", Append(() => WithMetadata("x", new Dictionary<string, object>())), typeof(ArgumentException), "metadata", "'x'", "unsupported type"),
        new("metadata DateTime", Append(() => WithMetadata("at", DateTime.UtcNow)), typeof(ArgumentException), "metadata", "'at'", "DateTimeOffset"),
        new("metadata NaN", Append(() => WithMetadata("ratio", double.NaN)), typeof(ArgumentException), "metadata", "'ratio'", "finite"),
        new("metadata infinity", Append(() => WithMetadata("ratio", float.PositiveInfinity)), typeof(ArgumentException), "metadata", "'ratio'", "finite"),
        new("metadata nested array", Append(() => WithMetadata("grid", new object[] { new[] { 1 } })), typeof(ArgumentException), "metadata", "'grid'", "nested"),
        new("metadata 2-D array", Append(() => WithMetadata("grid", new int[1, 1])), typeof(ArgumentException), "metadata", "'grid'", "multi-dimensional"),
        new("metadata undefined enum", Append(() => WithMetadata("color", (Color)42)), typeof(ArgumentException), "metadata", "'color'", "no name"),
        new("trace id upper case", Append(() => WithAction("create_task") with { TraceId = "4BF92F3577B34DA6A3CE929D0E0E4736" }), typeof(ArgumentException), "TraceId", "TraceId", "32 lowercase hex", "'B' at index 1"),
        new("trace id short", Append(() => WithAction("create_task") with { TraceId = "4bf92f35" }), typeof(ArgumentException), "TraceId", "TraceId", "32 lowercase hex", "8 characters"),
        new("trace id all zeros", Append(() => WithAction("create_task") with { TraceId = new string('0', 32) }), typeof(ArgumentException), "TraceId", "TraceId", "all zeros"),
        new("trace id with dashes", Append(() => WithAction("create_task") with { TraceId = Guid.NewGuid().ToString() }), typeof(ArgumentException), "TraceId", "TraceId", "32 lowercase hex", "36 characters"),
        new("span id 32 chars", Append(() => WithAction("create_task") with { SpanId = "4bf92f3577b34da6a3ce929d0e0e4736" }), typeof(ArgumentException), "SpanId", "SpanId", "16 lowercase hex"),
        new("span id non-hex", Append(() => WithAction("create_task") with { SpanId = "00f067aa0ba902bz" }), typeof(ArgumentException), "SpanId", "SpanId", "'z' at index 15"),
        new("record null", async repo => await repo.AppendAsync(null!), typeof(ArgumentNullException), "record"),
        new("record without action", Append(() => new ActivityRecord { RecordId = Guid.NewGuid(), ActorId = Alice, OwnerId = Alice, EntityRef = TaskRef(1) }),
            typeof(ArgumentNullException), "record", "record.Action", "required"),
        new("record without id", Append(() => new ActivityRecord { ActorId = Alice, OwnerId = Alice, Action = "x", EntityRef = TaskRef(1) }),
            typeof(ArgumentException), "record", "record.RecordId", "ActivityRecord.Create"),
        new("record without actor", Append(() => new ActivityRecord { RecordId = Guid.NewGuid(), OwnerId = Alice, Action = "x", EntityRef = TaskRef(1) }),
            typeof(ArgumentException), "record", "record.ActorId", "Guid.Empty"),
        new("limit 0", Query(() => ActivityQuery.ByActor(Alice, 0)), typeof(ArgumentOutOfRangeException), "Limit", "between 1 and 1000"),
        new("limit -1", Query(() => ActivityQuery.ByActor(Alice, -1)), typeof(ArgumentOutOfRangeException), "Limit", "between 1 and 1000"),
        new("limit 1001", Query(() => ActivityQuery.ByActor(Alice, 1001)), typeof(ArgumentOutOfRangeException), "Limit", "between 1 and 1000"),
        new("query null", async repo => await repo.QueryAsync(null!), typeof(ArgumentNullException), "query"),
        new("query action invalid", Query(() => ActivityQuery.ByAction("Create Task")), typeof(ArgumentException), "Action", ActionRule),
        new("query actor empty", Query(() => ActivityQuery.ByActor(Guid.Empty)), typeof(ArgumentException), "ActorId", "Guid.Empty"),
        new("query entity invalid", Query(() => ActivityQuery.ByEntity(new EntityRef("Task", ""))), typeof(ArgumentException), "Entity", "Entity.EntityId"),
        new("since after until", Query(() => new ActivityQuery { Since = Start.AddDays(1), Until = Start }), typeof(ArgumentException), "Since", "must not be after Until"),
        new("cursor garbage", Query(() => new ActivityQuery { Cursor = "not a cursor!" }), typeof(ArgumentException), "Cursor", "malformed"),
        new("cursor empty", Query(() => new ActivityQuery { Cursor = "" }), typeof(ArgumentException), "Cursor", "malformed"),
        new("cursor short base64", Query(() => new ActivityQuery { Cursor = "AAAA" }), typeof(ArgumentException), "Cursor", "malformed"),
        new("cursor huge", Query(() => new ActivityQuery { Cursor = new string('A', 100_000) }), typeof(ArgumentException), "Cursor", "malformed"),
        new("cursor of another query", QueryWithCursor(c => ActivityQuery.ByOwner(Alice, 1) with { Cursor = c }), typeof(ArgumentException), "Cursor", "different query"),
        new("cursor of another order", QueryWithCursor(c => ActivityQuery.ByActor(Alice, 1) with { Cursor = c, Order = ActivityOrder.OldestFirst }), typeof(ArgumentException), "Cursor", "different query"),
        new("cursor tampered", QueryWithCursor(c => ActivityQuery.ByActor(Alice, 1) with { Cursor = Tamper(c) }), typeof(ArgumentException), "Cursor", "altered"),
    ];

    public static TheoryData<string> Cases => [.. All.Select(c => c.Name)];

    private static string Tamper(string cursor)
    {
        char[] chars = cursor.ToCharArray();
        chars[3] = chars[3] == 'A' ? 'B' : 'A'; // inside the sequence bytes
        return new string(chars);
    }

    [Fact]
    public void The_table_has_at_least_25_distinct_cases() => Assert.True(All.DistinctBy(c => c.Name).Count() is >= 25 and var n && n == All.Length);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_clear_error_and_leaves_the_log_unchanged(string name)
    {
        Case c = All.Single(x => x.Name == name);
        foreach (bool throughPipeline in new[] { false, true })
        {
            var store = new InMemoryActivityLogRepo();
            IActivityLogRepo repo = throughPipeline ? new ActivityLog(store) : store;
            for (int i = 0; i < 3; i++)
            {
                await repo.AppendAsync(Record(entity: TaskRef(i)));
            }

            ActivityRecord[] before = [.. store.Records];

            Exception ex = await Xunit.Record.ExceptionAsync(async () => await c.Act(repo));

            Assert.NotNull(ex);
            Assert.IsType(c.Exception, ex);
            Assert.Equal(c.ParamName, ((ArgumentException)ex).ParamName);
            foreach (string part in c.MessageParts)
            {
                Assert.Contains(part, ex.Message);
            }

            Assert.Equal(before, store.Records);
            Assert.Equal(before.Reverse(), (await repo.QueryAsync(new ActivityQuery())).Items);
        }
    }

    [Fact]
    public async Task Appending_the_same_record_twice_is_rejected_and_stores_it_once()
    {
        var store = new InMemoryActivityLogRepo();
        ActivityRecord record = Record();
        await store.AppendAsync(record);

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync(record));

        Assert.Equal("record", ex.ParamName);
        Assert.Contains("already in the log", ex.Message);
        Assert.Single(store.Records);
    }
}
