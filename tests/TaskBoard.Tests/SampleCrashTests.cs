using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using AuditGen;
using AuditGen.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace TaskBoard.Tests;

/// <summary>
/// The sample's server, a real child process, killed with SIGKILL under load five times and started again on the same
/// database: afterwards its tasks and their histories agree exactly.
/// </summary>
public sealed class SampleCrashTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("taskboard-crash-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<(Process Server, Uri Address)> StartAsync()
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        string sample = Path.Combine(AppContext.BaseDirectory, "TaskBoard.dll");
        var start = new ProcessStartInfo("dotnet", [sample, "serve", "--urls", address.ToString().TrimEnd('/'), "--db", Path.Combine(_directory, "taskboard.db")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = address };
        for (int i = 0; i < 200; i++)
        {
            try
            {
                using HttpResponseMessage response = await probe.GetAsync("/dev/sign-in");
                if (response.IsSuccessStatusCode)
                {
                    return (server, address);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        server.Kill(entireProcessTree: true);
        throw new TimeoutException("the sample did not start within 20 s");
    }

    [Fact]
    public async Task After_SIGKILL_under_load_and_a_restart_tasks_and_histories_agree_exactly()
    {
        var acknowledged = new HashSet<Guid>();
        var random = new Random(20261130);
        for (int run = 0; run < 5; run++)
        {
            (Process server, Uri address) = await StartAsync();
            using (server)
            {
                var cookies = new CookieContainer();
                using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = address };
                (await client.GetAsync("/dev/sign-in?user=alice")).Dispose();

                int killAfter = random.Next(30, 150), created = 0;
                using var stop = new CancellationTokenSource();
                Task[] writers = [.. Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
                {
                    for (int n = 0; !stop.IsCancellationRequested; n++)
                    {
                        try
                        {
                            using HttpResponseMessage response = await client.PostAsJsonAsync("/tasks", new { title = $"crash {run}-{w}-{n}" }, stop.Token);
                            if (response.StatusCode == HttpStatusCode.Created)
                            {
                                JsonElement task = await response.Content.ReadFromJsonAsync<JsonElement>(stop.Token);
                                lock (acknowledged)
                                {
                                    acknowledged.Add(task.GetProperty("id").GetGuid());
                                }

                                if (Interlocked.Increment(ref created) == killAfter)
                                {
                                    server.Kill(entireProcessTree: true); // SIGKILL, with requests in flight
                                    await stop.CancelAsync();
                                }
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                        {
                            return; // the server is gone
                        }
                    }
                }))];
                await Task.WhenAll(writers);
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }

        var options = new DbContextOptionsBuilder<TaskBoardDbContext>().UseSqlite($"Data Source={Path.Combine(_directory, "taskboard.db")}").Options;
        await using var db = new TaskBoardDbContext(options);
        List<Guid> tasks = await db.Tasks.AsNoTracking().Select(t => t.Id).ToListAsync();
        var histories = new List<Guid>();
        await foreach (ActivityRecord record in new DbContextActivityLogRepo<TaskBoardDbContext>(db).StreamAsync(ActivityQuery.ByAction("create_task", ActivityQuery.MaxLimit)))
        {
            histories.Add(Guid.Parse(record.EntityRef.EntityId));
        }

        Assert.True(acknowledged.Count >= 5 * 30, $"only {acknowledged.Count} tasks were acknowledged");
        Assert.Superset(acknowledged, tasks.ToHashSet());                 // every acknowledged task survived
        Assert.Equal(tasks.Order(), histories.Order());                   // and tasks and histories agree exactly
    }
}
