using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore.Tests;

public sealed record RenameNoteInput([property: ActivityMetadata] string Text);

/// <summary>An API controller written as controllers are written, logged by the attribute alone.</summary>
[ApiController]
[Route("api/notes")]
public sealed class NotesController(NoteStore store, IActorAccessor actors) : ControllerBase
{
    [HttpPost]
    [LogsActivity("create_note", EntityType = "Note")]
    public async Task<ActionResult<Note>> Create(CreateNoteInput input, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var note = new Note(Guid.CreateVersion7(), actors.CurrentActorId!.Value, input.Text);
        store.Notes[note.Id] = note;
        return CreatedAtAction(nameof(Get), new { id = note.Id }, note);
    }

    [HttpGet("{id:guid}")]
    public ActionResult<Note> Get(Guid id) => store.Notes.TryGetValue(id, out Note? note) ? note : NotFound();

    [HttpPut("{id:guid}")]
    [LogsActivity("rename_note", EntityType = "Note")]
    public ActionResult<Note> Rename(Guid id, RenameNoteInput input)
    {
        if (!store.Notes.TryGetValue(id, out Note? note))
        {
            return NotFound();
        }

        store.Notes[id] = note = note with { Text = input.Text };
        return note;
    }
}

/// <summary>
/// Logged controller actions on a real Kestrel host: <c>AddLoggedUseCases()</c> registers the convention that attaches the
/// generated filters, so a success records, and NotFound or a body that does not bind records nothing.
/// </summary>
public sealed class ControllerLoggingTests
{
    private static Task<ApiHost> StartAsync() => ApiHost.StartAsync(
        services =>
        {
            services.AddSingleton<NoteStore>();
            services.AddControllers().AddApplicationPart(typeof(NotesController).Assembly);
            services.AddLoggedUseCases(); // generated: also attaches the filters of the logged actions
        },
        configureApp: app => app.MapControllers().RequireAuthorization());

    [Fact]
    public async Task CreatedAtAction_records_the_created_value_and_the_signed_in_user()
    {
        await using ApiHost host = await StartAsync();

        using HttpResponseMessage response = await host.SendAsync(HttpMethod.Post, "/api/notes", ApiHost.Token(ApiFixture.Alice), JsonContent.Create(new CreateNoteInput("hello")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Note note = (await response.Content.ReadFromJsonAsync<Note>())!;
        ActivityRecord record = Assert.Single(await MinimalApiLoggingTests.RecordsAsync(host));
        Assert.Equal(("create_note", ApiFixture.Alice, ApiFixture.Alice, new EntityRef("Note", note.Id)), (record.Action, record.ActorId, record.OwnerId, record.EntityRef));
        Assert.Equal("hello", record.Metadata["text"]);
    }

    [Fact]
    public async Task ActionResult_of_T_records_its_value_and_NotFound_records_nothing()
    {
        await using ApiHost host = await StartAsync();
        using HttpResponseMessage created = await host.SendAsync(HttpMethod.Post, "/api/notes", ApiHost.Token(ApiFixture.Alice), JsonContent.Create(new CreateNoteInput("draft")));
        Note note = (await created.Content.ReadFromJsonAsync<Note>())!;

        using (HttpResponseMessage missing = await host.SendAsync(HttpMethod.Put, $"/api/notes/{Guid.NewGuid()}", ApiHost.Token(ApiFixture.Bob), JsonContent.Create(new RenameNoteInput("x"))))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (HttpResponseMessage renamed = await host.SendAsync(HttpMethod.Put, $"/api/notes/{note.Id}", ApiHost.Token(ApiFixture.Bob), JsonContent.Create(new RenameNoteInput("final"))))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        IReadOnlyList<ActivityRecord> records = await MinimalApiLoggingTests.RecordsAsync(host);
        Assert.Equal(["create_note", "rename_note"], records.Select(r => r.Action));
        Assert.Equal((ApiFixture.Bob, ApiFixture.Alice, new EntityRef("Note", note.Id), "final"),
            (records[1].ActorId, records[1].OwnerId, records[1].EntityRef, records[1].Metadata["text"]));
    }

    [Fact]
    public async Task A_body_that_fails_model_binding_records_nothing()
    {
        await using ApiHost host = await StartAsync();

        using HttpResponseMessage response = await host.SendAsync(HttpMethod.Post, "/api/notes", ApiHost.Token(ApiFixture.Alice),
            new StringContent("""{ "text": 42 }""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await MinimalApiLoggingTests.RecordsAsync(host));
    }
}
