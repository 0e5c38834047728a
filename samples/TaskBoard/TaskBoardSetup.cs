using AuditGen.AspNetCore;
using AuditGen.Integrity;
using Microsoft.EntityFrameworkCore;

namespace TaskBoard;

/// <summary>The people of the sample. Their ids are fixed so that the demo's output and the dev sign-in line up.</summary>
public static class DevUsers
{
    public static readonly Guid Alice = Guid.Parse("00000000-0000-4000-8000-00000000a11c");
    public static readonly Guid Bob = Guid.Parse("00000000-0000-4000-8000-000000000b0b");
    public static readonly Guid Audrey = Guid.Parse("00000000-0000-4000-8000-0000000a0d17");
    public static readonly Guid Priya = Guid.Parse("00000000-0000-4000-8000-00000000971a");

    /// <summary>
    /// Name, id, and the audit API scopes the user holds: audrey the auditor reads the log (<c>audit:read</c>); priya, the
    /// privacy officer, also answers erasure requests (<c>audit:erase</c>).
    /// </summary>
    public static IReadOnlyList<(string Name, Guid Id, string[] Scopes)> All { get; } =
    [
        ("alice", Alice, []),
        ("bob", Bob, []),
        ("audrey", Audrey, [ActivityLogApiOptions.DefaultReadScope]),
        ("priya", Priya, [ActivityLogApiOptions.DefaultReadScope, ActivityLogApiOptions.DefaultErasePolicy]),
    ];

    public static string NameOf(Guid id) => All.FirstOrDefault(u => u.Id == id).Name ?? id.ToString();
}

/// <summary>What both modes share: the database of the tasks and their activity log, and the generated use-case registrations.</summary>
public static class TaskBoardSetup
{
    /// <summary>The SQLite file used unless <c>--db</c> or <c>--postgres</c> says otherwise.</summary>
    public const string DefaultDatabase = "taskboard.db";

    /// <summary>
    /// Registers the task board: its tasks and its activity log in one database, SQLite in <c>--db</c> (default
    /// <c>taskboard.db</c> in the current folder), or PostgreSQL when <c>--postgres "Host=…"</c> (or <c>TASKBOARD_POSTGRES</c>)
    /// gives a connection string. Each use case's change and its record commit in one transaction.
    /// </summary>
    public static IServiceCollection AddTaskBoard(this IServiceCollection services, IConfiguration configuration)
    {
        (string? postgres, string database) = Storage(configuration);
        TaskBoardCheckpoints checkpoints = TaskBoardCheckpoints.For(postgres is null ? database : ActivityCheckpointFiles.ForPostgreSql(postgres));
        return services
            .AddDbContext<TaskBoardDbContext>(db =>
            {
                if (postgres is not null)
                {
                    db.UseNpgsql(postgres);
                }
                else
                {
                    db.UseSqlite($"Data Source={database}");
                }
            })
            .AddSingleton(checkpoints)
            .AddActivityLog(log => log
                .UseEntityFrameworkCore<TaskBoardDbContext>()
                .UseTamperEvidence(o =>   // every record bound into signed checkpoints beside the database: auditgen verify
                {
                    o.Sink = new FileActivityCheckpointSink(checkpoints.Directory);
                    o.Key = checkpoints.Key;
                    if (Witness(configuration) is (string url, string key))
                    {
                        o.Witnesses.Add(url, key); // --witness URL --witness-key VKEY: each checkpoint is cosigned by an auditgen witness
                    }
                }))
            .AddScoped<EfTaskRepository>()
            .AddScoped<ITaskRepository>(static sp => sp.GetRequiredService<EfTaskRepository>())
            .AddScoped<ITaskQueries>(static sp => sp.GetRequiredService<EfTaskRepository>())
            .AddLoggedUseCases(ServiceLifetime.Scoped);   // generated: each use case under its interface, with its logging decorator
    }

    /// <summary>The verify command for this log, for people reading the output.</summary>
    public static string VerifyCommand(IConfiguration configuration) => (Storage(configuration) is (null, string database)
        ? $"dotnet run --project src/AuditGen.Tool -- verify --sqlite {database}"
        : "dotnet run --project src/AuditGen.Tool -- verify --postgres \"<connection string>\"") +
        (Witness(configuration) is (string url, string key) ? $" --witness-url {url} --witness-key \"{key}\"" : "");

    /// <summary>The witness of <c>--witness URL --witness-key VKEY</c>, or null; one without the other is an error naming the missing one.</summary>
    public static (string Url, string Key)? Witness(IConfiguration configuration)
    {
        string? url = configuration["witness"];
        string? key = configuration["witness-key"];
        if (url is null && key is null)
        {
            return null;
        }

        return url is null || key is null
            ? throw new ArgumentException(url is null ? "--witness-key needs --witness URL (the witness's address)." : "--witness needs --witness-key VKEY (the vkey: line the witness printed).",
                url is null ? "witness" : "witness-key")
            : (url, key);
    }

    /// <summary>Where the log lives, for people reading the output.</summary>
    public static string Describe(IConfiguration configuration) =>
        Storage(configuration) is (null, string database) ? $"SQLite file {Path.GetFullPath(database)}" : "PostgreSQL (--postgres)";

    /// <summary>A PostgreSQL connection string when one is given, else the SQLite file.</summary>
    private static (string? Postgres, string Database) Storage(IConfiguration configuration)
    {
        string? postgres = configuration["postgres"] ?? Environment.GetEnvironmentVariable("TASKBOARD_POSTGRES");
        return (string.IsNullOrWhiteSpace(postgres) ? null : postgres, configuration["db"] ?? DefaultDatabase);
    }
}

/// <summary>
/// The log's checkpoints and their development signing key, beside the database (ActivityCheckpointFiles): created on first
/// run, and said so. A production application loads its key from a secret store instead.
/// </summary>
public sealed record TaskBoardCheckpoints(string Directory, string KeyFile, ActivityCheckpointKey Key, bool KeyCreated)
{
    public static TaskBoardCheckpoints For(string basePath)
    {
        string keyFile = ActivityCheckpointFiles.SigningKey(basePath);
        (ActivityCheckpointKey key, bool created) = ActivityCheckpointKey.LoadOrCreate(keyFile, "taskboard-development");
        return new TaskBoardCheckpoints(ActivityCheckpointFiles.Checkpoints(basePath), keyFile, key, created);
    }

    /// <summary>What a person should know about the key, when it was just created.</summary>
    public string? Announcement => KeyCreated
        ? $"Created a development key that signs the log's checkpoints: {KeyFile} (private; its public half beside it). Checkpoints go to {Directory}."
        : null;
}
