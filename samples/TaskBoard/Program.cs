using TaskBoard;

// dotnet run --project samples/TaskBoard              a scripted demo that prints the seed's three views, then exits
// dotnet run --project samples/TaskBoard -- serve     the task endpoints, /v1/audit and a page on http://127.0.0.1:5080
// Options: --db <file> (SQLite, default taskboard.db), --postgres "<connection string>" (or TASKBOARD_POSTGRES), --urls <url>,
// --witness <url> --witness-key <vkey> (an auditgen witness cosigns the checkpoints; both modes).
if (args is ["serve", .. var rest])
{
    await using var app = TaskBoardServer.Build(rest);
    await app.RunAsync();
}
else
{
    IConfiguration configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
    await Demo.RunAsync(configuration, Console.Out);
}
