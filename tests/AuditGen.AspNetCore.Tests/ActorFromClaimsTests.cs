using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore.Tests;

public sealed record Comment(Guid Id, Guid OwnerId, string Text);

public interface IAddCommentUseCase
{
    Task<Comment> ExecuteAsync(Guid ownerId, string text, CancellationToken cancellationToken = default);
}

/// <summary>No actor parameter: the generated code asks <see cref="IActorAccessor"/>, here <see cref="ClaimsActorAccessor"/>.</summary>
public sealed partial class AddCommentUseCase(IActivityLogRepo log, IActorAccessor actors) : IAddCommentUseCase
{
    [LogsActivity("add_comment", EntityType = "Comment")]
    public Task<Comment> ExecuteAsync([Owner] Guid ownerId, string text, CancellationToken cancellationToken = default) =>
        Task.FromResult(new Comment(Guid.CreateVersion7(), ownerId, text));
}

public sealed class ActorFromClaimsTests
{
    private static Task<ApiHost> StartAsync() => ApiHost.StartAsync(
        services => services.AddLoggedUseCases(),   // generated: AddCommentUseCase under IAddCommentUseCase, decorated
        configureApp: app =>
        {
            app.MapPost("/comments/{ownerId:guid}", (Guid ownerId, IAddCommentUseCase add) => add.ExecuteAsync(ownerId, "hello")).RequireAuthorization();
            app.MapPost("/anonymous/comments/{ownerId:guid}", async (Guid ownerId, IAddCommentUseCase add) =>
            {
                try
                {
                    await add.ExecuteAsync(ownerId, "hello");
                    return Results.Ok();
                }
                catch (InvalidOperationException ex)
                {
                    return Results.Text(ex.Message, statusCode: StatusCodes.Status409Conflict);
                }
            });
        });

    [Fact]
    public async Task A_logged_use_case_records_the_signed_in_user_as_its_actor()
    {
        await using ApiHost host = await StartAsync();
        Guid alice = ApiFixture.Alice, bob = ApiFixture.Bob;

        using HttpResponseMessage response = await host.SendAsync(HttpMethod.Post, $"/comments/{bob}", ApiHost.Token(alice));
        response.EnsureSuccessStatusCode();
        Comment comment = (await response.Content.ReadFromJsonAsync<Comment>())!;

        ActivityRecord record = Assert.Single((await host.Log.QueryAsync(new ActivityQuery())).Items);
        Assert.Equal(("add_comment", alice, bob, new EntityRef("Comment", comment.Id)), (record.Action, record.ActorId, record.OwnerId, record.EntityRef));
    }

    [Fact]
    public async Task Without_a_signed_in_user_the_use_case_throws_and_records_nothing()
    {
        await using ApiHost host = await StartAsync();

        using HttpResponseMessage response = await host.SendAsync(HttpMethod.Post, $"/anonymous/comments/{ApiFixture.Bob}", token: null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("IActorAccessor", await response.Content.ReadAsStringAsync());
        Assert.Empty((await host.Log.QueryAsync(new ActivityQuery())).Items);
    }
}
