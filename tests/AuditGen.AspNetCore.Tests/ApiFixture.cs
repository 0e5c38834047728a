using System.Text.Json;

namespace AuditGen.AspNetCore.Tests;

/// <summary>One host for the read-only API tests, seeded with three users' data; the expected answers come from <see cref="Records"/>.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public static readonly Guid Alice = Guid.Parse("00000000-0000-4000-8000-00000000a11c");
    public static readonly Guid Bob = Guid.Parse("00000000-0000-4000-8000-000000000b0b");
    public static readonly Guid Carol = Guid.Parse("00000000-0000-4000-8000-00000000ca01");
    public static readonly EntityRef Shared = new("Task", Guid.Parse("00000000-0000-4000-8000-0000000005ad"));
    public static readonly DateTimeOffset Start = new(2024, 1, 15, 9, 0, 0, TimeSpan.Zero);

    public ApiHost Host { get; private set; } = null!;

    /// <summary>Everything appended, in append order.</summary>
    public List<ActivityRecord> Records { get; } = [];

    public string AliceToken { get; } = ApiHost.Token(Alice);

    public string BobToken { get; } = ApiHost.Token(Bob);

    /// <summary>An auditor: holds the audit:read scope.</summary>
    public string CarolToken { get; } = ApiHost.Token(Carol, "openid", "audit:read");

    public async Task InitializeAsync()
    {
        Host = await ApiHost.StartAsync(services => LoggedUseCaseRegistration.AddActions(services,
        [
            new ActivityActionInfo("update_task", "Task", "TaskBoard.UpdateTaskUseCase", "ExecuteAsync"),
            new ActivityActionInfo("create_task", "Task", "TaskBoard.CreateTaskUseCase", "ExecuteAsync"),
            new ActivityActionInfo("create_task", "Task", "Other.CreateTaskUseCase", "ExecuteAsync"),
        ]));

        string[] actions = ["create_task", "update_task", "complete_task"];
        int minute = 0;
        for (int i = 0; i < 95; i++)
        {
            // Alice's data; every fifth change by Bob.
            var entity = new EntityRef("Task", $"alice-{i % 3}");
            await AppendAsync(i % 5 == 4 ? Bob : Alice, Alice, actions[i % 3], entity, minute++, new Dictionary<string, object?> { ["n"] = i, ["title"] = $"Task {i}" });
        }

        for (int i = 0; i < 20; i++)
        {
            await AppendAsync(i % 10 == 9 ? Alice : Bob, Bob, actions[i % 3], new EntityRef("Task", "bob-0"), minute++, null);
        }

        // One entity with records of two owners (handed over): each owner sees only their part without the read policy.
        for (int i = 0; i < 5; i++)
        {
            await AppendAsync(Alice, i < 3 ? Alice : Bob, i < 3 ? "update_task" : "transfer_task", Shared, minute++,
                new Dictionary<string, object?> { ["tags"] = new object?[] { "a", 1L, true, null }, ["at"] = Start, ["ok"] = false });
        }
    }

    private async Task AppendAsync(Guid actor, Guid owner, string action, EntityRef entity, int minute, Dictionary<string, object?>? metadata)
    {
        ActivityRecord record = ActivityRecord.Create(actor, owner, action, entity, metadata, Start.AddMinutes(minute));
        AppendResult result = await Host.Log.AppendAsync(record);
        Records.Add(result.Record ?? throw new InvalidOperationException("vetoed"));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>GETs and parses a JSON answer, asserting the status.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, string? token, int expectedStatus = 200)
    {
        using HttpResponseMessage response = await Host.GetAsync(path, token);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"GET {path}: expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Follows nextCursor to the last page, returning every item's id in order.</summary>
    public async Task<List<Guid>> GetAllIdsAsync(string path, string token, int limit)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        int pages = 0;
        do
        {
            string separator = path.Contains('?') ? "&" : "?";
            string url = $"{path}{separator}limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            JsonElement page = await GetJsonAsync(url, token);
            JsonElement items = page.GetProperty("items");
            Assert.True(items.GetArrayLength() <= limit);
            ids.AddRange(items.EnumerateArray().Select(item => item.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
            Assert.True(++pages <= Records.Count + 1, "paging did not end");
        }
        while (cursor is not null);

        return ids;
    }
}
