using System.Net;
using System.Net.Sockets;
using System.Text;
using AuditGen;
using AuditGen.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace TaskBoard.Tests;

/// <summary>
/// Clients that reset the connection at the worst moment cannot make unaudited changes: after hundreds of
/// <c>POST /tasks</c> aborted mid-request, every task has exactly its record and no record lacks its task.
/// </summary>
public sealed class DisconnectTests
{
    [Fact]
    public async Task Clients_that_reset_the_connection_mid_request_leave_every_task_with_exactly_its_record()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        string cookie = await server.SignInCookieAsync("alice");
        Assert.Contains("taskboard.dev=", cookie);

        const int Requests = 600;
        var random = new Random(20261130);
        int[] delays = [.. Enumerable.Range(0, Requests).Select(_ => random.Next(0, 21))];
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, cancellationToken) =>
        {
            string body = $"{{\"title\":\"disconnect {i}\"}}";
            string request =
                $"POST /tasks HTTP/1.1\r\nHost: {server.Address.Authority}\r\nCookie: {cookie}\r\nContent-Type: application/json\r\n" +
                $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Address.Port));
            await socket.SendAsync(Encoding.UTF8.GetBytes(request));
            if (delays[i] > 0)
            {
                await Task.Delay(delays[i], cancellationToken);
            }

            socket.LingerState = new LingerOption(true, 0); // close with RST: the request is aborted
            socket.Close();
        });

        // A request still running when its client vanished completes (or rolls back) before the server stops.
        await server.StopAsync();

        var options = new DbContextOptionsBuilder<TaskBoardDbContext>().UseSqlite($"Data Source={server.DatabasePath}").Options;
        await using var db = new TaskBoardDbContext(options);
        List<Guid> tasks = await db.Tasks.AsNoTracking().Select(t => t.Id).ToListAsync();
        var records = new List<ActivityRecord>();
        await foreach (ActivityRecord record in new DbContextActivityLogRepo<TaskBoardDbContext>(db).StreamAsync(ActivityQuery.ByAction("create_task", ActivityQuery.MaxLimit)))
        {
            records.Add(record);
        }

        Assert.NotEmpty(tasks); // some requests got far enough to change something
        Assert.True(tasks.Count < Requests, "no request was aborted before its change; the test proves nothing");
        Console.WriteLine($"{Requests} aborted requests: {tasks.Count} tasks, {records.Count} create_task records");
        Assert.Equal(tasks.Order(), records.Select(r => Guid.Parse(r.EntityRef.EntityId)).Order());
    }
}
