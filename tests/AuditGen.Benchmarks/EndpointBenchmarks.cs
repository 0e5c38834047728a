using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuditGen.Benchmarks;

public sealed record BenchItem(Guid Id, Guid OwnerId);

/// <summary>
/// A logged minimal-API endpoint (<c>[LogsActivity]</c> on the handler: the generated, intercepted endpoint filter) against
/// the same endpoint with a hand-written filter doing the same append, on one Kestrel host on 127.0.0.1, called with one
/// HttpClient. Same handler, same in-memory pipeline, same record.
/// </summary>
/// <remarks>Run in process (the job comes from the command line: docs/benchmarks.md).</remarks>
[MemoryDiagnoser]
public class LoggedEndpointBenchmarks
{
    private static readonly Guid Actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private readonly Guid _id = Guid.Parse("0b0e4c1e-0000-4000-8000-0000000000e1");

    private sealed class FixedActor : IActorAccessor
    {
        public Guid? CurrentActorId => Actor;
    }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddActivityLog(log => log.UseStore(new DiscardingStore()));
        builder.Services.AddSingleton<IActorAccessor, FixedActor>();
        _app = builder.Build();
        _app.MapPost("/logged/{id:guid}", [LogsActivity("touch_item", EntityType = "Item")] (Guid id) => TypedResults.Ok(new BenchItem(id, Actor)));
        _app.MapPost("/handwritten/{id:guid}", (Guid id) => TypedResults.Ok(new BenchItem(id, Actor))).AddEndpointFilter(new HandWrittenFilter());
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "hand-written endpoint filter")]
    public async Task HandWritten()
    {
        using HttpResponseMessage response = await _client.PostAsync($"/handwritten/{_id}", null);
        response.EnsureSuccessStatusCode();
    }

    [Benchmark(Description = "[LogsActivity] (generated filter)")]
    public async Task Logged()
    {
        using HttpResponseMessage response = await _client.PostAsync($"/logged/{_id}", null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>What an application would write by hand for the same record: actor, unit of work, handler, append.</summary>
    private sealed class HandWrittenFilter : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            IServiceProvider services = context.HttpContext.RequestServices;
            Guid actor = services.GetService<IActorAccessor>()?.CurrentActorId ?? throw new InvalidOperationException("No actor.");
            await using ActivityTransaction transaction = await ActivityTransaction.BeginAsync(services.GetRequiredService<IActivityLogRepo>(), context.HttpContext.RequestAborted);
            object? result = await next(context);
            if (context.HttpContext.Response.StatusCode >= 400 || result is not Ok<BenchItem> { Value: { } item })
            {
                return result;
            }

            await transaction.CompleteAsync(ActivityRecord.Create(actor, item.OwnerId, "touch_item", new EntityRef("Item", item.Id)));
            return result;
        }
    }

    /// <summary>A store that keeps nothing, so millions of calls do not grow memory; both endpoints append to it alike.</summary>
    private sealed class DiscardingStore : IActivityLogRepo
    {
        private long _sequence;

        public ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(AppendResult.Appended(record.WithSequence(Interlocked.Increment(ref _sequence))));

        public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ActivityPage.Empty);
    }
}
