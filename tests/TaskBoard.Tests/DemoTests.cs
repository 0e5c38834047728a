using Microsoft.Extensions.Configuration;
namespace TaskBoard.Tests;

public sealed class DemoTests
{
    [Fact]
    public async Task Demo_prints_the_three_views_and_its_log_survives_a_second_run()
    {
        string directory = Directory.CreateTempSubdirectory("taskboard-demo-").FullName;
        try
        {
            var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
                .AddCommandLine(["--db", Path.Combine(directory, "demo.db")]).Build();

            var first = new StringWriter();
            await Demo.RunAsync(configuration, first);

            // Titles are personal data of their owner: the log holds none in clear (the app's own table does, as it should).
            string database = Path.Combine(directory, "demo.db");
            Assert.Equal(0L, await CountLogRowsHoldingAsync(database, "Write the docs"));
            Assert.Equal(0L, await CountLogRowsHoldingAsync(database, "Water the plants"));

            // Alice asks to be forgotten: `auditgen erase` deletes her key and records it; every record stays.
            (int exit, string erased, string error) = await Auditgen.RunAsync(
                "erase", "--sqlite", database, "--subject", DevUsers.Alice.ToString(), "--reason", "GDPR article 17 request");
            Assert.True(exit == 0, erased + error);

            var second = new StringWriter();
            await Demo.RunAsync(configuration, second);

            string output = first.ToString();
            Assert.Contains("(0 records by bob before this run)", output);
            // Each step with what it changed, as captured from the EF Core save inside the use case.
            Assert.Matches(@"History of Task#[0-9a-f-]{36} \(oldest first\):\r?\n.*create_task +by alice\r?\n(?:      .*\r?\n)*      Title: ""Write the docs""\r?\n" +
                @".*update_task +by alice\r?\n      Title: ""Write the docs"" → ""Write the README""\r?\n.*complete_task +by bob\r?\n      Done: false → true", output);
            Assert.Contains("title=Write the README", output);
            Assert.Matches(@"Actions by bob .*\r?\n  complete_task  1\r?\n  create_task    1\r?\n  delete_task    1", output);

            // The second run reads alice's earlier titles as erased; her new ones (under a new key) and bob's read as before.
            Assert.Contains("title=erased", second.ToString());
            Assert.Contains("title=Write the README", second.ToString());
            Assert.Matches(@"update_task +by alice\r?\n      Title: ""Write the docs"" → ""Write the README""", second.ToString());

            // The log is durable: the second run starts from the first run's records.
            Assert.Contains("(3 records by bob before this run)", second.ToString());
            Assert.Matches(@"  complete_task  2\r?\n  create_task    2\r?\n  delete_task    2", second.ToString());

            // Tamper-evident: the first run creates the development key and says so, each run signs a checkpoint beside the
            // database, and the log verifies against them with the key's public half.
            Assert.Contains($"Created a development key that signs the log's checkpoints: {AuditGen.Integrity.ActivityCheckpointFiles.SigningKey(database)}", output);
            Assert.DoesNotContain("Created a development key", second.ToString());
            Assert.Contains("Checkpoint: 7 records signed", output);
            Assert.Contains("Checkpoint: 15 records signed", second.ToString()); // with the erasure's record
            AuditGen.Integrity.ActivityLogVerification verified = await AuditGen.Integrity.ActivityLogVerifier.VerifyAsync(
                new AuditGen.Sqlite.SqliteActivityLogRepo($"Data Source={database}"),
                new AuditGen.Integrity.FileActivityCheckpointSink(AuditGen.Integrity.ActivityCheckpointFiles.Checkpoints(database)),
                [AuditGen.Integrity.ActivityCheckpointKey.FromJson(File.ReadAllText(AuditGen.Integrity.ActivityCheckpointFiles.PublicKey(database)))]);
            Assert.True(verified.IsIntact, verified.Problem); // erasure left every record verifiable
            Assert.Equal(15, verified.RecordsVerified);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>How many of the log's records hold <paramref name="text"/> anywhere in their metadata or changes.</summary>
    private static async Task<long> CountLogRowsHoldingAsync(string database, string text)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using Microsoft.Data.Sqlite.SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM activity_records WHERE instr(metadata, $text) > 0 OR instr(coalesce(changes, ''), $text) > 0";
        command.Parameters.AddWithValue("$text", text);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>Runs the built <c>auditgen</c> tool as a child process, as a person would after the demo.</summary>
internal static class Auditgen
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        // tests/TaskBoard.Tests/bin/<Configuration>/net10.0 → src/AuditGen.Tool/bin/<Configuration>/net10.0
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string repository = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        string tool = Path.Combine(repository, "src", "AuditGen.Tool", "bin", here.Parent.Name, here.Name, "AuditGen.Tool.dll");
        Assert.True(File.Exists(tool), $"auditgen not built at {tool}");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [tool, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }
}

public sealed class DemoOnPostgreSqlTests
{
    /// <summary>The README's switch: <c>--postgres "&lt;connection string&gt;"</c>. Runs in a database of its own, dropped after.</summary>
    [Fact]
    public async Task Demo_runs_on_postgresql_when_given_a_connection_string()
    {
        string server = Environment.GetEnvironmentVariable("AUDITGEN_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("AUDITGEN_POSTGRES is not set: run the tests with ./eng/test.sh, which starts a throwaway PostgreSQL cluster.");
        string database = $"taskboard_{Guid.NewGuid():N}";
        await using (var admin = new Npgsql.NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new Npgsql.NpgsqlCommand($"CREATE DATABASE {database}", admin).ExecuteNonQueryAsync();
        }

        try
        {
            string connectionString = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            IConfiguration configuration = new ConfigurationBuilder().AddCommandLine(["--postgres", connectionString]).Build();

            var first = new StringWriter();
            await Demo.RunAsync(configuration, first);
            var second = new StringWriter();
            await Demo.RunAsync(configuration, second);

            Assert.StartsWith("Activity log: PostgreSQL (--postgres) (0 records by bob before this run)", first.ToString());
            Assert.Matches(@"create_task +by alice\r?\n(?:      .*\r?\n)*.*update_task +by alice\r?\n      Title: ""Write the docs"" → ""Write the README""\r?\n.*complete_task +by bob", first.ToString());
            Assert.Contains("(3 records by bob before this run)", second.ToString());
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var admin = new Npgsql.NpgsqlConnection(server);
            await admin.OpenAsync();
            await new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }
}
