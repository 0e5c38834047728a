using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore.Tests;

public sealed record Note(Guid Id, Guid OwnerId, string Text);

public sealed record CreateNoteInput([property: ActivityMetadata] string Text);

/// <summary>The notes the endpoints change: what an application's DbContext would be.</summary>
public sealed class NoteStore
{
    public ConcurrentDictionary<Guid, Note> Notes { get; } = new();
}

/// <summary>Minimal-API endpoints written as they are written, logged by the attribute alone.</summary>
public static class NoteEndpoints
{
    public static RouteGroupBuilder MapNotes(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/notes").RequireAuthorization();

        // A lambda: the entity comes from TypedResults.Created's value, the actor from the signed-in user.
        group.MapPost("/", [LogsActivity("create_note", EntityType = "Note")] (CreateNoteInput input, NoteStore store, IActorAccessor actors) =>
        {
            var note = new Note(Guid.CreateVersion7(), actors.CurrentActorId!.Value, input.Text);
            store.Notes[note.Id] = note;
            return TypedResults.Created($"/notes/{note.Id}", note);
        });

        // Method groups: [AsParameters] with Results<…> (success and NotFound), and a synchronous delete by route id.
        group.MapPut("/{id:guid}", EditAsync);
        group.MapDelete("/{id:guid}", Delete);
        return group;
    }

    [LogsActivity("edit_note", EntityType = "Note")]
    public static async Task<Results<Ok<Note>, NotFound>> EditAsync([AsParameters] EditNoteBinding binding, NoteStore store)
    {
        await Task.Yield();
        if (!store.Notes.TryGetValue(binding.Id, out Note? note))
        {
            return TypedResults.NotFound();
        }

        store.Notes[note.Id] = note = note with { Text = binding.Body.Text };
        return TypedResults.Ok(note);
    }

    [LogsActivity("delete_note", EntityType = "Note")]
    public static Results<NoContent, NotFound, ProblemHttpResult> Delete(Guid id, NoteStore store) =>
        store.Notes.TryRemove(id, out _) ? TypedResults.NoContent() : TypedResults.NotFound();
}

/// <summary>What <c>[AsParameters]</c> binds: the route id and the JSON body.</summary>
public sealed class EditNoteBinding
{
    public Guid Id { get; init; }

    [Microsoft.AspNetCore.Mvc.FromBody]
    public required EditNoteBody Body { get; init; }
}

public sealed record EditNoteBody(string Text);

/// <summary>
/// Logged minimal-API handlers on a real Kestrel host: the generator intercepts the <c>Map*</c> calls and attaches its
/// endpoint filter, so a success records, and a failure (NotFound, a body that does not bind) records nothing.
/// </summary>
public sealed class MinimalApiLoggingTests
{
    private static Task<ApiHost> StartAsync(Action<IServiceCollection>? services = null) => ApiHost.StartAsync(
        s =>
        {
            s.AddSingleton<NoteStore>();
            services?.Invoke(s);
        },
        configureApp: app => app.MapNotes());

    /// <summary>The records, oldest first (queries return the newest first).</summary>
    internal static async Task<IReadOnlyList<ActivityRecord>> RecordsAsync(ApiHost host) =>
        (await host.Log.QueryAsync(new ActivityQuery())).Items.Reverse().ToList();

    private static async Task<Note> CreateAsync(ApiHost host, Guid actor, string text)
    {
        using HttpResponseMessage response = await host.SendAsync(HttpMethod.Post, "/notes/", ApiHost.Token(actor), JsonContent.Create(new CreateNoteInput(text)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Note>())!;
    }

    [Fact]
    public async Task A_lambda_on_a_route_group_records_the_created_value_and_the_signed_in_user()
    {
        await using ApiHost host = await StartAsync();

        Note note = await CreateAsync(host, ApiFixture.Alice, "hello");

        ActivityRecord record = Assert.Single(await RecordsAsync(host));
        Assert.Equal(("create_note", ApiFixture.Alice, ApiFixture.Alice, new EntityRef("Note", note.Id)), (record.Action, record.ActorId, record.OwnerId, record.EntityRef));
        Assert.Equal("hello", record.Metadata["text"]);
    }

    [Fact]
    public async Task A_method_group_with_AsParameters_records_its_Ok_value_and_a_NotFound_records_nothing()
    {
        await using ApiHost host = await StartAsync();
        Note note = await CreateAsync(host, ApiFixture.Alice, "draft");

        using (HttpResponseMessage missing = await host.SendAsync(HttpMethod.Put, $"/notes/{Guid.NewGuid()}", ApiHost.Token(ApiFixture.Bob), JsonContent.Create(new EditNoteBody("x"))))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (HttpResponseMessage edited = await host.SendAsync(HttpMethod.Put, $"/notes/{note.Id}", ApiHost.Token(ApiFixture.Bob), JsonContent.Create(new EditNoteBody("final"))))
        {
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        }

        IReadOnlyList<ActivityRecord> records = await RecordsAsync(host);
        Assert.Equal(["create_note", "edit_note"], records.Select(r => r.Action));
        ActivityRecord edit = records[1];
        Assert.Equal((ApiFixture.Bob, ApiFixture.Alice, new EntityRef("Note", note.Id)), (edit.ActorId, edit.OwnerId, edit.EntityRef));
        Assert.Equal("final", host.Services.GetRequiredService<NoteStore>().Notes[note.Id].Text);
    }

    [Fact]
    public async Task A_synchronous_handler_records_its_route_id_and_a_failure_result_records_nothing()
    {
        await using ApiHost host = await StartAsync();
        Note note = await CreateAsync(host, ApiFixture.Alice, "to delete");

        using (HttpResponseMessage deleted = await host.SendAsync(HttpMethod.Delete, $"/notes/{note.Id}", ApiHost.Token(ApiFixture.Alice)))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (HttpResponseMessage again = await host.SendAsync(HttpMethod.Delete, $"/notes/{note.Id}", ApiHost.Token(ApiFixture.Alice)))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        IReadOnlyList<ActivityRecord> records = await RecordsAsync(host);
        Assert.Equal(["create_note", "delete_note"], records.Select(r => r.Action));
        Assert.Equal(new EntityRef("Note", note.Id), records[1].EntityRef);
    }

    [Fact]
    public async Task A_body_that_does_not_bind_is_a_400_and_records_nothing()
    {
        await using ApiHost host = await StartAsync();

        using HttpResponseMessage response = await host.SendAsync(HttpMethod.Post, "/notes/", ApiHost.Token(ApiFixture.Alice),
            new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await RecordsAsync(host));
        Assert.Empty(host.Services.GetRequiredService<NoteStore>().Notes);
    }

    [Fact]
    public async Task A_client_that_disconnects_after_the_handler_returned_still_gets_its_record()
    {
        var hook = new DisconnectingHook();
        await using ApiHost host = await StartAsync(s => s.AddSingleton<IBeforeAppendHook>(hook));
        using var client = new CancellationTokenSource();

        var request = new HttpRequestMessage(HttpMethod.Post, "/notes/") { Content = JsonContent.Create(new CreateNoteInput("racing")) };
        request.Headers.Authorization = new("Bearer", ApiHost.Token(ApiFixture.Alice));
        Task<HttpResponseMessage> sending = host.Client.SendAsync(request, client.Token);

        // The handler returned and the record is being written: now the client goes away.
        (CancellationToken appendToken, CancellationToken requestAborted) = await hook.Entered.Task.WaitAsync(TimeSpan.FromMinutes(1));
        client.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        await Task.Delay(Timeout.Infinite, requestAborted).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.False(appendToken.IsCancellationRequested);
        hook.Release.SetResult();

        ActivityRecord record = await WaitForRecordAsync(host, "create_note");
        Assert.Equal(ApiFixture.Alice, record.ActorId);
        Assert.Single(host.Services.GetRequiredService<NoteStore>().Notes);
    }

    private static async Task<ActivityRecord> WaitForRecordAsync(ApiHost host, string action)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            if ((await RecordsAsync(host)).FirstOrDefault(r => r.Action == action) is { } record)
            {
                return record;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Holds the append until the test has disconnected the client and the server has seen it.</summary>
    private sealed class DisconnectingHook : IBeforeAppendHook
    {
        public TaskCompletionSource<(CancellationToken Append, CancellationToken RequestAborted)> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken)
        {
            CancellationToken aborted = Accessor.HttpContext?.RequestAborted ?? CancellationToken.None;
            Entered.TrySetResult((cancellationToken, aborted));
            await Release.Task;
            return BeforeAppendDecision.Continue;
        }

        private static readonly HttpContextAccessor Accessor = new();
    }
}
